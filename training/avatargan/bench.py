"""Speed measurements: `python -m avatargan bench <target>`.

Targets register in TARGETS (a name -> (add_arguments, run) pair), so another target (an
upscaler, say) is one more function pair here. Timings exclude warm-up steps, which pay for
allocator growth and one-off kernel selection.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def add_train_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", default="64", choices=["tiny", "64", "128", "256"])
    p.add_argument("--batch", type=int, default=32, help="global batch size")
    p.add_argument("--steps", type=int, default=20, help="timed training steps")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="config overrides, as for train")


def bench_train(args: argparse.Namespace) -> int:
    """Images/s of full training steps (G, D, lazy R1, ADA, EMA) on synthetic data of the preset's size."""
    import torch

    from .networks.generator import count_parameters
    from .train.config import apply_overrides, preset, validate
    from .train.data import TrainData
    from .train.loop import Trainer
    from .vocab import Tag, TagGroup, TagVocabulary

    if args.steps < 1 or args.warmup < 0:
        raise ValueError("bench train: --steps must be >= 1 and --warmup >= 0")
    cfg = apply_overrides(preset(args.preset), list(args.set or []) + [f"batch={args.batch}", f"device={args.device}"])
    cfg = validate(cfg)
    rng = np.random.default_rng(0)
    n, res, c_dim = max(4 * cfg.batch, 64), cfg.g.resolution, cfg.g.c_dim
    images = rng.integers(0, 256, (n, res, res, 3), dtype=np.uint8)
    labels = np.eye(c_dim, dtype=np.float32)[rng.integers(0, c_dim, n)]
    vocab = TagVocabulary([TagGroup("tags", False, tuple(Tag(f"tag {i}", 1 / c_dim) for i in range(c_dim)))])
    trainer = Trainer(cfg, TrainData(images, labels, cfg.seed, "synthetic"), vocab, out=None, progress=False)

    def sync():
        if trainer.device.type == "cuda":
            torch.cuda.synchronize(trainer.device)

    for _ in range(args.warmup):
        trainer.train_step()
    sync()
    start = time.perf_counter()
    for _ in range(args.steps):
        trainer.train_step()
    sync()
    seconds = time.perf_counter() - start
    first = args.warmup
    r1_steps = sum(1 for s in range(first, first + args.steps) if s % cfg.r1_interval == 0)
    print(f"bench train: preset {cfg.preset}, {res} px, batch {cfg.batch}, device {trainer.hardware}, "
          f"amp {'bf16' if trainer.amp else 'off'}")
    print(f"  G {count_parameters(trainer.G) / 1e6:.2f} M params, D {count_parameters(trainer.D) / 1e6:.2f} M params; "
          f"{args.steps} timed steps after {args.warmup} warm-up ({r1_steps} with lazy R1, ADA p={trainer.augment.p:.3f})")
    print(f"  {args.steps * cfg.batch / seconds:.1f} images/s ({seconds / args.steps * 1000:.1f} ms/step)")
    return 0


TARGETS = {"train": (add_train_arguments, bench_train)}


def add_bench_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="target", required=True)
    for name, (add_arguments, _) in TARGETS.items():
        add_arguments(sub.add_parser(name, help=(TARGETS[name][1].__doc__ or "").split("\n")[0]))


def run_bench(args: argparse.Namespace) -> int:
    return TARGETS[args.target][1](args)
