"""Step `pack`: hand the reviewed, tagged crops over to the training set format (data/pack.py).

Rejected crops are left out; with `accepted_only`, so are the ones nobody decided on. Labels
and the vocabulary follow the pack command's rules (filter_tags: two tags of one exclusive
group cancel that group), and the train/validation split keeps each duplicate cluster whole.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ..data.pack import TRAIN, VALIDATION, write_pack
from ..data.packing import filter_tags, split_by_cluster
from ..vocab import TagVocabulary
from .autotag import TAGGED
from .review import ACCEPT, DECISIONS, REJECT, read_decisions
from .runner import StepReport, run_step
from .workspace import Workspace, read_jsonl


@dataclass
class PackStepOptions:
    out: str = ""
    accepted_only: bool = False   # leave out crops nobody has reviewed
    val_fraction: float = 0.05
    seed: int = 0

    def validate(self) -> None:
        if not self.out:
            raise ValueError("pack: give --out FOLDER for the packed training set")
        if not 0.0 <= self.val_fraction < 1.0:
            raise ValueError(f"val fraction {self.val_fraction} must be in [0, 1), e.g. 0.05")


def run_pack_step(work: Workspace, options: PackStepOptions, force: bool = False) -> StepReport:
    options.validate()
    tagged_path = work.require(TAGGED, "autotag")
    decisions_path = work.path(DECISIONS)

    def body(report: StepReport) -> None:
        decisions = read_decisions(decisions_path)
        rows = []
        for row in read_jsonl(tagged_path):
            decision = decisions.get(row["id"])
            if decision == REJECT:
                report.skip(row["crop"], "rejected in review")
            elif options.accepted_only and decision != ACCEPT:
                report.skip(row["crop"], "not reviewed", "--accepted-only keeps accepted crops only")
            else:
                rows.append(row)
        if not rows:
            raise ValueError(f"pack: no crop is left to pack from {work.root} (see the skip reasons above)")
        tag_lists, tag_notes = filter_tags([r["tags"] for r in rows], only_in_groups=False, min_count=1)
        if not any(tag_lists):
            raise ValueError(f"pack: no crop in {work.root} has a tag; run the autotag step with a tagger first")
        vocab = TagVocabulary.from_tag_lists(tag_lists)
        images = np.stack([np.asarray(Image.open(work.path(r["crop"])).convert("RGB")) for r in rows])  # [N, R, R, 3]
        labels = np.stack([vocab.encode(tags) for tags in tag_lists])  # [N, C]
        clusters = {cid: i for i, cid in enumerate(sorted({r["cluster"] for r in rows}))}
        split = split_by_cluster(np.array([clusters[r["cluster"]] for r in rows]), options.val_fraction, options.seed)
        counts = {"packed": len(rows), "train": int((split == TRAIN).sum()), "validation": int((split == VALIDATION).sum()),
                  "accepted": sum(1 for r in rows if decisions.get(r["id"]) == ACCEPT),
                  "undecided": sum(1 for r in rows if r["id"] not in decisions),
                  "untagged": sum(1 for t in tag_lists if not t),
                  "two tags of one exclusive group (group dropped)": tag_notes["ambiguous_exclusive"]}
        write_pack(options.out, images, labels, split, vocab, [f"{r['image']}#{r['id']}" for r in rows],
                   {"prepared_from": str(Path(work.root).resolve()), "counts": counts,
                    "skipped": {reason: n for reason, n in report.skip_counts().items()}})
        report.kept, report.kept_what = len(rows), "crops"
        report.notes = {**counts, "vocabulary": repr(vocab)}
        report.outputs = [str(Path(options.out).resolve() / "meta.json")]  # absolute: the pack lives outside the work folder

    return run_step(work, "pack", asdict(options), [tagged_path, decisions_path], body, force)
