"""The tagger: a small CNN that reads the tags of a face, over the generator's vocabulary.

Exclusive groups (hair colour, eye colour) get a softmax each, independent tags a sigmoid.
Its pooled penultimate features are what evaluate.py measures distances on (a Fréchet
distance on these features is *not* Inception FID). BatchNorm is folded into the
convolutions at export, so the browser (lib/gan/tagger.ts) runs plain conv + ReLU.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from ..configs import config_from_dict
from .tag_loss import tag_loss


@dataclass
class TaggerConfig:
    resolution: int = 64                 # input size; other sizes are resized to it first
    c_dim: int = 22                      # vocabulary size
    # One stage (two 3x3 convs) per entry; the first conv has stride 2 and every later stage
    # starts with a 2x max-pool, so a 64 px face ends at 4x4. The stride-2 stem keeps it at
    # ~53 M multiply-adds per 64 px face: 6 epochs of 31k faces train in 20 minutes on 2 CPU cores.
    channels: list[int] = field(default_factory=lambda: [32, 64, 128, 256])
    group_sizes: list[int] = field(default_factory=list)  # exclusive group sizes in vocabulary order, then independents
    exclusive: list[bool] = field(default_factory=list)
    dropout: float = 0.2

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "TaggerConfig":
        return config_from_dict(cls, data, "tagger config")

    @classmethod
    def for_vocab(cls, vocab, **overrides) -> "TaggerConfig":
        return cls(c_dim=vocab.dim, group_sizes=[len(g.tags) for g in vocab.groups],
                   exclusive=[g.exclusive for g in vocab.groups], **overrides)


class ConvBNReLU(nn.Sequential):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__(nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False),
                         nn.BatchNorm2d(out_channels), nn.ReLU())


class Tagger(nn.Module):
    def __init__(self, cfg: TaggerConfig):
        super().__init__()
        self.cfg = cfg
        stages, in_ch = [], 3
        for out_ch in cfg.channels:
            stride = 2 if not stages else 1
            stages.append(nn.Sequential(ConvBNReLU(in_ch, out_ch, stride), ConvBNReLU(out_ch, out_ch)))
            in_ch = out_ch
        self.stages = nn.ModuleList(stages)
        self.head = nn.Linear(in_ch, cfg.c_dim)

    @property
    def feature_dim(self) -> int:
        return self.cfg.channels[-1]

    def features(self, img: torch.Tensor) -> torch.Tensor:
        """img [N, 3, H, W] in [-1, 1] -> pooled features [N, feature_dim]."""
        x = resize_input(img, self.cfg.resolution)
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i < len(self.stages) - 1:
                x = F.max_pool2d(x, 2)
        return x.mean(dim=[2, 3])

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        """Logits [N, c_dim]."""
        x = self.features(img)
        return self.head(F.dropout(x, self.cfg.dropout, self.training))

    def probabilities(self, logits: torch.Tensor) -> torch.Tensor:
        return group_probabilities(logits, self.cfg)

    def loss(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Cross-entropy per exclusive group (rows without a tag in the group are ignored) + BCE."""
        return tag_loss(logits, labels, self.cfg.group_sizes, self.cfg.exclusive)


def folded_state(tagger: Tagger) -> dict[str, torch.Tensor]:
    """Export tensors with BatchNorm folded into each conv: stage{i}.conv{j}.weight/bias, head.weight/bias."""
    out = {}
    for i, stage in enumerate(tagger.stages):
        for j, block in enumerate(stage):
            conv, bn = block[0], block[1]
            scale = bn.weight / (bn.running_var + bn.eps).sqrt()
            out[f"stages.{i}.{j}.weight"] = conv.weight * scale[:, None, None, None]
            out[f"stages.{i}.{j}.bias"] = bn.bias - bn.running_mean * scale
    out["head.weight"] = tagger.head.weight
    out["head.bias"] = tagger.head.bias
    return {k: v.detach().float().cpu() for k, v in out.items()}


class FoldedTagger(nn.Module):
    """The exported tagger (conv + bias + ReLU), as loaded from model.json: same outputs as Tagger.eval()."""

    def __init__(self, cfg: TaggerConfig, tensors: dict[str, torch.Tensor]):
        super().__init__()
        self.cfg = cfg
        for key, value in tensors.items():
            self.register_buffer(key.replace(".", "_"), torch.as_tensor(value).float())

    @property
    def feature_dim(self) -> int:
        return self.cfg.channels[-1]

    def _get(self, key: str) -> torch.Tensor:
        return getattr(self, key.replace(".", "_"))

    def stage_features(self, img: torch.Tensor) -> list[torch.Tensor]:
        """The activation map at the end of each stage ([N, C_i, H_i, W_i]): what a perceptual
        distance compares (as LPIPS does with a classifier's layers)."""
        x = resize_input(img, self.cfg.resolution)
        stages = []
        for i in range(len(self.cfg.channels)):
            for j in range(2):
                stride = 2 if i == 0 and j == 0 else 1
                x = F.relu(F.conv2d(x, self._get(f"stages.{i}.{j}.weight"), self._get(f"stages.{i}.{j}.bias"),
                                    stride=stride, padding=1))
            stages.append(x)
            if i < len(self.cfg.channels) - 1:
                x = F.max_pool2d(x, 2)
        return stages

    def features(self, img: torch.Tensor) -> torch.Tensor:
        return self.stage_features(img)[-1].mean(dim=[2, 3])

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        return F.linear(self.features(img), self._get("head.weight"), self._get("head.bias"))

    def probabilities(self, logits: torch.Tensor) -> torch.Tensor:
        return group_probabilities(logits, self.cfg)


def resize_input(img: torch.Tensor, resolution: int) -> torch.Tensor:
    if img.shape[-1] == resolution:
        return img
    return F.interpolate(img, size=(resolution, resolution), mode="bilinear", align_corners=False, antialias=True)


def group_probabilities(logits: torch.Tensor, cfg: TaggerConfig) -> torch.Tensor:
    """Softmax inside each exclusive group, sigmoid for independent tags."""
    parts, start = [], 0
    for size, exclusive in zip(cfg.group_sizes, cfg.exclusive):
        span = logits[:, start:start + size]
        parts.append(span.softmax(dim=1) if exclusive else span.sigmoid())
        start += size
    return torch.cat(parts, dim=1)


def expected_folded_shapes(cfg: TaggerConfig) -> dict[str, tuple]:
    shapes, in_ch = {}, 3
    for i, out_ch in enumerate(cfg.channels):
        shapes[f"stages.{i}.0.weight"] = (out_ch, in_ch, 3, 3)
        shapes[f"stages.{i}.0.bias"] = (out_ch,)
        shapes[f"stages.{i}.1.weight"] = (out_ch, out_ch, 3, 3)
        shapes[f"stages.{i}.1.bias"] = (out_ch,)
        in_ch = out_ch
    shapes["head.weight"] = (cfg.c_dim, in_ch)
    shapes["head.bias"] = (cfg.c_dim,)
    return shapes
