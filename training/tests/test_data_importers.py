"""Importers: each format from a folder or a tar, bad records reported and skipped, tag parsing."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from data_helpers import pattern, save

from avatargan.data.importers import (detect_format, import_records, normalise_tag, parse_tag_field,
                                      split_space_joined)
from avatargan.data.sources import open_source


def test_tag_parsing():
    assert split_space_joined("aqua hair aqua eyes") == ["aqua hair", "aqua eyes"]
    assert split_space_joined("blonde hair long_hair smile red eyes") == ["blonde hair", "long hair", "smile", "red eyes"]
    assert parse_tag_field("blonde hair, red eyes,long_hair") == ["blonde hair", "red eyes", "long hair"]
    assert parse_tag_field("blonde hair;red eyes") == ["blonde hair", "red eyes"]
    assert normalise_tag(" Long__Hair ") == "long hair"


def make_csv_source(root: Path) -> Path:
    for i in range(5):
        save(pattern(i), root / "images" / f"{i}.png")
    (root / "tags.csv").write_text(
        "id,tags\n"
        "0,aqua hair aqua eyes\n"
        '1,"blonde hair, red eyes"\n'
        "2,black hair;blue eyes\n"
        "3,green hair,green eyes,smile\n"
        "just-one-field\n"
        "9,red hair red eyes\n"          # no image 9
        "4,pink hair pink eyes\n"
    )
    return root


def test_csv_folder(tmp_path):
    with open_source(make_csv_source(tmp_path / "src")) as source:
        assert detect_format(source) == "csv"
        result = import_records(source)
    assert [r.image for r in result.records] == [f"images/{i}.png" for i in (0, 1, 2, 3, 4)]
    assert [r.tags for r in result.records[:4]] == [
        ["aqua hair", "aqua eyes"], ["blonde hair", "red eyes"], ["black hair", "blue eyes"],
        ["green hair", "green eyes", "smile"]]
    assert result.records[0].source == "tags.csv:2"
    reasons = {s.item: s.reason for s in result.skipped}
    assert set(reasons) == {"tags.csv:6", "tags.csv:7"}
    assert "expected 'id,tags'" in reasons["tags.csv:6"] and "no image file for '9'" in reasons["tags.csv:7"]


def test_csv_read_from_tar_without_extracting(tmp_path):
    src = make_csv_source(tmp_path / "faces")
    archive = tmp_path / "faces.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(src, arcname="faces")
    with open_source(archive) as source:
        result = import_records(source, "csv")
        assert source.read_bytes(result.records[0].image)[:4] == b"\x89PNG"
    assert result.records[0].image == "faces/images/0.png" and len(result.records) == 5


def test_json_map(tmp_path):
    root = tmp_path / "src"
    for i in range(3):
        save(pattern(i), root / "images" / f"{i}.jpg")
    labels = {"0.jpg": ["blonde hair", "pink eyes"], "1.jpg": 7, "2.jpg": "red hair, red eyes", "5.jpg": ["red hair"]}
    (root / "labels.json").write_text(json.dumps(labels))
    with open_source(root) as source:
        assert detect_format(source) == "json"
        result = import_records(source)
    assert [(r.image, r.tags) for r in result.records] == [
        ("images/0.jpg", ["blonde hair", "pink eyes"]), ("images/2.jpg", ["red hair", "red eyes"])]
    assert sorted(s.item for s in result.skipped) == ["labels.json['1.jpg']", "labels.json['5.jpg']"]


def test_sidecar(tmp_path):
    root = tmp_path / "src"
    save(pattern(0), root / "a.png")
    (root / "a.txt").write_text("blonde_hair, blue eyes,\nsmile, Long_Hair\n")
    save(pattern(1), root / "sub" / "b.jpg")
    (root / "sub" / "b.txt").write_text("red hair")
    save(pattern(2), root / "untagged.png")
    with open_source(root) as source:
        assert detect_format(source) == "sidecar"
        result = import_records(source)
    assert [(r.image, r.tags) for r in result.records] == [
        ("a.png", ["blonde hair", "blue eyes", "smile", "long hair"]), ("sub/b.jpg", ["red hair"])]
    assert [(s.item, s.reason) for s in result.skipped] == [("untagged.png", "no sidecar .txt with its tags")]


@pytest.mark.parametrize("as_list", [False, True])
def test_danbooru(tmp_path, as_list):
    root = tmp_path / "src"
    save(pattern(0), root / "images" / "aaa.jpg")
    save(pattern(1), root / "images" / "bbb.png")
    save(pattern(2), root / "images" / "c" / "777.jpg")  # named by id, as in the Kaggle set
    posts = [
        {"md5": "aaa", "tags": "blonde_hair long_hair red_eyes", "rating": "s", "file_ext": "jpg"},
        {"md5": "bbb", "tags": ["blue_hair", "smile"], "rating": "s", "file_ext": "png"},
        {"md5": "ccc", "id": 777, "tags": [{"id": "1", "name": "black_hair"}], "file_ext": "jpg"},
        {"tags": "no md5"},
        {"md5": "ddd", "tags": "red_hair", "file_ext": "jpg"},   # no image
        {"md5": "eee", "tags": 5, "file_ext": "jpg"},             # tags not a string or list
    ]
    if as_list:
        (root / "posts.json").write_text(json.dumps(posts))
    else:
        lines = [json.dumps(p) for p in posts[:3]] + ["{not json"] + [json.dumps(p) for p in posts[3:]]
        (root / "metadata.jsonl").write_text("\n".join(lines) + "\n")
    with open_source(root) as source:
        assert detect_format(source) == "danbooru"
        result = import_records(source)
    assert [(r.image, r.tags) for r in result.records] == [
        ("images/aaa.jpg", ["blonde hair", "long hair", "red eyes"]),
        ("images/bbb.png", ["blue hair", "smile"]),
        ("images/c/777.jpg", ["black hair"])]
    assert result.records[0].extra == {"md5": "aaa", "rating": "s"}
    reasons = " | ".join(s.reason for s in result.skipped)
    assert len(result.skipped) == (3 if as_list else 4)
    assert "no md5" in reasons and "no image file for post ddd" in reasons and "no usable tags" in reasons
    if not as_list:
        assert "not valid JSON" in reasons


def test_unknown_format_names_the_source(tmp_path):
    save(pattern(0), tmp_path / "src" / "a.png")
    with open_source(tmp_path / "src") as source, pytest.raises(ValueError, match="pass --format"):
        import_records(source)
