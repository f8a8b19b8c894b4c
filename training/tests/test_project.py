"""Projection ("Find my character") on the tiny fixture generator: it recovers an avatar the
generator made, its recipe re-renders the same pixels, and bad pictures are refused."""

import json

import numpy as np
import pytest
import torch
from PIL import Image

from avatargan import cli
from avatargan.images import save_png
from avatargan.pipeline import AvatarPipeline
from avatargan.project import ProjectionSettings, load_target, project, projected_recipe, psnr
from avatargan.recipe import load_recipe, render_recipe
from conftest import FIXTURES

TINY = FIXTURES / "tiny-generator"
TAGS = ["blonde hair", "green eyes"]


@pytest.fixture(scope="module")
def pipe():
    return AvatarPipeline.from_pretrained(TINY)


def _target(pipe, seed=5, psi=0.8):
    return pipe.generate([seed], TAGS, psi)[0]


@pytest.mark.parametrize("wplus, floor_db", [(False, 30.0), (True, 20.0)])
def test_projection_recovers_an_avatar_of_the_generator(pipe, wplus, floor_db):
    """Measured here: w reaches 35 dB in 150 steps (56 dB in 300); W+ 23 dB, its extra freedom
    finds other layer mixes on this random tiny model."""
    target = _target(pipe)
    start = pipe.generate([0], TAGS, 0.0)[0]                       # the search starts at the condition's mean
    result = project(pipe, target, TAGS, ProjectionSettings(steps=150, lr=0.1, wplus=wplus))
    assert result.ws.shape == ((pipe.generator.cfg.num_ws if wplus else 1), pipe.generator.cfg.w_dim)
    assert result.psnr > psnr(start, target) + 6 and result.psnr > floor_db
    assert result.losses[-1] < result.losses[0] / 10


def test_recipe_round_trip_gives_the_projection_pixels(pipe, tmp_path):
    result = project(pipe, _target(pipe), TAGS, ProjectionSettings(steps=20, wplus=True))
    recipe = projected_recipe(pipe, result)
    (tmp_path / "p.json").write_text(json.dumps(recipe))
    assert np.array_equal(render_recipe(pipe, load_recipe(tmp_path / "p.json")), result.image)
    edited = {**recipe, "latent": {**recipe["latent"], "directions": [{"tag": "black hair", "amount": 1.0}]}}
    assert not np.array_equal(render_recipe(pipe, edited), result.image)     # tag directions apply on top


def test_project_command_writes_recipe_and_png(pipe, tmp_path, capsys):
    picture = Image.fromarray(_target(pipe)).resize((40, 30))          # not square, not the model's size
    picture.save(tmp_path / "me.jpg")
    assert cli.main(["project", str(tmp_path / "me.jpg"), "--model", str(TINY), "--tagger", str(tmp_path / "none"),
                     "--tags", "blonde hair,green eyes", "--perceptual", "0", "--steps", "5",
                     "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "me: blonde hair, green eyes; PSNR" in out
    recipe = load_recipe(tmp_path / "out" / "me.json")
    assert recipe["latent"]["projected"]["space"] == "w"
    again = tmp_path / "again.png"
    assert cli.main(["render", str(tmp_path / "out" / "me.json"), "--model", str(TINY), "--out", str(again)]) == 0
    assert np.array_equal(np.asarray(Image.open(again)), np.asarray(Image.open(tmp_path / "out" / "me.png")))


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"not an image at all"), "not an image this reads"),
    (lambda p: p.write_bytes(b""), "the file is empty"),
    (lambda p: Image.new("RGB", (4, 4)).save(p, format="PNG"), "too small to hold a face"),
    (lambda p: Image.new("RGB", (9000, 9000)).save(p, format="PNG", compress_level=1), "above the 64 MP limit"),
])
def test_bad_pictures_are_refused_with_a_reason(tmp_path, make, message):
    path = tmp_path / "bad.png"
    make(path)
    with pytest.raises(ValueError, match=message):
        load_target(path, 16)


def test_settings_are_checked(pipe):
    with pytest.raises(ValueError, match="steps=0"):
        project(pipe, _target(pipe), TAGS, ProjectionSettings(steps=0))
    with pytest.raises(ValueError, match="must be uint8"):
        project(pipe, np.zeros((8, 8, 3), np.uint8), TAGS)
    assert torch.is_grad_enabled()
