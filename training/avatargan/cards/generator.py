"""Model cards: the measured facts of a shipped model, in its model.json and in MODEL_CARD.md.

    python -m avatargan card public/weights/generator --evaluation runs/eval/evaluation.json

The card is rendered from model.json's `training` section only, so what the card says and
what the workbench reads can never disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..export import read_model
from .common import card_value, percent


def attach_evaluation(folder: str | Path, evaluation: dict) -> None:
    """Store evaluation figures in model.json's training section (the shards are untouched)."""
    path = Path(folder) / "model.json"
    read_model(folder)  # refuse to edit a model that does not load
    meta = json.loads(path.read_text())
    meta.setdefault("training", {})["evaluation"] = evaluation
    path.write_text(json.dumps(meta, indent=1) + "\n")


def render_generator_card(meta: dict, weights_bytes: int) -> str:
    training = meta.get("training") or {}
    lines = [f"# Model card: {meta.get('name', meta['kind'])} ({meta['kind']})", ""]
    cfg = meta["config"]
    lines += ["## What it is", ""]
    if meta["kind"] == "generator":
        chans = [min(cfg["channel_base"] // (2 ** i), cfg["channel_max"]) for i in range(2, cfg["resolution"].bit_length())]
        lines.append(f"Conditional StyleGAN2 generator, {cfg['resolution']} px, z {cfg['z_dim']}, w {cfg['w_dim']}, "
                     f"synthesis channels {chans} (4 px to {cfg['resolution']} px).")
    elif meta["kind"] == "tagger":
        lines.append(f"Tag classifier (CNN, channels {cfg['channels']}) over {cfg['c_dim']} tags, input {cfg['resolution']} px.")
    else:
        lines.append(f"Super-resolution network, config {json.dumps(cfg)}.")
    if meta.get("tags"):
        groups = ", ".join(f"{g['name']} ({len(g['tags'])}{', exclusive' if g['exclusive'] else ''})"
                           for g in meta["tags"]["groups"])
        lines.append(f"Tag groups: {groups}.")
    lines += ["", f"Weights: {weights_bytes / 1e6:.2f} MB, sha256 `{meta.get('sha256', '?')[:16]}...`.", ""]
    lines += ["## Training", ""]
    for key in ("data", "images_seen", "kimg", "train_images", "epochs", "steps", "wall_time_h", "seconds", "hardware",
                "device", "preset", "batch", "date", "note"):
        if key in training:
            lines.append(f"- {key.replace('_', ' ')}: {card_value(training[key])}")
    if "validation_accuracy" in training:
        lines += ["", "## Validation accuracy (held-out real faces)", ""]
        lines += [f"- {group}: {percent(acc)}" for group, acc in training["validation_accuracy"].items()]
    evaluation = training.get("evaluation")
    if evaluation:
        gen, floor = evaluation["generated"], evaluation["real_floor"]
        lines += ["", "## Evaluation", "",
                  f"{evaluation.get('samples')} generated avatars vs. real validation faces, psi {evaluation.get('psi')}, "
                  f"seed {evaluation.get('seed')}. Distances use the project tagger's features: **not Inception FID**.", "",
                  "| figure | generator | real-data floor |", "|---|---|---|",
                  f"| Fréchet distance (tagger features) | {gen['fd']:.3f} | {floor['fd']:.3f} |",
                  f"| KID | {gen['kid']:.4f} | {floor['kid']:.4f} |",
                  f"| precision | {gen['precision']:.3f} | {floor['precision']:.3f} |",
                  f"| recall | {gen['recall']:.3f} | {floor['recall']:.3f} |", ""]
        within = evaluation.get("within_condition_diversity")
        if within:
            reference = within.get("real_reference")
            lines += ["Within-condition diversity (16x16 thumbnails of 16 seeds per hair + eye condition, over the "
                      "same among real faces of that condition; 1 = as varied as real faces"
                      + (f", real against real: {reference:.2f}" if reference is not None else "") + "): "
                      f"mean **{within['mean']:.2f}**, worst {within['worst']:.2f} ({within['worst_condition']}), "
                      f"over {within['conditions']} conditions.", ""]
        critic = evaluation.get("critic")
        if critic:
            lines += ["Critic test (a small CNN trained to tell the two apart; accuracy on held-out images, "
                      "0.5 = indistinguishable):", "", "| pair | critic accuracy |", "|---|---|",
                      f"| real vs generated | {critic['generated']:.3f} |",
                      f"| real vs real at JPEG q30 (calibration) | {critic['real vs JPEG q30']:.3f} |",
                      f"| real vs real blurred 2x (calibration) | {critic['real vs blurred 2x']:.3f} |", ""]
        lines += ["Conditional accuracy (the tagger sees the requested tag):", ""]
        lines += [f"- {group}: {percent(acc)}" for group, acc in evaluation["conditional_accuracy"]["per_group"].items()]
        per_tag = evaluation["conditional_accuracy"]["per_tag"]
        lines += ["", "| tag | accuracy |", "|---|---|"] + [f"| {t} | {percent(a)} |" for t, a in per_tag.items()]
    if "upscaler_benchmark" in training:
        lines += ["", "## Benchmark", "", "```", json.dumps(training["upscaler_benchmark"], indent=1), "```"]
    return "\n".join(lines) + "\n"
