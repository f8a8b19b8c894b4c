"""Adaptive discriminator augmentation (Karras et al. 2020), a compact differentiable version.

Each transform is applied to each image independently with probability p; D sees augmented
reals and fakes alike, and G's gradient flows through the augmentation, so the augmentations
do not leak into the generated images as long as p stays below about 0.8. p rises when D is
overconfident on reals (E[sign(D(real))] above the target) and falls otherwise.

No hue rotation: hair and eye colour are the condition, and rotating hue would turn a
"blue hair" image into green hair under the same label. Colour transforms are limited to
brightness, contrast and a mild saturation change, which keep each colour's hue.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


class AugmentPipe:
    def __init__(self, p: float = 0.0, translate: float = 0.125, scale_std: float = 0.2,
                 brightness_std: float = 0.2, contrast_std: float = 0.5, saturation_std: float = 0.5,
                 cutout_size: float = 0.5):
        self.p = float(p)
        self.translate = translate              # max shift, as a fraction of the image size
        self.scale_std = scale_std              # log2 std of isotropic scaling
        self.brightness_std = brightness_std    # additive, in [-1, 1] pixel units
        self.contrast_std = contrast_std        # log2 std
        self.saturation_std = saturation_std    # log2 std; half of ADA's 1.0 to keep colours nameable
        self.cutout_size = cutout_size

    def _gate(self, n: int, device) -> torch.Tensor:
        return torch.rand(n, device=device) < self.p   # [N] bool: which images get this transform

    def geometric(self, x: torch.Tensor) -> torch.Tensor:
        """xflip, 90-degree rotations, integer translation and scaling, in one resampling."""
        n, _, h, w = x.shape
        dev = x.device
        eye = torch.eye(3, device=dev).expand(n, 3, 3)
        m = eye.clone()                                                          # [N, 3, 3] output -> input coords
        flip = torch.where(self._gate(n, dev), torch.randint(0, 2, (n,), device=dev) * 2 - 1, 1)
        m = m @ _diag(flip.float(), torch.ones(n, device=dev))
        k = torch.where(self._gate(n, dev), torch.randint(0, 4, (n,), device=dev), 0).float() * (math.pi / 2)
        m = m @ _rotation(k)
        shift = torch.round((torch.rand(n, 2, device=dev) * 2 - 1) * self.translate * w)   # integer pixels
        shift = torch.where(self._gate(n, dev)[:, None], shift, 0) * (2.0 / w)             # in [-1, 1] units
        m = m @ _translation(shift)
        scale = torch.exp2(torch.randn(n, device=dev) * self.scale_std)
        scale = torch.where(self._gate(n, dev), scale, 1.0)
        m = m @ _diag(1 / scale, 1 / scale)
        if bool((m == eye).all()):
            return x
        grid = F.affine_grid(m[:, :2, :], list(x.shape), align_corners=False)   # [N, H, W, 2]
        # Reflection keeps the border statistics of a face crop; at integer shifts and right
        # angles the bilinear taps land on pixel centres, so those transforms stay exact.
        return F.grid_sample(x, grid.to(x.dtype), mode="bilinear", padding_mode="reflection", align_corners=False)

    def colour(self, x: torch.Tensor) -> torch.Tensor:
        n, dev = x.shape[0], x.device
        b = torch.randn(n, 1, 1, 1, device=dev) * self.brightness_std
        x = x + torch.where(self._gate(n, dev)[:, None, None, None], b, 0).to(x.dtype)
        c = torch.exp2(torch.randn(n, 1, 1, 1, device=dev) * self.contrast_std)
        c = torch.where(self._gate(n, dev)[:, None, None, None], c, 1).to(x.dtype)
        mean = x.mean(dim=[1, 2, 3], keepdim=True)
        x = mean + (x - mean) * c
        s = torch.exp2(torch.randn(n, 1, 1, 1, device=dev) * self.saturation_std)
        s = torch.where(self._gate(n, dev)[:, None, None, None], s, 1).to(x.dtype)
        grey = x.mean(dim=1, keepdim=True)                     # [N, 1, H, W], the luma axis of ADA
        return grey + (x - grey) * s

    def cutout(self, x: torch.Tensor) -> torch.Tensor:
        n, _, h, w = x.shape
        dev = x.device
        centre = torch.rand(n, 2, 1, 1, device=dev)                               # [N, 2, 1, 1] in [0, 1)
        ys = (torch.arange(h, device=dev).view(1, h, 1) + 0.5) / h
        xs = (torch.arange(w, device=dev).view(1, 1, w) + 0.5) / w
        inside = ((xs - centre[:, 0]).abs() < self.cutout_size / 2) & ((ys - centre[:, 1]).abs() < self.cutout_size / 2)
        inside = inside & self._gate(n, dev).view(n, 1, 1)                        # [N, H, W]
        return x * (~inside).unsqueeze(1).to(x.dtype)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """x [N, 3, H, W] float -> same shape; differentiable in x."""
        if self.p <= 0:
            return x
        return self.cutout(self.colour(self.geometric(x)))


class AdaTuner:
    """Moves p by sign(E[sign(D(real))] - target), at a rate that can cross 0..1 in `kimg`."""

    def __init__(self, target: float, interval: int, kimg: float, batch: int):
        self.target = target
        self.interval = interval
        self.step_size = batch * interval / (kimg * 1000)
        self.sign_sum = 0.0
        self.count = 0.0

    def accumulate(self, sign_sum: float, count: float) -> None:
        self.sign_sum += sign_sum
        self.count += count

    def adjust(self, p: float) -> float:
        if self.count == 0:
            return p
        rt = self.sign_sum / self.count
        self.sign_sum = self.count = 0.0
        return float(min(max(p + math.copysign(self.step_size, rt - self.target), 0.0), 1.0))


def _diag(sx: torch.Tensor, sy: torch.Tensor) -> torch.Tensor:
    m = torch.zeros(len(sx), 3, 3, device=sx.device)
    m[:, 0, 0], m[:, 1, 1], m[:, 2, 2] = sx, sy, 1
    return m


def _rotation(angle: torch.Tensor) -> torch.Tensor:
    # Rounded so that right angles are exact 0/1 entries, not 6e-17: the taps stay on pixel centres.
    cos, sin = torch.round(torch.cos(angle) * 1e6) / 1e6, torch.round(torch.sin(angle) * 1e6) / 1e6
    m = _diag(cos, cos)
    m[:, 0, 1], m[:, 1, 0] = -sin, sin
    return m


def _translation(t: torch.Tensor) -> torch.Tensor:
    m = _diag(torch.ones(len(t), device=t.device), torch.ones(len(t), device=t.device))
    m[:, 0, 2], m[:, 1, 2] = t[:, 0], t[:, 1]
    return m
