"""Pixels in and out: decoding untrusted pictures, and the one conversion between generator floats and uint8.

Generator output is float in [-1, 1] (NCHW in PyTorch, NHWC in tf.js). The same formula is
in lib/edit/pixels.ts: u8 = clamp(floor(x * 127.5 + 128), 0, 255).

Pictures from users and data sets are untrusted: `open_untrusted` checks the pixel count from
the header before anything is decoded, and every decoder below goes through it.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from pathlib import Path

import numpy as np

# The most pixels an untrusted image may decode to. Illustrations run to 20-40 MP; a file that asks
# for more (a 493 KB PNG can ask for 13000 x 13000 = 5 GB of RGB) is skipped and reported before its
# pixels are decoded. AVATARGAN_MAX_MEGAPIXELS changes it.
DEFAULT_MAX_MEGAPIXELS = 64.0


def max_megapixels() -> float:
    text = os.environ.get("AVATARGAN_MAX_MEGAPIXELS")
    if text is None:
        return DEFAULT_MAX_MEGAPIXELS
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e6:
        raise ValueError(f"AVATARGAN_MAX_MEGAPIXELS={text!r} must be a positive number of megapixels, e.g. 64")
    return value


def open_untrusted(data: bytes):
    """PIL image of encoded bytes, after checking from the header alone that it is within the pixel
    limit; ValueError (naming the size and the limit) otherwise. The caller loads and closes it."""
    from PIL import Image

    limit = max_megapixels()
    with warnings.catch_warnings():
        # Pillow's own bomb guard warns (or raises, past twice its limit) at open; this limit is the one that counts.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as err:
            raise ValueError(f"{err}; above the {limit:g} MP limit, skipped") from None
    width, height = img.size
    if width * height > limit * 1e6:
        img.close()
        raise ValueError(f"{width}x{height} px ({width * height / 1e6:.0f} MP) is above the {limit:g} MP limit; "
                         "skipped (raise AVATARGAN_MAX_MEGAPIXELS to accept it)")
    return img


def _decode(data: bytes, draft: int | None = None):
    """Encoded bytes -> an RGB PIL image; ValueError when the bytes are not an image. `draft`
    lets JPEG decode at a reduced scale (DCT downscaling), never below draft x draft."""
    try:
        with open_untrusted(data) as img:
            if draft is not None:
                img.draft("RGB", (draft, draft))
            img.load()
            return to_rgb(img)
    except Exception as err:  # PIL raises OSError, SyntaxError, ValueError, DecompressionBombError...
        raise ValueError(f"cannot decode image: {type(err).__name__}: {err}") from err


def decode_rgb(data: bytes) -> np.ndarray:
    """Encoded bytes -> uint8 [H, W, 3] at full size; ValueError when the bytes are not an image."""
    return np.asarray(_decode(data), dtype=np.uint8)


def decode_square(data: bytes, resolution: int) -> tuple[np.ndarray, set[str]]:
    """Encoded bytes -> its centred square as uint8 [R, R, 3], and the notes {"cropped", "upscaled"};
    ValueError when unreadable."""
    from PIL import Image

    notes: set[str] = set()
    img = _decode(data, draft=resolution)
    square = center_square(img)
    if square.size != img.size:
        notes.add("cropped")
    img = square
    if img.size[0] > resolution:
        img = img.resize((resolution, resolution), Image.Resampling.LANCZOS)
    elif img.size[0] < resolution:
        img = img.resize((resolution, resolution), Image.Resampling.BICUBIC)
        notes.add("upscaled")
    return np.asarray(img, dtype=np.uint8), notes


def center_square(img):
    """The largest centred square of a PIL image (img itself when it is square)."""
    w, h = img.size
    if w == h:
        return img
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    return img.crop((left, top, left + side, top + side))


def to_rgb(img):
    """RGB; transparent pixels become white (the usual background of Danbooru cut-outs), not black."""
    from PIL import Image

    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


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
