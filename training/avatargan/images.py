"""Image value range: the one place where generator floats become uint8 pixels and back.

Generator output is float in [-1, 1] (NCHW in PyTorch, NHWC in tf.js). The same formula is
in lib/edit/pixels.ts: u8 = clamp(floor(x * 127.5 + 128), 0, 255).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np


def to_uint8(images) -> np.ndarray:
    """[N, 3, H, W] float in [-1, 1] (tensor or array) -> [N, H, W, 3] uint8."""
    array = images.detach().float().cpu().numpy() if hasattr(images, "detach") else np.asarray(images, np.float32)
    array = np.floor(array.astype(np.float32) * np.float32(127.5) + np.float32(128.0))
    return np.clip(array, 0, 255).astype(np.uint8).transpose(0, 2, 3, 1)


def from_uint8(pixels: np.ndarray) -> np.ndarray:
    """[N, H, W, 3] uint8 -> [N, 3, H, W] float32 in [-1, 1]."""
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8:
        raise ValueError(f"expected uint8 pixels, got {pixels.dtype}")
    return (pixels.astype(np.float32) / np.float32(127.5) - np.float32(1.0)).transpose(0, 3, 1, 2)


def grid(pixels: np.ndarray, columns: int | None = None, pad: int = 0) -> np.ndarray:
    """Tile [N, H, W, 3] uint8 images into one [rows*H, columns*W, 3] image."""
    n, h, w, ch = pixels.shape
    columns = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    out = np.full((rows * (h + pad) + pad, columns * (w + pad) + pad, ch), 255, np.uint8)
    for i in range(n):
        r, c = divmod(i, columns)
        out[pad + r * (h + pad): pad + r * (h + pad) + h, pad + c * (w + pad): pad + c * (w + pad) + w] = pixels[i]
    return out


def save_png(pixels: np.ndarray, path: str | Path, text: dict[str, str] | None = None) -> Path:
    """Write one [H, W, 3] uint8 image as PNG, with optional tEXt metadata."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path, pnginfo=info)
    return path
