"""The super-resolution net: a small x2 upscaler that works entirely at the input resolution.

In the spirit of waifu2x's upconv family, but our own layout: a 3x3 stem, a stack of 3x3
conv + LeakyReLU layers with a long skip, and a sub-pixel tail whose 4 * 3 output channels
become the 2x2 children of every input pixel. The tail predicts a *residual* over
nearest-neighbour upsampling, so an untrained net is already a (blocky) upscaler and all the
capacity goes into edges and detail.

Everything is plain conv / leaky ReLU / depth-to-space, so the browser (lib/gan/upscaler.ts)
rebuilds it from tf.js ops with identical numerics. The depth-to-space here uses tf.js's
channel order (NHWC "DCR": channel (i * r + j) * C + c goes to sub-pixel (i, j) of colour c),
so exported weights need no reordering. x4 is this x2 net applied twice.

The receptive field is `radius` input pixels on every side (one per 3x3 conv): tiles that
overlap by at least that much reproduce the untiled output exactly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ..configs import config_from_dict


@dataclass
class UpscalerConfig:
    scale: int = 2            # one pass; x4 = two passes (the browser chains them)
    # 40 channels x 7 body layers: 0.11 M parameters, 106 k multiply-adds per input pixel (half
    # of UpscalerJS's ESRGAN-slim). Sized for the budget it was trained on, an hour of one
    # shared CPU core (~100 k crops); it already beats bicubic by > 3 dB after 15 k crops.
    channels: int = 40
    body_layers: int = 7
    negative_slope: float = 0.1   # leaky ReLU, as waifu2x uses; keeps gradients alive in flat regions
    denoise: int = 0              # the degradation level it was trained on (0 = mild JPEG only)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "UpscalerConfig":
        return config_from_dict(cls, data, "upscaler config")

    @property
    def radius(self) -> int:
        """Input pixels each output pixel depends on, per side: stem + body + tail convs."""
        return self.body_layers + 2


def depth_to_space(x: torch.Tensor, r: int) -> torch.Tensor:
    """[N, r*r*C, H, W] -> [N, C, H*r, W*r] in tf.depthToSpace's (NHWC, DCR) channel order."""
    n, crr, h, w = x.shape
    c = crr // (r * r)
    x = x.view(n, r, r, c, h, w)            # channel index = (i * r + j) * C + c
    x = x.permute(0, 3, 4, 1, 5, 2)         # [N, C, H, i, W, j]
    return x.reshape(n, c, h * r, w * r)


class Upscaler(nn.Module):
    def __init__(self, cfg: UpscalerConfig):
        super().__init__()
        self.cfg = cfg
        ch, r = cfg.channels, cfg.scale
        self.stem = nn.Conv2d(3, ch, 3, padding=1)
        self.body = nn.ModuleList(nn.Conv2d(ch, ch, 3, padding=1) for _ in range(cfg.body_layers))
        self.tail = nn.Conv2d(ch, 3 * r * r, 3, padding=1)
        # A zero tail starts training from plain nearest-neighbour upsampling, not from noise.
        nn.init.zeros_(self.tail.weight)
        nn.init.zeros_(self.tail.bias)

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        """img [N, 3, H, W] in [-1, 1] -> [N, 3, H*scale, W*scale] (not clamped)."""
        r, slope = self.cfg.scale, self.cfg.negative_slope
        stem = F.leaky_relu(self.stem(img), slope)     # [N, C, H, W]
        x = stem
        for conv in self.body:
            x = F.leaky_relu(conv(x), slope)
        x = self.tail(x + stem)                        # [N, 3*r*r, H, W]
        base = img.repeat(1, r * r, 1, 1)              # nearest neighbour, in the same channel order
        return depth_to_space(x + base, r)

    def upscale(self, img: torch.Tensor, factor: int) -> torch.Tensor:
        """Apply the x`scale` pass until `factor` is reached (x4 = x2 twice); clamps to [-1, 1]."""
        passes = {self.cfg.scale: 1, self.cfg.scale ** 2: 2}.get(factor)
        if passes is None:
            raise ValueError(f"upscale factor {factor} is not supported; use {self.cfg.scale} or {self.cfg.scale ** 2}")
        for _ in range(passes):
            img = self(img).clamp(-1, 1)
        return img


def expected_shapes(cfg: UpscalerConfig) -> dict[str, tuple[int, ...]]:
    """Tensor name -> shape in the exported file (conv weights as tf.js HWIO)."""
    ch, out = cfg.channels, 3 * cfg.scale * cfg.scale
    shapes = {"stem.weight": (3, 3, 3, ch), "stem.bias": (ch,)}
    for i in range(cfg.body_layers):
        shapes[f"body.{i}.weight"] = (3, 3, ch, ch)
        shapes[f"body.{i}.bias"] = (ch,)
    shapes.update({"tail.weight": (3, 3, ch, out), "tail.bias": (out,)})
    return shapes


def export_state(model: Upscaler) -> dict[str, torch.Tensor]:
    """state_dict with conv weights turned from PyTorch OIHW into tf.js HWIO."""
    return {k: (v.permute(2, 3, 1, 0) if v.ndim == 4 else v).detach().contiguous()
            for k, v in model.state_dict().items()}


def import_state(tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The inverse of export_state."""
    return {k: (v.permute(3, 2, 0, 1) if v.ndim == 4 else v).contiguous() for k, v in tensors.items()}


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
