"""Step `dedupe`: remove identical and near-identical crops (the pack command's perceptual-hash method).

Exact copies have equal pixels; near copies are within `radius` bits of pHash and their 16x16
thumbnails differ by at most `max_diff` (see data/dedupe.py for why both). The first crop of
each group stays; every crop keeps its duplicate cluster id so the pack's train/validation
split can keep near-copies on one side. A copy whose tags differ from the crop kept is counted
as a label conflict (the kept crop's tags win).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image
from tqdm import tqdm

from ..data.dedupe import EXACT, exact_key, find_duplicates, hamming, phash, thumbnail, thumbnail_diff
from .crop_step import CROPS, crop_label
from .runner import StepReport, run_step
from .workspace import Workspace, read_jsonl, write_jsonl

UNIQUE = "unique.jsonl"


@dataclass
class DedupeOptions:
    radius: int = 4          # pHash Hamming distance for near-duplicate candidates; -1: exact only
    max_diff: float = 16.0   # thumbnail mean difference (0-255) that confirms a candidate

    def validate(self) -> None:
        if not -1 <= self.radius <= 10:
            raise ValueError(f"near-duplicate radius {self.radius} must be in -1..10 bits, e.g. 4")
        if self.max_diff < 0:
            raise ValueError(f"near-duplicate max diff {self.max_diff} must be >= 0")


def run_dedupe(work: Workspace, options: DedupeOptions, force: bool = False) -> StepReport:
    options.validate()
    crops_path = work.require(CROPS, "crop")

    def body(report: StepReport) -> None:
        rows = read_jsonl(crops_path)
        keys, hashes = [], np.zeros(len(rows), np.uint64)
        thumbs = np.zeros((len(rows), 16, 16, 3), np.int16)
        for i, row in enumerate(tqdm(rows, desc="dedupe", unit="crop")):
            pixels = np.asarray(Image.open(work.path(row["crop"])).convert("RGB"))
            keys.append(exact_key(pixels))
            hashes[i], thumbs[i] = phash(pixels), thumbnail(pixels)
        dups = find_duplicates(keys, hashes, options.radius, thumbs, options.max_diff)
        kept, conflicts = [], []
        for i, row in enumerate(rows):
            j = int(dups.duplicate_of[i])  # always a crop that is kept
            if j < 0:
                kept.append({**row, "cluster": rows[int(dups.cluster[i])]["id"]})
                continue
            name, original = crop_label(row), crop_label(rows[j])
            if set(row["tags"]) != set(rows[j]["tags"]):
                conflicts.append(f"{name} {row['tags']}, kept {original} {rows[j]['tags']}")
            if dups.kind[i] == EXACT:
                report.skip(name, "exact duplicate", f"same pixels as {original}")
            else:
                distance = int(hamming(hashes[i:i + 1], hashes[j:j + 1])[0])
                diff = float(thumbnail_diff(thumbs[i:i + 1], thumbs[j:j + 1])[0])
                report.skip(name, "near duplicate",
                            f"of {original} (pHash distance {distance}, thumbnail difference {diff:.1f})")
        report.kept, report.kept_what = write_jsonl(work.path(UNIQUE), kept), "crops"
        report.notes = {"label conflicts (kept crop's tags win)": len(conflicts)}
        if conflicts:
            report.notes["label conflict examples"] = conflicts[:5]
        report.outputs = [UNIQUE]

    return run_step(work, "dedupe", asdict(options), [crops_path], body, force)
