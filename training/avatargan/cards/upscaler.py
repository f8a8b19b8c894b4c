"""The upscaler's model card: MODEL_CARD.md rendered from its model.json, benchmark included.

    python -m avatargan train-sr --card public/weights/upscaler --benchmark runs/bench-sr/results.json

As for the other cards (avatargan/cards/generator.py), everything the card says is read from model.json's
`training` section, so the card and what the workbench loads cannot disagree. The benchmark
(scripts/bench-sr.mjs's results.json) is stored there first, as `upscaler_benchmark`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..export import read_model
from .common import card_value


def attach_benchmark(folder: str | Path, results: dict) -> None:
    """Store the benchmark in model.json's training section (the shards are untouched)."""
    path = Path(folder) / "model.json"
    meta, _ = read_model(folder, kind="upscaler")  # refuse to edit a model that does not load
    if results.get("sha256") and results["sha256"] != meta.get("sha256"):
        raise ValueError(f"{folder}: the benchmark was measured on weights {results['sha256'][:12]}..., "
                         f"not on these ({str(meta.get('sha256'))[:12]}...); run scripts/bench-sr.mjs again")
    meta = json.loads(path.read_text())
    meta.setdefault("training", {})["upscaler_benchmark"] = results
    path.write_text(json.dumps(meta, indent=1) + "\n")


def macs_per_input_pixel(cfg: dict) -> int:
    ch, layers, r = cfg["channels"], cfg["body_layers"], cfg["scale"]
    return 9 * 3 * ch + layers * 9 * ch * ch + 9 * ch * 3 * r * r


def render_upscaler_card(meta: dict, weights_bytes: int) -> str:
    cfg, training = meta["config"], meta.get("training") or {}
    params = sum(int(np.prod(s["shape"])) for g in meta["weightsManifest"] for s in g["weights"])
    stored = "float16" if any("quantization" in s for g in meta["weightsManifest"] for s in g["weights"]) else "float32"
    lines = [f"# Model card: {meta.get('name', 'upscaler')} (upscaler)", "", "## What it is", "",
             f"A x{cfg['scale']} super-resolution net for anime faces, run in the browser by lib/gan/upscaler.ts "
             f"(x4 = two x{cfg['scale']} passes). A 3x3 stem, {cfg['body_layers']} 3x3 conv + leaky ReLU "
             f"({cfg['negative_slope']}) layers of {cfg['channels']} channels with a long skip, and a sub-pixel tail that "
             "predicts a residual over nearest-neighbour upsampling; everything runs at the input resolution.",
             "",
             f"- parameters: {params:,}; {macs_per_input_pixel(cfg) / 1e3:.1f} k multiply-adds per input pixel "
             f"({macs_per_input_pixel(cfg) * 64 * 64 / 1e6:.0f} M for a 64 px avatar at x2)",
             f"- receptive radius: {cfg.get('radius', cfg['body_layers'] + 2)} input pixels (the tile overlap that makes "
             "tiled output equal untiled output)",
             f"- weights: {weights_bytes / 1e6:.2f} MB ({stored}), sha256 `{str(meta.get('sha256', '?'))[:16]}...`",
             f"- denoise level: {cfg['denoise']} ("
             + ("mild JPEG on a share of its inputs; level 1 is a separate model, upscaler-denoise1"
                if cfg["denoise"] == 0 else "heavy JPEG on every input and Gaussian grain on some; it smooths what level 0 "
                                            "keeps, for noisy or recompressed avatars")
             + "; one model per level, as waifu2x ships)", ""]
    lines += ["## Training", ""]
    if training.get("data"):
        lines.append(f"- data: real 96 px anime faces ({training['data']}, the training split of the 2017 MLDS "
                     "Konachan face set; no licence stated, not shipped)")
    for key, label in (("images_seen", "crops seen"), ("patch", "crop"), ("steps", "steps"), ("batch", "batch"),
                       ("wall_time_s", "training time (s)"), ("hardware", "hardware"), ("date", "date"),
                       ("note", "note")):
        if key in training:
            lines.append(f"- {label}: {card_value(training[key])}")
    if "kernels" in training:
        kernels = ", ".join(f"{k} {v:.0%}" for k, v in training["kernels"].items())
        noise = training.get("noise") or {}
        lines.append(f"- input degradations: downscale kernels {kernels}; JPEG "
                     f"(quality {training['jpeg']['quality'][0]}-{training['jpeg']['quality'][1]}) on "
                     f"{training['jpeg']['probability']:.0%} of inputs"
                     + (f"; Gaussian noise (sigma up to {noise['sigma']:g} levels) on {noise['probability']:.0%}, before "
                        "the JPEG" if noise.get("probability") else ""))
    if training.get("init"):
        lines.append(f"- started from: {training['init'].get('name')} ({training['init'].get('folder')}, sha256 "
                     f"`{str(training['init'].get('sha256'))[:16]}...`)")
    last = training.get("last_validation")
    if last:
        inputs = f" (inputs JPEG quality {training['validation_jpeg']})" if training.get("validation_jpeg") else ""
        lines.append(f"- last validation while training: PSNR-Y {last['val_psnr_y']:.2f} dB on "
                     f"held-out faces{inputs}, {last['gain_db']:+.2f} dB over bicubic")
    bench = training.get("upscaler_benchmark")
    if bench:
        lines += ["", "## Benchmark (held-out real faces)", "",
                  f"Validation faces of the pack, never trained on, downscaled with PIL bicubic"
                  + (f", JPEG-compressed at quality {bench['jpeg_quality']}" if bench.get("jpeg_quality") else "")
                  + " and brought back up. "
                  f"PSNR and SSIM on BT.601 luma (11x11 Gaussian SSIM). Times: tf.js {bench.get('backend', '')}, "
                  "one image at a time, after a warm-up.", ""]
        for factor, block in bench["factors"].items():
            base = next(r for r in block["rows"] if r["method"] == "bicubic")["psnr_y"]
            lines += [f"x{factor}: {block['count']} faces, {block['input']} -> {block['output']} px", "",
                      "| method | PSNR-Y (dB) | vs. bicubic | SSIM-Y | ms / image |", "|---|---|---|---|---|"]
            for row in block["rows"]:
                ms = f"{row['ms_per_image']:.1f}" if "ms_per_image" in row else ""
                lines.append(f"| {row['method']} | {row['psnr_y']:.2f} | {row['psnr_y'] - base:+.2f} | "
                             f"{row['ssim_y']:.4f} | {ms} |")
            lines.append("")
        if bench.get("params"):
            lines.append("Parameters: " + ", ".join(f"{k} {v:,}" for k, v in bench["params"].items()) + ".")
    lines += ["", "## Limits", "",
              "- Trained on anime faces only; other content gets plausible but unmeasured results.",
              "- x4 chains two x2 passes (no separate x4 training).",
              "- The browser refuses outputs above its pixel limit (2048 x 2048 by default) with a message.", ""]
    return "\n".join(lines)
