"""`python -m avatargan bench sr`: our upscaler against bicubic and Lanczos on held-out real faces.

The held-out faces are the pack's validation split (never trained on); each is downscaled
with one fixed kernel (PIL bicubic, antialiased) and brought back up by every method; PSNR
and SSIM are measured on luma (avatargan/quality.py). `--write-set DIR` also writes the
inputs, targets and baseline outputs as raw uint8 files for scripts/bench-sr.mjs, which adds
the UpscalerJS ESRGAN peer and browser-backend timings with the same metric code.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def add_sr_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="public/weights/upscaler", help="exported upscaler folder")
    p.add_argument("--data", default="data/faces96", help="packed real faces; its validation split is the test set")
    p.add_argument("--count", type=int, default=None, help="use the first N held-out faces (default: all)")
    p.add_argument("--factors", default="2,4", help="comma-separated factors to measure (2, 4)")
    p.add_argument("--write-set", metavar="DIR", help="write inputs, targets and baselines for scripts/bench-sr.mjs")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")


def held_out(pack, count: int | None, factor: int, kernel: str) -> tuple[np.ndarray, np.ndarray]:
    """(inputs, targets) uint8 NHWC: validation faces, cropped to a multiple of `factor`, downscaled."""
    from .data.pack import VALIDATION
    from .train.sr import downscale

    idx = np.sort(pack.indices(VALIDATION))[:count]
    hr = np.asarray(pack.images[idx])
    size = hr.shape[1] - hr.shape[1] % factor
    hr = np.ascontiguousarray(hr[:, :size, :size])
    return np.stack([downscale(h, factor, kernel) for h in hr]), hr


def measure(method: str, out: np.ndarray, hr: np.ndarray, seconds: float | None = None) -> dict:
    from .quality import psnr_y, ssim_y

    row = {"method": method, "psnr_y": round(psnr_y(out, hr), 3), "ssim_y": round(ssim_y(out, hr), 4)}
    if seconds is not None:
        row["ms_per_image"] = round(1000 * seconds / len(hr), 3)
    return row


def bench_sr(args: argparse.Namespace) -> int:
    """PSNR/SSIM (Y) of bicubic, Lanczos and our upscaler on held-out real faces."""
    import torch

    from .data.pack import load_pack
    from .train.sr import BENCH_KERNEL, bicubic_up, load_upscaler, upscale_uint8

    pack = load_pack(args.data)
    model, meta = load_upscaler(args.model)
    factors = [int(f) for f in args.factors.split(",") if f.strip()]
    if any(f not in (2, 4) for f in factors):
        raise ValueError(f"bench sr: --factors {args.factors!r}: each must be 2 or 4")
    results = {"model": str(args.model), "sha256": meta.get("sha256"), "data": str(args.data),
               "kernel": BENCH_KERNEL, "threads": torch.get_num_threads(), "factors": {}}
    for factor in factors:
        lr, hr = held_out(pack, args.count, factor, BENCH_KERNEL)
        outputs = {"bicubic": bicubic_up(lr, factor, "bicubic"), "lanczos": bicubic_up(lr, factor, "lanczos")}
        upscale_uint8(model, lr[:8], factor)  # warm-up: allocator and kernel selection
        started = time.perf_counter()
        ours = upscale_uint8(model, lr, factor)
        seconds = time.perf_counter() - started
        rows = [measure(name, out, hr) for name, out in outputs.items()]
        rows.append(measure("ours (PyTorch CPU)", ours, hr, seconds))
        results["factors"][str(factor)] = {"count": len(hr), "input": lr.shape[1], "output": hr.shape[1], "rows": rows}
        print(f"bench sr x{factor}: {len(hr)} held-out faces, {lr.shape[1]} -> {hr.shape[1]} px, "
              f"downscaled with {BENCH_KERNEL}")
        for row in rows:
            ms = f"  {row['ms_per_image']:.2f} ms/image" if "ms_per_image" in row else ""
            print(f"  {row['method']:<22} PSNR-Y {row['psnr_y']:6.2f} dB  SSIM-Y {row['ssim_y']:.4f}{ms}")
        if args.write_set:
            write_set(Path(args.write_set), factor, lr, hr, outputs)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


def write_set(folder: Path, factor: int, lr: np.ndarray, hr: np.ndarray, outputs: dict[str, np.ndarray]) -> None:
    """Raw uint8 NHWC files + set.json describing them (Node reads these without an .npy parser)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"input": lr, "target": hr, **outputs}
    for name, array in files.items():
        (folder / f"x{factor}-{name}.u8").write_bytes(np.ascontiguousarray(array, np.uint8).tobytes())
    index_path = folder / "set.json"
    index = json.loads(index_path.read_text()) if index_path.exists() else {"sets": {}}
    index["sets"][str(factor)] = {"count": len(hr), "input": lr.shape[1], "output": hr.shape[1],
                                  "files": {name: f"x{factor}-{name}.u8" for name in files}}
    index_path.write_text(json.dumps(index, indent=1) + "\n")
