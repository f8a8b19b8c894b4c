"""Step `import`: a tagged-image source -> records.jsonl (image path, tags, where the record came from).

The formats are the pack command's importers (Danbooru / Kaggle "tagged-anime-illustrations"
JSON or JSON lines keyed by md5, CSV `id,tags`, JSON maps, sidecar .txt), so both commands read
a source the same way. Bad records are reported by the importer and skipped. Images without
any tag are kept: the autotag step can tag them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..data.importers import import_records
from ..data.sources import open_source
from .runner import StepReport, run_step
from .workspace import Workspace, write_json, write_jsonl

RECORDS = "records.jsonl"
SOURCE = "source.json"


def record_id(image: str) -> str:
    """A short stable id for an image path: names its crops and review entries."""
    return hashlib.sha1(image.encode("utf-8")).hexdigest()[:12]


def run_import(work: Workspace, source: str | Path, fmt: str = "auto", force: bool = False,
               limit: int | None = None) -> StepReport:
    """Read the source's records; `limit` keeps the first N (a quick trial)."""
    if limit is not None and limit < 1:
        raise ValueError(f"limit {limit} must be at least 1 (or left out for all records)")
    source = Path(source).resolve()
    if not source.exists():
        raise FileNotFoundError(f"data source {source} does not exist; give a folder or a .tar file of images and tags")
    # Every file of a folder source counts: an image or a metadata file added anywhere re-runs the import.
    inputs = [source] + (sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [])

    def body(report: StepReport) -> None:
        with open_source(source) as opened:
            imported = import_records(opened, fmt)
        if limit is not None:
            imported.records = imported.records[:limit]
        rows = [{"id": record_id(r.image), "image": r.image, "tags": r.tags, "source": r.source, **r.extra}
                for r in imported.records]
        for bad in imported.skipped:
            report.skip(bad.item, "bad record", bad.reason)
        write_json(work.path(SOURCE), {"source": str(source), "format": imported.format})
        report.kept, report.kept_what = write_jsonl(work.path(RECORDS), rows), "records"
        report.notes = {"format": imported.format, "untagged": sum(1 for r in rows if not r["tags"])}
        report.outputs = [SOURCE, RECORDS]

    return run_step(work, "import", {"source": str(source), "format": fmt, "limit": limit}, inputs, body, force)
