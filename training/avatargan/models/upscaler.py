"""The upscaler as a shipped model: export, load and run on uint8 images.

    model, meta = load_upscaler("public/weights/upscaler")
    big = upscale_uint8(model, small_uint8_nhwc)          # x2 (or factor=4: two passes)

train/sr.py trains it and calls export_upscaler; the benchmarks and the fixtures load it from
here. The browser runs the same net (lib/gan/upscaler.ts).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..export import check_tensors, read_model, write_model
from ..images import from_uint8, to_uint8
from ..networks.upscaler import Upscaler, UpscalerConfig, expected_shapes, export_state, import_state


@torch.no_grad()
def upscale_uint8(model: Upscaler, lr: np.ndarray, factor: int | None = None, batch: int = 64) -> np.ndarray:
    """uint8 [N, h, w, 3] -> uint8 [N, h*f, w*f, 3] through the net (rounded, as the browser writes pixels)."""
    model.eval()
    factor = factor or model.cfg.scale
    out = [to_uint8(model.upscale(torch.from_numpy(from_uint8(lr[i:i + batch])), factor))
           for i in range(0, len(lr), batch)]
    return np.concatenate(out)


def export_upscaler(model: Upscaler, folder: str | Path, *, name: str = "upscaler", training: dict | None = None,
                    float16: bool = False) -> Path:
    tensors = {k: v.numpy() for k, v in export_state(model).items()}
    config = {**model.cfg.to_dict(), "radius": model.cfg.radius}
    return write_model(folder, "upscaler", config, tensors, name=name, training=training, float16=float16)


def load_upscaler(folder: str | Path) -> tuple[Upscaler, dict]:
    """An exported upscaler (model.json) -> (Upscaler in eval mode, meta)."""
    def config_of(meta: dict) -> UpscalerConfig:
        return UpscalerConfig.from_dict({k: v for k, v in meta["config"].items() if k != "radius"})

    meta, tensors = read_model(folder, kind="upscaler", expected=lambda m: expected_shapes(config_of(m)))
    cfg = config_of(meta)
    check_tensors(tensors, expected_shapes(cfg), str(folder))
    model = Upscaler(cfg)
    model.load_state_dict(import_state({k: torch.from_numpy(v.copy()) for k, v in tensors.items()}))
    return model.eval(), meta
