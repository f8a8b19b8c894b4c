"""Duplicate detection, tag filtering and the cluster-keeping split."""

from __future__ import annotations

import numpy as np
from data_helpers import near_copy, pattern

from avatargan.data.dedupe import exact_key, find_duplicates, hamming, near_pairs, phash, thumbnail
from avatargan.data.pack import VALIDATION
from avatargan.prepare.pack_step import filter_tags, split_by_cluster


def brute_force_pairs(hashes: np.ndarray, radius: int) -> set[tuple[int, int]]:
    d = hamming(hashes[:, None], hashes[None, :])
    i, j = np.nonzero(np.triu(d <= radius, k=1))
    return set(zip(i.tolist(), j.tolist()))


def test_multi_index_finds_exactly_the_brute_force_pairs():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 2**63, 400, dtype=np.uint64)
    flips = np.uint64(1) << rng.integers(0, 64, (400, 3)).astype(np.uint64)
    planted = base ^ flips[:, 0] ^ flips[:, 1] ^ flips[:, 2]  # within 3 bits of base
    hashes = np.concatenate([base, planted, base[:5]])
    for radius in (0, 3, 4, 6):
        assert set(map(tuple, near_pairs(hashes, radius).tolist())) == brute_force_pairs(hashes, radius)
    assert len(near_pairs(hashes, -1)) == 0


def test_exact_and_near_duplicates_and_clusters():
    a, b, c = pattern(0, 64), pattern(1, 64), pattern(2, 64)  # JPEG at 16-32 px moves pHash bits
    images = [a, b, a.copy(), near_copy(b), c, near_copy(a)]
    keys = [exact_key(x) for x in images]
    hashes = np.array([phash(x) for x in images], np.uint64)
    thumbs = np.stack([thumbnail(x) for x in images])
    dups = find_duplicates(keys, hashes, 4, thumbs, 16.0)
    assert dups.kind == [None, None, "exact", "near", None, "near"]
    assert dups.duplicate_of.tolist() == [-1, -1, 0, 1, -1, 0]
    assert dups.cluster.tolist() == [0, 1, 0, 1, 4, 0]
    assert dups.count("exact") == 1 and dups.count("near") == 2


def test_hash_match_without_similar_pixels_is_not_a_duplicate():
    a, b = pattern(0, 32), pattern(1, 32)
    hashes = np.array([phash(a), phash(a)], np.uint64)  # pretend the hashes collide
    dups = find_duplicates([exact_key(a), exact_key(b)], hashes, 4, np.stack([thumbnail(a), thumbnail(b)]), 16.0)
    assert dups.keep.all()


def test_split_keeps_clusters_together_and_is_deterministic():
    rng = np.random.default_rng(1)
    cluster = np.sort(rng.integers(0, 300, 1000))  # clusters of several items each
    split = split_by_cluster(cluster, 0.2, seed=3)
    assert np.array_equal(split, split_by_cluster(cluster, 0.2, seed=3))
    assert not np.array_equal(split, split_by_cluster(cluster, 0.2, seed=4))
    for cid in np.unique(cluster):
        assert len(set(split[cluster == cid].tolist())) == 1
    assert 0.18 <= (split == VALIDATION).mean() <= 0.25
    assert (split_by_cluster(cluster, 0.0, seed=0) == 0).all()


def test_filter_tags():
    lists = [["red hair", "blue eyes", "smile"], ["red hair", "blonde hair", "blue eyes"], ["black hair", "hat"]]
    out, notes = filter_tags(lists, only_in_groups=True, min_count=1)
    assert out == [["red hair", "blue eyes"], ["blue eyes"], ["black hair"]]  # two hair colours: hair dropped
    assert notes["ambiguous_exclusive"] == 1
    out, notes = filter_tags(lists, only_in_groups=False, min_count=2)
    assert out == [["red hair", "blue eyes"], ["red hair", "blue eyes"], []]
    assert notes["rare_tags_dropped"] == ["black hair", "blonde hair", "hat", "smile"]
