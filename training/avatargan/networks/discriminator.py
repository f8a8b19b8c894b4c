"""Residual discriminator with minibatch standard deviation and projection conditioning.

score(x, c) = fc(features(x)) + <features(x), embed(c)> / sqrt(cmap_dim): the projection
discriminator (Miyato & Koyama, 2018), as StyleGAN2-ADA conditions its discriminator.

Optionally an auxiliary classifier head (AC-GAN, as MakeGirlsMoe trains) reads the tags from
the same features. It learns from real images only and the generator is asked to make fakes
it classifies as their condition: a denser signal than the projection's single score, which
helps most for small features such as eye colour at 64 px.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import torch
from torch import nn

from ..configs import config_from_dict
from .layers import Conv2d, FullyConnected, downsample2x, normalize_2nd_moment
from .tag_loss import tag_loss

SQRT_HALF = math.sqrt(0.5)


@dataclass
class DiscriminatorConfig:
    resolution: int = 64
    c_dim: int = 22
    img_channels: int = 3
    channel_base: int = 8192      # channels at resolution r: min(channel_base // r, channel_max)
    channel_max: int = 256
    cmap_dim: int = 128           # size of the condition embedding projected onto the features
    mbstd_group_size: int = 4     # samples per group for the minibatch standard deviation
    mbstd_channels: int = 1
    # Auxiliary classifier head over the vocabulary's groups (empty = no head). Filled from the
    # pack's vocabulary when a run starts with cls_weight > 0, like c_dim.
    class_group_sizes: list[int] = field(default_factory=list)
    class_exclusive: list[bool] = field(default_factory=list)

    def channels(self, res: int) -> int:
        return min(self.channel_base // res, self.channel_max)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "DiscriminatorConfig":
        return config_from_dict(cls, data, "discriminator config")


class DiscriminatorBlock(nn.Module):
    """Two 3x3 convolutions and a 2x downsample, plus a 1x1 skip, averaged at sqrt(1/2)."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.conv0 = Conv2d(in_channels, in_channels, 3, activation="lrelu")
        self.conv1 = Conv2d(in_channels, out_channels, 3, activation="lrelu")
        self.skip = Conv2d(in_channels, out_channels, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.skip(downsample2x(x))
        x = self.conv1(downsample2x(self.conv0(x)))
        return (x + y) * SQRT_HALF


class MinibatchStd(nn.Module):
    def __init__(self, group_size: int, num_channels: int):
        super().__init__()
        self.group_size = group_size
        self.num_channels = num_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        g = min(self.group_size, n)
        if n % g:
            g = 1  # a batch the group does not divide (e.g. a last partial batch) uses no grouping
        f = self.num_channels
        y = x.reshape(g, -1, f, c // f, h, w)          # [G, M, F, c/F, H, W]
        y = (y - y.mean(dim=0)).square().mean(dim=0)   # variance over the group
        y = (y + 1e-8).sqrt().mean(dim=[2, 3, 4])      # [M, F]
        y = y.reshape(-1, f, 1, 1).repeat(g, 1, h, w)  # [N, F, H, W]
        return torch.cat([x, y], dim=1)


class Discriminator(nn.Module):
    def __init__(self, cfg: DiscriminatorConfig):
        super().__init__()
        self.cfg = cfg
        resolutions = [2 ** i for i in range(int(math.log2(cfg.resolution)), 2, -1)]  # R .. 8
        self.fromrgb = Conv2d(cfg.img_channels, cfg.channels(cfg.resolution), 1, activation="lrelu")
        self.blocks = nn.ModuleList(DiscriminatorBlock(cfg.channels(r), cfg.channels(r // 2)) for r in resolutions)
        c4 = cfg.channels(4)
        self.mbstd = MinibatchStd(cfg.mbstd_group_size, cfg.mbstd_channels)
        self.conv = Conv2d(c4 + cfg.mbstd_channels, c4, 3, activation="lrelu")
        self.fc = FullyConnected(c4 * 16, c4, activation="lrelu")
        self.out = FullyConnected(c4, cfg.cmap_dim)
        self.embed = FullyConnected(cfg.c_dim, cfg.cmap_dim)
        self.classify = FullyConnected(c4, cfg.c_dim) if cfg.class_group_sizes else None

    @property
    def has_classifier(self) -> bool:
        return self.classify is not None

    def forward(self, img: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """img [N, 3, R, R], c [N, c_dim] -> logits [N, 1]."""
        return self.score_and_classify(img, c, classify=False)[0]

    def score_and_classify(self, img: torch.Tensor, c: torch.Tensor, classify: bool = True):
        """(logits [N, 1], tag logits [N, c_dim] or None) from one pass over the shared features."""
        x = self.fromrgb(img)
        for block in self.blocks:
            x = block(x)                                   # ends at [N, C4, 4, 4]
        x = self.conv(self.mbstd(x))
        features = self.fc(x.flatten(1))                   # [N, C4]
        cmap = normalize_2nd_moment(self.embed(c))         # [N, cmap_dim]
        score = (self.out(features) * cmap).sum(dim=1, keepdim=True) / math.sqrt(self.cfg.cmap_dim)
        tags = self.classify(features) if classify and self.classify is not None else None
        return score, tags

    def class_loss(self, tag_logits: torch.Tensor, c: torch.Tensor, until: float = 1.0) -> torch.Tensor:
        """How far the head's reading of the tags is from c (tag_loss: softmax per exclusive group;
        `until` < 1 ignores samples already read right with that probability)."""
        return tag_loss(tag_logits.float(), c, self.cfg.class_group_sizes, self.cfg.class_exclusive, until)
