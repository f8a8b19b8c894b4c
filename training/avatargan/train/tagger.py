"""Train the tagger on a packed data set, measure it per tag and per group, export it.

    python -m avatargan train-tagger --data data/faces64 --out runs/tagger --epochs 8
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..data.pack import TRAIN, VALIDATION, Pack
from ..images import from_uint8
from ..models.tagger import predict
from ..networks.tagger import Tagger, TaggerConfig
from ..vocab import TagVocabulary


@dataclass
class TaggerTrainConfig:
    epochs: int = 8
    batch: int = 128
    lr: float = 2e-3
    weight_decay: float = 5e-4
    seed: int = 0
    channels: tuple[int, ...] = tuple(TaggerConfig().channels)
    max_train: int | None = None   # cap on training images (tests)


def pick_device(name: str = "auto") -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Flips, small shifts and brightness/contrast jitter. Never hue: colour is the label."""
    n = x.shape[0]
    flip = torch.rand(n, generator=generator) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    pad = 4
    padded = torch.nn.functional.pad(x, [pad] * 4, mode="replicate")
    dx, dy = torch.randint(0, 2 * pad + 1, (2,), generator=generator).tolist()
    x = padded[:, :, dy:dy + x.shape[2], dx:dx + x.shape[3]]
    brightness = (torch.rand(n, 1, 1, 1, generator=generator) - 0.5) * 0.2
    contrast = 1 + (torch.rand(n, 1, 1, 1, generator=generator) - 0.5) * 0.2
    mean = x.mean(dim=[1, 2, 3], keepdim=True)
    return ((x - mean) * contrast + mean + brightness).clamp(-1, 1)


def batches(pack: Pack, indices: np.ndarray, size: int):
    for start in range(0, len(indices), size):
        idx = np.sort(indices[start:start + size])
        yield torch.from_numpy(from_uint8(np.asarray(pack.images[idx]))), torch.from_numpy(pack.labels[idx])


def accuracy_report(probs: np.ndarray, labels: np.ndarray, vocab: TagVocabulary, threshold: float = 0.5) -> dict:
    """Per group: accuracy of the argmax (exclusive) or of every bit (independent); per tag: recall and precision."""
    report = {"groups": {}, "tags": {}, "count": int(len(labels))}
    for group, span in vocab.group_slices():
        p, y = probs[:, span], labels[:, span]
        if group.exclusive:
            has = y.sum(1) > 0
            correct = (p[has].argmax(1) == y[has].argmax(1))
            report["groups"][group.name] = float(correct.mean()) if has.any() else None
            predicted = np.zeros_like(y[has])
            predicted[np.arange(has.sum()), p[has].argmax(1)] = 1
            truth = y[has]
        else:
            predicted, truth = (p >= threshold).astype(np.float32), y
            report["groups"][group.name] = float((predicted == truth).mean())
        for k, tag in enumerate(group.tags):
            tp = float((predicted[:, k] * truth[:, k]).sum())
            report["tags"][tag.name] = {
                "support": int(truth[:, k].sum()),
                "recall": tp / max(float(truth[:, k].sum()), 1.0),
                "precision": tp / max(float(predicted[:, k].sum()), 1.0),
            }
    return report


def train_tagger(pack: Pack, out: str | Path, cfg: TaggerTrainConfig, device: str = "auto",
                 progress: bool = True) -> tuple[Tagger, dict]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    dev = pick_device(device)
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    train_idx, val_idx = pack.indices(TRAIN), pack.indices(VALIDATION)
    if cfg.max_train:
        train_idx = train_idx[: cfg.max_train]
    if len(train_idx) == 0 or len(val_idx) == 0:
        raise ValueError(f"tagger: the pack needs training and validation images (has {len(train_idx)} and {len(val_idx)})")
    model = Tagger(TaggerConfig.for_vocab(pack.vocab, resolution=pack.resolution, channels=list(cfg.channels))).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    steps = cfg.epochs * -(-len(train_idx) // cfg.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=steps, pct_start=0.15)
    history, best, started = [], None, time.time()
    for epoch in range(cfg.epochs):
        model.train()
        order = rng.permutation(train_idx)
        bar = tqdm(batches(pack, order, cfg.batch), total=-(-len(order) // cfg.batch), disable=not progress,
                   desc=f"tagger epoch {epoch + 1}/{cfg.epochs}", unit="batch")
        for x, y in bar:
            x, y = augment(x, gen).to(dev), y.to(dev)
            loss = model.loss(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            bar.set_postfix(loss=f"{loss.item():.3f}")
        probs, _ = predict(model, pack.images[np.sort(val_idx)], dev)
        report = accuracy_report(probs, pack.labels[np.sort(val_idx)], pack.vocab)
        history.append({"epoch": epoch + 1, "loss": float(loss.item()), **{f"val_{k}": v for k, v in report["groups"].items()}})
        if progress:
            print(f"epoch {epoch + 1}: " + ", ".join(f"{k} {v:.4f}" for k, v in report["groups"].items() if v is not None))
        score = float(np.mean([v for v in report["groups"].values() if v is not None]))
        if best is None or score > best[0]:
            best = (score, {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}, report)
    model.load_state_dict(best[1])
    model.eval()
    summary = {"validation": best[2], "history": history, "train_images": int(len(train_idx)),
               "epochs": cfg.epochs, "seconds": round(time.time() - started, 1), "device": str(dev)}
    torch.save({"config": model.cfg.to_dict(), "vocab": pack.vocab.to_json(), "state": best[1], "summary": summary},
               out / "tagger.pt")
    (out / "report.json").write_text(json.dumps(summary, indent=1) + "\n")
    return model, summary
