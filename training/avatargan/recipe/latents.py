"""Latent maths of recipes, as lib/latent does it (float64 arithmetic stored as float32, as
lib/latent does with Float32Arrays), and the tag directions in w."""

from __future__ import annotations
import math

import numpy as np
import torch

from ..seeds import seeds_to_z, uniforms
from ..vocab import TagVocabulary
from .files import RecipeError


# Shared with lib/latent/directions.ts: the seeds and background conditions tag directions average over.
DIRECTION_SAMPLES = 64
DIRECTION_BACKGROUND_SEED = 1_000_000


def slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """lib/latent/interpolate.ts slerp: the great circle from a to b; exact at t = 0 and 1."""
    if t == 0:
        return a.astype(np.float32)
    if t == 1:
        return b.astype(np.float32)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    na, nb = math.sqrt(float(np.sum(a64 * a64))), math.sqrt(float(np.sum(b64 * b64)))
    if na == 0 or nb == 0:
        return lerp(a, b, t)
    cos = min(1.0, max(-1.0, float(np.sum(a64 * b64)) / (na * nb)))
    omega = math.acos(cos)
    if omega < 1e-6:
        return lerp(a, b, t)
    if math.pi - omega < 1e-6:
        raise RecipeError("slerp: the vectors point in opposite directions; no unique path")
    wa, wb = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
    return (wa * a64 + wb * b64).astype(np.float32)


def lerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    a64 = a.astype(np.float64)
    return (a64 + t * (b.astype(np.float64) - a64)).astype(np.float32)


def shift_condition(vocab: TagVocabulary, c: np.ndarray, tag: str, amount: float) -> np.ndarray:
    """lib/latent/directions.ts shiftCondition: move the tag's group toward the tag's one-hot."""
    group = vocab.group_of(tag)
    i = vocab.index(tag)
    out = c.astype(np.float64)
    if not group.exclusive:
        out[i] = out[i] + amount * (1 - out[i])
        return out.astype(np.float32)
    span = dict((g.name, s) for g, s in vocab.group_slices())[group.name]
    target = np.zeros(span.stop - span.start)
    target[i - span.start] = 1
    out[span] = out[span] + amount * (target - out[span])
    return out.astype(np.float32)


def seeded_draw(vocab: TagVocabulary, seed: int) -> list[str]:
    """vocab.sampleTags(seededRandom(seed)) of lib/latent: a draw from the priors on seed's stream."""
    stream = iter(uniforms(seed, vocab.dim + len(vocab.groups)).tolist())
    return vocab.draw(lambda: next(stream))


def direction_w(generator, vocab: TagVocabulary, tag: str) -> torch.Tensor:
    """The w direction of `tag` [w_dim] as lib/latent/directions.ts defines it: mean w with the
    tag on minus mean w with it off (the group's other tags, averaged), over seeds 0..63 with
    background conditions drawn from the priors on seeds 1,000,000 + s."""
    group = vocab.group_of(tag)
    span = dict((g.name, s) for g, s in vocab.group_slices())[group.name]
    background = [vocab.encode(seeded_draw(vocab, DIRECTION_BACKGROUND_SEED + s)) for s in range(DIRECTION_SAMPLES)]
    device = generator.mapping.w_avg.device
    z = torch.from_numpy(seeds_to_z(list(range(DIRECTION_SAMPLES)), generator.cfg.z_dim)).to(device)

    def mean_w(set_slots) -> torch.Tensor:
        rows = []
        for b in background:
            c = b.copy()
            set_slots(c)
            rows.append(c)
        return generator.mapping(z, torch.from_numpy(np.stack(rows)).to(device)).mean(0)

    if group.exclusive:
        size = span.stop - span.start
        index = vocab.index(tag) - span.start

        def one_hot(k):
            def set_slots(c):
                c[span] = 0
                c[span.start + k] = 1
            return set_slots

        variants = torch.stack([mean_w(one_hot(k)) for k in range(size)])
        weights = torch.tensor([1.0 if k == index else (-1.0 / (size - 1) if size > 1 else 0.0) for k in range(size)],
                               device=device)
        return (weights[None] @ variants)[0]
    i = vocab.index(tag)
    on = mean_w(lambda c: c.__setitem__(i, 1))
    off = mean_w(lambda c: c.__setitem__(i, 0))
    return (torch.tensor([[1.0, -1.0]], device=device) @ torch.stack([on, off]))[0]
