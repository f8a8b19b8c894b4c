"""Draw docs/architecture.png: the layers of both halves and the files that travel between them.

    .venv/bin/python scripts/architecture-figure.py
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

# (label, detail, x, y): boxes in data units of a 16 x 10 canvas.
PYTHON = [
    ("data/ · prepare/", "import, filter, crop, dedupe, review, autotag, pack", 0.4, 8.3),
    ("train/", "loops, checkpoints, losses, ADA, torchrun", 0.4, 6.6),
    ("networks/", "torch modules of the three models", 0.4, 4.9),
    ("models/", "load · run · export, per kind", 0.4, 3.2),
    ("pipeline.py · recipe/ · cards/", "the facade; recipes; model cards", 0.4, 1.5),
    ("cli.py", "one @command per verb", 0.4, 0.1),
]
TYPESCRIPT = [
    ("app/components/", "engine (backend, models, render), notebook view", 10.6, 8.3),
    ("app/cells/<kind>/", "spec.ts · <Kind>Cell.tsx · index.ts → registry.ts", 10.6, 6.9),
    ("lib/notebook/", "document: schema, parse, migrate, autosave", 10.6, 5.5),
    ("lib/gan/", "ModelHandle, generator + LatentSpace, render.ts", 10.6, 4.1),
    ("lib/edit/", "pixels.ts (the one conversion), pixel edits, PNG/ZIP", 10.6, 2.7),
    ("lib/latent/", "seed → z, vocabulary, directions, interpolation", 10.6, 1.3),
    ("lib/recipe/", "AvatarRecipe + makeRecipe: the contract", 10.6, -0.1),
]
FILES = [
    ("model.json + shards", "export.py  ⇄  modelFile.ts", 5.5, 4.6),
    ("recipe JSON / PNG text", "recipe/  ⇄  lib/recipe", 5.5, 1.6),
]
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
    for i, (label, detail, x, y) in enumerate(PYTHON):
        box(ax, label, detail, x, y, "#e8f0ff")
    for label, detail, x, y in TYPESCRIPT:
        box(ax, label, detail, x, y, "#fff1e0")
    for label, detail, x, y in FILES:
        box(ax, label, detail, x, y, "#e9f7ea", width=5.0 - 0.0)
    # Python: who uses whom (downward arrows = imports).
    for upper, lower in [(1, 2), (3, 2), (4, 3), (5, 4), (5, 1), (0, 2)]:
        ux, uy = PYTHON[upper][2] + W / 2, PYTHON[upper][3]
        lx, ly = PYTHON[lower][2] + W / 2, PYTHON[lower][3] + H
        if abs(upper - lower) == 1:
            arrow(ax, (ux + (0.6 if upper > lower else -0.6), uy + (H if upper > lower else 0)),
                  (lx + (0.6 if upper > lower else -0.6), (PYTHON[lower][3] if upper > lower else ly)))
    # TypeScript: each layer imports only those below it.
    for i in range(len(TYPESCRIPT) - 1):
        x = TYPESCRIPT[i][2] + W / 2
        arrow(ax, (x, TYPESCRIPT[i][3]), (x, TYPESCRIPT[i + 1][3] + H))
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
