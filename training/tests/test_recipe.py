"""Recipes exported by the workbench, rendered again in Python (training/avatargan/recipe/).

Parity with the browser is checked from the other side: test/recipe-parity.test.ts renders
test/fixtures/tiny-generator/recipes.json (written here by write_recipe_fixture) with tf.js.
"""

import json
import zlib

import numpy as np
import pytest

from avatargan import cli
from avatargan.images import save_png
from avatargan.pipeline import AvatarPipeline
from avatargan.recipe import (RecipeError, direction_w, load_recipe, parity_recipes, recipe_ws, render_recipe,
                              slerp, write_recipe_fixture)

from tolerance import assert_floats_close, assert_pixels_close, manifest_accumulation
from conftest import FIXTURES

TINY = FIXTURES / "tiny-generator"


@pytest.fixture(scope="module")
def pipe():
    return AvatarPipeline.from_pretrained(TINY)


def test_plain_recipe_is_the_plain_generator(pipe):
    recipe = parity_recipes()[0]  # psi 1, global, no edits
    expected = pipe.generate([recipe["seed"]], recipe["tags"], psi=1.0)[0]
    assert np.abs(render_recipe(pipe, recipe).astype(int) - expected.astype(int)).max() <= 1


def test_every_edit_changes_the_avatar_and_is_deterministic(pipe):
    for recipe in parity_recipes()[2:]:
        plain = {**recipe, "latent": {}}
        a, b = render_recipe(pipe, recipe), render_recipe(pipe, recipe)
        assert np.array_equal(a, b)
        assert not np.array_equal(a, render_recipe(pipe, plain)), recipe["latent"]


def test_mix_replaces_only_its_layers(pipe):
    recipe = parity_recipes()[7]
    ws = recipe_ws(pipe, recipe)[0]
    start, end = recipe["latent"]["mix"]["start"], recipe["latent"]["mix"]["end"]
    assert torch_equal_rows(ws, 0, start - 1) and torch_equal_rows(ws, start, end - 1)
    assert not torch_equal_rows(ws, start - 1, start)


def torch_equal_rows(ws, i, j):
    return bool((ws[i] == ws[j]).all())


def test_exclusive_direction_moves_toward_the_tag(pipe):
    d = direction_w(pipe.generator, pipe.vocab, "blonde hair")
    assert d.shape == (pipe.generator.cfg.w_dim,) and float(d.norm()) > 0


def test_slerp_endpoints_and_norm():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(16).astype(np.float32), rng.standard_normal(16).astype(np.float32)
    b *= np.linalg.norm(a) / np.linalg.norm(b)
    assert np.array_equal(slerp(a, b, 0), a) and np.array_equal(slerp(a, b, 1), b)
    assert abs(np.linalg.norm(slerp(a, b, 0.3)) - np.linalg.norm(a)) < 1e-4


def test_load_recipe_from_json_wrapper_and_png(tmp_path, pipe):
    recipe = parity_recipes()[4]
    (tmp_path / "a.json").write_text(json.dumps({"recipe": recipe, "file": "avatar-4.png"}))
    assert load_recipe(tmp_path / "a.json")["seed"] == 4
    png = save_png(render_recipe(pipe, recipe), tmp_path / "a.png", text={"avatargan-recipe": json.dumps(recipe)})
    assert load_recipe(png) == recipe


def test_load_recipe_from_itxt_chunk(tmp_path):
    recipe = parity_recipes()[1]
    body = b"avatargan-recipe\0\x01\0\0\0" + zlib.compress(json.dumps(recipe).encode())
    png = (b"\x89PNG\r\n\x1a\n" + len(body).to_bytes(4, "big") + b"iTXt" + body + b"\0\0\0\0"
           + b"\0\0\0\0IEND\xaeB`\x82")
    (tmp_path / "b.png").write_bytes(png)
    assert load_recipe(tmp_path / "b.png") == recipe


@pytest.mark.parametrize("change, message", [
    ({"version": 9}, "version"),
    ({"seed": "x"}, "'seed'"),
    ({"seed": -1}, "seed"),
    ({"psi": float("nan")}, "'psi'"),
    ({"truncation": "both"}, "'truncation'"),
    ({"tags": "blonde hair"}, "'tags'"),
])
def test_bad_recipes_are_refused_with_the_field(tmp_path, change, message):
    (tmp_path / "r.json").write_text(json.dumps({**parity_recipes()[0], **change}))
    with pytest.raises(RecipeError, match=message):
        load_recipe(tmp_path / "r.json")


def test_png_without_recipe_says_so(tmp_path):
    save_png(np.zeros((4, 4, 3), np.uint8), tmp_path / "plain.png")
    with pytest.raises(RecipeError, match="no 'avatargan-recipe'"):
        load_recipe(tmp_path / "plain.png")


def test_render_command(tmp_path, capsys):
    recipe = {**parity_recipes()[6], "upscale": {"factor": 4, "denoise": 0}}
    (tmp_path / "r.json").write_text(json.dumps(recipe))
    assert cli.main(["render", str(tmp_path / "r.json"), "--model", str(TINY), "--out", str(tmp_path / "o.png")]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "upscale x4" in out
    assert (tmp_path / "o.png").exists()


def test_recipe_fixture_is_current(tmp_path, pipe):
    """The committed fixture is what the current code writes (regenerate with export --fixtures)."""
    fresh = json.loads(write_recipe_fixture(tmp_path, pipe).read_text())
    committed = json.loads((TINY / "recipes.json").read_text())
    assert [c["recipe"] for c in fresh["cases"]] == [c["recipe"] for c in committed["cases"]]
    accumulation = manifest_accumulation(TINY)
    for i, (new, old) in enumerate(zip(fresh["cases"], committed["cases"])):
        assert_floats_close(new["ws"], old["ws"], accumulation, f"case {i} ws")
        assert_pixels_close(new["uint8_hwc"], old["uint8_hwc"], f"case {i} pixels")


def test_huge_or_foreign_text_chunks_are_not_inflated(tmp_path):
    """A 512 MB zTXt under another keyword took 1.29 GB to read (issue 17): only our keyword is
    read, and compressed text is capped."""
    import struct

    from avatargan.recipe import png_text_chunks

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    bomb = zlib.compress(b"\0" * (64 << 20), 9)   # 64 MiB of zeros in ~64 kB
    recipe = json.dumps(parity_recipes()[0]).encode()
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"zTXt", b"Comment\0\0" + bomb)
           + chunk(b"tEXt", b"avatargan-recipe\0" + recipe) + chunk(b"IEND", b""))
    (tmp_path / "a.png").write_bytes(png)
    assert load_recipe(tmp_path / "a.png")["seed"] == parity_recipes()[0]["seed"]
    with pytest.raises(RecipeError, match="inflates to more than 1048576 bytes"):
        png_text_chunks(png, "a.png")
    many = {**parity_recipes()[0], "edits": [{"op": "flip", "axis": "horizontal"}] * 65}
    (tmp_path / "b.json").write_text(json.dumps(many))
    with pytest.raises(RecipeError, match="at most 64 edits"):
        load_recipe(tmp_path / "b.json")
