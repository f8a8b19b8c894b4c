"""Step `crop`: square crops at the training resolution, one file each in crops/.

Two modes:
    face    detect the faces with the anime-face cascade and crop a square around each head
            (pictures of whole characters, e.g. a Danbooru dump);
    centre  one crop per picture: its centred square, resized (data sets of faces already
            aligned, e.g. the Kaggle anime-face sets; this is what `python -m avatargan pack` uses).

Originals are only read (from the source folder or tar). Each processed picture is appended
to crops/journal.jsonl as soon as its crops are on disk, so an interrupted run resumes where
it stopped; the journal starts over when the options or the pictures to crop change.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from ..data.sources import open_source
from ..images import decode_rgb, decode_square
from .faces import CropGeometry, FaceDetector, crop_square, head_square
from .runner import StepReport, fingerprint, run_step
from .tag_filter import FILTERED
from .workspace import Workspace, iter_jsonl, read_json, read_jsonl, write_jsonl

CROPS = "crops.jsonl"
JOURNAL = "journal.jsonl"


FACE, CENTRE = "face", "centre"


@dataclass
class CropOptions:
    cascade: str = ""             # the anime-face cascade (face mode only)
    mode: str = FACE              # FACE or CENTRE (see the module docstring)
    resolution: int = 64
    scale: float = 1.6
    lift: float = 0.2
    min_face: int | None = None   # default: the smallest box whose crop needs no upscaling

    def geometry(self) -> CropGeometry:
        min_face = self.min_face if self.min_face is not None else int(np.ceil(self.resolution / self.scale))
        return CropGeometry(self.scale, self.lift, max(min_face, 8))

    def validate(self) -> None:
        if not 8 <= self.resolution <= 4096:
            raise ValueError(f"resolution {self.resolution} must be in 8..4096 (e.g. 64)")
        if self.mode not in (FACE, CENTRE):
            raise ValueError(f"crop mode {self.mode!r} is not {FACE!r} or {CENTRE!r}")
        if self.mode == CENTRE:
            return
        if not self.cascade:
            raise ValueError("the face crop needs the anime-face cascade: pass --cascade PATH/lbpcascade_animeface.xml")
        self.geometry().validate()


def crop_label(row: dict) -> str:
    """How reports and a pack's sources name a crop: its picture, plus the crop id when the
    crop is one of the faces found in it (face mode) rather than the picture's centre."""
    return row["image"] if "box" not in row else f"{row['image']}#{row['id']}"


def crop_picture(record: dict, rgb: np.ndarray, detector: FaceDetector, options: CropOptions,
                 work: Workspace) -> tuple[list[dict], list[dict]]:
    """Crops of one picture (written to crops/) and the faces skipped, as journal entries."""
    geometry = options.geometry()
    height, width = rgb.shape[:2]
    crops, skipped = [], []
    for index, box in enumerate(detector.detect(rgb)):
        crop_id = f"{record['id']}-{index}"
        if box[2] < geometry.min_face:
            skipped.append({"item": f"{record['image']}#{index}", "reason": "face too small",
                            "detail": f"{box[2]} px wide < {geometry.min_face}"})
            continue
        square = head_square(box, width, height, geometry)
        pixels = crop_square(rgb, square, options.resolution)
        name = f"crops/{crop_id}.png"
        Image.fromarray(pixels).save(work.path(name))
        crops.append({"id": crop_id, "crop": name, "image": record["image"], "source": record["source"],
                      "tags": record["tags"], "box": list(box), "square": square.to_json(),
                      "notes": [n for n, on in (("shrunk to fit", square.shrunk),
                                                ("upscaled", square.side < options.resolution)) if on]})
    return crops, skipped


