"""Build a packed training set from a tagged-image source: import, decode, dedupe, tag, split, write.

    report = build_pack("anime-faces-64.tar", "data/faces64", PackOptions(resolution=64))

Nothing here is fatal per item: a bad record, an undecodable image, a duplicate or a label
conflict is counted and (up to `max_listed` per kind) listed with its reason in the pack's
meta.json "report". Counts are always exact.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from ..images import open_untrusted
from ..vocab import TagVocabulary, exclusive_group_of
from .dedupe import EXACT, NEAR, exact_key, find_duplicates, hamming, phash, thumbnail, thumbnail_diff
from .importers import FORMATS, Record, Skipped, import_records
from .pack import TRAIN, VALIDATION, write_pack
from .sources import open_source


@dataclass
class PackOptions:
    format: str = "auto"              # one of "auto" and importers.FORMATS
    resolution: int = 64              # square output size in pixels
    val_fraction: float = 0.05        # share of images (whole duplicate clusters) held out for validation
    seed: int = 0                     # seeds the train/validation split
    tags_only_in_groups: bool = False  # keep only exclusive-group tags (hair and eye colours)
    min_tag_count: int = 1            # drop tags seen on fewer kept images than this
    near_dup_threshold: int = 4       # pHash Hamming radius for near-duplicate candidates; -1 turns them off
    near_dup_max_diff: float = 16.0   # ...confirmed when 16x16 thumbnails differ by at most this (0-255)
    limit: int | None = None          # only the first N imported records (quick trials, tests)
    max_listed: int = 200             # skipped items listed per kind in the report (counts stay exact)
    progress: bool = True             # tqdm bars for decoding and hashing

    def validate(self) -> None:
        if self.format != "auto" and self.format not in FORMATS:
            raise ValueError(f"format {self.format!r} is not one of auto, {', '.join(FORMATS)}")
        if not 4 <= self.resolution <= 4096:
            raise ValueError(f"resolution {self.resolution} is out of range; use 4 to 4096 (e.g. 64)")
        if not 0.0 <= self.val_fraction < 1.0:
            raise ValueError(f"val fraction {self.val_fraction} must be in [0, 1), e.g. 0.05")
        if self.limit is not None and self.limit < 1:
            raise ValueError(f"limit {self.limit} must be at least 1 (or left out for all records)")
        if self.min_tag_count < 1:
            raise ValueError(f"min tag count {self.min_tag_count} must be at least 1")
        if not -1 <= self.near_dup_threshold <= 10:
            # wider radii split the hash into tiny blocks and the candidate pairs explode (memory)
            raise ValueError(f"near-dup threshold {self.near_dup_threshold} must be in -1..10 (bits of 64), e.g. 4")
        if self.near_dup_max_diff < 0:
            raise ValueError(f"near-dup max diff {self.near_dup_max_diff} must be >= 0 (mean 0-255 difference)")


# ---------------------------------------------------------------- decoding

def decode_image(data: bytes, resolution: int) -> tuple[np.ndarray, set[str]]:
    """Encoded bytes -> uint8 [R, R, 3] and the notes {"cropped", "upscaled"}; raises ValueError if unreadable."""
    notes: set[str] = set()
    try:
        with open_untrusted(data) as img:
            img.draft("RGB", (resolution, resolution))  # JPEG DCT downscaling: never below the requested size
            img.load()
            img = to_rgb(img)
    except Exception as err:  # PIL raises OSError, SyntaxError, ValueError, DecompressionBombError...
        raise ValueError(f"cannot decode image: {type(err).__name__}: {err}") from err
    square = center_square(img)
    if square.size != img.size:
        notes.add("cropped")
    img = square
    if img.size[0] > resolution:
        img = img.resize((resolution, resolution), Image.Resampling.LANCZOS)
    elif img.size[0] < resolution:
        img = img.resize((resolution, resolution), Image.Resampling.BICUBIC)
        notes.add("upscaled")
    return np.asarray(img, dtype=np.uint8), notes


def center_square(img: Image.Image) -> Image.Image:
    """The largest centred square of img (img itself when it is square)."""
    w, h = img.size
    if w == h:
        return img
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    return img.crop((left, top, left + side, top + side))


def to_rgb(img: Image.Image) -> Image.Image:
    """RGB; transparent pixels become white (the usual background of Danbooru cut-outs), not black."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


# ---------------------------------------------------------------- tags and split

