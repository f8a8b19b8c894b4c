"""Synthetic tagged-image sources for the data tests: tiny, distinct, made with PIL in tmp_path."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image


def pattern(index: int, size: int = 64) -> np.ndarray:
    """A distinct uint8 [size, size, 3] image per index: smooth random colour blobs (photo-like spectra)."""
    rng = np.random.default_rng(1000 + index)
    blocks = rng.integers(0, 256, (12, 12, 3), dtype=np.uint8)
    return np.asarray(Image.fromarray(blocks).resize((size, size), Image.Resampling.BICUBIC))


def near_copy(pixels: np.ndarray) -> np.ndarray:
    """The same picture slightly brighter and re-encoded as JPEG: a near duplicate."""
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels.astype(np.int16) + 6, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=90)
    return np.asarray(Image.open(buffer).convert("RGB"))


def save(pixels: np.ndarray, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)  # PNG keeps pixels exact, so exact copies stay exact
    return path
