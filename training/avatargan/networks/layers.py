"""Building blocks shared by the networks, with StyleGAN2's equalised learning rate.

Parameters are stored unscaled and multiplied by a runtime gain (1/sqrt(fan_in) times a
learning-rate multiplier) so that Adam sees every layer at the same scale. The browser port
(lib/gan/generator.ts) applies the same gains once at load time, from the exported config.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

SQRT2 = math.sqrt(2.0)


def lrelu(x: torch.Tensor) -> torch.Tensor:
    """Leaky ReLU with the sqrt(2) gain that keeps activations at unit variance."""
    return F.leaky_relu(x, 0.2) * SQRT2


def normalize_2nd_moment(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    return x * (x.square().mean(dim=1, keepdim=True) + eps).rsqrt()


def upsample2x(x: torch.Tensor) -> torch.Tensor:
    """Bilinear x2 with half-pixel centres: the [1,3,3,1] filter, edges clamped.

    Equal to tf.image.resizeBilinear(x, 2x, alignCorners=false, halfPixelCenters=true).
    """
    return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


def downsample2x(x: torch.Tensor) -> torch.Tensor:
    return F.avg_pool2d(x, 2)


class FullyConnected(nn.Module):
    def __init__(self, in_features: int, out_features: int, activation: str = "linear",
                 lr_multiplier: float = 1.0, bias_init: float = 0.0):
        super().__init__()
        self.activation = activation
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / lr_multiplier)  # [out, in]
        self.bias = nn.Parameter(torch.full([out_features], float(bias_init)))
        self.weight_gain = lr_multiplier / math.sqrt(in_features)
        self.bias_gain = lr_multiplier

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.linear(x, self.weight * self.weight_gain, self.bias * self.bias_gain)
        return lrelu(x) if self.activation == "lrelu" else x


class Conv2d(nn.Module):
    """Plain equalised-lr convolution (discriminator and upscaler)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, bias: bool = True,
                 activation: str = "linear", gain: float = 1.0):
        super().__init__()
        self.activation = activation
        self.padding = kernel_size // 2
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None
        self.weight_gain = gain / math.sqrt(in_channels * kernel_size * kernel_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.conv2d(x, self.weight * self.weight_gain, self.bias, padding=self.padding)
        return lrelu(x) if self.activation == "lrelu" else x
