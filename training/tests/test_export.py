import json
import re
import shutil

import numpy as np
import pytest
import torch

from avatargan.export import ModelFileError, read_model, write_model
from avatargan.fixtures import TINY_CASES, tiny_generator, tiny_vocabulary, write_fixtures
from avatargan.pipeline import AvatarPipeline, export_generator
from conftest import FIXTURES
from tolerance import (assert_floats_close, assert_json_close, assert_pixels_close, assert_shards_close,
                       float32_tolerance, manifest_accumulation)


def _parity_images(pipe, cases, psi_shift: float = 0.0):
    for case in cases:
        image = pipe.generate_float([case["seed"]], case["tags"], case["psi"] + psi_shift)
        yield case, image.permute(0, 2, 3, 1).flatten().numpy()


def test_committed_parity_fixture_is_reproduced():
    for name in ("tiny-generator", "tiny-generator-f16"):
        parity = json.loads((FIXTURES / name / "parity.json").read_text())
        pipe = AvatarPipeline.from_pretrained(FIXTURES / name)
        for case, image in _parity_images(pipe, parity["cases"]):
            assert_floats_close(image, case["image_nhwc"], manifest_accumulation(FIXTURES / name), f"{name} seed {case['seed']}")
            pixels = pipe.generate([case["seed"]], case["tags"], case["psi"])
            assert_pixels_close(pixels, case["uint8_nhwc"], f"{name} seed {case['seed']} uint8")


def test_parity_tolerance_still_catches_real_changes():
    """The tolerance absorbs rounding, not mistakes: two swapped tensors of the same shape, or
    psi off by 0.01, move the images by far more than it allows."""
    folder = FIXTURES / "tiny-generator"
    parity = json.loads((folder / "parity.json").read_text())
    accumulation = manifest_accumulation(folder)
    pipe = AvatarPipeline.from_pretrained(folder)
    for case, image in _parity_images(pipe, parity["cases"][:1], psi_shift=-0.01):
        with pytest.raises(AssertionError, match="more than the float32 tolerance"):
            assert_floats_close(image, case["image_nhwc"], accumulation, "psi - 0.01")
    state = pipe.generator.state_dict()
    a, b = "synthesis.b8.conv0.weight", "synthesis.b8.conv1.weight"
    assert state[a].shape == state[b].shape
    state[a], state[b] = state[b].clone(), state[a].clone()
    pipe.generator.load_state_dict(state)
    for case, image in _parity_images(pipe, parity["cases"][:1]):
        worst = np.abs(image - np.array(case["image_nhwc"])).max()
        assert worst > 100 * float32_tolerance(accumulation, np.abs(case["image_nhwc"]).max())
        with pytest.raises(AssertionError, match="more than the float32 tolerance"):
            assert_floats_close(image, case["image_nhwc"], accumulation, "swapped tensors")


def test_fixture_writer_is_deterministic(tmp_path):
    """The writer gives the committed fixtures again, up to float rounding (weights come from
    torch.randn, whose vectorised kernels round per CPU; images pass through the network)."""
    write_fixtures(tmp_path)
    assert (tmp_path / "golden/seeds.json").read_bytes() == (FIXTURES / "golden/seeds.json").read_bytes()  # integer maths
    for name in ("tiny-generator", "tiny-generator-f16"):
        accumulation = manifest_accumulation(FIXTURES / name)
        fresh, committed = (json.loads((root / name / "model.json").read_text()) for root in (tmp_path, FIXTURES))
        fresh.pop("sha256"), committed.pop("sha256")  # a hash of the bytes, so it moves with any rounding
        assert_json_close(fresh, committed, accumulation)
        assert_shards_close(tmp_path / name, FIXTURES / name, accumulation)
        fresh, committed = (json.loads((root / name / "parity.json").read_text()) for root in (tmp_path, FIXTURES))
        assert_json_close(fresh, committed, accumulation)


def test_export_round_trip_gives_identical_images(tmp_path):
    vocab = tiny_vocabulary()
    generator = tiny_generator(vocab)
    export_generator(generator, vocab, tmp_path / "g", name="g")
    pipe = AvatarPipeline.from_pretrained(tmp_path / "g")
    case = TINY_CASES[1]
    with torch.no_grad():
        direct = generator(torch.from_numpy(__import__("avatargan.seeds", fromlist=["x"]).seeds_to_z([case["seed"]], 8)),
                           torch.from_numpy(vocab.encode(case["tags"]))[None], noise_mode="const")
    assert torch.equal(direct, pipe.generate_float([case["seed"]], case["tags"]))


def test_float16_halves_size_and_stays_close(tmp_path):
    tensors = {"a": np.linspace(-2, 2, 1000, dtype=np.float32).reshape(10, 100), "s": np.float32(0.5)}
    write_model(tmp_path / "f32", "tagger", {"x": 1}, tensors, name="t")
    write_model(tmp_path / "f16", "tagger", {"x": 1}, tensors, name="t", float16=True)
    size = lambda p: sum(f.stat().st_size for f in p.glob("*.bin"))  # noqa: E731
    assert size(tmp_path / "f16") * 2 == size(tmp_path / "f32")
    _, back = read_model(tmp_path / "f16")
    assert back["s"].shape == () and np.abs(back["a"] - tensors["a"]).max() < 2e-3


def _spec(meta, name):
    return next(s for s in meta["weightsManifest"][0]["weights"] if s["name"] == name)


def _corrupt(tmp_path, edit):
    folder = tmp_path / "m"
    shutil.copytree(FIXTURES / "tiny-generator", folder)
    meta = json.loads((folder / "model.json").read_text())
    edit(meta, folder)
    (folder / "model.json").write_text(json.dumps(meta))
    return folder


