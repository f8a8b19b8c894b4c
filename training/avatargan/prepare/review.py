"""Step `review`: the list of crops a person accepts or rejects in the workbench (/review).

    review.json     {"format": "avatargan-review", "version": 1, "resolution": R,
                     "items": [{"id", "crop", "image", "source", "tags"}]}
    decisions.json  {"format": "avatargan-review-decisions", "version": 1,
                     "decisions": {"<id>": {"decision": "accept" | "reject", "at": ISO time}}}

Paths in review.json are relative to the work folder, the only folder the review routes
serve. This step never touches decisions.json: writing a new list keeps earlier decisions,
and the pack step honours them.
"""

from __future__ import annotations

from pathlib import Path

from .dedupe_step import UNIQUE
from .runner import StepReport, run_step
from .workspace import Workspace, read_json, read_jsonl, write_json

REVIEW = "review.json"
DECISIONS = "decisions.json"
REVIEW_FORMAT = "avatargan-review"
DECISIONS_FORMAT = "avatargan-review-decisions"
ACCEPT, REJECT = "accept", "reject"


def read_decisions(path: Path) -> dict[str, str]:
    """id -> "accept" | "reject"; an absent file means nothing is decided yet."""
    if not path.exists():
        return {}
    data = read_json(path)
    if not isinstance(data, dict) or data.get("format") != DECISIONS_FORMAT or data.get("version") != 1:
        raise ValueError(f"{path} is not a review decisions file ({DECISIONS_FORMAT} version 1)")
    out = {}
    for item, entry in (data.get("decisions") or {}).items():
        decision = entry.get("decision") if isinstance(entry, dict) else None
        if decision not in (ACCEPT, REJECT):
            raise ValueError(f"{path}: decision for {item!r} is {decision!r}; expected 'accept' or 'reject'")
        out[item] = decision
    return out


def run_review(work: Workspace, force: bool = False) -> StepReport:
    unique_path = work.require(UNIQUE, "dedupe")

    def body(report: StepReport) -> None:
        rows = read_jsonl(unique_path)
        items = [{"id": r["id"], "crop": r["crop"], "image": r["image"], "source": r["source"], "tags": r["tags"]}
                 for r in rows]
        resolution = _resolution(work, rows)
        write_json(work.path(REVIEW), {"format": REVIEW_FORMAT, "version": 1, "resolution": resolution, "items": items})
        decisions = read_decisions(work.path(DECISIONS))
        listed = {item["id"] for item in items}
        report.kept, report.kept_what = len(items), "crops to review"
        report.notes = {"already accepted": sum(1 for i, d in decisions.items() if i in listed and d == ACCEPT),
                        "already rejected": sum(1 for i, d in decisions.items() if i in listed and d == REJECT),
                        "review them": "AVATARGAN_DATASET=" + str(work.root.resolve()) + " npm run dev, then open /review"}
        report.outputs = [REVIEW]

    return run_step(work, "review", {}, [unique_path], body, force)


def _resolution(work: Workspace, rows: list[dict]) -> int | None:
    if not rows:
        return None
    from PIL import Image

    with Image.open(work.path(rows[0]["crop"])) as img:
        return img.size[0]
