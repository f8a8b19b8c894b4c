import json

import numpy as np
import pytest

from avatargan.fixtures import tiny_vocabulary
from avatargan.vocab import TagVocabulary, exclusive_group_of
from conftest import FIXTURES


def test_golden_vocab_file_round_trips():
    data = json.loads((FIXTURES / "golden" / "vocab.json").read_text())
    vocab = TagVocabulary.from_json(data)
    assert vocab == tiny_vocabulary()
    assert vocab.names == ["black hair", "blonde hair", "red hair", "blue eyes", "green eyes", "smile"]
    assert vocab.to_json() == data


def test_encode_decode():
    vocab = tiny_vocabulary()
    c = vocab.encode(["red hair", "green eyes", "smile"])
    assert c.tolist() == [0, 0, 1, 0, 1, 1]
    assert vocab.decode(c) == ["red hair", "green eyes", "smile"]
    assert vocab.decode(np.array([0.1, 0.7, 0.2, 0.4, 0.6, 0.3])) == ["blonde hair", "green eyes"]


def test_encode_rejects_unknown_and_two_in_exclusive_group():
    vocab = tiny_vocabulary()
    with pytest.raises(KeyError, match="purple hair"):
        vocab.encode(["purple hair"])
    assert vocab.encode(["purple hair"], strict=False).sum() == 0
    with pytest.raises(ValueError, match="exclusive group 'hair'"):
        vocab.encode(["red hair", "black hair"])


def test_groups_and_priors_derived_from_tags():
    tags = [["red hair", "blue eyes", "smile"], ["red hair", "green eyes"], ["black hair", "blue eyes"], ["black hair"]]
    vocab = TagVocabulary.from_tag_lists(tags)
    assert [(g.name, g.exclusive) for g in vocab.groups] == [("hair", True), ("eyes", True), ("tags", False)]
    hair = {t.name: t.prior for t in vocab.group("hair").tags}
    assert hair == {"black hair": 0.5, "red hair": 0.5}
    eyes = {t.name: t.prior for t in vocab.group("eyes").tags}
    assert eyes == pytest.approx({"blue eyes": 2 / 3, "green eyes": 1 / 3})
    assert vocab.group("tags").tags[0].prior == 0.25  # independent: fraction of all images


def test_exclusive_group_of():
    assert exclusive_group_of("blonde hair") == "hair"
    assert exclusive_group_of("aqua eyes") == "eyes"
    assert exclusive_group_of("long hair") is None


def test_sample_respects_fixed_and_priors():
    vocab = tiny_vocabulary()
    rng = np.random.default_rng(0)
    draws = [vocab.sample(rng, fixed={"eyes": "green eyes"}) for _ in range(2000)]
    assert all("green eyes" in d for d in draws)
    black = sum("black hair" in d for d in draws) / len(draws)
    assert abs(black - 0.5) < 0.05
    for d in draws:
        vocab.encode(d)  # always a valid condition


def test_from_json_reports_malformed():
    with pytest.raises(ValueError, match="malformed"):
        TagVocabulary.from_json({"groups": [{"name": "hair"}]})


def test_random_tags_match_committed_golden_file():
    data = json.loads((FIXTURES / "golden" / "random_tags.json").read_text())
    vocab = TagVocabulary.from_json(data["vocab"])
    for case in data["cases"]:
        assert vocab.tags_for_seed(case["seed"], case["choices"], case["z_dim"]) == case["tags"], case


def test_random_tags_fixing_one_group_keeps_the_others():
    vocab = tiny_vocabulary()
    for seed in range(40):
        free = vocab.tags_for_seed(seed, {}, 8)
        fixed = vocab.tags_for_seed(seed, {"hair": "red hair"}, 8)
        assert [t for t in fixed if t.endswith("eyes")] == [t for t in free if t.endswith("eyes")]
        assert "red hair" in fixed
    with pytest.raises(ValueError, match="not in group"):
        vocab.tags_for_seed(0, {"hair": "blue eyes"}, 8)
