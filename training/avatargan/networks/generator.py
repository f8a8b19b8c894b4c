"""Conditional StyleGAN2 generator: mapping(z, c) -> ws, synthesis(ws) -> img.

The condition c is a multi-hot tag vector (see vocab.py). Parameter names are part of the
contract with lib/gan/generator.ts: the exported weightsManifest uses state_dict keys as-is.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ..configs import config_from_dict
from .layers import FullyConnected, lrelu, normalize_2nd_moment, upsample2x


MAX_RESOLUTION = 1024   # the largest generator this code builds; bounds what a config in a file can ask for
MAX_SIZE = 65536        # any latent, channel or layer count


@dataclass
class GeneratorConfig:
    resolution: int = 64          # output size; a power of two from 8 up (4x4 constant start)
    c_dim: int = 22               # length of the tag vector; set from the vocabulary
    z_dim: int = 128              # latent size; 128 is plenty for 64 px faces
    w_dim: int = 256              # intermediate latent size
    embed_dim: int = 128          # size of the tag embedding joined to z
    mapping_layers: int = 4       # StyleGAN2 uses 8; 4 trains faster and suffices for 64 px
    mapping_lr_multiplier: float = 0.01  # slows the mapping net down, as in StyleGAN2
    channel_base: int = 8192      # channels at resolution r: min(channel_base // r, channel_max)
    channel_max: int = 256
    img_channels: int = 3
    w_avg_beta: float = 0.995     # decay of the tracked mean w used for truncation

    def __post_init__(self):
        log2 = math.log2(self.resolution) if isinstance(self.resolution, int) and self.resolution > 0 else 0.5
        if self.resolution < 8 or log2 != int(log2) or self.resolution > MAX_RESOLUTION:
            raise ValueError(f"resolution {self.resolution} must be a power of two from 8 to {MAX_RESOLUTION}")
        for name in ("z_dim", "w_dim", "embed_dim", "mapping_layers", "channel_base", "channel_max", "img_channels"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= MAX_SIZE:
                raise ValueError(f"{name}={value!r} must be an integer from 1 to {MAX_SIZE}")
        if self.c_dim < 1:
            raise ValueError("c_dim must be >= 1: the generator is conditional")

    def channels(self, res: int) -> int:
        return min(self.channel_base // res, self.channel_max)

    @property
    def block_resolutions(self) -> list[int]:
        return [2 ** i for i in range(2, int(math.log2(self.resolution)) + 1)]

    @property
    def num_ws(self) -> int:
        # One w per convolution (1 at 4x4, 2 per later block) plus one for the last toRGB.
        return 2 * len(self.block_resolutions)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "GeneratorConfig":
        return config_from_dict(cls, data, "generator config")


class MappingNetwork(nn.Module):
    def __init__(self, cfg: GeneratorConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = FullyConnected(cfg.c_dim, cfg.embed_dim)
        features = [cfg.z_dim + cfg.embed_dim] + [cfg.w_dim] * cfg.mapping_layers
        for i in range(cfg.mapping_layers):
            layer = FullyConnected(features[i], features[i + 1], "lrelu", cfg.mapping_lr_multiplier)
            setattr(self, f"fc{i}", layer)
        self.register_buffer("w_avg", torch.zeros(cfg.w_dim))

    def forward(self, z: torch.Tensor, c: torch.Tensor, update_w_avg: bool = False) -> torch.Tensor:
        x = normalize_2nd_moment(z)                       # [N, z_dim]
        y = normalize_2nd_moment(self.embed(c))           # [N, embed_dim]
        x = torch.cat([x, y], dim=1)
        for i in range(self.cfg.mapping_layers):
            x = getattr(self, f"fc{i}")(x)                # [N, w_dim]
        if update_w_avg:
            self.w_avg.copy_(x.detach().mean(0).lerp(self.w_avg, self.cfg.w_avg_beta))
        return x


class ModulatedConv(nn.Module):
    """3x3 modulated, demodulated convolution with noise, bias and lrelu.

    Written in the "scale the input, shared conv, scale the output" form (StyleGAN2's
    non-fused path): it batches over styles with one ordinary convolution, which is what
    the browser can run fast, and it is the same arithmetic in both halves.
    """

    def __init__(self, w_dim: int, in_channels: int, out_channels: int, resolution: int, up: bool):
        super().__init__()
        self.up = up
        self.affine = FullyConnected(w_dim, in_channels, bias_init=1.0)
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, 3, 3))  # [out, in, 3, 3]
        self.bias = nn.Parameter(torch.zeros(out_channels))
        self.noise_strength = nn.Parameter(torch.zeros([]))
        self.register_buffer("noise_const", torch.randn(resolution, resolution))

    def forward(self, x: torch.Tensor, w: torch.Tensor, noise_mode: str = "random") -> torch.Tensor:
        styles = self.affine(w)                                               # [N, in]
        weight_sq = self.weight.square().sum(dim=[2, 3]).t()                  # [in, out]
        dcoefs = (styles.square() @ weight_sq + 1e-8).rsqrt()                 # [N, out]
        x = x * styles[:, :, None, None]                                      # [N, in, H, W]
        if self.up:
            x = upsample2x(x)
        x = F.conv2d(x, self.weight, padding=1) * dcoefs[:, :, None, None]    # [N, out, H, W]
        if noise_mode == "random":
            noise = torch.randn(x.shape[0], 1, x.shape[2], x.shape[3], device=x.device, dtype=x.dtype)
            x = x + noise * self.noise_strength
        elif noise_mode == "const":
            x = x + self.noise_const * self.noise_strength
        elif noise_mode != "none":
            raise ValueError(f"noise_mode {noise_mode!r} is not one of random, const, none")
        return lrelu(x + self.bias[None, :, None, None])


class ToRGB(nn.Module):
    """1x1 modulated convolution without demodulation: features -> RGB."""

    def __init__(self, w_dim: int, in_channels: int, img_channels: int):
        super().__init__()
        self.affine = FullyConnected(w_dim, in_channels, bias_init=1.0)
        self.weight = nn.Parameter(torch.randn(img_channels, in_channels, 1, 1))
        self.bias = nn.Parameter(torch.zeros(img_channels))
        self.weight_gain = 1 / math.sqrt(in_channels)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        styles = self.affine(w) * self.weight_gain                            # [N, in]
        x = F.conv2d(x * styles[:, :, None, None], self.weight)               # [N, 3, H, W]
        return x + self.bias[None, :, None, None]


class SynthesisBlock(nn.Module):
    def __init__(self, cfg: GeneratorConfig, resolution: int):
        super().__init__()
        out_channels = cfg.channels(resolution)
        self.first = resolution == 4
        if self.first:
            self.const = nn.Parameter(torch.randn(out_channels, 4, 4))
        else:
            in_channels = cfg.channels(resolution // 2)
            self.conv0 = ModulatedConv(cfg.w_dim, in_channels, out_channels, resolution, up=True)
        self.conv1 = ModulatedConv(cfg.w_dim, out_channels, out_channels, resolution, up=False)
        self.torgb = ToRGB(cfg.w_dim, out_channels, cfg.img_channels)
        self.num_conv = 1 if self.first else 2

    def forward(self, x, img, ws: torch.Tensor, noise_mode: str):
        # ws: [N, num_conv + 1, w_dim]; the last one drives toRGB.
        if self.first:
            x = self.const.unsqueeze(0).expand(ws.shape[0], -1, -1, -1)
            x = self.conv1(x, ws[:, 0], noise_mode)
        else:
            x = self.conv0(x, ws[:, 0], noise_mode)
            x = self.conv1(x, ws[:, 1], noise_mode)
        y = self.torgb(x, ws[:, self.num_conv])
        img = y if img is None else upsample2x(img) + y
        return x, img


class SynthesisNetwork(nn.Module):
    def __init__(self, cfg: GeneratorConfig):
        super().__init__()
        self.cfg = cfg
        for res in cfg.block_resolutions:
            setattr(self, f"b{res}", SynthesisBlock(cfg, res))

    def forward(self, ws: torch.Tensor, noise_mode: str = "random", return_features: bool = False):
        """ws: [N, num_ws, w_dim] -> img [N, 3, R, R] in about [-1, 1]."""
        x = img = None
        w_idx = 0
        features = []
        for res in self.cfg.block_resolutions:
            block = getattr(self, f"b{res}")
            x, img = block(x, img, ws[:, w_idx: w_idx + block.num_conv + 1], noise_mode)
            w_idx += block.num_conv
            features.append(x)
        return (img, features) if return_features else img


class Generator(nn.Module):
    def __init__(self, cfg: GeneratorConfig):
        super().__init__()
        self.cfg = cfg
        self.mapping = MappingNetwork(cfg)
        self.synthesis = SynthesisNetwork(cfg)

    def map(self, z: torch.Tensor, c: torch.Tensor, psi: float = 1.0, w_center: torch.Tensor | None = None,
            update_w_avg: bool = False) -> torch.Tensor:
        """z [N, z_dim], c [N, c_dim] -> ws [N, num_ws, w_dim], truncated toward w_center (default w_avg)."""
        w = self.mapping(z, c, update_w_avg=update_w_avg)
        if psi != 1:
            center = self.mapping.w_avg if w_center is None else w_center
            w = center + psi * (w - center)
        return w.unsqueeze(1).repeat(1, self.cfg.num_ws, 1)

    def forward(self, z: torch.Tensor, c: torch.Tensor, psi: float = 1.0, noise_mode: str = "random",
                update_w_avg: bool = False) -> torch.Tensor:
        return self.synthesis(self.map(z, c, psi, update_w_avg=update_w_avg), noise_mode)

    @torch.no_grad()
    def condition_mean_w(self, c: torch.Tensor, samples: int = 256, seed: int = 0) -> torch.Tensor:
        """Mean w under condition c [c_dim], over `samples` z drawn from seeds seed.. (truncation centre)."""
        from ..seeds import seeds_to_z

        z = torch.from_numpy(seeds_to_z(list(range(seed, seed + samples)), self.cfg.z_dim)).to(c.device)
        return self.mapping(z, c.expand(samples, -1)).mean(0)


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def generator_flops(cfg: GeneratorConfig) -> int:
    """Multiply-adds of one synthesis pass (convolutions only): for benchmark reports."""
    total = 0
    for res in cfg.block_resolutions:
        out_ch = cfg.channels(res)
        in_ch = out_ch if res == 4 else cfg.channels(res // 2)
        convs = [(out_ch, out_ch)] if res == 4 else [(in_ch, out_ch), (out_ch, out_ch)]
        total += sum(i * o * 9 * res * res for i, o in convs) + out_ch * cfg.img_channels * res * res
    return int(total)
