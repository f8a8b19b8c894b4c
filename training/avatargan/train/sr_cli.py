"""The `train-sr` command's options and its three modes (new run, resume, export).

Kept apart from train/sr.py so that building the CLI parser imports no torch.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_train_sr_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", help="packed real faces, larger than the model's input (e.g. data/faces96)")
    p.add_argument("--out", help="run folder (latest.pt, metrics.jsonl), or with --export the model folder")
    p.add_argument("--resume", metavar="RUN", help="continue the run in this folder exactly where it stopped")
    p.add_argument("--export", metavar="RUN_OR_PT", help="export the run's latest weights to --out for the browser")
    p.add_argument("--float16", action="store_true", help="with --export: store weights as float16")
    p.add_argument("--name", default="upscaler", help="with --export: model name recorded in model.json")
    p.add_argument("--hardware", help="with --export: what the run trained on, for runs whose checkpoint lacks it")
    p.add_argument("--note", help="with --export: a remark for the model card (e.g. how the run was resumed)")
    p.add_argument("--card", metavar="MODEL", help="write MODEL_CARD.md for an exported upscaler folder")
    p.add_argument("--benchmark", metavar="JSON", help="with --card: scripts/bench-sr.mjs results to store and show")
    p.add_argument("--kimg", type=float, help="length of the run in thousands of training crops (default 100)")
    p.add_argument("--batch", type=int, help="crops per step (default 32)")
    p.add_argument("--patch", type=int, help="input crop size in pixels (default 32; targets are twice that)")
    p.add_argument("--channels", type=int, help="feature channels of the net (default 40)")
    p.add_argument("--body-layers", type=int, help="3x3 conv layers between stem and tail (default 7)")
    p.add_argument("--lr", type=float, help="peak Adam learning rate (default 1.5e-3)")
    p.add_argument("--jpeg-probability", type=float, help="share of inputs with mild JPEG noise (default 0.3)")
    p.add_argument("--denoise", type=int, choices=[0, 1], help="denoise level to train for: 0 mild JPEG (default), "
                                                                "1 heavy JPEG and noise on every input")
    p.add_argument("--init", metavar="MODEL", help="start from an exported upscaler's weights (e.g. public/weights/upscaler "
                                                   "to train a denoise level from it); its net settings are kept")
    p.add_argument("--seed", type=int, help="seed of the weights and of every draw")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    p.add_argument("--dry-run", action="store_true", help="print the resolved config and exit")


def resolve_config(args: argparse.Namespace):
    from ..networks.upscaler import UpscalerConfig
    from .sr import SRTrainConfig

    from ..models.upscaler import load_upscaler
    from .sr import DENOISE_LEVELS

    cfg = SRTrainConfig(data=args.data or "")
    net = {k: v for k, v in (("channels", args.channels), ("body_layers", args.body_layers)) if v is not None}
    if args.init:
        net = load_upscaler(args.init)[0].cfg.to_dict()
    level = args.denoise or 0
    cfg.net = UpscalerConfig(**{**net, "denoise": level})
    for key, value in DENOISE_LEVELS[level].items():   # the level's degradations; flags below override them
        setattr(cfg, key, value)
    for key in ("kimg", "batch", "patch", "lr", "jpeg_probability", "seed"):
        if getattr(args, key) is not None:
            setattr(cfg, key, getattr(args, key))
    return cfg.validate()


def cmd_train_sr(args: argparse.Namespace) -> int:
    import json

    import torch

    from ..data.pack import load_pack
    from ..models.upscaler import export_upscaler
    from .sr import SRTrainConfig, SRTrainer, load_run, model_from_run

    if args.threads:
        torch.set_num_threads(args.threads)
    if args.card:
        from ..cards import attach_benchmark, write_card

        if args.benchmark:
            attach_benchmark(args.card, json.loads(Path(args.benchmark).read_text()))
        print(f"wrote {write_card(args.card)}")
        return 0
    if args.export:
        if not args.out:
            raise SystemExit("train-sr --export RUN needs --out FOLDER (e.g. public/weights/upscaler)")
        model, info = model_from_run(args.export)
        if args.hardware:
            info["hardware"] = args.hardware
        if args.note:
            info["note"] = args.note
        path = export_upscaler(model, args.out, name=args.name, training=info, float16=args.float16)
        size = sum(p.stat().st_size for p in Path(args.out).glob("*.bin"))
        print(f"wrote {path} ({size / 1e6:.2f} MB of weights{', float16' if args.float16 else ''}; "
              f"{info['images_seen']} crops seen)")
        return 0
    if args.resume:
        state = load_run(args.resume)
        cfg = SRTrainConfig.from_dict(state["config"])
        if args.kimg is not None:  # the one thing a resume may change: how long the run goes on
            cfg.kimg = args.kimg
        out = Path(args.resume) if Path(args.resume).is_dir() else Path(args.resume).parent
    else:
        if not args.data or not args.out:
            raise SystemExit("train-sr: give --data PACK --out RUN (or --resume RUN, or --export RUN --out FOLDER)")
        cfg, state, out = resolve_config(args), None, Path(args.out)
    if args.dry_run:
        print(json.dumps(cfg.to_dict(), indent=1))
        return 0
    trainer = SRTrainer(cfg, load_pack(cfg.data), out)
    if state is not None:
        trainer.load_state(state)
    elif args.init:
        trainer.start_from(args.init)
    record = trainer.run()
    print(f"train-sr: stopped at step {trainer.step}; latest weights in {out / 'latest.pt'}"
          + (f"; held-out PSNR-Y {record['val_psnr_y']:.2f} dB ({record['gain_db']:+.2f} over bicubic)" if record else ""))
    return 0
