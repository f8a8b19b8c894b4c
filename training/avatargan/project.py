"""Projection: find the w (or per-layer W+) for which the generator reproduces a given face.

    result = project(pipe, target_uint8_hwc, tags=["pink hair", "green eyes"], settings=ProjectionSettings())

The generator is conditional, so the condition is fixed first (the caller's tags, or what the
tagger reads) and the search starts from that condition's mean w: starting from the global
mean, a projection wanders between conditions and settles on the wrong hair colour. Noise is
the fixed per-layer noise the workbench renders with (noise_mode "const"), so the projected w
alone reproduces the picture everywhere.

Loss: mean squared pixel error (saturated target pixels met by any value beyond the range, as
the uint8 conversion clips), plus a perceptual term from our tagger's stage activations
(channel-normalised squared differences, as LPIPS does with a classifier's layers), weighted by
`perceptual_weight`. Adam on w with a cosine learning-rate decay and a short warm-up, as
StyleGAN2's projector.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch

from .images import from_uint8, to_uint8
from .pipeline import AvatarPipeline

MAX_STEPS = 5000


@dataclass(frozen=True)
class ProjectionSettings:
    steps: int = 500
    lr: float = 0.1                # measured on held-out faces: 0.1 beats 0.05 by ~0.9 dB at 500 steps
    wplus: bool = False            # one w per synthesis layer (closer fits, less editable)
    perceptual_weight: float = 0.0  # tagger-feature term; 0 = pixels only (measured: +0.5 weight cost 0.5-0.7 dB PSNR and 45 % more time)
    warmup: float = 0.05           # fraction of steps with a rising learning rate

    def validate(self) -> "ProjectionSettings":
        if not 1 <= self.steps <= MAX_STEPS:
            raise ValueError(f"project: steps={self.steps} must be in 1..{MAX_STEPS}")
        if not 0 < self.lr <= 1:
            raise ValueError(f"project: lr={self.lr} must be in (0, 1]")
        if not 0 <= self.perceptual_weight <= 100:
            raise ValueError(f"project: perceptual_weight={self.perceptual_weight} must be in [0, 100]")
        return self


@dataclass
class Projection:
    ws: np.ndarray          # [1, w_dim] (w) or [num_ws, w_dim] (W+), float32
    image: np.ndarray       # uint8 [R, R, 3]: what the projected w renders
    psnr: float             # dB against the target
    losses: list[float]
    tags: list[str]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * math.log10(255.0 ** 2 / max(mse, 1e-10))


def clipped_mse(img: torch.Tensor, goal: torch.Tensor, target_uint8: torch.Tensor) -> torch.Tensor:
    """Mean squared error as the uint8 conversion sees it: a target pixel at 255 (or 0) is met by
    any value at or beyond 1 (or -1), since conversion clips; elsewhere plain squared error."""
    diff = img - goal
    diff = torch.where(target_uint8 == 255, diff.clamp(max=0), diff)
    diff = torch.where(target_uint8 == 0, diff.clamp(min=0), diff)
    return diff.square().mean()


def perceptual_distance(tagger, a: torch.Tensor, b_stages: Sequence[torch.Tensor]) -> torch.Tensor:
    total = a.new_zeros(())
    for x, y in zip(tagger.stage_features(a), b_stages):
        x = x / (x.square().sum(dim=1, keepdim=True).sqrt() + 1e-6)
        y = y / (y.square().sum(dim=1, keepdim=True).sqrt() + 1e-6)
        total = total + (x - y).square().sum(dim=1).mean()
    return total


def project(pipe: AvatarPipeline, target: np.ndarray, tags: Sequence[str], settings: ProjectionSettings = ProjectionSettings(),
            tagger=None, progress: Callable[[int, float], None] | None = None) -> Projection:
    """target: uint8 [R, R, 3] at the generator's resolution. tagger: a loaded tagger for the
    perceptual term (None: pixels only)."""
    settings.validate()
    generator = pipe.generator
    res = generator.cfg.resolution
    if target.shape != (res, res, 3) or target.dtype != np.uint8:
        raise ValueError(f"project: the target must be uint8 [{res}, {res}, 3], got {target.dtype} {list(target.shape)}")
    device = pipe.device
    goal = torch.from_numpy(from_uint8(target[None])).to(device)                    # [1, 3, R, R]
    target_t = torch.from_numpy(np.ascontiguousarray(target.transpose(2, 0, 1)[None])).to(device)  # uint8 [1, 3, R, R]
    c = pipe.condition(list(tags), 1)                                                # [1, c_dim]
    start = pipe.condition_mean_w(c[0]).detach()                                     # [w_dim]
    rows = generator.cfg.num_ws if settings.wplus else 1
    w = start[None].repeat(rows, 1).clone().requires_grad_(True)                     # [rows, w_dim]

    def as_layers(rows_w: torch.Tensor) -> torch.Tensor:
        """[rows, w_dim] -> [1, num_ws, w_dim]: one w for every layer, or W+ as it is."""
        return rows_w[None].expand(1, generator.cfg.num_ws, -1)
    opt = torch.optim.Adam([w], lr=settings.lr, betas=(0.9, 0.999))
    use_perceptual = tagger is not None and settings.perceptual_weight > 0
    goal_stages = [s.detach() for s in tagger.stage_features(goal)] if use_perceptual else []
    losses = []
    with torch.enable_grad():
        for step in range(settings.steps):
            t = step / max(settings.steps - 1, 1)
            ramp = min(1.0, t / settings.warmup) if settings.warmup > 0 else 1.0
            for group in opt.param_groups:
                group["lr"] = settings.lr * ramp * 0.5 * (1 + math.cos(math.pi * t))
            img = generator.synthesis(as_layers(w), noise_mode="const")                # [1, 3, R, R]
            loss = clipped_mse(img, goal, target_t)
            if use_perceptual:
                loss = loss + settings.perceptual_weight * perceptual_distance(tagger, img, goal_stages)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
            if progress is not None:
                progress(step + 1, losses[-1])
    ws_final = w.detach()
    with torch.no_grad():
        image = to_uint8(generator.synthesis(as_layers(ws_final), noise_mode="const"))[0]
    return Projection(ws_final.cpu().numpy().astype(np.float32), image, psnr(image, target), losses, list(tags))


def projected_recipe(pipe: AvatarPipeline, projection: Projection) -> dict:
    """A workbench recipe for the projection: latent.projected holds the w (or W+) that replaces
    mapping(z, c); psi 1 renders it as found, and every later edit (directions in w, mixing,
    upscale, pixel edits) applies on top as for any avatar."""
    from .recipe import RECIPE_VERSION

    return {
        "version": RECIPE_VERSION,
        "model": {"name": pipe.name, "sha256": pipe.sha256 or ""},
        "seed": 0,
        "tags": projection.tags,
        "psi": 1,
        "truncation": "global",
        "latent": {"projected": {"space": "w+" if len(projection.ws) > 1 else "w",
                                 "ws": [[float(v) for v in row] for row in projection.ws]}},
        "upscale": None,
        "edits": [],
    }


MAX_TARGET_BYTES = 64 << 20


def load_target(path, resolution: int) -> np.ndarray:
    """A picture file -> uint8 [R, R, 3]: the centred square, resized to the generator's size.
    Refuses (ValueError, naming the file) what is not an image, an empty one, or one over the
    pixel limit (images.open_untrusted), before decoding it."""
    from pathlib import Path

    from PIL import Image

    from .images import center_square, open_untrusted, to_rgb

    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ValueError(f"{path}: cannot read ({err.strerror or err})") from err
    if size == 0:
        raise ValueError(f"{path}: the file is empty")
    if size > MAX_TARGET_BYTES:
        raise ValueError(f"{path}: {size / 2**20:.0f} MiB is more than a face picture needs (at most {MAX_TARGET_BYTES >> 20} MiB)")
    try:
        with open_untrusted(path.read_bytes()) as img:
            img.load()
            rgb = to_rgb(img)
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from err
    except Exception as err:  # PIL raises OSError, SyntaxError, ...
        raise ValueError(f"{path}: not an image this reads ({type(err).__name__}: {err})") from err
    width, height = rgb.size
    if min(width, height) < 8:
        raise ValueError(f"{path}: {width}x{height} px is too small to hold a face")
    return np.asarray(center_square(rgb).resize((resolution, resolution), Image.Resampling.LANCZOS), dtype=np.uint8)


def guess_tags(tagger, vocab, target: np.ndarray, fixed: dict[str, str]) -> list[str]:
    """The tags to project under: the caller's choices per group, the tagger's reading for the rest
    (its most likely tag of each exclusive group; independent tags at p >= 0.5)."""
    from .pipeline import predict

    probs, _ = predict(tagger, target[None], torch.device("cpu"))
    tags = []
    for group, span in vocab.group_slices():
        if group.name in fixed:
            tags.append(fixed[group.name])
        elif group.exclusive:
            tags.append(group.tags[int(np.argmax(probs[0, span]))].name)
        else:
            tags += [t.name for t, p in zip(group.tags, probs[0, span]) if p >= 0.5]
    return tags
