"""Command line: python -m avatargan <command> ...  (each command: its function, then its arguments)."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .prepare.cli import EXAMPLES as PREPARE_EXAMPLES


@dataclass(frozen=True)
class Command:
    """A subcommand: what it runs, its one-line help, its examples, and its arguments."""
    name: str
    run: Callable[[argparse.Namespace], int]
    help: str
    epilog: str
    add_arguments: Callable[[argparse.ArgumentParser], None]


COMMANDS: list[Command] = []


def command(name: str, run: Callable[[argparse.Namespace], int], help: str, epilog: str = ""):
    """Register the decorated function as the argument list of subcommand `name`, beside `run`."""
    def register(add_arguments: Callable[[argparse.ArgumentParser], None]):
        COMMANDS.append(Command(name, run, help, epilog, add_arguments))
        return add_arguments
    return register


SHIPPED_GENERATOR = "public/weights/generator"


def add_model_argument(p: argparse.ArgumentParser, help: str = "generator folder (model.json)") -> None:
    p.add_argument("--model", default=SHIPPED_GENERATOR, help=help)


def add_truncation_arguments(p: argparse.ArgumentParser, psi: float) -> None:
    """--psi and --truncation, as the workbench's sample cell offers them."""
    p.add_argument("--psi", type=float, default=psi, help=f"truncation psi (1 = none; default {psi})")
    p.add_argument("--truncation", choices=["global", "condition"], default="global",
                   help="truncation centre: the global mean w, or the mean w of each avatar's condition")


def cmd_export(args: argparse.Namespace) -> int:
    if args.fixtures:
        from .fixtures import write_fixtures

        for path in write_fixtures(args.fixtures):
            print(f"wrote {path}")
        return 0
    if not args.checkpoint or not (args.out or args.compact):
        raise SystemExit("export: give --checkpoint CKPT --out FOLDER and/or --compact FILE.pt (or --fixtures FOLDER)")
    if args.compact:
        from .train.checkpoint import compact_checkpoint, load_checkpoint, save_checkpoint

        state = load_checkpoint(args.checkpoint)
        path = save_checkpoint({k: v for k, v in compact_checkpoint(state).items() if k not in ("format", "version")},
                               args.compact)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB; resumes with train --resume {path})")
        if not args.out:
            return 0
    from .cards import write_card
    from .pipeline import export_generator
    from .train.checkpoint import load_generator_from_checkpoint

    out = Path(args.out)
    if (out / "model.json").exists():
        if not args.force:
            raise SystemExit(f"export: {out} already holds a model (model.json); pass --force to replace it, "
                             "or choose another --out")
        # Replace the whole model, so no shard or card of the old one is left beside the new one.
        for old in [out / "model.json", out / "MODEL_CARD.md", *out.glob("group*-shard*of*.bin")]:
            old.unlink(missing_ok=True)
    generator, vocab, training = load_generator_from_checkpoint(args.checkpoint)
    for key in ("data", "note"):  # what the checkpoint cannot know: where the data came from, remarks
        if getattr(args, key):
            training[key] = getattr(args, key)
    path = export_generator(generator, vocab, out, name=args.name or out.name, training=training, float16=args.float16)
    size = sum(p.stat().st_size for p in out.glob("*.bin"))
    print(f"wrote {path} ({size / 1e6:.2f} MB of weights{', float16' if args.float16 else ''})")
    print(f"wrote {write_card(out)} (add evaluation figures with `python -m avatargan card {out} --evaluation ...`)")
    return 0


@command("export", cmd_export,
         help="export a trained generator for the browser, or rewrite the test fixtures",
         epilog="examples:\n  python -m avatargan export --checkpoint runs/x/latest.pt --out public/weights/generator --float16\n"
         "  python -m avatargan export --fixtures test/fixtures")
def arguments_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--checkpoint", help="training checkpoint (.pt) to export the EMA generator from")
    p.add_argument("--out", help="output folder, e.g. public/weights/generator")
    p.add_argument("--name", help="model name recorded in model.json (default: the folder name)")
    p.add_argument("--float16", action="store_true", help="store weights as float16 (half the download)")
    p.add_argument("--data", help="describe the training data for the model card (default: the pack folder)")
    p.add_argument("--note", help="a remark for the model card (how the run went, what it is for)")
    p.add_argument("--compact", metavar="FILE.pt.gz", help="also write a compact checkpoint that train --resume accepts "
                                                            "(no first moments, bfloat16 second moments; gzipped when "
                                                            "the name ends in .gz)")
    p.add_argument("--force", action="store_true", help="replace the model already in --out (its shards and card too)")
    p.add_argument("--fixtures", metavar="FOLDER", help="write golden values and the tiny parity model here")