def filter_tags(tag_lists: list[list[str]], only_in_groups: bool, min_count: int) -> tuple[list[list[str]], dict]:
    """Drop non-group tags (if asked) and rare tags; an image with two tags of one exclusive group loses both."""
    if only_in_groups:
        tag_lists = [[t for t in tags if exclusive_group_of(t)] for tags in tag_lists]
    counts = Counter(t for tags in tag_lists for t in set(tags))
    rare = {t for t, c in counts.items() if c < min_count}
    out, ambiguous = [], 0
    for tags in tag_lists:
        tags = [t for t in tags if t not in rare]
        per_group = Counter(g for t in tags if (g := exclusive_group_of(t)))
        clash = {g for g, c in per_group.items() if c > 1}
        if clash:
            ambiguous += 1
            tags = [t for t in tags if exclusive_group_of(t) not in clash]
        out.append(tags)
    return out, {"rare_tags_dropped": sorted(rare), "ambiguous_exclusive": ambiguous}


def split_by_cluster(cluster: np.ndarray, val_fraction: float, seed: int) -> np.ndarray:
    """uint8 [N] of TRAIN/VALIDATION: whole clusters, drawn in a seeded order, until val_fraction is reached."""
    n = len(cluster)
    split = np.full(n, TRAIN, np.uint8)
    target = int(round(val_fraction * n))
    if val_fraction > 0 and n > 1:
        target = min(max(target, 1), n - 1)
    if target == 0:
        return split
    ids, sizes = np.unique(cluster, return_counts=True)  # sorted ids, so the order depends on the seed only
    order = np.random.default_rng(seed).permutation(len(ids))
    taken = np.cumsum(sizes[order])
    chosen = ids[order[: int(np.searchsorted(taken, target)) + 1]]
    split[np.isin(cluster, chosen)] = VALIDATION
    return split


# ---------------------------------------------------------------- the whole job

def build_pack(source_path: str | Path, out: str | Path, options: PackOptions | None = None) -> dict:
    options = options or PackOptions()
    options.validate()
    started = time.perf_counter()
    with open_source(source_path) as source:
        imported = import_records(source, options.format)
        if options.limit is not None:
            imported.records = imported.records[: options.limit]
        images, ok, corrupt, notes = _decode_all(source, imported.records, options)
    records = [r for r, good in zip(imported.records, ok) if good]
    images = images[ok]
    keys, hashes, thumbs = _hash_all(images, options.progress)
    dups = find_duplicates(keys, hashes, options.near_dup_threshold, thumbs, options.near_dup_max_diff)
    keep = np.flatnonzero(dups.keep)
    conflicts = _label_conflicts(records, dups)
    tag_lists, tag_notes = filter_tags([records[i].tags for i in keep], options.tags_only_in_groups, options.min_tag_count)
    if not any(tag_lists):
        raise ValueError(f"{source_path}: no image kept any tag, so there is no vocabulary; "
                         f"check the format (--format) and --min-tag-count")
    vocab = TagVocabulary.from_tag_lists(tag_lists)
    labels = np.stack([vocab.encode(tags) for tags in tag_lists]) if len(keep) else np.zeros((0, vocab.dim), np.float32)
    split = split_by_cluster(dups.cluster[keep], options.val_fraction, options.seed)
    listed = options.max_listed
    removed = np.flatnonzero(~dups.keep)
    exact = [_dup_entry(records, hashes, thumbs, dups, j) for j in removed if dups.kind[j] == EXACT][:listed]
    near = [_dup_entry(records, hashes, thumbs, dups, j) for j in removed if dups.kind[j] == NEAR][:listed]
    report = {
        "source": str(source_path),
        "format": imported.format,
        "options": {k: v for k, v in asdict(options).items() if k not in ("progress", "max_listed")},
        "counts": {
            "records": len(imported.records) + len(imported.skipped),
            "bad_records": len(imported.skipped),
            "read": len(imported.records),
            "corrupt": len(corrupt),
            "decoded": len(records),
            "cropped_non_square": notes["cropped"],
            "upscaled": notes["upscaled"],
            "exact_duplicates": dups.count(EXACT),
            "near_duplicates": dups.count(NEAR),
            "label_conflicts": len(conflicts),
            "ambiguous_exclusive": tag_notes["ambiguous_exclusive"],
            "kept": len(keep),
            "train": int((split == TRAIN).sum()),
            "validation": int((split == VALIDATION).sum()),
            "duplicate_clusters_kept": int(len(np.unique(dups.cluster[keep])) if len(keep) else 0),
        },
        "tag_counts": dict(sorted(Counter(t for tags in tag_lists for t in tags).items())),
        "rare_tags_dropped": tag_notes["rare_tags_dropped"],
        "skipped": {
            "bad_records": [s.to_json() for s in imported.skipped[:listed]],
            "corrupt": [s.to_json() for s in corrupt[:listed]],
            "exact_duplicates": exact,
            "near_duplicates": near,
            "label_conflicts": conflicts[:listed],
        },
    }
    report["seconds"] = round(time.perf_counter() - started, 1)  # up to writing the arrays
    write_pack(out, images[keep], labels, split, vocab, [records[i].image for i in keep], report)
    return report


