"""Training data: batches of reals and rows of real labels, as pure functions of (seed, step).

The data order is an endless stream of per-epoch permutations, permutation e drawn from
(seed, e). The global batch at step s is positions [s*B, (s+1)*B) of that stream and rank r
of W takes its r-th slice of B // W. So the sampler's whole state is the step counter: a
resumed run, or one with another number of ranks, sees exactly the same images.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..data.pack import TRAIN, load_pack
from ..images import from_uint8
from ..vocab import TagVocabulary


class TrainData:
    def __init__(self, images: np.ndarray, labels: np.ndarray, seed: int, source: str = "<memory>"):
        check_arrays(images, labels, source)
        self.images = images          # uint8 [N, H, W, 3], usually a memory map
        self.labels = np.ascontiguousarray(labels, dtype=np.float32)  # [N, C]
        self.seed = seed
        self.source = source
        self._epoch, self._order = -1, None

    @classmethod
    def from_pack(cls, folder: str | Path, seed: int) -> tuple["TrainData", TagVocabulary]:
        pack = load_pack(folder)
        n = len(pack.images)
        if pack.split.shape != (n,):
            raise ValueError(f"{folder}: split.npy has shape {list(pack.split.shape)}, expected [{n}]; rebuild the pack")
        rows = pack.indices(TRAIN)
        if len(rows) == 0:
            raise ValueError(f"{folder}: the pack has no training images (split == 0); rebuild it with a smaller "
                             "validation share")
        # Keep the memory map when every row trains: indexing it would copy the whole set into RAM.
        images = pack.images if len(rows) == n else pack.images[rows]
        labels = pack.labels if len(rows) == n else pack.labels[rows]
        if labels.shape[1:] != (pack.vocab.dim,):
            raise ValueError(f"{folder}: labels have {labels.shape[1:]} columns but the vocabulary has "
                             f"{pack.vocab.dim} tags; rebuild the pack")
        return cls(images, labels, seed, str(folder)), pack.vocab

    def __len__(self) -> int:
        return len(self.images)

    @property
    def resolution(self) -> int:
        return int(self.images.shape[1])

    def _positions(self, start: int, count: int) -> np.ndarray:
        """Dataset rows at stream positions [start, start + count)."""
        n = len(self)
        out = np.empty(count, dtype=np.int64)
        for i in range(count):  # a batch spans at most two epochs unless the set is tiny
            epoch, offset = divmod(start + i, n)
            if epoch != self._epoch:
                self._epoch = epoch
                self._order = np.random.default_rng([self.seed, epoch]).permutation(n)
            out[i] = self._order[offset]
        return out

    def rows_for(self, step: int, batch: int, rank: int, world_size: int) -> np.ndarray:
        local = batch // world_size
        return self._positions(step * batch + rank * local, local)

    def reals(self, step: int, batch: int, rank: int, world_size: int, device: torch.device):
        """img [b, 3, H, W] float in [-1, 1] and c [b, C] for this rank's slice of step's batch."""
        rows = self.rows_for(step, batch, rank, world_size)
        order = np.argsort(rows, kind="stable")  # sorted reads are faster on a memory map
        pixels = np.empty((len(rows),) + self.images.shape[1:], np.uint8)
        pixels[order] = self.images[rows[order]]
        img = torch.from_numpy(from_uint8(pixels)).to(device)       # [b, 3, H, W]
        c = torch.from_numpy(self.labels[rows]).to(device)          # [b, C]
        return img, c

    def fake_labels(self, count: int, rng: np.random.Generator, device: torch.device) -> torch.Tensor:
        """c for fakes: rows of the real labels, so tag combinations keep their real frequencies."""
        return torch.from_numpy(self.labels[rng.integers(0, len(self), count)]).to(device)  # [count, C]


def check_arrays(images: np.ndarray, labels: np.ndarray, source: str) -> None:
    """Shapes and dtypes only: the pack is decoded already, and reading every pixel would take minutes."""
    if not isinstance(images, np.ndarray) or images.dtype != np.uint8:
        raise ValueError(f"{source}: images must be a uint8 array, got {getattr(images, 'dtype', type(images))}; "
                         "rebuild the pack with `python -m avatargan pack`")
    if images.ndim != 4 or images.shape[3] != 3 or images.shape[1] != images.shape[2]:
        raise ValueError(f"{source}: images must be [N, H, H, 3], got {list(images.shape)}")
    if images.shape[0] == 0:
        raise ValueError(f"{source}: no images to train on")
    labels = np.asarray(labels)
    if labels.ndim != 2 or labels.shape[0] != images.shape[0]:
        raise ValueError(f"{source}: labels must be [N, C] with N = {images.shape[0]} images, got {list(labels.shape)}")
    if labels.shape[1] == 0:
        raise ValueError(f"{source}: labels have no columns; the generator is conditional and needs tags")
    if not np.isfinite(labels).all():
        bad = int(np.flatnonzero(~np.isfinite(labels).all(axis=1))[0])
        raise ValueError(f"{source}: label row {bad} holds NaN or inf; rebuild the pack")