def cmd_generate(args: argparse.Namespace) -> int:
    from .images import grid, save_png
    from .pipeline import AvatarPipeline
    from .seeds import parse_seeds

    pipe = AvatarPipeline.from_pretrained(args.model)
    seeds = parse_seeds(args.seeds)
    # Listed tags fix their groups; the other groups are "Random", drawn per seed exactly as the workbench does.
    choices = {pipe.vocab.group_of(t).name: t for t in (t.strip() for t in args.tags.split(",")) if t}
    pixels, tags = pipe.generate_with_choices(seeds, choices, psi=args.psi,
                                              per_condition_truncation=args.truncation == "condition")
    path = save_png(grid(pixels, args.columns), args.out)
    print(f"wrote {path}: {len(seeds)} avatars, psi {args.psi}")
    for seed, seed_tags in zip(seeds, tags):
        print(f"  seed {seed}: {', '.join(seed_tags)}")
    return 0


@command("generate", cmd_generate,
         help="generate a grid of avatars with an exported generator",
         epilog='example:\n  python -m avatargan generate --model public/weights/generator --seeds 0-15 --tags "blonde hair,red eyes" --out grid.png')
def arguments_generate(p: argparse.ArgumentParser) -> None:
    add_model_argument(p)
    p.add_argument("--seeds", default="0-15", help='seeds, e.g. "0-7,12"')
    p.add_argument("--tags", default="", help='comma-separated tags that fix their groups, e.g. "blonde hair,red eyes"; '
                   'other groups are Random per seed, as in the workbench')
    add_truncation_arguments(p, psi=1.0)
    p.add_argument("--columns", type=int, default=None, help="grid columns (default: square)")
    p.add_argument("--out", default="grid.png", help="output PNG")


def cmd_render(args: argparse.Namespace) -> int:
    from .images import save_png
    from .pipeline import AvatarPipeline
    from .recipe import RecipeError, later_stages, load_recipe, render_recipe

    pipe = AvatarPipeline.from_pretrained(args.model)
    try:
        recipe = load_recipe(args.recipe)
    except RecipeError as err:
        print(f"error: {err}")
        return 2
    wanted = recipe["model"]
    if wanted.get("sha256") and pipe.sha256 and wanted["sha256"] != pipe.sha256:
        print(f"warning: the recipe was made with {wanted['name']} ({wanted['sha256'][:12]}…), "
              f"this is {pipe.name} ({pipe.sha256[:12]}…): the avatar will differ")
    path = save_png(render_recipe(pipe, recipe), args.out)
    print(f"wrote {path}: seed {recipe['seed']}, {', '.join(recipe['tags']) or 'no tags'}, psi {recipe['psi']} "
          f"({recipe.get('truncation', 'global')} truncation)")
    stages = later_stages(recipe)
    if stages:
        print(f"note: the recipe also asks for {' and '.join(stages)}; those run in the workbench, "
              "this is the generator's avatar before them")
    return 0


@command("render", cmd_render,
         help="re-render an avatar exported by the workbench (its .json or .png)",
         epilog="example:\n  python -m avatargan render avatar-42.png --out again.png")
def arguments_render(p: argparse.ArgumentParser) -> None:
    p.add_argument("recipe", help="an avatar's recipe: the .json from an export, or a .png exported by the workbench")
    add_model_argument(p)
    p.add_argument("--out", default="avatar.png", help="output PNG")