def run_crop(work: Workspace, options: CropOptions, force: bool = False, records_file: str = FILTERED) -> StepReport:
    """Crop the pictures listed in `records_file` (the filter step's output; the import's when filtering is skipped)."""
    options.validate()
    records_path = work.require(records_file, "filter" if records_file == FILTERED else "import")
    source = read_json(work.require("source.json", "import"))["source"]
    settings = {**asdict(options), "min_face": options.geometry().min_face, "records": records_file}
    # The cascade file is an input like the records: another detector at the same path redoes the crops.
    inputs = [records_path] + ([Path(options.cascade)] if options.mode == FACE else [])

    def body(report: StepReport) -> None:
        detector = FaceDetector(options.cascade) if options.mode == FACE else None
        records = read_jsonl(records_path)
        work.crops.mkdir(parents=True, exist_ok=True)
        done = _resume_journal(work, fingerprint(settings, inputs) if not force else None)
        journal = open(work.crops / JOURNAL, "a", encoding="utf-8")
        try:
            with open_source(source) as opened:
                for record in tqdm(records, desc="crop", unit="picture"):
                    if record["image"] not in done:
                        done[record["image"]] = _process(record, opened, detector, options, work)
                        journal.write(json.dumps({"image": record["image"], **done[record["image"]]}) + "\n")
                        journal.flush()
        finally:
            journal.close()
        rows = []
        for record in records:
            entry = done[record["image"]]
            rows.extend(entry["crops"])
            for skip in entry["skipped"]:
                report.skip(skip["item"], skip["reason"], skip["detail"])
        report.kept, report.kept_what = write_jsonl(work.path(CROPS), rows), "crops"
        noted = lambda note: sum(1 for r in rows if note in r["notes"])  # noqa: E731
        report.notes = {"mode": options.mode, "pictures": len(records)}
        if options.mode == FACE:
            report.notes.update({"pictures with a face": sum(1 for r in records if done[r["image"]]["crops"]),
                                 "crops shrunk to fit the picture": noted("shrunk to fit"),
                                 "crops upscaled": noted("upscaled"), "minimum face width": options.geometry().min_face})
        else:
            report.notes.update({"centre-cropped (not square)": noted("centre-cropped"), "upscaled": noted("upscaled")})
        report.outputs = [CROPS]

    return run_step(work, "crop", settings, inputs, body, force)


def centre_crop(record: dict, data: bytes, options: CropOptions, work: Workspace) -> dict:
    """The one crop of a picture in centre mode, written to crops/ under the record's id."""
    pixels, flags = decode_square(data, options.resolution)
    name = f"crops/{record['id']}.png"
    Image.fromarray(pixels).save(work.path(name))
    notes = [note for flag, note in (("cropped", "centre-cropped"), ("upscaled", "upscaled")) if flag in flags]
    return {"id": record["id"], "crop": name, "image": record["image"], "source": record["source"],
            "tags": record["tags"], "notes": notes}


def _process(record: dict, source, detector: FaceDetector | None, options: CropOptions, work: Workspace) -> dict:
    try:
        data = source.read_bytes(record["image"])
        if options.mode == CENTRE:
            return {"crops": [centre_crop(record, data, options, work)], "skipped": []}
        rgb = decode_rgb(data)
    except (ValueError, OSError) as err:
        return {"crops": [], "skipped": [{"item": record["image"], "reason": "unreadable image", "detail": str(err)}]}
    crops, skipped = crop_picture(record, rgb, detector, options, work)
    if not crops and not skipped:
        skipped.append({"item": record["image"], "reason": "no face found", "detail": f"{rgb.shape[1]}x{rgb.shape[0]}"})
    return {"crops": crops, "skipped": skipped}


def _resume_journal(work: Workspace, key: str | None) -> dict[str, dict]:
    """Pictures already cropped under the same settings; otherwise a fresh journal (and no stale crops)."""
    journal, stamp = work.crops / JOURNAL, work.crops / "journal.key"
    if key is not None and journal.exists() and stamp.exists() and stamp.read_text() == key:
        done = {}
        try:
            for entry in iter_jsonl(journal):
                done[entry["image"]] = {"crops": entry["crops"], "skipped": entry["skipped"]}
        except (json.JSONDecodeError, KeyError):
            pass  # a line cut by the interruption: what was read before it still holds
        write_jsonl(journal, ({"image": image, **entry} for image, entry in done.items()))  # drop the cut line
        if done:
            print(f"crop: resuming, {len(done)} pictures already done")
        return done
    for old in work.crops.glob("*.png"):
        old.unlink()
    journal.write_text("")
    stamp.write_text(key or "")
    return {}
