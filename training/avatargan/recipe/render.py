"""Recipes -> ws -> pixels, as lib/gan/latents.ts and lib/gan/render.ts compute them."""

from __future__ import annotations
import math
from typing import Mapping

import numpy as np
import torch

from ..seeds import seed_to_z
from .latents import slerp, lerp, shift_condition, direction_w
from .files import RecipeError


@torch.no_grad()
def recipe_ws(pipe, recipe: Mapping) -> torch.Tensor:
    """ws [1, num_ws, w_dim] for one recipe, as lib/gan/latents.ts computes them."""
    generator, vocab = pipe.generator, pipe.vocab
    device = pipe.device
    z_dim = generator.cfg.z_dim
    latent = recipe.get("latent") or {}

    z = seed_to_z(recipe["seed"], z_dim)
    perturb = latent.get("perturb")
    if perturb and perturb["amount"] != 0:
        other = seed_to_z(perturb["seed"], z_dim).astype(np.float64)
        scale = 1 / math.sqrt(1 + perturb["amount"] ** 2)
        z = ((z.astype(np.float64) + perturb["amount"] * other) * scale).astype(np.float32)
    toward = latent.get("toward")
    toward_w = None
    if toward:
        other = seed_to_z(toward["seed"], z_dim)
        if toward.get("space", "z") == "z":
            z = slerp(z, other, toward["t"])
        else:
            toward_w = (other, toward["t"])

    c = vocab.encode(recipe["tags"])
    if latent.get("conditionToward"):
        c = lerp(c, vocab.encode(latent["conditionToward"]["tags"]), latent["conditionToward"]["t"])
    w_directions = []
    for d in latent.get("directions") or []:
        if d.get("space", "w") == "c":
            c = shift_condition(vocab, c, d["tag"], d["amount"])
        else:
            vocab.index(d["tag"])
            w_directions.append((d["tag"], d["amount"]))

    c_t = torch.from_numpy(np.asarray(c, np.float32))[None].to(device)
    centre = pipe.condition_mean_w(c_t[0]) if recipe.get("truncation") == "condition" else generator.mapping.w_avg
    psi = float(recipe["psi"])

    def map_truncated(z_row: np.ndarray) -> torch.Tensor:
        w = generator.mapping(torch.from_numpy(z_row)[None].to(device), c_t)
        return centre + (w - centre) * psi

    num_ws = generator.cfg.num_ws

    def layers(w_row: torch.Tensor) -> torch.Tensor:
        return w_row[:, None, :].repeat(1, num_ws, 1)                               # [1, num_ws, w_dim]

    if latent.get("projected"):  # the stored w stands in for mapping(z, c); exactly as found at psi 1
        stored = projected_layers(latent["projected"], num_ws, generator.cfg.w_dim).to(device)[None]
        ws = stored if psi == 1 else centre + (stored - centre) * psi
    else:
        ws = layers(map_truncated(z))
    if toward_w is not None:
        ws = ws + (layers(map_truncated(toward_w[0])) - ws) * toward_w[1]
    offset = None
    for tag, amount in w_directions:
        step = direction_w(generator, vocab, tag) * amount
        offset = step if offset is None else offset + step
    if offset is not None:
        ws = ws + offset
    mix = latent.get("mix")
    if mix and mix["start"] < mix["end"]:
        if not (0 <= mix["start"] and mix["end"] <= num_ws):
            raise RecipeError(f"mix layers [{mix['start']}, {mix['end']}) are outside this model's 0..{num_ws}")
        mixed = map_truncated(seed_to_z(mix["seed"], z_dim))
        if offset is not None:
            mixed = mixed + offset
        ws[:, mix["start"]:mix["end"]] = mixed[:, None, :]
    return ws


def projected_layers(projected: Mapping, num_ws: int, w_dim: int) -> torch.Tensor:
    """[num_ws, w_dim]: a projected w for every layer (lib/gan/latents.ts projectedLayers)."""
    space, rows = projected.get("space"), projected.get("ws")
    if space not in ("w", "w+") or not isinstance(rows, list) or not rows:
        raise RecipeError("latent.projected must be {space: 'w' | 'w+', ws: [[...], ...]}")
    if any(not isinstance(r, list) or len(r) != w_dim for r in rows):
        raise RecipeError(f"latent.projected: every row must hold {w_dim} numbers (this model's w)")
    if (space == "w" and len(rows) != 1) or (space == "w+" and len(rows) != num_ws):
        raise RecipeError(f"latent.projected: {len(rows)} rows for space {space!r}; this model needs "
                          f"{1 if space == 'w' else num_ws}")
    values = torch.tensor(rows, dtype=torch.float32)
    if not torch.isfinite(values).all():
        raise RecipeError("latent.projected: every value must be a finite number")
    return values.expand(num_ws, -1).clone() if space == "w" else values


@torch.no_grad()
def render_recipe(pipe, recipe: Mapping) -> np.ndarray:
    """The generator stage of a recipe: uint8 [R, R, 3]."""
    from ..images import to_uint8

    images = pipe.generator.synthesis(recipe_ws(pipe, recipe), noise_mode="const")
    return to_uint8(images)[0]


def later_stages(recipe: Mapping) -> list[str]:
    """What the recipe asks for beyond the generator (done by the workbench, not here)."""
    stages = []
    if recipe.get("upscale"):
        stages.append(f"upscale x{recipe['upscale'].get('factor')}")
    if recipe.get("edits"):
        stages.append(f"{len(recipe['edits'])} pixel edit(s)")
    return stages