def cmd_project(args: argparse.Namespace) -> int:
    import json

    from tqdm import tqdm

    from .images import save_png
    from .pipeline import AvatarPipeline
    from .project import ProjectionSettings, guess_tags, load_target, project, projected_recipe

    settings = ProjectionSettings(steps=args.steps, lr=args.lr, wplus=args.wplus,
                                  perceptual_weight=args.perceptual).validate()
    pipe = AvatarPipeline.from_pretrained(args.model)
    fixed = {pipe.vocab.group_of(t).name: t for t in (t.strip() for t in (args.tags or "").split(",")) if t}
    tagger = None
    if Path(args.tagger, "model.json").exists():
        from .pipeline import load_tagger

        tagger, tagger_vocab, _ = load_tagger(args.tagger)
        if tagger_vocab.names != pipe.vocab.names:
            raise SystemExit(f"project: the tagger at {args.tagger} reads other tags than the generator")
    elif args.perceptual > 0 or len(fixed) < sum(g.exclusive for g in pipe.vocab.groups):
        raise SystemExit(f"project: no tagger at {args.tagger}: give --tags for every group and --perceptual 0, "
                         "or point --tagger at an exported tagger")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in args.images:
        try:
            target = load_target(path, pipe.generator.cfg.resolution)
        except ValueError as err:
            print(f"skipped {err}")
            failed += 1
            continue
        tags = guess_tags(tagger, pipe.vocab, target, fixed) if tagger is not None else list(fixed.values())
        with tqdm(total=settings.steps, desc=Path(path).name, unit="step", leave=False) as bar:
            def advance(step, loss, bar=bar):
                bar.update(1)
                bar.set_postfix(loss=f"{loss:.4f}")

            result = project(pipe, target, tags, settings, tagger=tagger if args.perceptual > 0 else None,
                             progress=advance)
        stem = Path(path).stem
        (out / f"{stem}.json").write_text(json.dumps(projected_recipe(pipe, result), indent=1) + "\n")
        save_png(result.image, out / f"{stem}.png")
        save_png(target, out / f"{stem}-target.png")
        print(f"{stem}: {', '.join(tags)}; PSNR {result.psnr:.2f} dB after {settings.steps} steps "
              f"({'W+' if settings.wplus else 'w'}) -> {out / (stem + '.json')}, {out / (stem + '.png')}")
    return 1 if failed and failed == len(args.images) else 0


@command("project", cmd_project,
         help="find the w that makes the generator draw a given face (a recipe the workbench imports)",
         epilog="examples:\n  python -m avatargan project me.png --out runs/projected\n"
         '  python -m avatargan project a.png b.jpg --tags "pink hair" --steps 500 --wplus --out runs/projected')
def arguments_project(p: argparse.ArgumentParser) -> None:
    p.add_argument("images", nargs="+", help="pictures of faces (the centred square is used; crop it first for best results)")
    add_model_argument(p)
    p.add_argument("--tagger", default="public/weights/tagger", help="tagger folder: guesses the tags you leave out, "
                                                                     "and gives the perceptual term")
    p.add_argument("--tags", help='tags to project under, e.g. "pink hair,green eyes"; groups left out are guessed')
    p.add_argument("--out", default="runs/projected", help="folder for <stem>.json (recipe), <stem>.png and <stem>-target.png")
    p.add_argument("--steps", type=int, default=500, help="optimisation steps (1..5000)")
    p.add_argument("--lr", type=float, default=0.1, help="Adam learning rate")
    p.add_argument("--wplus", action="store_true", help="one w per synthesis layer (W+): closer fits, less editable")
    p.add_argument("--perceptual", type=float, default=0.0, help="weight of the tagger-feature term (default 0: pixels only, the best PSNR measured)")


def cmd_gallery(args: argparse.Namespace) -> int:
    import numpy as np

    from .images import grid, save_png
    from .pipeline import AvatarPipeline
    from .seeds import parse_seeds

    pipe = AvatarPipeline.from_pretrained(args.model)
    seeds = parse_seeds(args.seeds)
    if args.conditions:
        # One row per listed condition ("pink hair,green eyes;blonde hair,blue eyes"); unlisted groups Random.
        row_choices = [{pipe.vocab.group_of(t).name: t for t in (t.strip() for t in row.split(",")) if t}
                       for row in args.conditions.split(";") if row.strip()]
    else:
        group = pipe.vocab.group(args.group)  # one row per tag of the group; the other groups are Random per seed
        row_choices = [{group.name: tag.name} for tag in group.tags]
    rows = [pipe.generate_with_choices(seeds, choices, psi=args.psi,
                                       per_condition_truncation=args.truncation == "condition")[0]
            for choices in row_choices]
    path = save_png(grid(np.concatenate(rows), len(seeds), pad=2), args.out)
    names = ["+".join(choices.values()) for choices in row_choices]
    print(f"wrote {path}: rows {', '.join(names)}; seeds {args.seeds}; psi {args.psi}")
    return 0


@command("gallery", cmd_gallery,
         help="a grid with one row per tag of a group (e.g. every hair colour)",
         epilog='example:\n  python -m avatargan gallery --group hair --seeds 0-7 --psi 0.7 --out docs/gallery.png')
