"""Importers: turn a tagged-image source into records (image path, tags, where it came from).

Formats (see ARCHITECTURE.md, "Data pipeline"):

    csv       `id,tags` lines; tags separated by ',' or ';', or space-joined as in
              anime-faces-64 ("aqua hair aqua eyes": "<word> hair" / "<word> eyes" pairs are
              recognised, other words are single Danbooru tags). A header line is detected.
    json      a map {"<file>": ["tag", ...]} (anime-faces-96 labels.json).
    sidecar   a folder of images, each with "<stem>.txt" holding comma-separated tags.
    danbooru  Danbooru / Kaggle "tagged-anime-illustrations" metadata: JSON (a list, or one
              record per line) of posts with md5, tags (a space-separated string in Danbooru
              spelling, a list of names, or a list of {"name": ...}), rating, file_ext; the
              images are named by md5 (or by id) somewhere in the source.

A record that cannot be used (a missing field, a missing image, a line that does not parse)
is reported as a Skipped item and left out; it never stops the import.
"""

from __future__ import annotations

import csv
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Callable, Iterable, Iterator

from .sources import Source

FORMATS = ("csv", "json", "sidecar", "danbooru")
PAIR_NOUNS = ("hair", "eyes")  # "<word> hair" / "<word> eyes" stay together in space-joined tags
HEADER_WORDS = {"id", "image", "file", "filename", "name", "md5", "path", "tags", "tag", "labels", "label"}


@dataclass
class Record:
    image: str                 # path of the image inside the source
    tags: list[str]            # normalised tag names, Danbooru spelling with spaces
    source: str                # where the record came from, e.g. "tags.csv:12"
    extra: dict = field(default_factory=dict)  # format-specific fields kept for reports (rating, md5)


@dataclass
class Skipped:
    item: str
    reason: str

    def to_json(self) -> dict:
        return {"item": self.item, "reason": self.reason}


@dataclass
class ImportResult:
    format: str
    records: list[Record]
    skipped: list[Skipped]


def normalise_tag(tag: str) -> str:
    """'Long_Hair ' -> 'long hair': Danbooru spelling with spaces, lower case, single spaces."""
    return " ".join(tag.replace("_", " ").lower().split())


def split_space_joined(text: str) -> list[str]:
    """'aqua hair aqua eyes smile long_hair' -> ['aqua hair', 'aqua eyes', 'smile', 'long hair']."""
    words, tags, i = text.split(), [], 0
    while i < len(words):
        if i + 1 < len(words) and words[i + 1].lower() in PAIR_NOUNS and words[i].lower() not in PAIR_NOUNS:
            tags.append(f"{words[i]} {words[i + 1]}")
            i += 2
        else:
            tags.append(words[i])
            i += 1
    return _clean(tags)


def parse_tag_field(text: str) -> list[str]:
    """A tag column: ';'- or ','-separated when it has those, else space-joined."""
    for sep in (";", ","):
        if sep in text:
            return _clean(text.split(sep))
    return split_space_joined(text)


