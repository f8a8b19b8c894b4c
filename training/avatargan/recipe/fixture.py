"""The recipe parity fixture: test/recipe-parity.test.ts renders the same recipes with
lib/gan/latents.ts and compares."""

from __future__ import annotations
import json
import math
from pathlib import Path

import numpy as np

from .files import RECIPE_VERSION
from .render import recipe_ws


def parity_recipes() -> list[dict]:
    """Recipes that exercise every latent edit, for the tiny fixture vocabulary."""
    base = {"version": RECIPE_VERSION, "model": {"name": "tiny-generator", "sha256": ""},
            "upscale": None, "edits": []}
    cases = [
        {"seed": 0, "tags": ["blonde hair", "green eyes"], "psi": 1.0, "truncation": "global", "latent": {}},
        {"seed": 1, "tags": ["black hair", "blue eyes"], "psi": 0.6, "truncation": "condition", "latent": {}},
        {"seed": 2, "tags": ["blonde hair"], "psi": 0.8, "truncation": "global",
         "latent": {"perturb": {"seed": 11, "amount": 0.3}}},
        {"seed": 3, "tags": ["black hair", "green eyes"], "psi": 1.0, "truncation": "global",
         "latent": {"toward": {"seed": 12, "t": 0.35, "space": "z"}}},
        {"seed": 4, "tags": ["blonde hair", "blue eyes"], "psi": 0.7, "truncation": "condition",
         "latent": {"toward": {"seed": 13, "t": 0.6, "space": "w"}}},
        {"seed": 5, "tags": ["blonde hair", "green eyes"], "psi": 1.0, "truncation": "global",
         "latent": {"conditionToward": {"tags": ["black hair", "blue eyes"], "t": 0.25}}},
        {"seed": 6, "tags": ["black hair", "blue eyes"], "psi": 0.9, "truncation": "global",
         "latent": {"directions": [{"tag": "blonde hair", "amount": 0.8}, {"tag": "green eyes", "amount": 0.5, "space": "c"}, {"tag": "smile", "amount": 0.4}]}},
        {"seed": 7, "tags": ["blonde hair", "green eyes"], "psi": 0.75, "truncation": "condition",
         "latent": {"mix": {"seed": 14, "start": 2, "end": 5}, "perturb": {"seed": 15, "amount": 0.1}}},
        # Projected faces (w_dim 16, 6 layers in the tiny generator): exact at psi 1, with a w edit and mixing.
        {"seed": 0, "tags": ["black hair", "green eyes"], "psi": 1.0, "truncation": "global",
         "latent": {"projected": {"space": "w", "ws": [_wave(16, 1)]},
                    "directions": [{"tag": "blonde hair", "amount": 0.5}], "mix": {"seed": 16, "start": 4, "end": 6}}},
        {"seed": 0, "tags": ["blonde hair", "blue eyes"], "psi": 0.8, "truncation": "condition",
         "latent": {"projected": {"space": "w+", "ws": [_wave(16, k) for k in range(2, 8)]}}},
    ]
    return [{**base, **case} for case in cases]


def _wave(dim: int, k: int) -> list[float]:
    """A fixed, exactly representable test vector (a stand-in for a projected w)."""
    return [round(2.0 * math.sin(0.7 * k + 1.3 * i), 4) for i in range(dim)]


def write_recipe_fixture(folder: str | Path, pipe) -> Path:
    """<folder>/recipes.json: each parity recipe with its ws and uint8 pixels (NHWC) from PyTorch."""
    from ..images import to_uint8

    cases = []
    for recipe in parity_recipes():
        ws = recipe_ws(pipe, recipe)
        pixels = to_uint8(pipe.generator.synthesis(ws, noise_mode="const"))[0]
        cases.append({"recipe": recipe, "ws": np.round(ws[0].cpu().numpy().astype(np.float64), 7).tolist(),
                      "uint8_hwc": pixels.reshape(-1).tolist()})
    path = Path(folder) / "recipes.json"
    path.write_text(json.dumps({"note": "written by python -m avatargan export --fixtures; see training/avatargan/recipe/",
                                "cases": cases}))
    return path