def arguments_gallery(p: argparse.ArgumentParser) -> None:
    add_model_argument(p)
    p.add_argument("--group", default="hair", help="tag group whose tags make the rows")
    p.add_argument("--conditions", help='rows given as conditions instead, ";" between rows, e.g. '
                                        '"pink hair,green eyes;blonde hair,blue eyes" (unlisted groups are Random)')
    p.add_argument("--seeds", default="0-7", help='seeds for the columns, e.g. "0-7"')
    add_truncation_arguments(p, psi=0.7)
    p.add_argument("--out", default="gallery.png", help="output PNG")


def cmd_pack(args: argparse.Namespace) -> int:
    from .prepare.pack_source import PackOptions, build_pack, format_summary

    options = PackOptions(format=args.format, resolution=args.resolution, val_fraction=args.val_fraction,
                          seed=args.seed, tags_only_in_groups=args.tags_only_in_groups,
                          min_tag_count=args.min_tag_count, near_dup_threshold=args.near_dup_threshold,
                          near_dup_max_diff=args.near_dup_max_diff, limit=args.limit)
    started = time.perf_counter()
    report = build_pack(args.source, args.out, options, work=args.work)
    print(format_summary(report, args.out))
    print(f"  total {time.perf_counter() - started:.1f} s; full report in {Path(args.out) / 'meta.json'}")
    return 0


@command("pack", cmd_pack,
         help="import tagged face images, centre-crop, dedupe, split and write a packed training set "
              "(the prepare pipeline without face detection, review and autotag)",
         epilog="examples:\n  python -m avatargan pack ../shared/data/anime-faces-64.tar --out data/faces64 --resolution 64\n"
         "  python -m avatargan pack my-images/ --format sidecar --tags-only-in-groups --out data/mine")
