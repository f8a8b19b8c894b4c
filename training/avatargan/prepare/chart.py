"""Bar chart of tag frequencies with the kept band marked (PNG), for vocab.json's reader."""

from __future__ import annotations

from pathlib import Path

MAX_BARS = 60  # the most frequent tags; a long tail of rare tags would only blur the picture
COLOURS = {"kept": "#3f8fdc", "too rare": "#b8b8b8", "too common": "#e07b39"}


def plot_tag_frequencies(vocab: list[dict], band: tuple[float, float], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")  # no display here, and none needed for a PNG
    import matplotlib.pyplot as plt

    shown = sorted(vocab, key=lambda v: -v["frequency"])[:MAX_BARS]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.28 * len(shown) + 2), 4.5), dpi=100)
    try:
        if shown:
            ax.bar(range(len(shown)), [v["frequency"] * 100 for v in shown],
                   color=[COLOURS[v["verdict"]] for v in shown])
            ax.set_xticks(range(len(shown)), [v["tag"] for v in shown], rotation=70, ha="right", fontsize=8)
        else:
            ax.text(0.5, 0.5, "no appearance tags", ha="center", va="center", transform=ax.transAxes)
        for edge in band:
            ax.axhline(edge * 100, color="#555555", linestyle="--", linewidth=1)
        ax.set_ylabel("share of tagged pictures (%)")
        title = f"tag frequencies (band {band[0]:.0%} to {band[1]:.0%}"
        ax.set_title(title + (f"; top {MAX_BARS} of {len(vocab)})" if len(vocab) > MAX_BARS else ")"))
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS.values()]
        ax.legend(handles, list(COLOURS), fontsize=8, loc="upper right")
        fig.tight_layout()
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out)
    finally:
        plt.close(fig)
    return out
