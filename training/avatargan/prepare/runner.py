"""Run one preparation step: skip it when its inputs and options have not changed, report what it kept.

A step is up to date when reports/<step>.json holds the same fingerprint (the options, and the
size and modification time of every input file) and every output it lists still exists. Then
it is not run again; `force=True` runs it anyway. The report is written only after the step's
outputs, so a step interrupted half-way is simply run again next time.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .workspace import Workspace, read_json, write_json

LISTED_PER_REASON = 20  # items listed under each skip reason; counts stay exact
REPORT_VERSION = 1


@dataclass
class StepReport:
    step: str
    kept: int = 0
    kept_what: str = "items"
    skipped: list[dict] = field(default_factory=list)   # {"item", "reason", "detail"}
    notes: dict = field(default_factory=dict)           # step-specific counts and remarks
    outputs: list[str] = field(default_factory=list)    # files the step wrote, relative to the work folder
    seconds: float = 0.0
    up_to_date: bool = False
    counted: dict[str, int] | None = None                # exact counts of a report read back (its list is cut)

    def skip(self, item: str, reason: str, detail: str = "") -> None:
        """Leave `item` out; `reason` is a short fixed phrase (it groups the summary), `detail` the specifics."""
        self.skipped.append({"item": item, "reason": reason, "detail": detail})

    def skip_counts(self) -> Counter:
        if self.counted is not None:
            return Counter(self.counted)
        return Counter(s["reason"] for s in self.skipped)

    def to_json(self, fingerprint: str, options: dict | None = None) -> dict:
        listed: dict[str, list[dict]] = {}
        for entry in self.skipped:
            bucket = listed.setdefault(entry["reason"], [])
            if len(bucket) < LISTED_PER_REASON:
                bucket.append({"item": entry["item"], "detail": entry["detail"]})
        return {"version": REPORT_VERSION, "step": self.step, "fingerprint": fingerprint, "options": options or {},
                "kept": self.kept,
                "kept_what": self.kept_what, "skipped_count": len(self.skipped),
                "skipped_by_reason": dict(self.skip_counts()), "skipped": listed, "notes": self.notes,
                "outputs": self.outputs, "seconds": self.seconds}

    @classmethod
    def from_json(cls, data: dict) -> "StepReport":
        report = cls(data["step"], data["kept"], data.get("kept_what", "items"), notes=data.get("notes", {}),
                     outputs=data.get("outputs", []), seconds=data.get("seconds", 0.0), up_to_date=True,
                     counted=data.get("skipped_by_reason", {}))
        for reason, items in data.get("skipped", {}).items():
            report.skipped.extend({"item": i["item"], "reason": reason, "detail": i["detail"]} for i in items)
        return report


def fingerprint(options: dict, inputs: list[Path]) -> str:
    """Options plus (name, size, mtime) of each input; a missing input counts as such."""
    parts = [json.dumps(options, sort_keys=True, default=str)]
    for path in inputs:
        stat = path.stat() if path.exists() else None
        parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}" if stat else f"{path}:missing")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def run_step(work: Workspace, step: str, options: dict, inputs: list[Path],
             body: Callable[[StepReport], None], force: bool = False, echo: Callable[[str], None] = print) -> StepReport:
    """Run `body` (which fills the report and writes its outputs) unless the step is up to date."""
    key = fingerprint(options, inputs)
    report_path = work.reports / f"{step}.json"
    if not force and report_path.exists():
        previous = read_json(report_path)
        if (previous.get("version") == REPORT_VERSION and previous.get("fingerprint") == key
                and all(work.path(p).exists() for p in previous.get("outputs", []))):
            report = StepReport.from_json(previous)
            echo(summarise(report) + f"\n  (up to date: inputs and options unchanged; --force to run it again)")
            return report
    started = time.perf_counter()
    report = StepReport(step)
    body(report)
    report.seconds = round(time.perf_counter() - started, 2)
    write_json(report_path, report.to_json(key, options))
    echo(summarise(report))
    return report


def summarise(report: StepReport) -> str:
    counts = report.skip_counts()
    lines = [f"{report.step}: kept {report.kept} {report.kept_what}, skipped {sum(counts.values())}"
             + (f" ({report.seconds:.1f} s)" if report.seconds else "")]
    examples = {s["reason"]: s for s in reversed(report.skipped)}
    for reason, count in counts.most_common():
        example = examples.get(reason)
        where = f", e.g. {example['item']}" + (f": {example['detail']}" if example["detail"] else "") if example else ""
        lines.append(f"  skipped {count} x {reason}{where}")
    for key, value in report.notes.items():
        lines.append(f"  {key}: {value}")
    if report.outputs:
        lines.append(f"  wrote {', '.join(report.outputs)}")
    return "\n".join(lines)
