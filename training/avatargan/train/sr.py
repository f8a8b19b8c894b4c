"""Train the super-resolution net on real faces: `python -m avatargan train-sr`.

    python -m avatargan train-sr --data data/faces96 --out runs/sr --kimg 100
    python -m avatargan train-sr --resume runs/sr              # continue exactly where it stopped
    python -m avatargan train-sr --export runs/sr --out public/weights/upscaler --float16

Pairs: a real face (the 96 px pack is the only real detail above 64 px here) is the target;
its input is the face downscaled by one of several kernels (so the net does not learn one
kernel's fingerprint), then, for some, mild JPEG noise (so it cleans what it enlarges).
Random crops of the pair make the batches. Every draw of a step comes from a generator
seeded by (seed, step), so a resumed run sees exactly the batches an uninterrupted one does.
"""

from __future__ import annotations

import io
import json
import math
import signal
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ..configs import config_from_dict
from ..data.pack import TRAIN, VALIDATION, Pack
from ..images import from_uint8
from ..models.upscaler import load_upscaler, upscale_uint8
from ..quality import psnr_y
from ..networks.upscaler import Upscaler, UpscalerConfig, count_parameters
from .checkpoint import save_checkpoint

CHECKPOINT_FORMAT = "avatargan-sr-checkpoint"
LATEST = "latest.pt"

# Degradations per denoise level (waifu2x ships one model per noise level too). Level 0 cleans
# the mild JPEG of ordinary downloads while it enlarges; level 1 is trained on heavy JPEG and
# sensor-like noise on every input, for grainy avatars and recompressed pictures, at the cost
# of some fine texture. `validation_jpeg` is the fixed quality its held-out inputs get.
DENOISE_LEVELS = {
    0: {"jpeg_probability": 0.3, "jpeg_quality": (75, 95), "noise_probability": 0.0, "noise_sigma": 0.0,
        "validation_jpeg": None},
    1: {"jpeg_probability": 1.0, "jpeg_quality": (40, 80), "noise_probability": 0.5, "noise_sigma": 4.0,
        "validation_jpeg": 60},
}

# Downscale kernels for the training inputs (PIL filters, antialiased when reducing) and how
# often each is drawn. Bicubic is the most common way images get small, and the benchmark's.
KERNELS = {"bicubic": Image.BICUBIC, "lanczos": Image.LANCZOS, "bilinear": Image.BILINEAR, "box": Image.BOX}
BENCH_KERNEL = "bicubic"


@dataclass
class SRTrainConfig:
    data: str = ""
    net: UpscalerConfig = field(default_factory=UpscalerConfig)
    kimg: float = 100.0                 # training crops seen, in thousands (~1 h of one CPU core)
    batch: int = 32
    patch: int = 32                     # input crop size; the target crop is patch * scale
    lr: float = 1.5e-3                  # Adam, cosine-decayed to lr_final over the run
    lr_final: float = 2e-5
    charbonnier_eps: float = 1e-3       # L1 that stays smooth at 0
    kernel_weights: dict = field(default_factory=lambda: {"bicubic": 0.4, "lanczos": 0.2, "bilinear": 0.2, "box": 0.2})
    jpeg_probability: float = 0.3       # share of inputs given mild JPEG noise
    jpeg_quality: tuple = (75, 95)      # "mild": artefacts visible when zoomed, never blocky
    noise_probability: float = 0.0      # share of inputs given Gaussian noise (denoise levels > 0)
    noise_sigma: float = 0.0            # its largest standard deviation, in uint8 levels (drawn in [0, sigma])
    validation_jpeg: int | None = None  # JPEG quality of the held-out inputs (denoise levels > 0); None = clean
    val_images: int = 256               # held-out faces for the PSNR printed while training
    val_every_s: float = 300.0
    checkpoint_every_s: float = 120.0
    seed: int = 0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["jpeg_quality"] = list(self.jpeg_quality)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> "SRTrainConfig":
        data = dict(data)
        data["net"] = UpscalerConfig.from_dict(data.get("net", {}))
        data["jpeg_quality"] = tuple(data.get("jpeg_quality", (75, 95)))
        return config_from_dict(cls, data, "train-sr config")

    @property
    def total_steps(self) -> int:
        return max(1, math.ceil(self.kimg * 1000 / self.batch))

    def validate(self) -> "SRTrainConfig":
        if set(self.kernel_weights) - set(KERNELS):
            raise ValueError(f"train-sr: unknown kernels {sorted(set(self.kernel_weights) - set(KERNELS))}; "
                             f"choose from {', '.join(KERNELS)}")
        if not 0 <= self.jpeg_probability <= 1 or not 0 <= self.noise_probability <= 1:
            raise ValueError(f"train-sr: jpeg_probability {self.jpeg_probability} and noise_probability "
                             f"{self.noise_probability} must be in [0, 1]")
        if self.noise_sigma < 0:
            raise ValueError(f"train-sr: noise_sigma {self.noise_sigma} must be >= 0")
        if self.net.denoise not in DENOISE_LEVELS:
            raise ValueError(f"train-sr: denoise level {self.net.denoise} is not one of {sorted(DENOISE_LEVELS)}")
        if self.patch < 4 or self.batch < 1 or self.kimg <= 0:
            raise ValueError("train-sr: patch must be >= 4, batch >= 1 and kimg > 0")
        return self


