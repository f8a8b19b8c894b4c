"""`python -m avatargan prepare STEP --work DIR ...`: the preparation steps on the command line.

Each step has its own options; `all` runs every step in order with all of them. Library code
lives in the step modules; this file only maps flags to their option dataclasses.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..data.importers import FORMATS

STEPS = ("import", "filter", "crop", "dedupe", "review", "autotag", "pack")

EXAMPLES = """examples:
  python -m avatargan prepare import ../my-danbooru --work data/prep
  python -m avatargan prepare filter --work data/prep --band 0.05,0.5 --appearance-tags my-tags.txt
  python -m avatargan prepare crop --work data/prep --cascade ../shared/data/detector/lbpcascade_animeface.xml --resolution 64
  python -m avatargan prepare dedupe --work data/prep
  python -m avatargan prepare review --work data/prep     # then AVATARGAN_DATASET=data/prep npm run dev, open /review
  python -m avatargan prepare autotag --work data/prep --tagger public/weights/tagger --threshold 0.25
  python -m avatargan prepare pack --work data/prep --out data/mine
  python -m avatargan prepare all ../my-danbooru --work data/prep --cascade CASCADE.xml --out data/mine"""


def _band(text: str) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in text.split(","))
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"band {text!r} must be two numbers MIN,MAX, e.g. 0.05,0.5") from err
    return low, high


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--work", required=True, help="work folder holding every step's files")
    p.add_argument("--force", action="store_true", help="run the step even when it is up to date")


def _import_args(p) -> None:
    p.add_argument("source", help="folder or .tar with the images and their metadata (never modified)")
    p.add_argument("--format", default="auto", choices=["auto", *FORMATS], help="metadata format (default: detect)")


def _filter_args(p) -> None:
    p.add_argument("--band", type=_band, default=(0.05, 0.5), help="keep tags on this share of tagged pictures (default 0.05,0.5)")
    p.add_argument("--appearance-tags", metavar="FILE", help="more appearance tags to keep (one per line)")
    p.add_argument("--drop-tags", metavar="FILE", help="more tags that drop a picture (one per line)")
    p.add_argument("--ratings", default="", help="keep only these Danbooru ratings, e.g. s,q (default: all)")


def _crop_args(p) -> None:
    p.add_argument("--cascade", required=True, help="lbpcascade_animeface.xml (nagadomi, MIT)")
    p.add_argument("--resolution", type=int, default=64, help="crop size in pixels (default 64)")
    p.add_argument("--scale", type=float, default=1.6, help="crop side / face box width (default 1.6)")
    p.add_argument("--lift", type=float, default=0.2, help="crop centre above the face box centre, in box heights")
    p.add_argument("--min-face", type=int, default=None, help="skip face boxes narrower than this (default: resolution/scale)")


def _dedupe_args(p) -> None:
    p.add_argument("--radius", type=int, default=4, help="pHash distance for near duplicates, 0-10 bits; -1: exact only")
    p.add_argument("--max-diff", type=float, default=16.0, help="thumbnail difference (0-255) confirming a near duplicate")


def _autotag_args(p) -> None:
    p.add_argument("--tagger", default="public/weights/tagger", help="exported tagger folder (default public/weights/tagger)")
    p.add_argument("--threshold", type=float, default=0.25, help="tag probability to accept (default 0.25)")
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:N")


def _pack_args(p) -> None:
    p.add_argument("--out", required=True, help="pack folder for training (images.npy, labels.npy, split.npy, meta.json)")
    p.add_argument("--accepted-only", action="store_true", help="pack only crops accepted in review")
    p.add_argument("--val-fraction", type=float, default=0.05, help="share held out for validation (default 0.05)")
    p.add_argument("--seed", type=int, default=0, help="seed of the train/validation split")
    p.add_argument("--tags-only-in-groups", action="store_true", help="keep only hair and eye colour tags")
    p.add_argument("--min-tag-count", type=int, default=1, help="drop tags on fewer crops than this")


ARGUMENTS = {"import": _import_args, "filter": _filter_args, "crop": _crop_args, "dedupe": _dedupe_args,
             "review": lambda p: None, "autotag": _autotag_args, "pack": _pack_args}
HELP = {"import": "metadata (Danbooru JSON/JSONL, CSV, JSON map, sidecar .txt) -> records.jsonl",
        "filter": "appearance tags inside a frequency band; drop sketches, comics, monochrome",
        "crop": "square head crops from the anime-face cascade",
        "dedupe": "remove identical and near-identical crops",
        "review": "write the list the workbench's /review page shows",
        "autotag": "tag untagged crops with the tagger",
        "pack": "write the packed training set, honouring review decisions"}


def add_prepare_arguments(parser: argparse.ArgumentParser) -> None:
    steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")
    for step in STEPS:
        p = steps.add_parser(step, help=HELP[step], description=HELP[step])
        ARGUMENTS[step](p)
        _common(p)
    p = steps.add_parser("all", help="every step in order", description="every step in order (up-to-date steps are skipped)")
    for step in STEPS:
        ARGUMENTS[step](p)
    _common(p)


def run_prepare(args: argparse.Namespace) -> int:
    from .workspace import Workspace

    steps = STEPS if args.step == "all" else (args.step,)
    problems = missing_inputs(steps, args)
    if problems:
        raise ValueError("prepare: nothing was run, because " + "; ".join(problems))
    work = Workspace(args.work)
    for step in steps:
        RUNNERS[step](work, args)
    return 0


def missing_inputs(steps, args: argparse.Namespace) -> list[str]:
    """The input files of every step about to run that are not there, found before the first step
    starts (a missing cascade used to show up only after import and filter had run)."""
    problems = []

    def need(path, what: str):
        if path is not None and not Path(path).exists():
            problems.append(f"{what} {path} does not exist")

    if "import" in steps:
        need(getattr(args, "source", None), "the source")
    if "filter" in steps:
        need(getattr(args, "appearance_tags", None), "--appearance-tags")
        need(getattr(args, "drop_tags", None), "--drop-tags")
    if "crop" in steps:
        need(getattr(args, "cascade", None), "the anime-face cascade (--cascade: nagadomi's lbpcascade_animeface.xml, "
                                             "see the README)")
    return problems


def _run_import(work, args):
    from .import_step import run_import

    return run_import(work, args.source, args.format, args.force)


def _run_filter(work, args):
    from .appearance import read_tag_list
    from .tag_filter import FilterOptions, run_filter

    options = FilterOptions(min_frequency=args.band[0], max_frequency=args.band[1],
                            extra_appearance=read_tag_list(args.appearance_tags) if args.appearance_tags else [],
                            extra_drop=read_tag_list(args.drop_tags) if args.drop_tags else [],
                            ratings=[r.strip() for r in args.ratings.split(",") if r.strip()])
    return run_filter(work, options, args.force)


def _run_crop(work, args):
    from .crop_step import CropOptions, run_crop

    options = CropOptions(cascade=args.cascade, resolution=args.resolution, scale=args.scale, lift=args.lift,
                          min_face=args.min_face)
    return run_crop(work, options, args.force)


def _run_dedupe(work, args):
    from .dedupe_step import DedupeOptions, run_dedupe

    return run_dedupe(work, DedupeOptions(radius=args.radius, max_diff=args.max_diff), args.force)


def _run_review(work, args):
    from .review import run_review

    return run_review(work, args.force)


def _run_autotag(work, args):
    from .autotag import AutotagOptions, run_autotag

    return run_autotag(work, AutotagOptions(tagger=args.tagger, threshold=args.threshold, device=args.device), args.force)


def _run_pack(work, args):
    from .pack_step import PackStepOptions, run_pack_step

    options = PackStepOptions(out=args.out, accepted_only=args.accepted_only, val_fraction=args.val_fraction,
                              seed=args.seed, tags_only_in_groups=args.tags_only_in_groups,
                              min_tag_count=args.min_tag_count)
    return run_pack_step(work, options, args.force)


RUNNERS = {"import": _run_import, "filter": _run_filter, "crop": _run_crop, "dedupe": _run_dedupe,
           "review": _run_review, "autotag": _run_autotag, "pack": _run_pack}
