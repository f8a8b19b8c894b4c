"""The packed training set: one folder that loads in milliseconds.

    <pack>/images.npy    uint8 [N, H, W, 3]   (memory-mapped on load)
    <pack>/labels.npy    float32 [N, C]       multi-hot c per image, in vocabulary order
    <pack>/split.npy     uint8 [N]            0 = train, 1 = validation
    <pack>/meta.json     {"format": "avatargan-pack", "version": 1, "vocab": {...},
                          "resolution": H, "sources": [N paths], "report": {...}}

Duplicates are kept on one side of the split by whoever writes the pack (prepare/pack_step.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..vocab import TagVocabulary

PACK_FORMAT = "avatargan-pack"
PACK_VERSION = 1
TRAIN, VALIDATION = 0, 1


@dataclass
class Pack:
    images: np.ndarray   # uint8 [N, H, W, 3]
    labels: np.ndarray   # float32 [N, C]
    split: np.ndarray    # uint8 [N]
    vocab: TagVocabulary
    meta: dict

    @property
    def resolution(self) -> int:
        return int(self.images.shape[1])

    def indices(self, which: int) -> np.ndarray:
        return np.flatnonzero(self.split == which)


def write_pack(folder: str | Path, images: np.ndarray, labels: np.ndarray, split: np.ndarray,
               vocab: TagVocabulary, sources: list[str], report: dict | None = None) -> Path:
    folder = Path(folder)
    n = len(images)
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[3] != 3 or images.shape[1] != images.shape[2]:
        raise ValueError(f"pack images must be uint8 [N, H, H, 3], got {images.dtype} {list(images.shape)}")
    if labels.shape != (n, vocab.dim) or split.shape != (n,) or len(sources) != n:
        raise ValueError(f"pack: {n} images but labels {list(labels.shape)}, split {list(split.shape)}, "
                         f"{len(sources)} sources (vocabulary has {vocab.dim} tags)")
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "images.npy", images)
    np.save(folder / "labels.npy", labels.astype(np.float32))
    np.save(folder / "split.npy", split.astype(np.uint8))
    meta = {"format": PACK_FORMAT, "version": PACK_VERSION, "vocab": vocab.to_json(),
            "resolution": int(images.shape[1]), "count": n, "sources": list(sources), "report": report or {}}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return folder


def load_pack(folder: str | Path, mmap: bool = True) -> Pack:
    folder = Path(folder)
    meta_path = folder / "meta.json"
    if not meta_path.exists():
        raise FileNotFoundError(f"{folder} is not a packed data set (no meta.json); make one with `python -m avatargan pack`")
    meta = json.loads(meta_path.read_text())
    if meta.get("format") != PACK_FORMAT or meta.get("version") != PACK_VERSION:
        raise ValueError(f"{folder}: pack format {meta.get('format')!r} v{meta.get('version')!r} is not "
                         f"{PACK_FORMAT!r} v{PACK_VERSION}")
    images = np.load(folder / "images.npy", mmap_mode="r" if mmap else None)
    labels = np.load(folder / "labels.npy")
    split = np.load(folder / "split.npy")
    return Pack(images, labels, split, TagVocabulary.from_json(meta["vocab"]), meta)
