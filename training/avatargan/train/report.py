"""What a run leaves for people to look at: metrics.jsonl, sample grids and a loss plot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..images import grid, save_png
from ..networks.generator import Generator
from ..vocab import TagVocabulary

PLOTTED = ("G/main", "D/real", "D/fake", "D/r1", "G/pl")


class Meter:
    """Means of the per-step stats since the last log line, and the images/s over that span."""

    def __init__(self, now: float):
        self.sums: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.since = now
        self.images = 0

    def add(self, stats: dict[str, float], images: int) -> None:
        for k, v in stats.items():
            self.sums[k] = self.sums.get(k, 0.0) + v
            self.counts[k] = self.counts.get(k, 0) + 1
        self.images += images

    def pop(self, now: float) -> dict:
        out = {k: self.sums[k] / self.counts[k] for k in self.sums}
        out["images_per_s"] = self.images / max(now - self.since, 1e-9)
        self.__init__(now)
        return out


def append_jsonl(path: Path, record: dict) -> None:
    with open(path, "a") as f:
        f.write(json.dumps(record) + "\n")


def sample_conditions(vocab: TagVocabulary, max_rows: int = 8) -> list[tuple[str, np.ndarray]]:
    """Rows of the sample grid: each tag of the first exclusive group (hair colour, say) with the
    other exclusive groups fixed at their most common tag, so rows differ in one thing only.
    Without exclusive groups: no tag, then each independent tag alone."""
    exclusive = [g for g in vocab.groups if g.exclusive]
    if exclusive:
        fixed = [max(g.tags, key=lambda t: t.prior).name for g in exclusive[1:]]
        tag_rows = [[t.name] + fixed for t in exclusive[0].tags]
    else:
        tag_rows = [[]] + [[t.name] for g in vocab.groups for t in g.tags]
    return [(", ".join(tags) or "(no tags)", vocab.encode(tags)) for tags in tag_rows[:max_rows]]


def sample_grid(generator: Generator, vocab: TagVocabulary, seeds: list[int]) -> tuple[np.ndarray, list[str]]:
    """[rows*R, columns*R, 3] uint8: rows are conditions, columns fixed seeds (const noise, psi 1)."""
    from ..pipeline import AvatarPipeline

    pipe = AvatarPipeline(generator, vocab)
    rows = sample_conditions(vocab)
    pixels = np.concatenate([pipe.generate(seeds, c) for _, c in rows])   # [rows*S, R, R, 3]
    return grid(pixels, columns=len(seeds), pad=1), [label for label, _ in rows]


def save_samples(generator: Generator, vocab: TagVocabulary, seeds: list[int], path: Path, kimg: float) -> Path:
    image, labels = sample_grid(generator, vocab, seeds)
    return save_png(image, path, text={"kimg": f"{kimg:.3f}", "rows": " | ".join(labels),
                                       "seeds": ",".join(map(str, seeds))})


def plot_losses(metrics_path: Path, out_path: Path) -> Path | None:
    """losses.png from metrics.jsonl: losses on top, ADA p and images/s below."""
    if not metrics_path.exists():
        return None
    import matplotlib

    matplotlib.use("Agg")  # files only; never a display
    import matplotlib.pyplot as plt

    records = [json.loads(line) for line in metrics_path.read_text().splitlines() if line.strip()]
    records = [r for r in records if "kimg" in r and "event" not in r]
    if not records:
        return None
    kimg = [r["kimg"] for r in records]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    for name in PLOTTED:
        points = [(k, r[name]) for k, r in zip(kimg, records) if name in r]
        if points:
            top.plot(*zip(*points), label=name, linewidth=1)
    top.set_ylabel("loss")
    top.legend(loc="upper right", fontsize=8)
    top.grid(alpha=0.3)
    bottom.plot(kimg, [r.get("ada_p", 0.0) for r in records], label="ADA p", color="tab:purple")
    bottom.set_ylabel("ADA p")
    bottom.set_xlabel("kimg")
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    tmp = out_path.with_name(f".{out_path.name}.tmp.png")
    fig.savefig(tmp, dpi=90)
    plt.close(fig)
    tmp.replace(out_path)
    return out_path
