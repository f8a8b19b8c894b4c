"""prepare on real illustrations (../shared/data): the anime-face cascade, head crops, resuming the crop step."""

from __future__ import annotations

import json
import shutil

import pytest
from PIL import Image

from avatargan.prepare.crop_step import CropOptions, decode_rgb, run_crop
from avatargan.prepare.faces import CropGeometry, FaceDetector, head_square
from avatargan.prepare.import_step import run_import
from avatargan.prepare.tag_filter import FilterOptions, run_filter
from avatargan.prepare.workspace import Workspace, read_jsonl

pytestmark = pytest.mark.real_data


@pytest.fixture
def illustrations(shared_data):
    return shared_data / "illustrations"


@pytest.fixture
def cascade(shared_data):
    return shared_data / "detector" / "lbpcascade_animeface.xml"


def test_cascade_finds_the_idols_and_the_squares_hold_whole_heads(illustrations, cascade):
    rgb = decode_rgb((illustrations / "idols.png").read_bytes())
    height, width = rgb.shape[:2]
    boxes = FaceDetector(cascade).detect(rgb)
    assert len(boxes) >= 15, f"found {len(boxes)} of the 17 faces in idols.png"
    geometry = CropGeometry()
    for x, y, w, h in boxes:
        square = head_square((x, y, w, h), width, height, geometry)
        assert 0 <= square.x and 0 <= square.y and square.x + square.side <= width and square.y + square.side <= height
        # Hair and head top above the brows, ears at the sides, unless the picture's edge is in the way.
        assert square.y <= max(y - 0.45 * h, 0) + 1
        assert square.x <= max(x - 0.25 * w, 0) + 1 and square.x + square.side >= min(x + 1.25 * w, width) - 1
        assert y + h < square.y + square.side <= y + 1.35 * h + 1  # down to the shoulders, not the waist


def test_another_cascade_at_the_same_path_redoes_the_crops(tmp_path, illustrations, cascade):
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(illustrations / "group_5.jpg", source / "g5.jpg")
    (source / "g5.txt").write_text("blonde hair")
    work = Workspace(tmp_path / "work")
    run_import(work, source)
    run_filter(work, FilterOptions(min_frequency=0.0, max_frequency=1.0))
    mine = tmp_path / "cascade.xml"
    shutil.copy(cascade, mine)
    options = CropOptions(cascade=str(mine))
    run_crop(work, options)
    assert run_crop(work, options).up_to_date
    mine.write_text(mine.read_text() + "\n<!-- retrained -->\n")
    assert not run_crop(work, options).up_to_date


def test_crop_step_on_real_pictures_resumes_and_reports(tmp_path, illustrations, cascade):
    source = tmp_path / "src"
    source.mkdir()
    for name, tags in (("idols.png", "brown hair, smile"), ("group_5.jpg", "blonde hair")):
        shutil.copy(illustrations / name, source / name)
        (source / name).with_suffix(".txt").write_text(tags)
    (source / "broken.jpg").write_bytes((illustrations / "group_5.jpg").read_bytes()[:2000])  # truncated JPEG
    (source / "broken.txt").write_text("red hair")
    work = Workspace(tmp_path / "work")
    run_import(work, source)
    run_filter(work, FilterOptions(min_frequency=0.0, max_frequency=1.0))
    options = CropOptions(cascade=str(cascade), resolution=64)
    report = run_crop(work, options)
    rows = read_jsonl(work.path("crops.jsonl"))
    per_picture = {name: sum(1 for r in rows if r["image"] == name) for name in ("idols.png", "group_5.jpg")}
    assert per_picture["idols.png"] >= 15 and per_picture["group_5.jpg"] == 1
    assert report.skip_counts()["unreadable image"] == 1
    for row in rows:
        with Image.open(work.path(row["crop"])) as crop:
            assert crop.size == (64, 64)
        assert row["square"][2] >= 64 and row["tags"]  # no upscaled crop at the default minimum face size
    first = read_jsonl(work.crops / "journal.jsonl")[0]
    (work.crops / "journal.jsonl").write_text(json.dumps(first) + "\n{\"image\": \"cut sh")
    (work.reports / "crop.json").unlink()
    again = run_crop(work, options)
    assert again.kept == report.kept and not again.up_to_date
    assert [r["id"] for r in read_jsonl(work.path("crops.jsonl"))] == [r["id"] for r in rows]
    assert len(read_jsonl(work.crops / "journal.jsonl")) == 3   # the cut line was dropped, the rest redone
    assert run_crop(work, options).up_to_date


def test_faces_below_the_minimum_size_are_skipped(tmp_path, illustrations, cascade):
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(illustrations / "group_4.jpg", source / "g4.jpg")  # five faces, 48 to 166 px wide (README)
    (source / "g4.txt").write_text("smile")
    work = Workspace(tmp_path / "work")
    run_import(work, source)
    run_filter(work, FilterOptions(min_frequency=0.0, max_frequency=1.0))
    report = run_crop(work, CropOptions(cascade=str(cascade), min_face=100))
    too_small = [s for s in report.skipped if s["reason"] == "face too small"]
    assert report.kept >= 1 and len(too_small) >= 1 and report.kept + len(too_small) == 5
    assert all(r["box"][2] >= 100 for r in read_jsonl(work.path("crops.jsonl")))
    assert all(int(s["detail"].split()[0]) < 100 for s in too_small)
