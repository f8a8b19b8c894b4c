"""prepare: import, tag filter, geometry, dedupe, review decisions, autotag, pack, resumability (synthetic data)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from data_helpers import near_copy, pattern, save
from PIL import Image
from prepare_helpers import BAND_POSTS, make_danbooru_source

from avatargan.cli import main
from avatargan.data.pack import load_pack
from avatargan.prepare.autotag import AutotagOptions, run_autotag
from avatargan.prepare.crop_step import CropOptions, run_crop
from avatargan.prepare.dedupe_step import DedupeOptions, run_dedupe
from avatargan.prepare.faces import CropGeometry, FaceDetector, head_square
from avatargan.prepare.import_step import run_import
from avatargan.prepare.pack_step import PackStepOptions, run_pack_step
from avatargan.prepare.review import read_decisions, run_review
from avatargan.prepare.tag_filter import FilterOptions, run_filter
from avatargan.prepare.workspace import Workspace, read_json, read_jsonl, write_json, write_jsonl

REPO = Path(__file__).resolve().parents[2]
SHIPPED_TAGGER = REPO / "public" / "weights" / "tagger"


@pytest.fixture
def danbooru(tmp_path):
    planted = make_danbooru_source(tmp_path / "src")
    return tmp_path / "src", planted, Workspace(tmp_path / "work")


def test_import_reports_malformed_records_and_keeps_untagged(danbooru):
    source, planted, work = danbooru
    report = run_import(work, source)
    records = read_jsonl(work.path("records.jsonl"))
    assert {r["image"] for r in records} == {*planted["usable"], *planted["dropped"], planted["untagged"], planted["corrupt"]}
    assert all(set(r) >= {"id", "image", "tags", "source", "md5", "rating"} for r in records)
    assert report.skip_counts() == {"bad record": 3}
    details = " | ".join(s["detail"] for s in report.skipped)
    assert "not valid JSON" in details and "has no md5" in details and "no image file" in details
    assert report.notes["untagged"] == 2
    assert read_json(work.path("source.json"))["format"] == "danbooru"


def test_filter_band_and_drawing_style_drop(danbooru):
    source, planted, work = danbooru
    run_import(work, source)
    report = run_filter(work, FilterOptions(min_frequency=0.05, max_frequency=0.5))
    verdicts = {v["tag"]: (v["count"], v["verdict"]) for v in read_json(work.path("vocab.json"))["tags"]}
    assert verdicts == {"long hair": (13, "too common"), "blue eyes": (10, "kept"), "ahoge": (9, "kept"),
                        "blonde hair": (5, "kept"), "red eyes": (3, "kept"), "hat": (1, "too rare")}
    kept = {r["image"]: r["tags"] for r in read_jsonl(work.path("filtered.jsonl"))}
    assert set(planted["dropped"]).isdisjoint(kept)
    dropped = {s["item"]: s["detail"] for s in report.skipped if s["reason"] == "drawing style"}
    assert set(dropped) == set(planted["dropped"])
    assert "monochrome" in dropped[planted["dropped"][2]] and "greyscale" in dropped[planted["dropped"][2]]
    assert kept[planted["usable"][0]] == ["blue eyes"]        # long hair (too common) and 1girl (not appearance) gone
    assert kept[planted["usable"][13]] == ["blonde hair", "red eyes"]  # school uniform is not an appearance tag
    assert kept[planted["untagged"]] == []
    assert len(BAND_POSTS) == 25 and report.kept == 27
    with Image.open(work.path("tag-frequency.png")) as chart:
        assert chart.format == "PNG" and chart.size[0] >= 600


def test_filter_user_lists_and_a_wider_band(danbooru):
    source, _, work = danbooru
    run_import(work, source)
    run_filter(work, FilterOptions(min_frequency=0.0, max_frequency=1.0, extra_appearance=["school uniform"],
                                   extra_drop=["ahoge"]))
    verdicts = {v["tag"]: v["verdict"] for v in read_json(work.path("vocab.json"))["tags"]}
    assert verdicts["school uniform"] == "kept" and verdicts["long hair"] == "kept" and "ahoge" not in verdicts
    with pytest.raises(ValueError, match="band"):
        run_filter(work, FilterOptions(min_frequency=0.6, max_frequency=0.5))
    only_questionable = run_filter(work, FilterOptions(ratings=["q"]))
    assert only_questionable.kept == 0 and only_questionable.skip_counts() == {"rating": 27, "drawing style": 3}


def test_steps_are_resumable(danbooru, capsys):
    source, _, work = danbooru
    assert not run_import(work, source).up_to_date
    assert run_import(work, source).up_to_date
    assert "up to date" in capsys.readouterr().out
    assert not run_filter(work, FilterOptions()).up_to_date
    assert run_filter(work, FilterOptions()).up_to_date
    assert not run_filter(work, FilterOptions(max_frequency=0.6)).up_to_date  # other options: runs again
    assert not run_import(work, source, force=True).up_to_date
    assert not run_filter(work, FilterOptions(max_frequency=0.6)).up_to_date  # its input changed
    work.path("vocab.json").unlink()
    assert not run_filter(work, FilterOptions(max_frequency=0.6)).up_to_date  # an output went missing


def test_head_square_geometry():
    geometry = CropGeometry(scale=1.6, lift=0.2)
    box = (400, 300, 100, 100)
    square = head_square(box, 1000, 1000, geometry)
    assert square.side == 160 and not square.shrunk
    assert square.x <= box[0] - 25 and square.x + square.side >= box[0] + box[2] + 25   # ears and hair at the sides
    assert square.y <= box[1] - 45                                                         # top of the head
    assert box[1] + box[3] < square.y + square.side <= box[1] + box[3] + 40               # stops below the chin
    corner = head_square((0, 0, 100, 100), 1000, 1000, geometry)
    assert (corner.x, corner.y, corner.side) == (0, 0, 160)                                # slid inside, still square
    small = head_square((10, 10, 100, 100), 130, 150, geometry)
    assert small.side == 130 and small.shrunk and small.x == 0 and 0 <= small.y <= 20


def test_missing_cascade_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="--cascade"):
        FaceDetector(tmp_path / "nope.xml")
    bad = tmp_path / "bad.xml"
    bad.write_text("<opencv_storage></opencv_storage>")
    with pytest.raises(ValueError, match="not an OpenCV cascade"):
        FaceDetector(bad)
    with pytest.raises(ValueError, match="--cascade"):
        CropOptions(cascade="").validate()


def test_a_corrupt_picture_is_skipped_and_reported_not_raised():
    from avatargan.prepare.crop_step import _process, decode_rgb

    corrupt = b"\xff\xd8\xff\xe0 this is not really a JPEG"
    with pytest.raises(ValueError):
        decode_rgb(corrupt)

    class Source:
        def read_bytes(self, name):
            return corrupt

    record = {"image": "images/broken.jpg", "source": "meta:1", "tags": ["red hair"]}
    result = _process(record, Source(), detector=None, options=CropOptions(cascade="unused.xml"), work=None)
    assert result["crops"] == []
    assert [(s["item"], s["reason"]) for s in result["skipped"]] == [("images/broken.jpg", "unreadable image")]


def _crop_rows(work: Workspace, images: list[np.ndarray], tags: list[list[str]]) -> None:
    """crops.jsonl and crops/*.png as the crop step writes them."""
    rows = []
    for i, (pixels, t) in enumerate(zip(images, tags)):
        name = f"crops/c{i}-0.png"
        save(pixels, work.path(name))
        rows.append({"id": f"c{i}-0", "crop": name, "image": f"pic{i}.png", "source": f"meta:{i}", "tags": t,
                     "box": [0, 0, 10, 10], "square": [0, 0, 16], "notes": []})
    write_jsonl(work.path("crops.jsonl"), rows)


def test_dedupe_review_decisions_and_pack(tmp_path):
    work = Workspace(tmp_path / "work")
    base = [pattern(i, 32) for i in range(6)]
    images = base + [base[0].copy(), near_copy(base[1])]   # c6 is an exact copy of c0, c7 a near copy of c1
    tags = [["red hair", "blue eyes"], ["blonde hair", "red eyes"], ["red hair", "smile"], ["blonde hair"],
            ["red hair", "blonde hair"], ["red hair"], ["red hair", "blue eyes"], ["blonde hair", "red eyes"]]
    _crop_rows(work, images, tags)
    report = run_dedupe(work, DedupeOptions())
    assert report.kept == 6 and report.skip_counts() == {"exact duplicate": 1, "near duplicate": 1}
    run_review(work)
    review = read_json(work.path("review.json"))
    assert review["format"] == "avatargan-review" and review["resolution"] == 32
    assert [item["id"] for item in review["items"]] == [f"c{i}-0" for i in range(6)]
    assert set(review["items"][0]) == {"id", "crop", "image", "source", "tags"}
    write_json(work.path("decisions.json"), {"format": "avatargan-review-decisions", "version": 1, "decisions": {
        "c2-0": {"decision": "reject", "at": "2026-01-01T00:00:00Z"},
        "c0-0": {"decision": "accept", "at": "2026-01-01T00:00:00Z"},
        "c1-0": {"decision": "accept", "at": "2026-01-01T00:00:00Z"}}})
    run_review(work, force=True)
    assert read_decisions(work.path("decisions.json"))["c2-0"] == "reject"      # a new list keeps decisions
    run_autotag(work, AutotagOptions(tagger=str(tmp_path / "no-tagger")))
    out = tmp_path / "pack"
    report = run_pack_step(work, PackStepOptions(out=str(out), val_fraction=0.2))
    assert report.skip_counts() == {"rejected in review": 1}
    pack = load_pack(out)
    assert pack.images.shape == (5, 32, 32, 3) and pack.labels.shape[0] == 5
    assert [s.split("#")[1] for s in pack.meta["sources"]] == ["c0-0", "c1-0", "c3-0", "c4-0", "c5-0"]
    assert np.array_equal(pack.images[0], base[0])
    hair = pack.vocab.group("hair")
    assert {t.name for t in hair.tags} == {"red hair", "blonde hair"}
    assert pack.labels[3].sum() == 0    # c4 had two hair colours: the group is dropped, not guessed
    assert pack.meta["report"]["counts"]["accepted"] == 2
    strict = run_pack_step(work, PackStepOptions(out=str(tmp_path / "strict"), accepted_only=True))
    assert strict.kept == 2 and strict.skip_counts() == {"rejected in review": 1, "not reviewed": 3}


def test_decisions_file_is_validated(tmp_path):
    path = tmp_path / "decisions.json"
    assert read_decisions(path) == {}
    write_json(path, {"format": "avatargan-review-decisions", "version": 1, "decisions": {"a": {"decision": "maybe"}}})
    with pytest.raises(ValueError, match="'maybe'"):
        read_decisions(path)


def test_autotag_without_and_with_the_tagger(tmp_path):
    work = Workspace(tmp_path / "work")
    _crop_rows(work, [pattern(i, 64) for i in range(3)], [[], ["red hair"], []])
    run_dedupe(work, DedupeOptions())
    report = run_autotag(work, AutotagOptions(tagger=str(tmp_path / "none")))
    assert "train-tagger" in report.notes["tagger"] and "2 crops stay untagged" in report.notes["tagger"]
    assert [r["tags"] for r in read_jsonl(work.path("tagged.jsonl"))] == [[], ["red hair"], []]
    if not (SHIPPED_TAGGER / "model.json").exists():
        pytest.skip(f"no exported tagger at {SHIPPED_TAGGER}")
    shutil.copytree(SHIPPED_TAGGER, tmp_path / "tagger")  # appears later: the step runs again by itself
    report = run_autotag(work, AutotagOptions(tagger=str(tmp_path / "tagger"), threshold=1e-6))
    rows = read_jsonl(work.path("tagged.jsonl"))
    assert not report.up_to_date and report.notes["autotagged"] == 2
    assert rows[1]["tags"] == ["red hair"] and "autotagged" not in rows[1]
    for row in (rows[0], rows[2]):
        assert row["autotagged"] and [t.split()[-1] for t in row["tags"]] == ["hair", "eyes"]  # one per group
    unsure = run_autotag(work, AutotagOptions(tagger=str(tmp_path / "tagger"), threshold=1.0), force=True)
    assert unsure.kept == 3 and unsure.skipped == []         # kept, untagged, and said so in the notes
    assert unsure.notes["autotagged"] == 0 and unsure.notes["left untagged (no tag above 1.0)"] == 2


def test_cli_runs_steps_and_never_touches_the_originals(danbooru, capsys):
    source, _, work = danbooru
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in source.rglob("*") if p.is_file()}
    assert main(["prepare", "import", str(source), "--work", str(work.root)]) == 0
    assert main(["prepare", "filter", "--work", str(work.root), "--band", "0.05,0.5"]) == 0
    out = capsys.readouterr().out
    assert "import: kept 30 records, skipped 3" in out and "skipped 3 x drawing style" in out
    assert main(["prepare", "crop", "--work", str(work.root), "--cascade", str(source / "missing.xml")]) == 2
    assert "lbpcascade_animeface.xml" in capsys.readouterr().err
    assert main(["prepare", "pack", "--work", str(work.root / "empty"), "--out", str(work.root / "p")]) == 2
    assert "prepare autotag" in capsys.readouterr().err
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in source.rglob("*") if p.is_file()}
    assert after == before


def test_all_checks_every_input_before_the_first_step(danbooru, capsys):
    """A missing cascade used to be reported only after import and filter had run (issue 17)."""
    source, _, work = danbooru
    assert main(["prepare", "all", str(source), "--work", str(work.root), "--cascade", str(source / "missing.xml"),
                 "--out", str(work.root / "pack")]) == 2
    err = capsys.readouterr().err
    assert "nothing was run" in err and "missing.xml does not exist" in err
    assert not (work.root / "records.jsonl").exists() and not any(work.root.glob("reports/*.json"))
