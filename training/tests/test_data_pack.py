"""`python -m avatargan pack` end to end (the prepare pipeline: import, centre crop, dedupe, pack):
decode, skip corrupt, dedupe, vocabulary, split, write, load; and real data."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from data_helpers import near_copy, pattern, save
from PIL import Image

from avatargan.cli import main
from avatargan.data.pack import load_pack
from avatargan.images import decode_square
from avatargan.prepare.pack_source import PackOptions, build_pack

HAIR = ["red", "blue", "green", "black"]
EYES = ["red", "blue", "green"]


def make_source(root):
    """28 lines: 20 distinct tagged images plus: an exact copy, a near copy (conflicting label), a corrupt file,
    a truncated JPEG, a non-square image, a small image, a line with no image and a malformed line."""
    lines = ["file,tags"]
    for i in range(20):
        save(pattern(i), root / f"{i}.png")
        lines.append(f"{i}.png,{HAIR[i % 4]} hair {EYES[i % 3]} eyes")
    save(pattern(3), root / "copy3.png")
    lines.append(f"copy3.png,{HAIR[3]} hair {EYES[0]} eyes")                 # same label as 3.png
    save(near_copy(pattern(5)), root / "near5.png")
    lines.append("near5.png,black hair red eyes")                          # 5.png is blue hair green eyes
    (root / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    Image.fromarray(pattern(30)).save(root / "truncated.jpg", quality=95)
    (root / "truncated.jpg").write_bytes((root / "truncated.jpg").read_bytes()[:300])
    save(np.concatenate([pattern(31), pattern(32)[:, :32]], axis=1), root / "wide.png")  # 64 x 96
    save(pattern(33, 16), root / "small.png")
    lines += ["corrupt.png,red hair", "truncated.jpg,red hair", "wide.png,red hair blue eyes",
              "small.png,green hair", "missing.png,red hair", "oops"]
    (root / "tags.csv").write_text("\n".join(lines) + "\n")
    return root


@pytest.fixture
def packed(tmp_path):
    source = make_source(tmp_path / "src")
    options = PackOptions(resolution=32, val_fraction=0.25, seed=0)
    report = build_pack(source, tmp_path / "pack", options)
    return source, tmp_path / "pack", report


def test_counts_and_reasons(packed):
    _, folder, report = packed
    c = report["counts"]
    assert (c["records"], c["bad_records"], c["read"], c["corrupt"]) == (28, 2, 26, 2)
    assert (c["exact_duplicates"], c["near_duplicates"], c["label_conflicts"]) == (1, 1, 1)
    assert (c["cropped_non_square"], c["upscaled"], c["kept"]) == (1, 1, 22)
    assert c["train"] + c["validation"] == 22 and c["validation"] >= 5
    steps = report["steps"]
    assert list(steps) == ["import", "crop", "dedupe"]
    corrupt = steps["crop"]["skipped"]["unreadable image"]
    assert {s["item"] for s in corrupt} == {"corrupt.png", "truncated.jpg"}
    assert all("cannot decode image" in s["detail"] for s in corrupt)
    assert {s["item"] for s in steps["import"]["skipped"]["bad record"]} == {"tags.csv:28", "tags.csv:29"}
    assert steps["dedupe"]["skipped"]["exact duplicate"] == [{"item": "copy3.png", "detail": "same pixels as 3.png"}]
    assert steps["dedupe"]["skipped"]["near duplicate"][0]["item"] == "near5.png"
    assert "near5.png" in steps["dedupe"]["notes"]["label conflict examples"][0]
    assert steps["crop"]["options"]["mode"] == "centre" and steps["crop"]["options"]["resolution"] == 32
    assert json.loads((folder / "meta.json").read_text())["report"]["counts"] == c


def test_round_trip_vocab_and_priors(packed):
    _, folder, report = packed
    pack = load_pack(folder)
    assert pack.images.shape == (22, 32, 32, 3) and pack.images.dtype == np.uint8
    assert [g.name for g in pack.vocab.groups] == ["hair", "eyes"]
    assert all(g.exclusive for g in pack.vocab.groups)
    assert [t.name for t in pack.vocab.group("hair").tags] == ["black hair", "blue hair", "green hair", "red hair"]
    priors = {t.name: t.prior for g in pack.vocab.groups for t in g.tags}
    assert priors["red hair"] == pytest.approx(report["tag_counts"]["red hair"] / 22, abs=1e-5)  # every kept image has a hair tag
    assert sum(t.prior for t in pack.vocab.group("eyes").tags) == pytest.approx(1.0, abs=1e-5)  # JSON keeps 6 digits
    i = pack.meta["sources"].index("7.png")
    assert pack.vocab.decode(pack.labels[i]) == ["black hair", "blue eyes"]
    assert np.array_equal(pack.images[i], decode_square((packed[0] / "7.png").read_bytes(), 32)[0])


def test_deterministic_and_near_duplicate_clusters_stay_on_one_side(tmp_path, packed):
    source, folder, _ = packed
    again = tmp_path / "again"
    build_pack(source, again, PackOptions(resolution=32, val_fraction=0.25, seed=0))
    first, second = load_pack(folder), load_pack(again)
    assert np.array_equal(first.split, second.split) and np.array_equal(first.images, second.images)
    other = build_pack(source, tmp_path / "other", PackOptions(resolution=32, val_fraction=0.25, seed=1))
    assert other["counts"]["kept"] == 22


def test_a_kept_work_folder_skips_finished_steps_and_matches_prepare(tmp_path, capsys):
    """`pack --work` leaves the prepare steps' files; a rerun says every step is up to date, and
    `prepare pack` on that folder writes the same pack (one pipeline, two front doors)."""
    source = make_source(tmp_path / "src")
    options = PackOptions(resolution=32, val_fraction=0.25)
    build_pack(source, tmp_path / "a", options, work=tmp_path / "work")
    assert (tmp_path / "work" / "reports" / "dedupe.json").exists() and (tmp_path / "work" / "crops").is_dir()
    capsys.readouterr()
    build_pack(source, tmp_path / "b", options, work=tmp_path / "work")
    assert capsys.readouterr().out.count("up to date") == 3  # import, crop, dedupe; pack writes the new folder
    work = ["--work", str(tmp_path / "work")]
    assert main(["prepare", "pack", *work, "--out", str(tmp_path / "c")]) == 2  # wants autotag's output, says so
    assert main(["prepare", "autotag", *work, "--tagger", str(tmp_path / "none")]) == 0  # every crop has tags
    assert main(["prepare", "pack", *work, "--out", str(tmp_path / "c"), "--val-fraction", "0.25"]) == 0
    first, second, third = (load_pack(tmp_path / name) for name in "abc")
    for other in (second, third):
        assert np.array_equal(first.images, other.images) and np.array_equal(first.labels, other.labels)
        assert np.array_equal(first.split, other.split) and first.meta["sources"] == other.meta["sources"]


def test_chained_near_duplicates_share_a_side(tmp_path):
    """b is near a, c is near b but not a: a and c are both kept and must land on the same side."""
    root = tmp_path / "src"
    base = (pattern(0) * 0.7 + 20).astype(np.int16)  # no clipping, so the pHash stays put; thumbnails move 10 a step
    lines = []
    for k, shift in enumerate((0, 10, 20)):
        save(np.clip(base + shift, 0, 255).astype(np.uint8), root / f"{k}.png")
        lines.append(f"{k}.png,red hair")
    for i in range(1, 30):
        save(pattern(i), root / f"x{i}.png")
        lines.append(f"x{i}.png,blue hair")
    (root / "tags.csv").write_text("\n".join(lines) + "\n")
    for seed in range(6):
        report = build_pack(root, tmp_path / f"p{seed}", PackOptions(resolution=32, val_fraction=0.3, seed=seed))
        assert report["counts"]["near_duplicates"] == 1
        pack = load_pack(tmp_path / f"p{seed}")
        sides = {pack.split[pack.meta["sources"].index(name)] for name in ("0.png", "2.png")}
        assert len(sides) == 1


def test_cli_pack(tmp_path, capsys):
    source = make_source(tmp_path / "src")
    code = main(["pack", str(source), "--out", str(tmp_path / "pack"), "--resolution", "16",
                 "--format", "csv", "--val-fraction", "0.1", "--min-tag-count", "3", "--tags-only-in-groups"])
    assert code == 0
    out = capsys.readouterr().out
    assert "kept 22" in out and "2 unreadable" in out and "1 exact, 1 near" in out
    assert "crop: kept 24 crops, skipped 2" in out  # each step's summary as it runs
    assert load_pack(tmp_path / "pack").resolution == 16
    assert main(["pack", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x")]) == 2


# ---------------------------------------------------------------- real data (../shared/data)

@pytest.mark.real_data
def test_real_faces64(shared_data, tmp_path):
    from avatargan.data.importers import import_records
    from avatargan.data.sources import open_source
    from avatargan.vocab import TagVocabulary

    with open_source(shared_data / "anime-faces-64.tar") as source:
        imported = import_records(source)
    assert imported.format == "csv" and len(imported.records) == 33631 and not imported.skipped
    vocab = TagVocabulary.from_tag_lists([r.tags for r in imported.records])
    assert [len(g.tags) for g in vocab.groups] == [12, 10] and [g.name for g in vocab.groups] == ["hair", "eyes"]
    started = time.perf_counter()
    report = build_pack(shared_data / "anime-faces-64.tar", tmp_path / "p64",
                        PackOptions(resolution=64, limit=500))
    assert report["counts"]["read"] == 500 and report["counts"]["corrupt"] == 0
    assert report["counts"]["kept"] == 500 - report["counts"]["exact_duplicates"]
    assert report["counts"]["near_duplicates"] == 0  # aligned faces: hash matches here are different drawings
    assert load_pack(tmp_path / "p64").images.shape[1:] == (64, 64, 3)
    assert time.perf_counter() - started < 20


@pytest.mark.real_data
def test_real_faces96(shared_data, tmp_path):
    report = build_pack(shared_data / "anime-faces-96.tar", tmp_path / "p96",
                        PackOptions(resolution=96, limit=500))
    assert report["format"] == "json" and report["counts"]["read"] == 500 and report["counts"]["corrupt"] == 0
    pack = load_pack(tmp_path / "p96")
    assert pack.images.shape[1:] == (96, 96, 3)
    assert {g.name for g in pack.vocab.groups} == {"hair", "eyes"}
    assert all(name.endswith((" hair", " eyes")) for name in pack.vocab.names)


def test_image_above_the_pixel_limit_is_refused_from_its_header(monkeypatch):
    """A 13000 x 13000 PNG is under 1 MB but 5 GB decoded: refused before decoding (issue 17)."""
    import io
    import time

    from PIL import Image


    buffer = io.BytesIO()
    Image.new("RGB", (13000, 13000)).save(buffer, format="PNG", compress_level=1)
    started = time.perf_counter()
    with pytest.raises(ValueError, match=r"13000x13000 px \(169 MP\) is above the 64 MP limit"):
        decode_square(buffer.getvalue(), 64)
    assert time.perf_counter() - started < 1.0
    monkeypatch.setenv("AVATARGAN_MAX_MEGAPIXELS", "0.001")
    small = io.BytesIO()
    Image.new("RGB", (64, 64)).save(small, format="PNG")
    with pytest.raises(ValueError, match="above the 0.001 MP limit"):
        decode_square(small.getvalue(), 64)
