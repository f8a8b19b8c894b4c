"""Make the app's icons (public/icons/icon-{192,512}.png) from the shipped models.

    .venv/bin/python scripts/app-icons.py [--seed 2] [--tags "blonde hair,blue eyes"]

One avatar of the shipped generator, upscaled x4 by the shipped upscaler, on a rounded square
of the app's background colour. Rerun it when a new generator ships.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

from avatargan.pipeline import AvatarPipeline, load_upscaler, upscale_uint8  # noqa: E402
from avatargan.recipe.render import render_recipe  # noqa: E402

BACKGROUND = (20, 21, 28, 255)  # --bg in app/globals.css


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--tags", default="blonde hair,blue eyes")
    args = parser.parse_args()
    pipe = AvatarPipeline.from_pretrained(ROOT / "public/weights/generator")
    recipe = {"version": 1, "model": {"name": pipe.name, "sha256": pipe.sha256 or ""}, "seed": args.seed,
              "tags": [t.strip() for t in args.tags.split(",") if t.strip()], "psi": 0.7, "truncation": "condition",
              "latent": {}, "upscale": None, "edits": []}
    avatar = render_recipe(pipe, recipe)                                               # uint8 [64, 64, 3]
    upscaler, _ = load_upscaler(ROOT / "public/weights/upscaler")
    big = upscale_uint8(upscaler, avatar[None], 4)[0]                                  # uint8 [256, 256, 3]
    out = ROOT / "public/icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon = Image.new("RGBA", (size, size), BACKGROUND)
        inner = int(size * 0.84)
        face = Image.fromarray(big).resize((inner, inner), Image.Resampling.LANCZOS)
        mask = Image.new("L", (inner, inner), 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, inner - 1, inner - 1), radius=inner // 6, fill=255)
        icon.paste(face, ((size - inner) // 2, (size - inner) // 2), mask)
        icon.save(out / f"icon-{size}.png", optimize=True)
        print(f"wrote {out / f'icon-{size}.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
