"""Draw docs/architecture.png: the layers of both halves and the files that travel between them.

    .venv/bin/python scripts/architecture-figure.py
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

# Each column top to bottom: "label | detail". Positions are worked out in column().
PYTHON = """data/ · prepare/ | import, filter, crop, dedupe, review, autotag, pack
train/ | loops, checkpoints, losses, ADA, torchrun
networks/ | torch modules of the three models
models/ | load · run · export, per kind
pipeline.py · recipe/ · cards/ | the facade; recipes; model cards
cli.py | one @command per verb"""
TYPESCRIPT = """app/components/ | engine (backend, models, render), notebook view
app/cells/<kind>/ | spec.ts · <Kind>Cell.tsx · index.ts → registry.ts
lib/notebook/ | document: schema, parse, migrate, autosave
lib/gan/ | ModelHandle, generator + LatentSpace, render.ts
lib/edit/ | pixels.ts (the one conversion), pixel edits, PNG/ZIP
lib/latent/ | seed → z, vocabulary, directions, interpolation
lib/recipe/ | AvatarRecipe + makeRecipe: the contract"""
FILES = [
    ("model.json + shards", "export.py  ⇄  modelFile.ts", 5.5, 4.6),
    ("recipe JSON / PNG text", "recipe/  ⇄  lib/recipe", 5.5, 1.6),
]


def column(text: str, x: float, top: float = 8.3, bottom: float = -0.1) -> list[tuple[str, str, float, float]]:
    """(label, detail, x, y) for each line of `text`, spread evenly from top to bottom."""
    rows = [line.split(" | ") for line in text.splitlines()]
    step = (top - bottom) / (len(rows) - 1)
    return [(label, detail, x, top - i * step) for i, (label, detail) in enumerate(rows)]


W, H = 5.0, 1.15


def box(ax, label, detail, x, y, face, width=W):
    ax.add_patch(FancyBboxPatch((x, y), width, H, boxstyle="round,pad=0.02,rounding_size=0.15", fc=face, ec="#334", lw=1.2))
    ax.text(x + width / 2, y + H * 0.64, label, ha="center", va="center", fontsize=11, weight="bold", family="monospace")
    ax.text(x + width / 2, y + H * 0.28, detail, ha="center", va="center", fontsize=8.2, color="#333")


def arrow(ax, start, end, color="#556", style="-|>", dashed=False):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=12, color=color, lw=1.2,
                                 linestyle="--" if dashed else "-"))


def main() -> None:
    fig, ax = plt.subplots(figsize=(13, 8.6))
    ax.set_xlim(0, 16.6)
    ax.set_ylim(-0.5, 10)
    ax.axis("off")
    ax.text(2.9, 9.7, "Python  (training/avatargan)", ha="center", fontsize=13, weight="bold")
    ax.text(13.1, 9.7, "TypeScript  (lib/, app/)", ha="center", fontsize=13, weight="bold")
    python, typescript = column(PYTHON, 0.4, bottom=0.1), column(TYPESCRIPT, 10.6)
    for label, detail, x, y in python:
        box(ax, label, detail, x, y, "#e8f0ff")
    for label, detail, x, y in typescript:
        box(ax, label, detail, x, y, "#fff1e0")
    for label, detail, x, y in FILES:
        box(ax, label, detail, x, y, "#e9f7ea", width=5.0 - 0.0)
    # Python: who uses whom (downward arrows = imports).
    for upper, lower in [(1, 2), (3, 2), (4, 3), (5, 4), (5, 1), (0, 2)]:
        ux, uy = python[upper][2] + W / 2, python[upper][3]
        lx, ly = python[lower][2] + W / 2, python[lower][3] + H
        if abs(upper - lower) == 1:
            arrow(ax, (ux + (0.6 if upper > lower else -0.6), uy + (H if upper > lower else 0)),
                  (lx + (0.6 if upper > lower else -0.6), (python[lower][3] if upper > lower else ly)))
    # TypeScript: each layer imports only those below it.
    for upper, lower in zip(typescript, typescript[1:]):
        x = upper[2] + W / 2
        arrow(ax, (x, upper[3]), (x, lower[3] + H))
    ax.text(16.2, 4.0, "arrows: imports (each layer only downward)", rotation=90, ha="center", va="center", fontsize=9, color="#556")
    # Files between the halves.
    arrow(ax, (5.4, 3.75), (5.5, 5.0), color="#2a7a3a")        # models/ writes model files
    arrow(ax, (10.5, 5.2), (10.6, 4.7), color="#2a7a3a")       # lib/gan reads them
    ax.text(5.05, 4.25, "export", fontsize=8.5, color="#2a7a3a", ha="right")
    ax.text(10.55, 5.35, "load", fontsize=8.5, color="#2a7a3a", ha="right")
    arrow(ax, (10.5, 0.6), (10.5, 2.05), color="#2a7a3a", style="<|-|>")
    arrow(ax, (5.4, 2.1), (5.5, 2.1), color="#2a7a3a", style="<|-|>")
    ax.text(8.0, 0.6, "export · import · render\nsame recipe + same model = same pixels", ha="center", fontsize=8.5,
            color="#2a7a3a")
    ax.text(8.0, 7.6, "Only files cross the middle:\nno code is shared, the parity\nfixtures hold both halves to one meaning",
            ha="center", va="center", fontsize=9.5, color="#333", style="italic")
    out = Path(__file__).resolve().parents[1] / "docs" / "architecture.png"
    fig.savefig(out, dpi=110, bbox_inches="tight")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
