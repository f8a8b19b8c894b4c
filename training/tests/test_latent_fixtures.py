"""The committed fixtures the browser's latent maths and tagger are tested against
(test/fixtures/tiny-generator/condition_mean.json, test/fixtures/tiny-tagger) are reproduced
by this code, and the fixture writer is deterministic for them."""

import json

import numpy as np
import torch

from avatargan.fixtures import write_condition_mean_fixture, write_tagger_fixture
from avatargan.images import from_uint8
from avatargan.pipeline import AvatarPipeline
from avatargan.train.tagger import load_tagger
from conftest import FIXTURES


def test_condition_mean_fixture_is_reproduced():
    data = json.loads((FIXTURES / "tiny-generator" / "condition_mean.json").read_text())
    pipe = AvatarPipeline.from_pretrained(FIXTURES / "tiny-generator")
    assert data["samples"] == 256 and data["first_seed"] == 0
    for case in data["cases"]:
        mean_w = pipe.generator.condition_mean_w(torch.from_numpy(pipe.vocab.encode(case["tags"])))
        assert np.abs(mean_w.numpy() - np.array(case["mean_w"])).max() < 1e-6
        image = pipe.generate_float([case["seed"]], case["tags"], case["psi"], per_condition_truncation=True)
        assert np.abs(image.permute(0, 2, 3, 1).flatten().numpy() - np.array(case["image_nhwc"])).max() < 2e-6


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
        assert np.abs(logits.flatten().numpy() - np.array(case["logits"])).max() < 2e-6


def test_latent_fixture_writers_are_deterministic(tmp_path):
    import shutil

    shutil.copytree(FIXTURES / "tiny-generator", tmp_path / "tiny-generator")
    write_condition_mean_fixture(tmp_path / "tiny-generator")
    write_tagger_fixture(tmp_path / "tiny-tagger")
    for rel in ("tiny-generator/condition_mean.json", "tiny-tagger/model.json", "tiny-tagger/group1-shard1of1.bin",
                "tiny-tagger/parity.json"):
        assert (tmp_path / rel).read_bytes() == (FIXTURES / rel).read_bytes(), rel
