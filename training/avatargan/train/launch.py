"""From command-line values to a running Trainer: presets, overrides, resume, torchrun."""

from __future__ import annotations

import sys
from pathlib import Path

from . import checkpoint as ckpt
from .config import TrainConfig, apply_overrides, fit_to_vocabulary, preset, validate
from .data import TrainData

# Settings that fix the networks' shapes or the data order: a resumed run must keep them.
FROZEN_ON_RESUME = ("g", "d", "seed", "batch")


def initial_generator(folder: str, vocab) -> tuple[dict, dict]:
    """(generator config dict, state dict) of an exported generator to start a new run from.

    Fine-tuning: G and G_ema start from the exported (EMA) weights, the discriminator and the
    optimizers start fresh. The vocabulary must be the pack's, tag for tag and in order."""
    import torch

    from ..pipeline import AvatarPipeline

    pipe = AvatarPipeline.from_pretrained(folder)
    if pipe.vocab.names != vocab.names:
        raise ValueError(f"--init-generator {folder}: its tags ({', '.join(pipe.vocab.names)}) are not the pack's "
                         f"({', '.join(vocab.names)}); it can only continue on data with the same vocabulary")
    state = {k: v.detach().clone().to(torch.float32) for k, v in pipe.generator.state_dict().items()}
    return pipe.generator.cfg.to_dict(), {"state": state, "name": pipe.name, "sha256": pipe.sha256,
                                          "folder": str(folder)}


def resolve(data: str | None, preset_name: str | None, overrides: list[str], resume: str | None,
            init_generator: str | None = None):
    """(config, TrainData, vocab, resume state or None, initial generator or None), with c_dim taken
    from the pack (and g.* from --init-generator's model.json when given)."""
    state, init = None, None
    if resume and init_generator:
        raise ValueError("--init-generator starts a new run; a resumed run already has its generator")
    if resume:
        state = ckpt.load_checkpoint(resume)
        old = TrainConfig.from_dict(state["config"])
        cfg = apply_overrides(old, overrides)
        if data:
            cfg.data = str(Path(data).resolve())
        changed = [k for k in FROZEN_ON_RESUME if getattr(cfg, k) != getattr(old, k)]
        if changed:
            raise ValueError(f"--resume: cannot change {', '.join(changed)} of a run; start a new run instead")
        if preset_name and preset_name != cfg.preset:
            raise ValueError(f"--resume: the run uses preset {cfg.preset!r}, not {preset_name!r}; drop --preset")
    else:
        if not data:
            raise ValueError("train: give --data PACK_FOLDER (a pack made by `python -m avatargan pack`)")
        cfg = preset(preset_name or "64")
        cfg.data = str(Path(data).resolve())
        cfg = apply_overrides(cfg, overrides)
    train_data, vocab = TrainData.from_pack(cfg.data, cfg.seed)
    if state is None:
        if init_generator:
            g_config, init = initial_generator(init_generator, vocab)
            cfg.g = type(cfg.g).from_dict(g_config)
        fit_to_vocabulary(cfg, vocab)
    elif vocab.to_json() != state["vocab"]:
        raise ValueError(f"{cfg.data}: the pack's vocabulary differs from the one the run was trained with")
    if state is None and cfg.preset == "tiny" and not any(o.split("=")[0].strip().endswith(".resolution") for o in overrides):
        # The smoke-test preset is about size, not resolution: it trains at the pack's.
        cfg.g.resolution = cfg.d.resolution = train_data.resolution
    if train_data.resolution != cfg.g.resolution:
        res = train_data.resolution
        raise ValueError(f"{cfg.data} holds {res} px images but the config makes {cfg.g.resolution} px; use "
                         f"--preset {res} if there is one, or --set g.resolution={res} --set d.resolution={res}")
    return validate(cfg), train_data, vocab, state, init


def run_folder_for(out: str | None, resume: str | None) -> Path:
    if out:
        return Path(out)
    if resume:
        path = Path(resume)
        return path if path.is_dir() else path.parent
    raise ValueError("train: give --out RUN_FOLDER")


def train(data: str | None, out: str | None, preset_name: str | None, overrides: list[str],
          resume: str | None = None, dry_run: bool = False, progress: bool = True,
          init_generator: str | None = None, minutes: float | None = None) -> int:
    from .distributed import init_from_env, shutdown
    from .loop import Trainer

    cfg, train_data, vocab, state, init = resolve(data, preset_name, overrides, resume, init_generator)
    if dry_run:
        print(cfg.to_json())
        return 0
    folder = run_folder_for(out, resume)
    if state is None and (folder / ckpt.LATEST).exists():
        raise ValueError(f"{folder} already holds a run ({ckpt.LATEST}); continue it with --resume {folder} "
                         "or choose another --out")
    dist = init_from_env(cfg.device)
    try:
        trainer = Trainer(cfg, train_data, vocab, folder, dist, progress=progress)
        if state is not None:
            trainer.load_state_dict(state)
        if init is not None:
            trainer.start_from_generator(init["state"], {k: init[k] for k in ("name", "sha256", "folder")})
        if dist.is_main:
            print(f"training {cfg.preset} preset, {cfg.g.resolution} px, batch {cfg.batch} on {trainer.hardware}, "
                  f"{len(train_data)} images from {cfg.data}; step {trainer.step} of {cfg.total_steps} -> {folder}",
                  file=sys.stderr)
        record = trainer.run(minutes)
        if dist.is_main:
            print(f"done: {trainer.step * cfg.batch / 1000:.3f} kimg in {trainer.wall_time:.1f} s; "
                  f"checkpoint {folder / ckpt.LATEST}"
                  + (f"; {dist.world_size} ranks checked in sync" if dist.enabled else "")
                  + (f"; last log {record}" if record else ""), file=sys.stderr)
    finally:
        shutdown(dist)
    return 0
