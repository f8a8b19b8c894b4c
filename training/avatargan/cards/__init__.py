"""MODEL_CARD.md for an exported model, one renderer per model kind (generator and tagger share
the general card; the upscaler's figures, PSNR/SSIM against bicubic, have their own).

    write_card("public/weights/generator")   # reads model.json, writes MODEL_CARD.md beside it
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..export import read_model
from .generator import attach_evaluation, render_generator_card
from .upscaler import attach_benchmark, render_upscaler_card

RENDERERS: dict[str, Callable[[dict, int], str]] = {
    "generator": render_generator_card,
    "tagger": render_generator_card,
    "upscaler": render_upscaler_card,
}

__all__ = ["attach_benchmark", "attach_evaluation", "write_card"]


def write_card(folder: str | Path) -> Path:
    """Write MODEL_CARD.md for the model in `folder` and return its path."""
    folder = Path(folder)
    meta, _ = read_model(folder)
    weights = sum(p.stat().st_size for p in folder.glob("*.bin"))
    path = folder / "MODEL_CARD.md"
    path.write_text(RENDERERS[meta["kind"]](meta, weights))
    return path
