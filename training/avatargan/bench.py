"""Speed measurements: `python -m avatargan bench <target>`.

Targets register in TARGETS (a name -> (add_arguments, run) pair), so another target (an
upscaler, say) is one more function pair here. Timings exclude warm-up steps, which pay for
allocator growth and one-off kernel selection.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from .sr_bench import add_sr_arguments, bench_sr


def add_train_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", default="64", choices=["tiny", "64", "128", "256"])
    p.add_argument("--batch", type=int, default=32, help="global batch size")
    p.add_argument("--steps", type=int, default=20, help="timed training steps per path")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="config overrides, as for train")
    p.add_argument("--no-compare", dest="compare", action="store_false",
                   help="time only the path training would choose, not plain float32 beside it")


def _bench_trainer(cfg, vocab, overrides: list[str]):
    """A Trainer on synthetic data of the config's size (speed does not depend on the pixels)."""
    from .train.config import apply_overrides, validate
    from .train.data import TrainData
    from .train.loop import Trainer

    cfg = validate(apply_overrides(cfg, overrides))
    rng = np.random.default_rng(0)
    n, res, c_dim = max(4 * cfg.batch, 64), cfg.g.resolution, cfg.g.c_dim
    images = rng.integers(0, 256, (n, res, res, 3), dtype=np.uint8)
    labels = np.eye(c_dim, dtype=np.float32)[rng.integers(0, c_dim, n)]
    return Trainer(cfg, TrainData(images, labels, cfg.seed, "synthetic"), vocab, out=None, progress=False)


def bench_train(args: argparse.Namespace) -> int:
    """Images/s of full training steps (G, D, lazy R1, ADA, EMA) for the path training chooses
    (bf16 + channels_last where native) and plain float32, timed in alternating rounds."""
    import torch

    from .networks.generator import count_parameters
    from .train.config import apply_overrides, fit_to_vocabulary, preset
    from .vocab import Tag, TagGroup, TagVocabulary

    if args.steps < 1 or args.warmup < 0:
        raise ValueError("bench train: --steps must be >= 1 and --warmup >= 0")
    cfg = apply_overrides(preset(args.preset), list(args.set or []) + [f"batch={args.batch}", f"device={args.device}"])
    c_dim = cfg.g.c_dim
    vocab = TagVocabulary([TagGroup("tags", False, tuple(Tag(f"tag {i}", 1 / c_dim) for i in range(c_dim)))])
    cfg = fit_to_vocabulary(cfg, vocab)
    paths = {"chosen": _bench_trainer(cfg, vocab, [])}
    if args.compare:
        paths["float32"] = _bench_trainer(cfg, vocab, ["amp=false", "channels_last=false"])
    chosen = paths["chosen"]

    def sync():
        if chosen.device.type == "cuda":
            torch.cuda.synchronize(chosen.device)

    for trainer in paths.values():
        for _ in range(args.warmup):
            trainer.train_step()
    # Alternating rounds, so a noisy neighbour on a shared machine slows both paths alike.
    rounds = min(4, args.steps)
    seconds = dict.fromkeys(paths, 0.0)
    steps = dict.fromkeys(paths, 0)
    for r in range(rounds):
        n = args.steps // rounds + (1 if r < args.steps % rounds else 0)
        for name, trainer in paths.items():
            sync()
            start = time.perf_counter()
            for _ in range(n):
                trainer.train_step()
            sync()
            seconds[name] += time.perf_counter() - start
            steps[name] += n
    print(f"bench train: preset {cfg.preset}, {cfg.g.resolution} px, batch {cfg.batch}, device {chosen.hardware}")
    print(f"  G {count_parameters(chosen.G) / 1e6:.2f} M params, D {count_parameters(chosen.D) / 1e6:.2f} M params; "
          f"{args.steps} timed steps per path after {args.warmup} warm-up, in {rounds} alternating rounds")
    rate = {name: steps[name] * cfg.batch / seconds[name] for name in paths}
    for name, trainer in paths.items():
        ratio = f"  ({rate[name] / rate['float32']:.2f}x float32)" if name != "float32" and "float32" in rate else ""
        print(f"  {name:>8}: {trainer.precision.label:<24} {rate[name]:8.1f} images/s "
              f"({seconds[name] / steps[name] * 1000:.1f} ms/step){ratio}")
    print(f"  chosen because: {chosen.precision.reason}")
    return 0


def add_generate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="public/weights/generator", help="exported generator folder (model.json)")
    p.add_argument("--batches", default="1,16", help="comma-separated batch sizes")
    p.add_argument("--runs", type=int, default=5, help="timed runs per batch size (the median is reported)")
    p.add_argument("--warmup", type=int, default=2, help="untimed runs first")
    p.add_argument("--psi", type=float, default=0.7)
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0 = torch's default)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text (for scripts/bench.mjs)")