@pytest.mark.parametrize("edit, message", [
    (lambda m, f: m.update(format="keras"), "format is 'keras'"),
    (lambda m, f: m.update(version=99), "version 99 is not supported"),
    (lambda m, f: m.update(kind="upscaler"), "is a upscaler model, expected a generator"),
    (lambda m, f: m["weightsManifest"][0]["weights"].remove(_spec(m, "mapping.w_avg")), "tensor 'mapping.w_avg' is missing"),
    (lambda m, f: _spec(m, "mapping.w_avg").update(name="mapping.w_mean"), "tensor 'mapping.w_avg' is missing"),
    (lambda m, f: _spec(m, "mapping.w_avg").update(shape=[17]), r"'mapping.w_avg' has shape [17], expected [16]"),
    (lambda m, f: (f / "group1-shard1of1.bin").write_bytes(bytes(len((f / "group1-shard1of1.bin").read_bytes()))),
     "do not match the sha256"),
    (lambda m, f: (f / "group1-shard1of1.bin").write_bytes(b"\0" * 100), "shards end before tensor"),
    (lambda m, f: (m.pop("sha256"), (f / "group1-shard1of1.bin").write_bytes(b"\0" * 100)), "shards end before tensor"),
    (lambda m, f: _spec(m, "mapping.w_avg").update(dtype="int32"), "has dtype 'int32'"),
    (lambda m, f: (f / "group1-shard1of1.bin").unlink(), "shard group1-shard1of1.bin is missing"),
])
def test_loader_names_the_problem(tmp_path, edit, message):
    with pytest.raises(ModelFileError, match=re.escape(message)):
        AvatarPipeline.from_pretrained(_corrupt(tmp_path, edit))


def _flip_to_nan(meta, folder):
    """float32 NaN bytes over the first weights, with no sha256 to catch it (as a hand-edited file)."""
    meta.pop("sha256")
    shard = folder / "group1-shard1of1.bin"
    data = bytearray(shard.read_bytes())
    data[0:8] = b"\x00\x00\xc0\x7f" * 2
    shard.write_bytes(bytes(data))


# Hostile files (issue 17): each was loaded, or crashed with a raw traceback, before these checks.
@pytest.mark.parametrize("edit, message", [
    (_flip_to_nan, "holds 2 values that are NaN or infinite"),
    (lambda m, f: m["config"].update(resolution=2 ** 20), "config is not usable: resolution 1048576 must be a power of two from 8 to 1024"),
    (lambda m, f: m["config"].update(channel_max=0), "channel_max=0 must be an integer"),
    (lambda m, f: _spec(m, "mapping.w_avg").pop("shape"), "'mapping.w_avg' needs a 'shape'"),
    (lambda m, f: _spec(m, "mapping.w_avg").pop("name"), "weights[0] needs a 'name'"),
    (lambda m, f: _spec(m, "mapping.w_avg").update(quantization=None), "has quantization None; leave it out"),
    (lambda m, f: _spec(m, "mapping.w_avg").update(shape=[2**30, 2**30]), "more than 1024 MiB of weights"),
    (lambda m, f: m["weightsManifest"][0].update(paths=["../../../../etc/passwd"]), "must be a file name inside the model folder"),
    (lambda m, f: m["weightsManifest"][0].update(paths=["/etc/passwd"]), "must be a file name inside the model folder"),
    (lambda m, f: m["weightsManifest"][0].update(weights=5), "needs lists 'paths' and 'weights'"),
])
def test_hostile_model_files_are_refused_before_work(tmp_path, edit, message):
    with pytest.raises(ModelFileError, match=re.escape(message)):
        AvatarPipeline.from_pretrained(_corrupt(tmp_path, edit))


def test_symlinked_shard_outside_the_folder_is_refused(tmp_path):
    def link(meta, folder):
        outside = tmp_path / "elsewhere.bin"
        outside.write_bytes((folder / "group1-shard1of1.bin").read_bytes())
        (folder / "group1-shard1of1.bin").unlink()
        (folder / "group1-shard1of1.bin").symlink_to(outside)
    with pytest.raises(ModelFileError, match="leads outside the model folder"):
        AvatarPipeline.from_pretrained(_corrupt(tmp_path, link))


def test_misshaped_tensor_is_named(tmp_path):
    def swap(meta, folder):
        spec = _spec(meta, "mapping.embed.weight")
        spec["shape"] = list(reversed(spec["shape"]))  # same byte count, wrong shape
    with pytest.raises(ModelFileError, match=r"tensor 'mapping.embed.weight' has shape \[6, 8\], expected \[8, 6\]"):
        AvatarPipeline.from_pretrained(_corrupt(tmp_path, swap))


def test_missing_folder_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelFileError, match="no model.json"):
        read_model(tmp_path / "nothing")


def test_generate_with_choices_fixes_chosen_groups_and_draws_the_rest():
    vocab = tiny_vocabulary()
    pipe = AvatarPipeline(tiny_generator(vocab).requires_grad_(False), vocab)
    pixels, tags = pipe.generate_with_choices([0, 1, 2], {"hair": "red hair"}, psi=0.7)
    assert tags == [vocab.tags_for_seed(s, {"hair": "red hair"}, 8) for s in (0, 1, 2)]
    assert all("red hair" in t for t in tags)
    single = pipe.generate([1], tags[1], psi=0.7)
    # Batch and single runs differ only by float round-off, which may flip a pixel by one level.
    assert np.abs(pixels[1:2].astype(int) - single.astype(int)).max() <= 1