# ----------------------------------------------------------------------------- degradations

def downscale(hr: np.ndarray, scale: int, kernel: str) -> np.ndarray:
    """[H, W, 3] uint8 -> [H/scale, W/scale, 3] uint8 with the named PIL kernel."""
    h, w = hr.shape[:2]
    if h % scale or w % scale:
        raise ValueError(f"downscale: {w}x{h} is not divisible by {scale}")
    return np.asarray(Image.fromarray(hr).resize((w // scale, h // scale), KERNELS[kernel]))


def jpeg(lr: np.ndarray, quality: int) -> np.ndarray:
    buffer = io.BytesIO()
    Image.fromarray(lr).save(buffer, format="JPEG", quality=int(quality))
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


def make_pair(hr: np.ndarray, cfg: SRTrainConfig, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One training pair (input crop, target crop), uint8 HWC, from one real face."""
    scale, p = cfg.net.scale, cfg.patch
    if rng.random() < 0.5:
        hr = hr[:, ::-1]
    hr = np.ascontiguousarray(np.rot90(hr, int(rng.integers(4))))  # SR has no preferred orientation
    names = list(cfg.kernel_weights)
    weights = np.array([cfg.kernel_weights[k] for k in names], np.float64)
    lr = downscale(hr, scale, names[int(rng.choice(len(names), p=weights / weights.sum()))])
    if rng.random() < cfg.noise_probability:  # before JPEG, as a noisy picture is then compressed
        sigma = rng.uniform(0, cfg.noise_sigma)
        lr = np.clip(lr + rng.normal(0, sigma, lr.shape), 0, 255).round().astype(np.uint8)
    if rng.random() < cfg.jpeg_probability:
        lr = jpeg(lr, int(rng.integers(cfg.jpeg_quality[0], cfg.jpeg_quality[1] + 1)))
    y, x = (int(v) for v in rng.integers(0, lr.shape[0] - p + 1, 2))
    return lr[y:y + p, x:x + p], hr[y * scale:(y + p) * scale, x * scale:(x + p) * scale]


def make_batch(images: np.ndarray, indices: np.ndarray, cfg: SRTrainConfig, step: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The batch of `step`: a pure function of (seed, step), which is what makes resume exact."""
    rng = np.random.default_rng([cfg.seed, step])
    picks = indices[rng.integers(0, len(indices), cfg.batch)]
    pairs = [make_pair(np.asarray(images[i]), cfg, rng) for i in picks]
    lr = np.stack([a for a, _ in pairs])
    hr = np.stack([b for _, b in pairs])
    return torch.from_numpy(from_uint8(lr)), torch.from_numpy(from_uint8(hr))


def charbonnier(pred: torch.Tensor, target: torch.Tensor, eps: float) -> torch.Tensor:
    return torch.sqrt((pred - target) ** 2 + eps * eps).mean()


def cosine_lr(cfg: SRTrainConfig, step: int) -> float:
    t = min(step / cfg.total_steps, 1.0)
    return cfg.lr_final + 0.5 * (cfg.lr - cfg.lr_final) * (1 + math.cos(math.pi * t))


# ----------------------------------------------------------------------------- measuring

def validation_set(pack: Pack, count: int, scale: int, jpeg_quality: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The first `count` held-out faces and their bicubic downscales (the benchmark's kernel),
    JPEG-compressed at a fixed quality for a denoise level's validation."""
    idx = pack.indices(VALIDATION)[:count]
    hr = np.asarray(pack.images[np.sort(idx)])
    lr = np.stack([downscale(h, scale, BENCH_KERNEL) for h in hr])
    if jpeg_quality is not None:
        lr = np.stack([jpeg(x, jpeg_quality) for x in lr])
    return lr, hr


def bicubic_up(lr: np.ndarray, scale: int, kernel: str = "bicubic") -> np.ndarray:
    return np.stack([np.asarray(Image.fromarray(x).resize((x.shape[1] * scale, x.shape[0] * scale), KERNELS[kernel]))
                     for x in lr])


# ----------------------------------------------------------------------------- the run

class SRTrainer:
    """Owns the model, optimiser and step counter of one run folder."""

    def __init__(self, cfg: SRTrainConfig, pack: Pack, out: str | Path, progress: bool = True):
        self.cfg, self.pack, self.out, self.progress = cfg.validate(), pack, Path(out), progress
        if pack.resolution % (cfg.net.scale * 1) or pack.resolution // cfg.net.scale < cfg.patch:
            raise ValueError(f"train-sr: {pack.resolution} px faces are too small for {cfg.patch} px input crops "
                             f"at x{cfg.net.scale}; lower --patch")
        self.train_idx = pack.indices(TRAIN)
        if len(self.train_idx) == 0 or len(pack.indices(VALIDATION)) == 0:
            raise ValueError("train-sr: the pack needs training and validation images (see its split.npy)")
        torch.manual_seed(cfg.seed)
        self.model = Upscaler(cfg.net)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=cfg.lr, betas=(0.9, 0.99))
        self.step, self.wall_time, self.history = 0, 0.0, []
        self.val_lr, self.val_hr = validation_set(pack, cfg.val_images, cfg.net.scale, cfg.validation_jpeg)
        self.val_bicubic = psnr_y(bicubic_up(self.val_lr, cfg.net.scale), self.val_hr)
        self.stop_requested = False
        self.info = {"hardware": describe_hardware()}

    # checkpoints -------------------------------------------------------------
    def state(self) -> dict:
        return {"format": CHECKPOINT_FORMAT, "config": self.cfg.to_dict(), "model": self.model.state_dict(),
                "opt": self.opt.state_dict(), "step": self.step, "wall_time": self.wall_time,
                "history": json.dumps(self.history), "info": json.dumps(self.info)}

    def save(self) -> Path:
        return save_checkpoint(self.state(), self.out / LATEST)

    def load_state(self, state: dict) -> None:
        self.model.load_state_dict(state["model"])
        self.opt.load_state_dict(state["opt"])
        self.step, self.wall_time = int(state["step"]), float(state["wall_time"])
        self.history = json.loads(state["history"])
        self.info = json.loads(state.get("info", "{}")) or self.info

    def start_from(self, folder: str | Path) -> None:
        """Fine-tune: the weights of an exported upscaler (same net settings), a fresh optimiser."""
        model, meta = load_upscaler(folder)
        self.model.load_state_dict(model.state_dict())
        self.info["init"] = {"folder": str(folder), "name": meta.get("name"), "sha256": meta.get("sha256")}

    # training ----------------------------------------------------------------
    def train_step(self) -> float:
        self.model.train()
        lr, hr = make_batch(self.pack.images, self.train_idx, self.cfg, self.step)
        for group in self.opt.param_groups:
            group["lr"] = cosine_lr(self.cfg, self.step)
        loss = charbonnier(self.model(lr), hr, self.cfg.charbonnier_eps)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        self.step += 1
        return float(loss.item())

    def evaluate(self) -> dict:
        ours = psnr_y(upscale_uint8(self.model, self.val_lr), self.val_hr)
        record = {"step": self.step, "kimg": round(self.step * self.cfg.batch / 1000, 3),
                  "wall_time_s": round(self.wall_time, 1), "val_psnr_y": round(ours, 3),
                  "val_psnr_y_bicubic": round(self.val_bicubic, 3), "gain_db": round(ours - self.val_bicubic, 3)}
        self.history.append(record)
        with open(self.out / "metrics.jsonl", "a") as f:
            f.write(json.dumps(record) + "\n")
        return record

    def run(self) -> dict:
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "config.json").write_text(json.dumps(self.cfg.to_dict(), indent=1) + "\n")
        previous = {s: signal.signal(s, self._request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._loop()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            self.save()
        return self.history[-1] if self.history else {}

    def _loop(self) -> None:
        cfg, losses = self.cfg, []
        last_ckpt = last_val = time.perf_counter()
        self.log(f"train-sr: {count_parameters(self.model) / 1e3:.1f} k params, step {self.step}/{cfg.total_steps}, "
                 f"held-out bicubic PSNR-Y {self.val_bicubic:.2f} dB")
        while self.step < cfg.total_steps and not self.stop_requested:
            started = time.perf_counter()
            losses.append(self.train_step())
            now = time.perf_counter()
            self.wall_time += now - started
            if now - last_val >= cfg.val_every_s or self.step == cfg.total_steps:
                record = self.evaluate()
                self.log(f"step {self.step}/{cfg.total_steps} ({record['kimg']} kimg, {self.wall_time / 60:.1f} min): "
                         f"loss {np.mean(losses):.4f}, PSNR-Y {record['val_psnr_y']:.2f} dB "
                         f"({record['gain_db']:+.2f} over bicubic)")
                losses, last_val = [], time.perf_counter()
            if now - last_ckpt >= cfg.checkpoint_every_s:
                self.save()
                last_ckpt = time.perf_counter()

    def _request_stop(self, signum, frame) -> None:  # finish the step, save, exit
        self.stop_requested = True

    def log(self, line: str) -> None:
        if self.progress:
            print(line, flush=True)


def describe_hardware() -> str:
    """E.g. "cpu: AMD EPYC, 1 torch thread" (what a model card should say about where it trained)."""
    import platform

    name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    threads = torch.get_num_threads()
    return f"cpu: {name}, {threads} torch thread{'s' if threads != 1 else ''}"


def load_run(path: str | Path) -> dict:
    path = Path(path)
    path = path / LATEST if path.is_dir() else path
    if not path.exists():
        raise FileNotFoundError(f"{path}: no train-sr checkpoint here; give a run folder holding {LATEST} or a .pt file")
    state = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{path}: not a train-sr checkpoint")
    return state


def model_from_run(path: str | Path) -> tuple[Upscaler, dict]:
    """The latest weights of a run (usable while it still trains) and their training facts."""
    state = load_run(path)
    cfg = SRTrainConfig.from_dict(state["config"])
    model = Upscaler(cfg.net)
    model.load_state_dict(state["model"])
    history = json.loads(state["history"])
    info = {"data": cfg.data, "images_seen": int(state["step"]) * cfg.batch,
            "patch": f"{cfg.patch}->{cfg.patch * cfg.net.scale} px crops", "steps": int(state["step"]),
            "batch": cfg.batch, "wall_time_s": round(float(state["wall_time"]), 1),
            "kernels": cfg.kernel_weights, "jpeg": {"probability": cfg.jpeg_probability,
                                                    "quality": list(cfg.jpeg_quality)},
            "noise": {"probability": cfg.noise_probability, "sigma": cfg.noise_sigma},
            "validation_jpeg": cfg.validation_jpeg,
            "last_validation": history[-1] if history else None, **json.loads(state.get("info", "{}")),
            "date": time.strftime("%Y-%m-%d", time.gmtime(Path(path).stat().st_mtime if Path(path).is_file() else (Path(path) / LATEST).stat().st_mtime))}
    return model.eval(), info
