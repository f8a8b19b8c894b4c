"""Step `pack`: hand the crops over to the training set format (data/pack.py).

Rejected crops are left out; with `accepted_only`, so are the ones nobody decided on. Tags
follow one set of rules (filter_tags): optionally only the exclusive groups, rare tags
dropped, and two tags of one exclusive group cancel that group. The train/validation split
keeps each duplicate cluster whole.

The pack's meta.json carries the report of every step that led to it, and one table of counts
(records read, unreadable, duplicates, kept, ...), so a pack says how it was made.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ..data.pack import TRAIN, VALIDATION, write_pack
from ..vocab import TagVocabulary, exclusive_group_of
from .autotag import TAGGED
from .crop_step import CENTRE, crop_label
from .review import ACCEPT, DECISIONS, REJECT, read_decisions
from .runner import StepReport, run_step
from .workspace import Workspace, read_json, read_jsonl

# The steps before pack in the full preparation; a shorter pipeline names its own.
FULL_PIPELINE = ("import", "filter", "crop", "dedupe", "review", "autotag")


@dataclass
class PackStepOptions:
    out: str = ""
    accepted_only: bool = False        # leave out crops nobody has reviewed
    val_fraction: float = 0.05         # share of crops (whole duplicate clusters) held out for validation
    seed: int = 0                      # seeds the train/validation split
    tags_only_in_groups: bool = False  # keep only exclusive-group tags (hair and eye colours)
    min_tag_count: int = 1             # drop tags seen on fewer packed crops than this

    def validate(self) -> None:
        if not self.out:
            raise ValueError("pack: give --out FOLDER for the packed training set")
        if not 0.0 <= self.val_fraction < 1.0:
            raise ValueError(f"val fraction {self.val_fraction} must be in [0, 1), e.g. 0.05")
        if self.min_tag_count < 1:
            raise ValueError(f"min tag count {self.min_tag_count} must be at least 1")


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


# ---------------------------------------------------------------- the step

def run_pack_step(work: Workspace, options: PackStepOptions, force: bool = False, crops_file: str = TAGGED,
                  upstream: tuple[str, ...] = FULL_PIPELINE) -> StepReport:
    """Pack the crops listed in `crops_file` (autotag's output; dedupe's when autotag is skipped).
    `upstream` names the steps that made them, whose reports go into the pack's meta.json."""
    options.validate()
    crops_path = work.require(crops_file, "autotag" if crops_file == TAGGED else "dedupe")
    decisions_path = work.path(DECISIONS)

    def body(report: StepReport) -> None:
        decisions = read_decisions(decisions_path)
        rows = []
        for row in read_jsonl(crops_path):
            decision = decisions.get(row["id"])
            if decision == REJECT:
                report.skip(crop_label(row), "rejected in review")
            elif options.accepted_only and decision != ACCEPT:
                report.skip(crop_label(row), "not reviewed", "--accepted-only keeps accepted crops only")
            else:
                rows.append(row)
        if not rows:
            raise ValueError(f"pack: no crop is left to pack from {work.root} (see the skip reasons above)")
        tag_lists, tag_notes = filter_tags([r["tags"] for r in rows], options.tags_only_in_groups, options.min_tag_count)
        if not any(tag_lists):
            raise ValueError(f"pack: no crop in {work.root} keeps a tag, so there is no vocabulary; check the "
                             f"source's format and --min-tag-count, or run the autotag step with a tagger")
        vocab = TagVocabulary.from_tag_lists(tag_lists)
        images = np.stack([np.asarray(Image.open(work.path(r["crop"])).convert("RGB")) for r in rows])  # [N, R, R, 3]
        labels = np.stack([vocab.encode(tags) for tags in tag_lists])  # [N, C]
        clusters = {cid: i for i, cid in enumerate(sorted({r["cluster"] for r in rows}))}
        cluster = np.array([clusters[r["cluster"]] for r in rows])
        split = split_by_cluster(cluster, options.val_fraction, options.seed)
        counts = {"rejected_in_review": report.skip_counts()["rejected in review"],
                  "not_reviewed": report.skip_counts()["not reviewed"],
                  "accepted": sum(1 for r in rows if decisions.get(r["id"]) == ACCEPT),
                  "undecided": sum(1 for r in rows if r["id"] not in decisions),
                  "untagged": sum(1 for t in tag_lists if not t),
                  "ambiguous_exclusive": tag_notes["ambiguous_exclusive"],
                  "kept": len(rows), "train": int((split == TRAIN).sum()),
                  "validation": int((split == VALIDATION).sum()), "duplicate_clusters_kept": len(clusters)}
        steps = {step: read_json(work.reports / f"{step}.json") for step in upstream
                 if (work.reports / f"{step}.json").exists()}
        meta_report = {"work": str(Path(work.root).resolve()), "options": asdict(options),
                       "counts": {**upstream_counts(steps), **counts},
                       "tag_counts": dict(sorted(Counter(t for tags in tag_lists for t in tags).items())),
                       "rare_tags_dropped": tag_notes["rare_tags_dropped"], "steps": steps}
        if "import" in steps:
            source = read_json(work.path("source.json"))
            meta_report = {"source": source["source"], "format": source["format"], **meta_report}
        write_pack(options.out, images, labels, split, vocab, [crop_label(r) for r in rows], meta_report)
        report.kept, report.kept_what = len(rows), "crops"
        report.notes = {**counts, "vocabulary": repr(vocab)}
        report.outputs = [str(Path(options.out).resolve() / "meta.json")]  # absolute: the pack lives outside the work folder

    return run_step(work, "pack", {**asdict(options), "crops": crops_file}, [crops_path, decisions_path], body, force)


def upstream_counts(steps: dict[str, dict]) -> dict[str, int]:
    """The counts a reader of a pack looks for first, taken from the reports of the steps that made it."""
    counts: dict[str, int] = {}
    if "import" in steps:
        imported = steps["import"]
        counts.update(records=imported["kept"] + imported["skipped_count"], bad_records=imported["skipped_count"],
                      read=imported["kept"])
    if "filter" in steps:
        counts["filtered_out"] = steps["filter"]["skipped_count"]
    if "crop" in steps:
        crop, skipped = steps["crop"], steps["crop"]["skipped_by_reason"]
        counts["corrupt"] = skipped.get("unreadable image", 0)
        if crop["notes"].get("mode") == CENTRE:
            counts.update(cropped_non_square=crop["notes"].get("centre-cropped (not square)", 0),
                          upscaled=crop["notes"].get("upscaled", 0))
        else:
            counts.update(no_face=skipped.get("no face found", 0), face_too_small=skipped.get("face too small", 0),
                          crops=crop["kept"])
    if "dedupe" in steps:
        skipped = steps["dedupe"]["skipped_by_reason"]
        counts.update(exact_duplicates=skipped.get("exact duplicate", 0), near_duplicates=skipped.get("near duplicate", 0),
                      label_conflicts=steps["dedupe"]["notes"].get("label conflicts (kept crop's tags win)", 0))
    if "autotag" in steps:
        counts["autotagged"] = steps["autotag"]["notes"].get("autotagged", 0)
    return counts
