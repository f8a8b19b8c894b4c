"""The tagger as a shipped model: export, load and predict.

    model, vocab, meta = load_tagger("public/weights/tagger")
    probabilities, features = predict(model, images_uint8_nhwc, torch.device("cpu"))

train/tagger.py trains it and calls export_tagger; evaluation, autotagging and projection load
it from here. The exported form is the FoldedTagger (BatchNorm folded into the convolutions),
which is what the browser runs too (lib/gan/tagger.ts).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..export import check_tensors, read_model, write_model
from ..images import from_uint8
from ..networks.tagger import FoldedTagger, Tagger, TaggerConfig, expected_folded_shapes, folded_state
from ..vocab import TagVocabulary


@torch.no_grad()
def predict(model, images: np.ndarray, device: torch.device, batch: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """uint8 NHWC images -> (probabilities [N, C], features [N, F])."""
    model.eval()
    probs, feats = [], []
    for start in range(0, len(images), batch):
        x = torch.from_numpy(from_uint8(np.asarray(images[start:start + batch]))).to(device)
        f = model.features(x)
        logits = torch.nn.functional.linear(f, *head_of(model))
        probs.append(model.probabilities(logits).cpu().numpy())
        feats.append(f.cpu().numpy())
    dim = model.feature_dim
    return (np.concatenate(probs) if probs else np.zeros((0, model.cfg.c_dim), np.float32),
            np.concatenate(feats) if feats else np.zeros((0, dim), np.float32))


def head_of(model) -> tuple[torch.Tensor, torch.Tensor]:
    if isinstance(model, Tagger):
        return model.head.weight, model.head.bias
    return model._get("head.weight"), model._get("head.bias")


def export_tagger(model: Tagger, vocab: TagVocabulary, folder: str | Path, *, name: str = "tagger",
                  training: dict | None = None, float16: bool = False) -> Path:
    tensors = {k: v.numpy() for k, v in folded_state(model).items()}
    return write_model(folder, "tagger", model.cfg.to_dict(), tensors, name=name, tags=vocab.to_json(),
                       training=training, float16=float16)


def load_tagger(folder: str | Path, device: str = "cpu") -> tuple[FoldedTagger, TagVocabulary, dict]:
    """An exported tagger (model.json) -> (FoldedTagger in eval mode, vocabulary, meta)."""
    meta, tensors = read_model(folder, kind="tagger",
                               expected=lambda m: expected_folded_shapes(TaggerConfig.from_dict(m["config"])))
    cfg = TaggerConfig.from_dict(meta["config"])
    check_tensors(tensors, expected_folded_shapes(cfg), str(folder))
    model = FoldedTagger(cfg, {k: torch.from_numpy(v.copy()) for k, v in tensors.items()}).to(device).eval()
    return model, TagVocabulary.from_json(meta["tags"]), meta
