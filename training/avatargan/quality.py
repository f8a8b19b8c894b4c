"""Image quality figures for super-resolution: PSNR and SSIM on the luma channel.

The SR literature's convention, so numbers compare with published ones: BT.601 luma
(Y in [16, 235], as MATLAB's rgb2ycbcr), PSNR over the whole image, SSIM with an 11x11
Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, L = 255, averaged over the valid region.
scripts/bench-sr.mjs computes the same figures in JavaScript with the same constants.
"""

from __future__ import annotations

import numpy as np

SSIM_WINDOW, SSIM_SIGMA = 11, 1.5


def luma(images: np.ndarray) -> np.ndarray:
    """uint8 RGB [..., 3] -> float64 Y in [16, 235]."""
    rgb = np.asarray(images, np.float64)
    return 16.0 + (65.481 * rgb[..., 0] + 128.553 * rgb[..., 1] + 24.966 * rgb[..., 2]) / 255.0


def psnr_y(a: np.ndarray, b: np.ndarray) -> float:
    """Mean over images of the PSNR (dB) between the lumas of uint8 [N, H, W, 3] batches."""
    ya, yb = luma(a), luma(b)
    mse = ((ya - yb) ** 2).reshape(len(ya), -1).mean(1)
    return float(np.mean(10 * np.log10(255.0 ** 2 / np.maximum(mse, 1e-10))))


def gaussian_window(size: int = SSIM_WINDOW, sigma: float = SSIM_SIGMA) -> np.ndarray:
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2
    g = np.exp(-(x ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def _filter_valid(img: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Separable 'valid' filtering of [N, H, W] with the 1-D kernel g."""
    k = len(g)
    rows = sum(g[i] * img[:, i:img.shape[1] - k + 1 + i, :] for i in range(k))
    return sum(g[i] * rows[:, :, i:rows.shape[2] - k + 1 + i] for i in range(k))


def ssim_y(a: np.ndarray, b: np.ndarray) -> float:
    """Mean over images of the SSIM between the lumas of uint8 [N, H, W, 3] batches."""
    x, y = luma(a), luma(b)
    g = gaussian_window()
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = _filter_valid(x, g), _filter_valid(y, g)
    sxx = _filter_valid(x * x, g) - mx * mx
    syy = _filter_valid(y * y, g) - my * my
    sxy = _filter_valid(x * y, g) - mx * my
    ssim = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(ssim.reshape(len(x), -1).mean(1).mean())
