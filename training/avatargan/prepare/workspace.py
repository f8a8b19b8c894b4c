"""The work folder of a data preparation: one fixed file name per step's output.

    <work>/source.json        where the originals are (a folder or a .tar; never written to)
    <work>/records.jsonl      import: one record per image (image path in the source, tags, origin)
    <work>/filtered.jsonl     filter: records whose tags are appearance tags inside the frequency band
    <work>/vocab.json         filter: every tag seen, its count and frequency, kept or why not
    <work>/tag-frequency.png  filter: bar chart of the tag frequencies
    <work>/crops/*.png        crop: square head crops at the training resolution
    <work>/crops.jsonl        crop: one line per crop (crop file, original image, box, tags)
    <work>/unique.jsonl       dedupe: crops left after removing exact and near duplicates
    <work>/review.json        review: the list the workbench's /review page shows
    <work>/decisions.json     a person's accept/reject decisions (written by the workbench)
    <work>/tagged.jsonl       autotag: unique crops, untagged ones tagged by the tagger
    <work>/reports/<step>.json what each step kept and skipped, with reasons
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator


class Workspace:
    def __init__(self, folder: str | Path):
        self.root = Path(folder)

    def path(self, name: str) -> Path:
        return self.root / name

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def crops(self) -> Path:
        return self.root / "crops"

    def require(self, name: str, made_by: str) -> Path:
        """The path of an earlier step's output, or an error that says which step makes it."""
        path = self.path(name)
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `python -m avatargan prepare {made_by} --work {self.root}` first")
        return path


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data) -> None:
    write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def write_jsonl(path: Path, rows: Iterable[dict]) -> int:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    write_atomic(path, "".join(line + "\n" for line in lines))
    return len(lines)


def read_jsonl(path: Path) -> list[dict]:
    return list(iter_jsonl(path))


def iter_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
