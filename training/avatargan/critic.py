"""A classifier two-sample test: how easily does a small CNN tell generated faces from real ones?

A critic is trained on one set of real and other images and scored on disjoint ones; its test
accuracy is 0.5 when the two are indistinguishable and 1.0 when every image gives itself away.
The number means little alone, so the same critic is also run on calibration rungs, real faces
against the same kind of real faces degraded in a known way (JPEG at quality 30; blurred by a 2x
downscale and back), and a generator is placed on that ladder: below the blur rung means its
faces are less recognisably fake than real faces at half resolution.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from .images import from_uint8


@dataclass(frozen=True)
class CriticSettings:
    epochs: int = 8
    batch: int = 64
    lr: float = 1e-3
    seed: int = 0


class Critic(nn.Module):
    """Four stride-2 convolutions and a linear read-out: ~0.3 M parameters, seconds per epoch on a CPU."""

    def __init__(self, channels: tuple[int, ...] = (32, 64, 128, 128)):
        super().__init__()
        layers, previous = [], 3
        for c in channels:
            layers += [nn.Conv2d(previous, c, 3, stride=2, padding=1), nn.LeakyReLU(0.2)]
            previous = c
        self.features = nn.Sequential(*layers)
        self.out = nn.Linear(previous, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.features(x).mean(dim=[2, 3]))[:, 0]          # [N] logits: > 0 means "other"


def _tensor(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(from_uint8(np.ascontiguousarray(images)))      # [N, 3, H, W] in [-1, 1]


def critic_accuracy(real_train: np.ndarray, other_train: np.ndarray, real_test: np.ndarray, other_test: np.ndarray,
                    settings: CriticSettings = CriticSettings()) -> float:
    """Train on (real_train vs other_train), return the balanced accuracy on (real_test vs other_test)."""
    generator = torch.Generator().manual_seed(settings.seed)
    torch.manual_seed(settings.seed)
    critic = Critic()
    opt = torch.optim.Adam(critic.parameters(), lr=settings.lr)
    x = torch.cat([_tensor(real_train), _tensor(other_train)])
    y = torch.cat([torch.zeros(len(real_train)), torch.ones(len(other_train))])
    for _ in range(settings.epochs):
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), settings.batch):
            pick = order[start:start + settings.batch]
            batch = x[pick]
            flip = torch.rand(len(pick), generator=generator) < 0.5           # mirror images are as real as the originals
            batch = torch.where(flip[:, None, None, None], batch.flip(3), batch)
            loss = F.binary_cross_entropy_with_logits(critic(batch), y[pick])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    critic.eval()
    with torch.no_grad():
        right_real = _count(critic, real_test, False)
        right_other = _count(critic, other_test, True)
    return 0.5 * (right_real / len(real_test) + right_other / len(other_test))


def _count(critic: Critic, images: np.ndarray, other: bool) -> int:
    right = 0
    for start in range(0, len(images), 256):
        logits = critic(_tensor(images[start:start + 256]))
        right += int(((logits > 0) == other).sum())
    return right


def jpeg(images: np.ndarray, quality: int = 30) -> np.ndarray:
    """The calibration rung 'real faces saved as JPEG at `quality`' (4:2:0, as most encoders)."""
    out = np.empty_like(images)
    for i, img in enumerate(images):
        buffer = io.BytesIO()
        Image.fromarray(img).save(buffer, format="JPEG", quality=quality)
        out[i] = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
    return out


def blur2x(images: np.ndarray) -> np.ndarray:
    """The calibration rung 'real faces at half resolution': bicubic down 2x, then back up."""
    out = np.empty_like(images)
    h, w = images.shape[1:3]
    for i, img in enumerate(images):
        small = Image.fromarray(img).resize((w // 2, h // 2), Image.Resampling.BICUBIC)
        out[i] = np.asarray(small.resize((w, h), Image.Resampling.BICUBIC))
    return out


RUNGS = {"real vs JPEG q30": jpeg, "real vs blurred 2x": blur2x}


def critic_ladder(real_train: np.ndarray, real_test: np.ndarray, fake_train: np.ndarray, fake_test: np.ndarray,
                  settings: CriticSettings = CriticSettings()) -> dict:
    """Critic accuracy for the generator and for each calibration rung, on the same real images.

    A rung's 'other' side is a disjoint half of the real images, degraded, so the critic cannot
    match an image to its own degraded copy."""
    result = {"generated": critic_accuracy(real_train, fake_train, real_test, fake_test, settings)}
    half_train, half_test = len(real_train) // 2, len(real_test) // 2
    for name, degrade in RUNGS.items():
        result[name] = critic_accuracy(real_train[:half_train], degrade(real_train[half_train:]),
                                       real_test[:half_test], degrade(real_test[half_test:]), settings)
    result["sizes"] = {"train": [len(real_train), len(fake_train)], "test": [len(real_test), len(fake_test)]}
    result["epochs"] = settings.epochs
    return result
