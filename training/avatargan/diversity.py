"""Within-condition diversity: do different seeds of one condition give different faces?

For each condition (a distinct tag vector, e.g. pink hair + green eyes) with enough real
validation faces, the mean pairwise L2 distance between 16x16 RGB thumbnails of `per_condition`
generated avatars, divided by the same among the real faces of that condition. 1 means as varied
as real faces; a generator that draws one face per condition scores far below (the v1 generator:
0.58 on an independent set). Thumbnails keep colour, pose and layout and drop texture, which
is what a person sees when scanning a grid of seeds.

A reference ratio (real training faces of the condition against its real validation faces)
shows what the measure gives when nothing is wrong: about 1.
"""

from __future__ import annotations

import numpy as np

THUMBNAIL = 16


def thumbnails(images: np.ndarray, size: int = THUMBNAIL) -> np.ndarray:
    """uint8 [N, H, W, 3] (H a multiple of size) -> float [N, size*size*3] in [0, 1], by box averaging."""
    n, h, w, _ = images.shape
    if h % size or w % size:
        raise ValueError(f"diversity: images of {h}x{w} px do not divide into {size}x{size} thumbnails")
    blocks = np.asarray(images, np.float64).reshape(n, size, h // size, size, w // size, 3)
    return (blocks.mean(axis=(2, 4)) / 255.0).reshape(n, -1)


def mean_pairwise_distance(x: np.ndarray) -> float:
    """Mean L2 distance over all ordered pairs of distinct rows of x [N, D] (in float64, through
    the Gram matrix, so 500 feature rows need no [N, N, D] array)."""
    if len(x) < 2:
        return 0.0
    x = np.asarray(x, np.float64)
    sq = (x * x).sum(1)
    dist = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0))
    return float(dist.sum() / (len(x) * (len(x) - 1)))


def conditions_with_reals(labels: np.ndarray, min_real: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(condition vector, indices of rows with exactly that label) for each label seen >= min_real times."""
    unique, inverse = np.unique(labels, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    out = []
    for k, condition in enumerate(unique):
        rows = np.flatnonzero(inverse == k)
        if len(rows) >= min_real:
            out.append((condition, rows))
    return out


def condition_name(vocab, condition: np.ndarray) -> str:
    return " + ".join(name for name, bit in zip(vocab.names, condition) if bit > 0.5) or "(no tags)"


def diversity_ratios(generate, val_images: np.ndarray, val_labels: np.ndarray, vocab, *,
                     per_condition: int = 16, min_real: int = 8, seed: int = 0,
                     train_images: np.ndarray | None = None, train_labels: np.ndarray | None = None) -> dict:
    """`generate(seeds, condition) -> uint8 [N, H, W, 3]`. Returns per-condition and summary ratios."""
    rng = np.random.default_rng(seed)
    per, reference = {}, []
    for k, (condition, rows) in enumerate(conditions_with_reals(val_labels, min_real)):
        real = mean_pairwise_distance(thumbnails(val_images[np.sort(rows)]))
        seeds = list(range(seed + k * per_condition, seed + (k + 1) * per_condition))
        fake = mean_pairwise_distance(thumbnails(generate(seeds, condition)))
        per[condition_name(vocab, condition)] = fake / max(real, 1e-12)
        if train_labels is not None:
            same = np.flatnonzero((train_labels == condition).all(1))
            if len(same) >= per_condition:
                pick = np.sort(rng.choice(same, per_condition, replace=False))
                reference.append(mean_pairwise_distance(thumbnails(train_images[pick])) / max(real, 1e-12))
    if not per:
        raise ValueError(f"diversity: no condition has {min_real} or more validation faces")
    values = np.array(list(per.values()))
    worst = min(per, key=per.get)
    return {"mean": float(values.mean()), "worst": float(values.min()), "worst_condition": worst,
            "conditions": len(per), "per_condition_avatars": per_condition, "min_real": min_real,
            "real_reference": float(np.mean(reference)) if reference else None,
            "per_condition": {name: round(float(v), 4) for name, v in per.items()}}
