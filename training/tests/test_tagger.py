import numpy as np
import pytest
import torch

from avatargan.data.pack import load_pack, write_pack
from avatargan.images import from_uint8
from avatargan.networks.tagger import FoldedTagger, Tagger, TaggerConfig, folded_state
from avatargan.pipeline import export_tagger, load_tagger, predict
from avatargan.train.tagger import TaggerTrainConfig, accuracy_report, train_tagger
from avatargan.vocab import Tag, TagGroup, TagVocabulary

COLOURS = {"red hair": (220, 40, 40), "blue hair": (40, 60, 220), "green hair": (40, 200, 60)}


@pytest.fixture
def colour_pack(tmp_path):
    """Faces stand-in: a 'hair' band coloured by the label over a noisy background."""
    vocab = TagVocabulary([TagGroup("hair", True, tuple(Tag(n, 1 / 3) for n in COLOURS)),
                           TagGroup("tags", False, (Tag("smile", 0.5),))])
    rng = np.random.default_rng(0)
    n = 192
    images = rng.integers(0, 255, (n, 16, 16, 3), dtype=np.uint8)
    labels = np.zeros((n, vocab.dim), np.float32)
    for i in range(n):
        name = list(COLOURS)[i % 3]
        images[i, :6] = COLOURS[name]
        labels[i] = vocab.encode([name] + (["smile"] if i % 2 else []))
        if i % 2:
            images[i, 12:14, 4:12] = 255  # a white 'smile' bar
    split = (np.arange(n) % 6 == 0).astype(np.uint8)
    return load_pack(write_pack(tmp_path / "pack", images, labels, split, vocab, [f"{i}.png" for i in range(n)]))


def test_folded_export_matches_batchnorm_network():
    torch.manual_seed(0)
    cfg = TaggerConfig(resolution=16, c_dim=4, channels=[4, 8], group_sizes=[3, 1], exclusive=[True, False])
    model = Tagger(cfg)
    model.train()
    for _ in range(3):
        model(torch.randn(8, 3, 16, 16))  # moves the BatchNorm running statistics off their defaults
    model.eval()
    x = torch.randn(5, 3, 16, 16)
    folded = FoldedTagger(cfg, folded_state(model))
    assert torch.allclose(model(x), folded(x), atol=1e-5)
    probs = model.probabilities(model(x))
    assert torch.allclose(probs[:, :3].sum(1), torch.ones(5)) and ((probs[:, 3] > 0) & (probs[:, 3] < 1)).all()


def test_loss_ignores_rows_without_a_tag_in_an_exclusive_group():
    cfg = TaggerConfig(resolution=16, c_dim=3, channels=[4], group_sizes=[3], exclusive=[True])
    logits = torch.tensor([[5.0, 0, 0], [0, 0, 9.0]])
    only_first = Tagger(cfg).loss(logits[:1], torch.tensor([[1.0, 0, 0]]))
    both = Tagger(cfg).loss(logits, torch.tensor([[1.0, 0, 0], [0, 0, 0]]))
    assert torch.allclose(only_first, both)


def test_accuracy_report_counts():
    vocab = TagVocabulary([TagGroup("hair", True, (Tag("a hair", .5), Tag("b hair", .5)))])
    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    labels = np.array([[1, 0], [0, 1], [0, 1], [1, 0]], np.float32)
    report = accuracy_report(probs, labels, vocab)
    assert report["groups"]["hair"] == 0.75
    assert report["tags"]["b hair"] == {"support": 2, "recall": 0.5, "precision": 1.0}


def test_train_export_load_round_trip(colour_pack, tmp_path):
    cfg = TaggerTrainConfig(epochs=6, batch=32, lr=5e-3, channels=(8, 16))
    model, summary = train_tagger(colour_pack, tmp_path / "run", cfg, device="cpu", progress=False)
    assert summary["validation"]["groups"]["hair"] >= 0.9
    assert (tmp_path / "run" / "report.json").exists()
    export_tagger(model, colour_pack.vocab, tmp_path / "tagger", training=summary)
    loaded, vocab, meta = load_tagger(tmp_path / "tagger")
    assert vocab == colour_pack.vocab and meta["kind"] == "tagger"
    images = np.asarray(colour_pack.images[:10])
    ours, _ = predict(model, images, torch.device("cpu"))
    theirs, feats = predict(loaded, images, torch.device("cpu"))
    assert np.abs(ours - theirs).max() < 1e-4 and feats.shape == (10, 16)
    assert torch.from_numpy(from_uint8(images)).shape == (10, 3, 16, 16)
