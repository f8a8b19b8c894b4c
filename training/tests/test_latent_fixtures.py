"""The committed fixtures the browser's latent maths and tagger are tested against
(test/fixtures/tiny-generator/condition_mean.json, test/fixtures/tiny-tagger) are reproduced
by this code, and the fixture writer is deterministic for them."""

import json

import numpy as np
import torch

from avatargan.fixtures import write_condition_mean_fixture, write_tagger_fixture
from avatargan.images import from_uint8
from avatargan.pipeline import AvatarPipeline
from avatargan.pipeline import load_tagger
from conftest import FIXTURES
from tolerance import assert_floats_close, assert_json_close, assert_shards_close, manifest_accumulation


def test_condition_mean_fixture_is_reproduced():
    data = json.loads((FIXTURES / "tiny-generator" / "condition_mean.json").read_text())
    pipe = AvatarPipeline.from_pretrained(FIXTURES / "tiny-generator")
    assert data["samples"] == 256 and data["first_seed"] == 0
    for case in data["cases"]:
        mean_w = pipe.generator.condition_mean_w(torch.from_numpy(pipe.vocab.encode(case["tags"])))
        folder = FIXTURES / "tiny-generator"
        assert_floats_close(mean_w.numpy(), case["mean_w"], manifest_accumulation(folder, "mapping."), "mean w")
        image = pipe.generate_float([case["seed"]], case["tags"], case["psi"], per_condition_truncation=True)
        assert_floats_close(image.permute(0, 2, 3, 1).flatten().numpy(), case["image_nhwc"],
                            manifest_accumulation(folder), f"image of seed {case['seed']}")


def test_psi_zero_per_condition_is_the_condition_mean():
    pipe = AvatarPipeline.from_pretrained(FIXTURES / "tiny-generator")
    c = torch.from_numpy(pipe.vocab.encode(["red hair", "green eyes"]))
    z = torch.randn(1, pipe.generator.cfg.z_dim)
    mean_w = pipe.generator.condition_mean_w(c)
    w = pipe.generator.map(z, c[None], 0.0, w_center=mean_w[None])
    assert torch.allclose(w[:, 0], mean_w[None], atol=1e-6)


def test_tagger_fixture_is_reproduced():
    parity = json.loads((FIXTURES / "tiny-tagger" / "parity.json").read_text())
    model, vocab, _ = load_tagger(FIXTURES / "tiny-tagger")
    assert vocab.dim == model.cfg.c_dim
    for case in parity["cases"]:
        pixels = np.array(case["pixels_nhwc"], dtype=np.uint8).reshape(-1, case["size"], case["size"], 3)
        with torch.no_grad():
            logits = model(torch.from_numpy(from_uint8(pixels)))
        assert_floats_close(logits.flatten().numpy(), case["logits"], manifest_accumulation(FIXTURES / "tiny-tagger"),
                            f"logits of the {case['size']} px case")


def test_latent_fixture_writers_are_deterministic(tmp_path):
    import shutil

    shutil.copytree(FIXTURES / "tiny-generator", tmp_path / "tiny-generator")
    write_condition_mean_fixture(tmp_path / "tiny-generator")
    write_tagger_fixture(tmp_path / "tiny-tagger")
    generator = manifest_accumulation(FIXTURES / "tiny-generator")
    tagger = manifest_accumulation(FIXTURES / "tiny-tagger")
    read = lambda root, rel: json.loads((root / rel).read_text())  # noqa: E731
    assert_json_close(read(tmp_path, "tiny-generator/condition_mean.json"), read(FIXTURES, "tiny-generator/condition_mean.json"),
                      generator)
    assert_json_close(read(tmp_path, "tiny-tagger/parity.json"), read(FIXTURES, "tiny-tagger/parity.json"), tagger)
    fresh, committed = read(tmp_path, "tiny-tagger/model.json"), read(FIXTURES, "tiny-tagger/model.json")
    fresh.pop("sha256"), committed.pop("sha256")  # a hash of the bytes: BatchNorm folding rounds per CPU
    assert_json_close(fresh, committed, tagger)
    assert_shards_close(tmp_path / "tiny-tagger", FIXTURES / "tiny-tagger", tagger)
