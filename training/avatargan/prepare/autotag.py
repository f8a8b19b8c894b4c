"""Step `autotag`: tag the crops that have no tags with the project's tagger.

An exclusive group (hair colour, eye colour) gets its most likely tag when that tag's
probability reaches the threshold (default 0.25); an independent tag is added at or above it.
Crops that already have tags keep them. Without an exported tagger the step says how to make
one and passes the crops through untagged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..vocab import TagVocabulary
from .dedupe_step import UNIQUE
from .runner import StepReport, run_step
from .workspace import Workspace, read_jsonl, write_jsonl

TAGGED = "tagged.jsonl"
BATCH = 256


@dataclass
class AutotagOptions:
    tagger: str = "public/weights/tagger"   # exported tagger folder (model.json)
    threshold: float = 0.25
    device: str = "cpu"

    def validate(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"autotag threshold {self.threshold} must be in (0, 1], e.g. 0.25")


def tags_from_probabilities(probs: np.ndarray, vocab: TagVocabulary, threshold: float) -> list[str]:
    """Tag names for one crop's probabilities [C]."""
    out = []
    for group, span in vocab.group_slices():
        p = probs[span]
        if group.exclusive:
            best = int(p.argmax())
            if p[best] >= threshold:
                out.append(group.tags[best].name)
        else:
            out.extend(tag.name for tag, value in zip(group.tags, p) if value >= threshold)
    return out


def predict_tags(folder: Path, crops: list[np.ndarray], options: AutotagOptions) -> list[list[str]]:
    import cv2
    import torch

    from ..pipeline import load_tagger, predict

    model, vocab, meta = load_tagger(folder, options.device)
    size = int(meta["config"]["resolution"])
    images = np.stack([c if c.shape[0] == size else cv2.resize(c, (size, size), interpolation=cv2.INTER_AREA)
                       for c in crops])  # [N, size, size, 3]
    probs, _ = predict(model, images, torch.device(options.device), batch=BATCH)
    return [tags_from_probabilities(p, vocab, options.threshold) for p in probs]


def run_autotag(work: Workspace, options: AutotagOptions, force: bool = False) -> StepReport:
    options.validate()
    unique_path = work.require(UNIQUE, "dedupe")
    tagger = Path(options.tagger)
    model_json = tagger / "model.json"

    def body(report: StepReport) -> None:
        rows = read_jsonl(unique_path)
        untagged = [r for r in rows if not r["tags"]]
        if untagged and not model_json.exists():
            report.notes = {"tagger": f"none at {tagger}: {len(untagged)} crops stay untagged. Train one with "
                                      f"`python -m avatargan train-tagger --data PACK --out runs/tagger --export {tagger}`"}
        elif untagged:
            from PIL import Image

            crops = [np.asarray(Image.open(work.path(r["crop"])).convert("RGB")) for r in untagged]
            for row, tags in zip(untagged, predict_tags(tagger, crops, options)):
                row["tags"], row["autotagged"] = tags, True
            # A crop the tagger is unsure of stays in, untagged (it trains as an unlabelled face),
            # so it is counted here rather than reported as skipped.
            unsure = [r["crop"] for r in untagged if not r["tags"]]
            report.notes = {"tagger": str(tagger), "autotagged": len(untagged) - len(unsure),
                            f"left untagged (no tag above {options.threshold})": len(unsure)}
            if unsure:
                report.notes["untagged examples"] = unsure[:5]
        else:
            report.notes = {"autotagged": 0, "why": "every crop already has tags"}
        report.kept, report.kept_what = write_jsonl(work.path(TAGGED), rows), "crops"
        report.outputs = [TAGGED]

    # The tagger's model.json is an input: once a tagger is exported, the step runs again.
    return run_step(work, "autotag", asdict(options), [unique_path, model_json], body, force)
