"""Training checkpoints: everything needed to continue a run exactly, in a weights_only file.

    {format: "avatargan-train", version: 1,
     config: TrainConfig.to_dict(), vocab: TagVocabulary.to_json(),
     G, D, G_ema: state_dicts, G_opt, D_opt: optimizer state_dicts,
     ada_p: float, ada_stats: [sign_sum, count], pl_mean: tensor,
     step: int, images_seen: int, wall_time: float (seconds, over all sessions),
     rng: {python, numpy, torch, cuda}, sampler: {kind, seed, position},
     info: {data, hardware: [...], world_size, started, saved}}

Only tensors, dicts, lists and primitives, so torch.load(weights_only=True) reads it and a
checkpoint cannot carry code. Files are written to a temporary name and renamed over the
old one, so a run killed mid-write leaves the previous checkpoint whole.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import random
from pathlib import Path

import numpy as np
import torch

from ..networks.generator import Generator
from ..vocab import TagVocabulary
from .config import TrainConfig

FORMAT = "avatargan-train"
VERSION = 1
LATEST = "latest.pt"
REQUIRED = ("config", "vocab", "G", "D", "G_ema", "G_opt", "D_opt", "ada_p", "step", "images_seen", "rng")


def snapshot_name(images_seen: int) -> str:
    """snapshot-000200.pt at whole kimg; snapshot-000000.032.pt for the tiny runs of the tests."""
    kimg = f"{images_seen // 1000:06d}" if images_seen % 1000 == 0 else f"{images_seen / 1000:010.3f}"
    return f"snapshot-{kimg}.pt"


def state_checksum(state: dict) -> str:
    """sha256 over every tensor's bytes and every other value of a checkpoint, in key order (the
    'checksum' entry itself left out), so flipped bytes anywhere in the weights are caught on load."""
    digest = hashlib.sha256()

    def visit(value, key: str) -> None:
        digest.update(key.encode())
        if isinstance(value, torch.Tensor):
            digest.update(str((value.dtype, tuple(value.shape))).encode())
            digest.update(value.detach().cpu().contiguous().view(-1).view(torch.uint8).numpy().tobytes())
        elif isinstance(value, dict):
            for k in sorted(value, key=str):
                if not (key == "" and k == "checksum"):
                    visit(value[k], f"{key}/{k}")
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                visit(item, f"{key}[{i}]")
        else:
            digest.update(repr(value).encode())

    visit(state, "")
    return digest.hexdigest()


def save_checkpoint(state: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    state = {"format": FORMAT, "version": VERSION, **state}
    state["checksum"] = state_checksum(state)
    with open(tmp, "wb") as f:
        if path.name.endswith(".gz"):  # a compact checkpoint for a narrow pipe: gzip saves ~12 % of float bytes
            buffer = io.BytesIO()
            torch.save(state, buffer)
            f.write(gzip.compress(buffer.getvalue(), compresslevel=1, mtime=0))
        else:
            torch.save(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def resolve(path: str | Path) -> Path:
    """A run folder means its latest.pt."""
    path = Path(path)
    if path.is_dir():
        path = path / LATEST
    if not path.exists():
        raise FileNotFoundError(f"{path}: no checkpoint here; give a run folder holding {LATEST} or a .pt file")
    return path


def compact_checkpoint(state: dict) -> dict:
    """A smaller checkpoint that still resumes: for a GPU machine whose results come back through
    a narrow pipe. Adam's first moment is dropped when beta1 = 0 (it is then the last gradient,
    overwritten before it is read, so dropping it changes nothing), and the second moments are
    stored in bfloat16 (their square roots scale each step: a 0.4 % rounding, not a restart)."""
    out = {**state, "compact": True}
    for key in ("G_opt", "D_opt"):
        opt = state[key]
        beta1_zero = all(group["betas"][0] == 0 for group in opt["param_groups"])
        slim = {}
        for index, entry in opt["state"].items():
            slim[index] = {"step": entry["step"], "exp_avg_sq": entry["exp_avg_sq"].to(torch.bfloat16)}
            if not beta1_zero:
                slim[index]["exp_avg"] = entry["exp_avg"].to(torch.bfloat16)
        out[key] = {"state": slim, "param_groups": opt["param_groups"]}
    return out


def expand_compact(state: dict) -> dict:
    """The inverse of compact_checkpoint, up to the bfloat16 rounding of the second moments."""
    if not state.get("compact"):
        return state
    out = dict(state)
    for key in ("G_opt", "D_opt"):
        full = {}
        for index, entry in state[key]["state"].items():
            sq = entry["exp_avg_sq"].to(torch.float32)
            avg = entry["exp_avg"].to(torch.float32) if "exp_avg" in entry else torch.zeros_like(sq)
            full[index] = {"step": entry["step"], "exp_avg": avg, "exp_avg_sq": sq}
        out[key] = {"state": full, "param_groups": state[key]["param_groups"]}
    out.pop("compact")
    return out


def _readable(path: Path):
    """What torch.load reads: the file itself, or its gunzipped bytes for a compact .pt.gz."""
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    return io.BytesIO(gzip.decompress(path.read_bytes())) if gzipped else path


def load_checkpoint(path: str | Path) -> dict:
    path = resolve(path)
    try:
        state = torch.load(_readable(path), map_location="cpu", weights_only=True)
    except Exception as err:  # a truncated or foreign file: say which, not a pickle traceback
        raise ValueError(f"{path}: cannot read the checkpoint ({type(err).__name__}: {err})") from err
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ValueError(f"{path}: not an AvatarGAN training checkpoint (format {state.get('format') if isinstance(state, dict) else None!r})")
    if state.get("version") != VERSION:
        raise ValueError(f"{path}: checkpoint version {state.get('version')!r}; this code reads version {VERSION}")
    missing = [k for k in REQUIRED if k not in state]
    if missing:
        raise ValueError(f"{path}: checkpoint lacks {', '.join(missing)}")
    if "checksum" in state and state_checksum(state) != state["checksum"]:
        raise ValueError(f"{path}: the checkpoint is corrupt (its contents do not match its checksum); "
                         + newest_good_snapshot_hint(path))
    return expand_compact(state)


def newest_good_snapshot_hint(bad: Path) -> str:
    """Where to resume from instead: the newest snapshot beside `bad` that loads and checks out."""
    for candidate in sorted(bad.parent.glob("snapshot-*.pt"), reverse=True):
        if candidate == bad:
            continue
        try:
            load_checkpoint(candidate)
        except ValueError:
            continue
        return f"the newest good snapshot is {candidate}: copy it over {bad.parent / LATEST} and --resume"
    return "no good snapshot is beside it; start the run again"


def rng_state() -> dict:
    version, words, gauss = random.getstate()
    name, keys, pos, has_gauss, cached = np.random.get_state()
    return {
        "python": {"version": version, "state": torch.tensor(words, dtype=torch.int64), "gauss": gauss},
        "numpy": {"name": name, "keys": torch.from_numpy(keys.astype(np.int64)), "pos": int(pos),
                  "has_gauss": int(has_gauss), "cached": float(cached)},
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def set_rng_state(state: dict) -> None:
    py = state["python"]
    random.setstate((py["version"], tuple(int(w) for w in py["state"].tolist()), py["gauss"]))
    npy = state["numpy"]
    np.random.set_state((npy["name"], npy["keys"].numpy().astype(np.uint32), npy["pos"], npy["has_gauss"], npy["cached"]))
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available() and len(state["cuda"]) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(state["cuda"])


def training_info(state: dict) -> dict:
    """What a model.json says about how its generator was trained (honest numbers from the checkpoint)."""
    cfg = state["config"]
    info = state.get("info", {})
    return {
        "data": info.get("data", cfg.get("data", "")),
        "images": int(info.get("images", 0)),
        "preset": cfg.get("preset"),
        "resolution": cfg["g"]["resolution"],
        "images_seen": int(state["images_seen"]),
        "kimg": round(state["images_seen"] / 1000, 3),
        "steps": int(state["step"]),
        "batch": cfg.get("batch"),
        "wall_time_s": round(float(state.get("wall_time", 0.0)), 1),
        "wall_time_h": round(float(state.get("wall_time", 0.0)) / 3600, 3),
        "hardware": list(info.get("hardware", [])),
        "world_size": info.get("world_size", 1),
        "ada_p": round(float(state["ada_p"]), 4),
        "started": info.get("started"),
        "date": info.get("saved"),
        "seed": cfg.get("seed"),
        "cls_weight": cfg.get("cls_weight", 0.0),
        "g_cls_weight": cfg.get("g_cls_weight", 0.0),
        "g_cls_until": cfg.get("g_cls_until", 1.0),
        **({"init_generator": info["init_generator"]} if "init_generator" in info else {}),
    }


def load_generator_from_checkpoint(path: str | Path) -> tuple[Generator, TagVocabulary, dict]:
    """(G_ema in eval mode on the CPU, the vocabulary, training info) from a run folder or .pt file."""
    state = load_checkpoint(path)
    cfg = TrainConfig.from_dict(state["config"])
    generator = Generator(cfg.g)
    generator.load_state_dict(state["G_ema"])
    vocab = TagVocabulary.from_json(state["vocab"])
    if vocab.dim != cfg.g.c_dim:
        raise ValueError(f"{path}: vocabulary has {vocab.dim} tags but the generator expects c_dim={cfg.g.c_dim}")
    return generator.eval().requires_grad_(False), vocab, training_info(state)