def bench_generate(args: argparse.Namespace) -> int:
    """Milliseconds per avatar of an exported generator (mapping + synthesis + uint8), per batch size."""
    import json
    import statistics

    import torch

    from .pipeline import AvatarPipeline

    batches = [int(b) for b in str(args.batches).split(",") if b.strip()]
    if args.runs < 1 or args.warmup < 0 or not batches or min(batches) < 1:
        raise ValueError("bench generate: --runs must be >= 1, --warmup >= 0 and --batches positive integers, e.g. 1,16")
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    pipe = AvatarPipeline.from_pretrained(args.model, device=args.device)
    tags = [group.tags[0].name for group in pipe.vocab.groups]

    def sync():
        if pipe.device.type == "cuda":
            torch.cuda.synchronize(pipe.device)

    results = []
    for batch in batches:
        seeds = list(range(batch))
        times = []
        for run in range(args.warmup + args.runs):
            sync()
            start = time.perf_counter()
            pipe.generate(seeds, tags, args.psi)  # to uint8 on the host: the same endpoint as the browser's pixels
            sync()
            if run >= args.warmup:
                times.append((time.perf_counter() - start) * 1000)
        batch_ms = statistics.median(times)
        results.append({"batch": batch, "batch_ms": batch_ms, "ms_per_avatar": batch_ms / batch, "runs_ms": times})
    device = f"{pipe.device.type} ({torch.get_num_threads()} thread{'' if torch.get_num_threads() == 1 else 's'})" if pipe.device.type == "cpu" else str(pipe.device)
    if args.json:
        print(json.dumps({"target": "generate", "engine": "pytorch", "device": device, "torch": torch.__version__,
                          "model": str(args.model), "results": results}))
        return 0
    print(f"bench generate: {args.model}, device {device}, torch {torch.__version__}, median of {args.runs} after {args.warmup} warm-up")
    for r in results:
        print(f"  batch {r['batch']:>3}: {r['batch_ms']:.1f} ms per batch, {r['ms_per_avatar']:.2f} ms per avatar")
    return 0


def add_project_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="public/weights/generator", help="exported generator folder")
    p.add_argument("--tagger", default="public/weights/tagger", help="tagger that guesses each face's tags")
    p.add_argument("--data", required=True, help="packed data set: faces from its validation split are projected")
    p.add_argument("--count", type=int, default=16, help="validation faces to project")
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--lr", type=float, default=0.1)


def bench_project(args: argparse.Namespace) -> int:
    """Mean PSNR of projections of held-out real faces, in w and in W+, side by side."""
    from .data.pack import VALIDATION, load_pack
    from .pipeline import AvatarPipeline
    from .project import ProjectionSettings, guess_tags, project
    from .pipeline import load_tagger

    pack = load_pack(args.data)
    pipe = AvatarPipeline.from_pretrained(args.model)
    tagger, _, _ = load_tagger(args.tagger)
    if pack.resolution != pipe.generator.cfg.resolution:
        raise ValueError(f"bench project: the pack holds {pack.resolution} px faces, the generator makes "
                         f"{pipe.generator.cfg.resolution} px")
    rows = pack.indices(VALIDATION)[: args.count]
    print(f"bench project: {len(rows)} validation faces of {args.data}, {args.steps} steps, lr {args.lr}, {args.model}")
    for wplus in (False, True):
        started, values = time.perf_counter(), []
        for row in rows:
            target = np.asarray(pack.images[row])
            tags = guess_tags(tagger, pipe.vocab, target, {})
            values.append(project(pipe, target, tags, ProjectionSettings(steps=args.steps, lr=args.lr, wplus=wplus)).psnr)
        seconds = (time.perf_counter() - started) / max(len(rows), 1)
        print(f"  {'W+' if wplus else 'w ':>3}: PSNR mean {np.mean(values):.2f} dB, min {np.min(values):.2f}, "
              f"max {np.max(values):.2f}; {seconds:.1f} s per face")
    return 0


TARGETS = {"train": (add_train_arguments, bench_train), "generate": (add_generate_arguments, bench_generate),
           "project": (add_project_arguments, bench_project)}
TARGETS["sr"] = (add_sr_arguments, bench_sr)  # defined in sr_bench.py: PSNR/SSIM as well as speed


def add_bench_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="target", required=True)
    for name, (add_arguments, _) in TARGETS.items():
        add_arguments(sub.add_parser(name, help=(TARGETS[name][1].__doc__ or "").split("\n")[0]))


def run_bench(args: argparse.Namespace) -> int:
    return TARGETS[args.target][1](args)