def _clean(tags: Iterable[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        name = normalise_tag(tag)
        if name and name not in out:
            out.append(name)
    return out


# ---------------------------------------------------------------- format detection

def _metadata_files(source: Source, suffixes: tuple[str, ...]) -> list[str]:
    return [f for f in source.files if f.lower().endswith(suffixes) and not PurePosixPath(f).name.startswith(".")]


def _json_kind(text: str) -> str | None:
    """'danbooru', 'json' (a {file: tags} map) or None, from the start of a JSON/JSONL file."""
    head = text.lstrip()[:65536]
    if not head:
        return None
    if '"md5"' in head:
        return "danbooru"
    if head.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return None
        sample = list(data.values())[:50] if isinstance(data, dict) else []
        if sample and 2 * sum(isinstance(v, (list, str)) for v in sample) >= len(sample):  # bad entries are skipped later
            return "json"
    return None


def detect_format(source: Source) -> str:
    kinds = {_json_kind(source.read_text(f)) for f in _metadata_files(source, (".json", ".jsonl"))}
    if "danbooru" in kinds:
        return "danbooru"
    if "json" in kinds:
        return "json"
    if _metadata_files(source, (".csv",)):
        return "csv"
    images = {posixpath.splitext(f)[0] for f in source.images_under("")}
    if any(posixpath.splitext(f)[0] in images for f in _metadata_files(source, (".txt",))):
        return "sidecar"
    raise ValueError(f"cannot tell the format of {source.path}: no Danbooru metadata (.json/.jsonl with md5), "
                     f"no {{file: tags}} .json, no .csv and no sidecar .txt files; pass --format explicitly")


# ---------------------------------------------------------------- importers

def import_csv(source: Source) -> ImportResult:
    records, skipped = [], []
    files = _metadata_files(source, (".csv",))
    if not files:
        raise ValueError(f"{source.path} has no .csv file of id,tags lines")
    for meta in files:
        folder, seen = posixpath.dirname(meta), {}
        lines = source.read_text(meta).splitlines()
        for number, row in _csv_rows(lines):
            where = f"{meta}:{number}"
            if number == 1 and _is_header(row):
                continue
            if len(row) < 2 or not row[0].strip():
                skipped.append(Skipped(where, f"expected 'id,tags', got {lines[number - 1][:80]!r}"))
                continue
            key = row[0].strip()
            tags = parse_tag_field(row[1]) if len(row) == 2 else _clean(row[1:])
            _add(records, skipped, seen, source, folder, key, tags, where)
    return ImportResult("csv", records, skipped)


def _csv_rows(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, next(csv.reader([line]))
        except (csv.Error, StopIteration):
            yield number, []


def _is_header(row: list[str]) -> bool:
    first = row[0].strip().lower() if row else ""
    second = row[1].strip().lower() if len(row) > 1 else ""
    return first in HEADER_WORDS or second in HEADER_WORDS


def import_json_map(source: Source) -> ImportResult:
    records, skipped = [], []
    files = [f for f in _metadata_files(source, (".json",)) if _json_kind(source.read_text(f)) == "json"]
    if not files:
        raise ValueError(f"{source.path} has no .json file mapping image names to tag lists")
    for meta in files:
        folder, seen = posixpath.dirname(meta), {}
        data = json.loads(source.read_text(meta))
        for key, value in data.items():
            where = f"{meta}[{key!r}]"
            if isinstance(value, str):
                tags = parse_tag_field(value)
            elif isinstance(value, list) and all(isinstance(t, str) for t in value):
                tags = _clean(value)
            else:
                skipped.append(Skipped(where, f"tags must be a list of strings, got {json.dumps(value)[:60]}"))
                continue
            _add(records, skipped, seen, source, folder, key, tags, where)
    return ImportResult("json", records, skipped)


def import_sidecar(source: Source) -> ImportResult:
    records, skipped = [], []
    for image in source.images_under(""):
        stem = posixpath.splitext(image)[0]
        sidecar = next((c for c in (stem + ".txt", image + ".txt") if source.exists(c)), None)
        if sidecar is None:
            skipped.append(Skipped(image, "no sidecar .txt with its tags"))
            continue
        tags = _clean(re.split(r"[,\n]", source.read_text(sidecar)))
        records.append(Record(image, tags, sidecar))
    if not records and not skipped:
        raise ValueError(f"{source.path} has no images with sidecar .txt tag files")
    return ImportResult("sidecar", records, skipped)


def import_danbooru(source: Source) -> ImportResult:
    records, skipped = [], []
    files = [f for f in _metadata_files(source, (".json", ".jsonl")) if _json_kind(source.read_text(f)) == "danbooru"]
    if not files:
        raise ValueError(f"{source.path} has no Danbooru metadata (.json or .jsonl records with md5)")
    seen: dict[str, str] = {}
    for meta in files:
        for where, post in _json_records(source.read_text(meta), meta, skipped):
            record = _danbooru_record(source, post, where, skipped)
            if record is None:
                continue
            if record.image in seen:
                skipped.append(Skipped(where, f"image {record.image} already listed at {seen[record.image]}"))
                continue
            seen[record.image] = where
            records.append(record)
    return ImportResult("danbooru", records, skipped)


def _json_records(text: str, meta: str, skipped: list[Skipped]) -> Iterator[tuple[str, object]]:
    """Posts from a JSON list, a single JSON object, or JSON lines (one post per line)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, list):
        yield from ((f"{meta}[{i}]", post) for i, post in enumerate(data))
        return
    if isinstance(data, dict):
        yield f"{meta}", data
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{meta}:{number}", json.loads(line)
        except json.JSONDecodeError as err:
            skipped.append(Skipped(f"{meta}:{number}", f"not valid JSON ({err.msg} at column {err.colno})"))


def _danbooru_record(source: Source, post: object, where: str, skipped: list[Skipped]) -> Record | None:
    if not isinstance(post, dict):
        skipped.append(Skipped(where, "expected a JSON object per post"))
        return None
    md5, raw_tags = post.get("md5"), post.get("tags", post.get("tag_string"))
    if not isinstance(md5, str) or not md5:
        skipped.append(Skipped(where, "post has no md5"))
        return None
    tags = _danbooru_tags(raw_tags)
    if tags is None:
        skipped.append(Skipped(where, f"post {md5} has no usable tags (a string or a list is expected)"))
        return None
    ext = str(post.get("file_ext") or "").lstrip(".")
    keys = [f"{md5}.{ext}"] if ext else []
    keys += [md5] + ([str(post["id"])] if post.get("id") is not None else [])
    image = next((found for key in keys if (found := source.find_image("", key))), None)
    if image is None:
        skipped.append(Skipped(where, f"no image file for post {md5} (looked for {', '.join(keys)})"))
        return None
    extra = {"md5": md5, **({"rating": post["rating"]} if "rating" in post else {})}
    return Record(image, tags, where, extra)


def _danbooru_tags(raw: object) -> list[str] | None:
    if isinstance(raw, str):
        return _clean(raw.split())  # Danbooru tag strings are space-separated, words joined by '_'
    if isinstance(raw, list):
        names = [t.get("name") if isinstance(t, dict) else t for t in raw]
        if all(isinstance(n, str) for n in names):
            return _clean(names)
    return None


def _add(records: list[Record], skipped: list[Skipped], seen: dict[str, str], source: Source,
         folder: str, key: str, tags: list[str], where: str) -> None:
    image = source.find_image(folder, key)
    if image is None:
        skipped.append(Skipped(where, f"no image file for {key!r} under {folder or '.'}/"))
    elif image in seen:
        skipped.append(Skipped(where, f"image {image} already listed at {seen[image]}"))
    else:
        seen[image] = where
        records.append(Record(image, tags, where))


IMPORTERS: dict[str, Callable[[Source], ImportResult]] = {
    "csv": import_csv, "json": import_json_map, "sidecar": import_sidecar, "danbooru": import_danbooru,
}


def import_records(source: Source, fmt: str = "auto") -> ImportResult:
    """Records of `source` in the given format ("auto" detects it)."""
    if fmt == "auto":
        fmt = detect_format(source)
    if fmt not in IMPORTERS:
        raise ValueError(f"unknown data format {fmt!r}; choose one of auto, {', '.join(FORMATS)}")
    return IMPORTERS[fmt](source)
