"""Shared pytest fixtures: repository paths and the real-data folder (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "test" / "fixtures"
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not available: {SHARED_DATA} is absent (it sits beside the project in CI)")
    return SHARED_DATA


# --- trainer tests (test_train*.py) ----------------------------------------------------------

TINY_PACK_COLOURS = {"red": (220, 40, 40), "green": (40, 200, 60), "blue": (40, 60, 220)}


def make_tiny_pack(folder: Path, count: int = 48, resolution: int = 16, seed: int = 0) -> Path:
    """Random coloured squares on grey: the square's colour is the "hair" tag, a dot's the "eyes" tag."""
    import numpy as np

    from avatargan.data.pack import write_pack
    from avatargan.vocab import TagVocabulary

    rng = np.random.default_rng(seed)
    names = list(TINY_PACK_COLOURS)
    images = np.full((count, resolution, resolution, 3), 128, np.uint8)
    tag_lists = []
    for i in range(count):
        hair, eyes = names[i % 3], names[rng.integers(0, 2)]
        size = int(rng.integers(resolution // 3, resolution // 2 + 1))
        y, x = rng.integers(0, resolution - size + 1, 2)
        images[i, y:y + size, x:x + size] = TINY_PACK_COLOURS[hair]
        images[i, y + size // 2, x + size // 2] = TINY_PACK_COLOURS[eyes]
        tag_lists.append([f"{hair} hair", f"{eyes} eyes"])
    vocab = TagVocabulary.from_tag_lists(tag_lists)
    labels = np.stack([vocab.encode(tags) for tags in tag_lists])
    split = (np.arange(count) % 8 == 7).astype(np.uint8)
    return write_pack(folder, images, labels, split, vocab, [f"square-{i}.png" for i in range(count)])


@pytest.fixture
def tiny_pack(tmp_path: Path) -> Path:
    return make_tiny_pack(tmp_path / "pack")
