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
    p.add_argument("--jpeg", type=int, metavar="QUALITY", help="JPEG-compress the inputs at this quality (default: none "
                                                                 "for a denoise-0 model, its validation quality otherwise)")
    p.add_argument("--compare", action="append", metavar="MODEL", default=[],
                   help="another exported upscaler to measure on the same inputs (e.g. another denoise level)")
    p.add_argument("--write-set", metavar="DIR", help="write inputs, targets and baselines for scripts/bench-sr.mjs")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")


def held_out(pack, count: int | None, factor: int, kernel: str, jpeg_quality: int | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """(inputs, targets) uint8 NHWC: validation faces, cropped to a multiple of `factor`,
    downscaled, and JPEG-compressed at `jpeg_quality` when given (a denoise level's test)."""
    from .data.pack import VALIDATION
    from .train.sr import downscale, jpeg

    idx = np.sort(pack.indices(VALIDATION))[:count]
    hr = np.asarray(pack.images[idx])
    size = hr.shape[1] - hr.shape[1] % factor
    hr = np.ascontiguousarray(hr[:, :size, :size])
    lr = np.stack([downscale(h, factor, kernel) for h in hr])
    if jpeg_quality is not None:
        lr = np.stack([jpeg(x, jpeg_quality) for x in lr])
    return lr, hr


def model_label(meta: dict) -> str:
    return f"ours, denoise {meta['config'].get('denoise', 0)} (PyTorch CPU)"


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
    from .pipeline import load_upscaler, upscale_uint8
    from .train.sr import BENCH_KERNEL, DENOISE_LEVELS, bicubic_up

    pack = load_pack(args.data)
    model, meta = load_upscaler(args.model)
    others = [load_upscaler(folder) for folder in args.compare]
    quality = args.jpeg if args.jpeg is not None else DENOISE_LEVELS[model.cfg.denoise]["validation_jpeg"]
    factors = [int(f) for f in args.factors.split(",") if f.strip()]
    if any(f not in (2, 4) for f in factors):
        raise ValueError(f"bench sr: --factors {args.factors!r}: each must be 2 or 4")
    results = {"model": str(args.model), "sha256": meta.get("sha256"), "data": str(args.data),
               "kernel": BENCH_KERNEL, "jpeg_quality": quality, "threads": torch.get_num_threads(), "factors": {}}
    for factor in factors:
        lr, hr = held_out(pack, args.count, factor, BENCH_KERNEL, quality)
        outputs = {"bicubic": bicubic_up(lr, factor, "bicubic"), "lanczos": bicubic_up(lr, factor, "lanczos")}
        rows = [measure(name, out, hr) for name, out in outputs.items()]
        for net, net_meta in [(model, meta), *others]:
            upscale_uint8(net, lr[:8], factor)  # warm-up: allocator and kernel selection
            started = time.perf_counter()
            ours = upscale_uint8(net, lr, factor)
            rows.append(measure(model_label(net_meta), ours, hr, time.perf_counter() - started))
        results["factors"][str(factor)] = {"count": len(hr), "input": lr.shape[1], "output": hr.shape[1], "rows": rows}
        print(f"bench sr x{factor}: {len(hr)} held-out faces, {lr.shape[1]} -> {hr.shape[1]} px, "
              f"downscaled with {BENCH_KERNEL}" + (f", then JPEG quality {quality}" if quality is not None else ""))
        for row in rows:
            ms = f"  {row['ms_per_image']:.2f} ms/image" if "ms_per_image" in row else ""
            print(f"  {row['method']:<22} PSNR-Y {row['psnr_y']:6.2f} dB  SSIM-Y {row['ssim_y']:.4f}{ms}")
        if args.write_set:
            write_set(Path(args.write_set), factor, lr, hr, outputs, quality)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


def write_set(folder: Path, factor: int, lr: np.ndarray, hr: np.ndarray, outputs: dict[str, np.ndarray],
              jpeg_quality: int | None = None) -> None:
    """Raw uint8 NHWC files + set.json describing them (Node reads these without an .npy parser)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"input": lr, "target": hr, **outputs}
    for name, array in files.items():
        (folder / f"x{factor}-{name}.u8").write_bytes(np.ascontiguousarray(array, np.uint8).tobytes())
    index_path = folder / "set.json"
    index = json.loads(index_path.read_text()) if index_path.exists() else {"sets": {}}
    if index.get("jpeg_quality", jpeg_quality) != jpeg_quality:
        raise ValueError(f"{folder} holds inputs made with JPEG quality {index['jpeg_quality']}, not {jpeg_quality}; "
                         "write this set to another folder")
    index["jpeg_quality"] = jpeg_quality
    index["sets"][str(factor)] = {"count": len(hr), "input": lr.shape[1], "output": hr.shape[1],
                                  "files": {name: f"x{factor}-{name}.u8" for name in files}}
    index_path.write_text(json.dumps(index, indent=1) + "\n")
