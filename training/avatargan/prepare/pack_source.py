"""`python -m avatargan pack SOURCE --out DIR`: the preparation pipeline for data sets of aligned faces.

    import -> crop (centre square) -> dedupe -> pack

It is the same pipeline as `prepare all` with the tag filter, the face detection, the review
and the autotag steps left out: the Kaggle anime-face sets are already one face per picture,
tagged with hair and eye colours only. Every step and every rule (decoding, duplicates, tag
rules, the split) is the prepare step's own, so both commands make the same kind of pack.

Without `work`, the steps run in a temporary folder that is removed afterwards; with it, the
folder is kept and a second run with the same source and options skips the steps already done.
"""

from __future__ import annotations

import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from ..data.importers import FORMATS
from .crop_step import CENTRE, CropOptions, run_crop
from .dedupe_step import UNIQUE, DedupeOptions, run_dedupe
from .import_step import RECORDS, run_import
from .pack_step import PackStepOptions, run_pack_step
from .workspace import Workspace, read_json

PIPELINE = ("import", "crop", "dedupe")  # the steps before pack


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

    def validate(self, out: str) -> None:
        """Every option of every step, before the first step runs."""
        if self.format != "auto" and self.format not in FORMATS:
            raise ValueError(f"format {self.format!r} is not one of auto, {', '.join(FORMATS)}")
        if self.limit is not None and self.limit < 1:
            raise ValueError(f"limit {self.limit} must be at least 1 (or left out for all records)")
        for step in self.step_options(out):
            step.validate()

    def step_options(self, out: str) -> tuple[CropOptions, DedupeOptions, PackStepOptions]:
        """The options of the crop, dedupe and pack steps."""
        crop = CropOptions(mode=CENTRE, resolution=self.resolution)
        dedupe = DedupeOptions(radius=self.near_dup_threshold, max_diff=self.near_dup_max_diff)
        pack = PackStepOptions(out=out, val_fraction=self.val_fraction, seed=self.seed,
                               tags_only_in_groups=self.tags_only_in_groups, min_tag_count=self.min_tag_count)
        return crop, dedupe, pack


def build_pack(source: str | Path, out: str | Path, options: PackOptions | None = None,
               work: str | Path | None = None) -> dict:
    """Run the pipeline; the pack's report (also in <out>/meta.json under "report")."""
    options = options or PackOptions()
    options.validate(str(out))
    started = time.perf_counter()
    crop, dedupe, pack = options.step_options(str(out))
    kept = nullcontext(work) if work is not None else tempfile.TemporaryDirectory(prefix="avatargan-pack-")
    with kept as folder_path:
        folder = Workspace(folder_path)
        run_import(folder, source, options.format, limit=options.limit)
        run_crop(folder, crop, records_file=RECORDS)
        run_dedupe(folder, dedupe)
        run_pack_step(folder, pack, crops_file=UNIQUE, upstream=PIPELINE)
    report = read_json(Path(out) / "meta.json")["report"]
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def format_summary(report: dict, out: str | Path) -> str:
    c = report["counts"]
    lines = [
        f"packed {report['source']} ({report['format']}) -> {out} in {report.get('seconds', '?')} s",
        f"  records {c['records']}: {c['bad_records']} bad, {c['read']} read, {c['corrupt']} unreadable",
        f"  duplicates: {c['exact_duplicates']} exact, {c['near_duplicates']} near, "
        f"{c['label_conflicts']} with conflicting labels (first kept)",
        f"  kept {c['kept']}: {c['train']} train, {c['validation']} validation "
        f"(seed {report['options']['seed']}, clusters kept whole)",
        f"  notes: {c['cropped_non_square']} centre-cropped (not square), {c['upscaled']} upscaled, "
        f"{c['ambiguous_exclusive']} with two tags of one exclusive group (group dropped)",
        f"  tags ({len(report['tag_counts'])}): " + ", ".join(f"{t} {n}" for t, n in report["tag_counts"].items()),
    ]
    return "\n".join(lines)