def _decode_all(source, records: list[Record], options: PackOptions):
    r = options.resolution
    images = np.zeros((len(records), r, r, 3), np.uint8)
    ok = np.zeros(len(records), bool)
    corrupt: list[Skipped] = []
    notes: Counter = Counter()
    for i, record in enumerate(tqdm(records, desc="decoding", unit="img", disable=not options.progress)):
        try:
            images[i], flags = decode_image(source.read_bytes(record.image), r)
        except (ValueError, OSError) as err:
            corrupt.append(Skipped(record.image, str(err)))
            continue
        ok[i] = True
        notes.update(flags)
    return images, ok, corrupt, notes


def _hash_all(images: np.ndarray, progress: bool) -> tuple[list[bytes], np.ndarray, np.ndarray]:
    keys, hashes = [], np.zeros(len(images), np.uint64)
    thumbs = np.zeros((len(images), 16, 16, 3), np.int16)
    for i in tqdm(range(len(images)), desc="hashing", unit="img", disable=not progress):
        keys.append(exact_key(images[i]))
        hashes[i] = phash(images[i])
        thumbs[i] = thumbnail(images[i])
    return keys, hashes, thumbs


def _representative(dups, j: int) -> int:
    while dups.duplicate_of[j] >= 0:
        j = int(dups.duplicate_of[j])
    return j


def _label_conflicts(records: list[Record], dups) -> list[dict]:
    out = []
    for j in np.flatnonzero(~dups.keep):
        kept = _representative(dups, int(j))
        if set(records[j].tags) != set(records[kept].tags):
            out.append({"item": records[j].image, "kept": records[kept].image,
                        "reason": f"duplicate labelled {records[j].tags}, kept {records[kept].tags}"})
    return out


def _dup_entry(records: list[Record], hashes: np.ndarray, thumbs: np.ndarray, dups, j: int) -> dict:
    i = int(dups.duplicate_of[j])
    reason = f"{dups.kind[j]} duplicate of {records[i].image}"
    if dups.kind[j] == NEAR:
        reason += (f" (pHash distance {int(hamming(hashes[i:i + 1], hashes[j:j + 1])[0])}, "
                   f"thumbnail difference {float(thumbnail_diff(thumbs[i:i + 1], thumbs[j:j + 1])[0]):.1f})")
    return {"item": records[j].image, "reason": reason}


def format_summary(report: dict, out: str | Path) -> str:
    c = report["counts"]
    lines = [
        f"packed {report['source']} ({report['format']}) -> {out} in {report.get('seconds', '?')} s",
        f"  records {c['records']}: {c['bad_records']} bad, {c['read']} read, {c['corrupt']} corrupt, {c['decoded']} decoded",
        f"  duplicates: {c['exact_duplicates']} exact, {c['near_duplicates']} near "
        f"(pHash within {report['options']['near_dup_threshold']} bits, thumbnails within "
        f"{report['options']['near_dup_max_diff']}), {c['label_conflicts']} with conflicting labels (first kept)",
        f"  kept {c['kept']}: {c['train']} train, {c['validation']} validation "
        f"(seed {report['options']['seed']}, clusters kept whole)",
        f"  notes: {c['cropped_non_square']} centre-cropped (not square), {c['upscaled']} upscaled, "
        f"{c['ambiguous_exclusive']} with two tags of one exclusive group (group dropped)",
        f"  tags ({len(report['tag_counts'])}): " + ", ".join(f"{t} {n}" for t, n in report["tag_counts"].items()),
    ]
    return "\n".join(lines)