def arguments_pack(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", help="a folder or a .tar file with images and their tags")
    p.add_argument("--out", required=True, help="pack folder to write (images.npy, labels.npy, split.npy, meta.json)")
    p.add_argument("--format", default="auto", choices=["auto", "csv", "json", "sidecar", "danbooru"],
                   help="how tags are stored (default: detect)")
    p.add_argument("--resolution", type=int, default=64, help="square output size in pixels (default 64)")
    p.add_argument("--val-fraction", type=float, default=0.05, help="share held out for validation (default 0.05)")
    p.add_argument("--seed", type=int, default=0, help="seed of the train/validation split")
    p.add_argument("--tags-only-in-groups", action="store_true", help="keep only hair and eye colour tags")
    p.add_argument("--min-tag-count", type=int, default=1, help="drop tags on fewer images than this")
    p.add_argument("--near-dup-threshold", type=int, default=4,
                   help="pHash Hamming distance (bits of 64, 0-10) for near-duplicate candidates; -1: off")
    p.add_argument("--near-dup-max-diff", type=float, default=16.0,
                   help="confirm a candidate when its 16x16 thumbnails differ by at most this (mean, 0-255)")
    p.add_argument("--limit", type=int, default=None, help="pack only the first N records (a quick trial)")
    p.add_argument("--work", default=None,
                   help="keep the steps' files and reports in this folder (a rerun skips finished steps); "
                        "default: a temporary folder")


def cmd_train_tagger(args: argparse.Namespace) -> int:
    from .data.pack import load_pack
    from .pipeline import export_tagger
    from .train.tagger import TaggerTrainConfig, train_tagger

    pack = load_pack(args.data)
    cfg = TaggerTrainConfig(epochs=args.epochs, batch=args.batch, lr=args.lr, seed=args.seed,
                            max_train=args.max_train)
    model, summary = train_tagger(pack, args.out, cfg, device=args.device)
    for group, accuracy in summary["validation"]["groups"].items():
        print(f"validation accuracy {group}: {accuracy:.4f}")
    if args.export:
        training = {"data": str(args.data), "train_images": summary["train_images"], "epochs": cfg.epochs,
                    "seconds": summary["seconds"], "device": summary["device"],
                    "validation_accuracy": summary["validation"]["groups"]}
        path = export_tagger(model.cpu(), pack.vocab, args.export, training=training, float16=args.float16)
        print(f"wrote {path}")
    return 0


@command("train-tagger", cmd_train_tagger,
         help="train the tag classifier on a pack and export it",
         epilog="example:\n  python -m avatargan train-tagger --data data/faces64 --out runs/tagger --export public/weights/tagger --float16")
def arguments_train_tagger(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", required=True, help="packed data set folder")
    p.add_argument("--out", required=True, help="run folder (tagger.pt, report.json)")
    p.add_argument("--export", help="also export the tagger for the browser to this folder")
    p.add_argument("--float16", action="store_true", help="store exported weights as float16")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-train", type=int, default=None, help="use at most this many training images")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:1 ...")


def cmd_train_sr(args: argparse.Namespace) -> int:
    from .train.sr_cli import cmd_train_sr as run_train_sr

    return run_train_sr(args)


@command("train-sr", cmd_train_sr,
         help="train the x2 super-resolution net on real faces (resumable), or export it",
         epilog="examples:\n"
         "  python -m avatargan train-sr --data data/faces96 --out runs/sr --kimg 100\n"
         "  python -m avatargan train-sr --resume runs/sr         # continue exactly where it stopped\n"
         "  python -m avatargan train-sr --export runs/sr --out public/weights/upscaler --float16")
def arguments_train_sr(p: argparse.ArgumentParser) -> None:
    from .train.sr_cli import add_train_sr_arguments

    add_train_sr_arguments(p)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .data.pack import load_pack
    from .evaluate import evaluate, load_models, plot_report

    pipe, tagger = load_models(args.model, args.tagger, device=args.device)
    report = evaluate(pipe, tagger, load_pack(args.data), samples=args.samples, per_tag=args.per_tag,
                      psi=args.psi, seed=args.seed, truncation=args.truncation, critic_train=args.critic_train,
                      critic_test=args.critic_test, critic_epochs=args.critic_epochs)
    for path in plot_report(report, args.out):
        print(f"wrote {path}")
    gen, floor = report["generated"], report["real_floor"]
    print(f"FD (tagger features, not Inception FID): {gen['fd']:.3f}   real-data floor {floor['fd']:.3f}")
    print(f"KID: {gen['kid']:.4f}   floor {floor['kid']:.4f}")
    print(f"precision {gen['precision']:.3f}  recall {gen['recall']:.3f}   floor {floor['precision']:.3f} / {floor['recall']:.3f}")
    for group, accuracy in report["conditional_accuracy"]["per_group"].items():
        print(f"conditional accuracy {group}: {accuracy:.4f}")
    within = report["within_condition_diversity"]
    print(f"within-condition diversity (thumbnails, 1 = real): mean {within['mean']:.3f}, worst {within['worst']:.3f} "
          f"({within['worst_condition']}), over {within['conditions']} conditions; real vs real {within['real_reference']:.3f}")
    if "critic" in report:
        critic = report["critic"]
        print("critic accuracy (0.5 = indistinguishable): " + ", ".join(
            f"{name} {critic[name]:.3f}" for name in ("generated", "real vs JPEG q30", "real vs blurred 2x")))
    return 0


@command("evaluate", cmd_evaluate,
         help="measure a generator: FD/KID on tagger features, conditional accuracy, ...",
         epilog="example:\n  python -m avatargan evaluate --model public/weights/generator --tagger public/weights/tagger --data data/faces64 --out runs/eval")
def arguments_evaluate(p: argparse.ArgumentParser) -> None:
    add_model_argument(p)
    p.add_argument("--tagger", default="public/weights/tagger", help="exported tagger folder")
    p.add_argument("--data", required=True, help="packed data set (its validation split is the reference)")
    p.add_argument("--out", default="runs/eval", help="folder for evaluation.json and plots")
    p.add_argument("--samples", type=int, default=2000, help="generated avatars for the distribution figures")
    p.add_argument("--per-tag", type=int, default=100, help="avatars per tag for conditional accuracy")
    p.add_argument("--critic-train", type=int, default=3000,
                   help="real (and as many generated) faces to train the critic on; 0 skips the critic test")
    p.add_argument("--critic-test", type=int, default=1500, help="real validation (and generated) faces to score it on")
    p.add_argument("--critic-epochs", type=int, default=8)
    add_truncation_arguments(p, psi=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu")


def cmd_train(args: argparse.Namespace) -> int:
    from .train.launch import train
    from .train.loop import TrainingDiverged

    overrides = list(args.set or [])
    for key in ("kimg", "batch", "seed", "device"):  # explicit flags win over --set
        if getattr(args, key) is not None:
            overrides.append(f"{key}={getattr(args, key)}")
    if args.no_ada:
        overrides.append("ada=false")
    if args.minutes is not None and not 0 < args.minutes < 1e6:
        raise SystemExit(f"train: --minutes {args.minutes} must be a positive number of minutes")
    try:
        return train(args.data, args.out, args.preset, overrides, resume=args.resume, dry_run=args.dry_run,
                     progress=not args.no_progress, init_generator=args.init_generator, minutes=args.minutes)
    except TrainingDiverged as err:
        print(f"error: {err}", file=sys.stderr)
        return 3


@command("train", cmd_train,
         help="train the conditional generator on a pack (resumable; torchrun for many GPUs)",
         epilog="examples:\n"
         "  python -m avatargan train --data data/faces64 --out runs/g64 --preset 64\n"
         "  python -m avatargan train --resume runs/g64      # continue exactly where it stopped\n"
         "  python -m avatargan train --data data/faces64 --out runs/ft --init-generator public/weights/generator --set cls_weight=1 --set g_cls_weight=0.2\n"
         "  python -m avatargan train --data data/faces64 --out runs/t --preset tiny --set g.channel_base=512 --dry-run\n"
         "  torchrun --nproc_per_node=4 -m avatargan train --data data/faces64 --out runs/g64 --preset 64 --batch 64")
def arguments_train(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", help="pack folder (from `python -m avatargan pack`); recorded in the run for --resume")
    p.add_argument("--out", help="run folder: checkpoints, metrics.jsonl, samples-*.png, losses.png")
    p.add_argument("--preset", choices=["tiny", "64", "128", "256"], help="starting config (default 64; tiny is for tests)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="override any config value, e.g. --set g.channel_base=4096 --set r1_gamma=0.05 (repeatable)")
    p.add_argument("--kimg", type=float, help="length of the run in thousands of images")
    p.add_argument("--batch", type=int, help="global batch size (split over torchrun processes)")
    p.add_argument("--seed", type=int, help="seed of the weights, the data order and every random draw")
    p.add_argument("--device", help="auto (default: cuda if available, else cpu), cpu, cuda or cuda:N")
    p.add_argument("--no-ada", action="store_true", help="turn adaptive augmentation off")
    p.add_argument("--resume", metavar="RUN_OR_PT", help="continue a run from its folder (latest.pt) or a .pt file")
    p.add_argument("--init-generator", metavar="MODEL_FOLDER",
                   help="start G from an exported generator (its model.json sets g.*; D starts fresh), "
                        "e.g. public/weights/generator to fine-tune the shipped model")
    p.add_argument("--minutes", type=float, help="stop cleanly (saving latest.pt) after this much wall time; "
                                                 "--resume continues. For time-boxed machines")
    p.add_argument("--dry-run", action="store_true", help="print the resolved config as JSON and exit")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_bench

    return run_bench(args)


@command("bench", cmd_bench,
         help="measure speed (targets: train)",
         epilog="example:\n  python -m avatargan bench train --preset 64 --batch 32 --steps 20")
def arguments_bench(p: argparse.ArgumentParser) -> None:
    from .bench import add_bench_arguments

    add_bench_arguments(p)


def cmd_card(args: argparse.Namespace) -> int:
    import json

    from .cards import attach_evaluation, write_card

    if args.evaluation:
        attach_evaluation(args.model, json.loads(Path(args.evaluation).read_text()))
    print(f"wrote {write_card(args.model)}")
    return 0


@command("card", cmd_card,
         help="write MODEL_CARD.md for an exported model (optionally attaching evaluation figures)",
         epilog="example:\n  python -m avatargan card public/weights/generator --evaluation runs/eval/evaluation.json")
def arguments_card(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="exported model folder (model.json)")
    p.add_argument("--evaluation", help="evaluation.json from `evaluate`, stored in model.json's training section")


def cmd_prepare(args: argparse.Namespace) -> int:
    from .prepare.cli import run_prepare

    return run_prepare(args)


@command("prepare", cmd_prepare,
         help="prepare your own data step by step: import, filter, crop, dedupe, review, autotag, pack",
         epilog=PREPARE_EXAMPLES)
def arguments_prepare(p: argparse.ArgumentParser) -> None:
    from .prepare.cli import add_prepare_arguments

    add_prepare_arguments(p)

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m avatargan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for cmd in COMMANDS:
        # RawDescriptionHelpFormatter keeps the examples' line breaks in --help.
        p = sub.add_parser(cmd.name, help=cmd.help, epilog=cmd.epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=cmd.run)
        cmd.add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
