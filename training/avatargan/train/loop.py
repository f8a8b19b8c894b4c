"""The training loop: one Trainer that owns G, D, G_ema, the optimizers and the run folder.

Every random draw of step s comes from generators seeded by (seed, s, rank), and the data
order is a function of (seed, s) too (see data.py). So the state of a run between two steps
is just what the checkpoint holds, and a resumed run repeats an uninterrupted one bit for bit
(on the same device type and thread count).
"""

from __future__ import annotations

import copy
import datetime as dt
import signal
import threading
import time
from pathlib import Path

import numpy as np
import torch

from ..networks.discriminator import Discriminator
from ..networks.generator import Generator
from ..vocab import TagVocabulary
from . import checkpoint as ckpt
from .augment import AdaTuner, AugmentPipe
from .config import TrainConfig
from .data import TrainData
from .distributed import DistInfo, average_, average_gradients, broadcast_module, check_in_sync, pick_device
from .loss import d_main_loss, g_main_loss, identity, pl_loss, r1_loss
from .precision import choose_precision


class TrainingDiverged(RuntimeError):
    """A loss or a weight became NaN or inf; the message names the step and what went wrong."""


def step_seed(seed: int, step: int, rank: int) -> int:
    return int(np.random.SeedSequence([seed, step, rank]).generate_state(1, np.uint64)[0])


def make_optimizer(module: torch.nn.Module, lr: float, betas, reg_interval: int | None) -> torch.optim.Adam:
    # Lazy regularisation takes an extra optimizer step every `reg_interval` steps; StyleGAN2
    # shrinks lr and the betas by interval/(interval+1) so the effective rates stay the same.
    ratio = reg_interval / (reg_interval + 1) if reg_interval else 1.0
    return torch.optim.Adam(module.parameters(), lr=lr * ratio, betas=tuple(b ** ratio for b in betas), eps=1e-8)


def describe_device(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda: {torch.cuda.get_device_name(device)}"
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        import platform

        model = platform.processor() or platform.machine()
    return f"cpu: {model} ({torch.get_num_threads()} threads)"


def drop_records_after(metrics: Path, step: int) -> None:
    """A resumed run repeats the steps logged after its checkpoint was saved; their old records go,
    so metrics.jsonl holds each step once."""
    import json

    if not metrics.exists():
        return
    lines = metrics.read_text().splitlines()
    kept = [line for line in lines if not line.strip() or json.loads(line).get("step", 0) <= step]
    if len(kept) != len(lines):
        metrics.write_text("".join(line + "\n" for line in kept))


class DurationEstimate:
    """After a few timed steps, says how long the whole run will take, and warns when that is
    over a day (a 64 px preset at full width on a laptop CPU is weeks), with a --kimg that fits."""

    WARMUP_STEPS, TIMED_STEPS = 2, 5  # the first steps pay for allocation and kernel selection

    def __init__(self, first_step: int, total_steps: int, batch: int, enabled: bool = True):
        self.first, self.total, self.batch, self.enabled = first_step, total_steps, batch, enabled
        self.started: float | None = None
        self.message: str | None = None

    def step_done(self, step: int) -> None:
        if not self.enabled or self.message is not None:
            return
        if step == self.first + self.WARMUP_STEPS:
            self.started = time.perf_counter()
        elif self.started is not None and step == self.first + self.WARMUP_STEPS + self.TIMED_STEPS:
            per_step = (time.perf_counter() - self.started) / self.TIMED_STEPS
            self.report(per_step, self.total - step)

    def report(self, seconds_per_step: float, steps_left: int) -> str:
        import sys

        rate = self.batch / seconds_per_step
        seconds = steps_left * seconds_per_step
        self.message = (f"estimated time to finish: {_duration(seconds)} "
                        f"({steps_left * self.batch / 1000:.1f} kimg left at {rate:.1f} images/s)")
        if seconds > 24 * 3600:
            hour_kimg = rate * 3600 / 1000
            self.message += (f"\nwarning: that is over a day. --kimg {max(hour_kimg, 0.1):.0f} fits in about an hour "
                             "here; Ctrl-C stops cleanly and --resume continues")
        print(self.message, file=sys.stderr)
        return self.message


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


class Trainer:
    def __init__(self, cfg: TrainConfig, data: TrainData, vocab: TagVocabulary, out: str | Path | None = None,
                 dist: DistInfo = DistInfo(), progress: bool = True):
        if cfg.batch % dist.world_size:
            raise ValueError(f"batch={cfg.batch} does not split over {dist.world_size} processes; "
                             f"use a multiple of {dist.world_size}")
        self.cfg, self.data, self.vocab, self.dist = cfg, data, vocab, dist
        self.out = Path(out) if out is not None else None
        self.progress = progress and dist.is_main
        self.local_batch = cfg.batch // dist.world_size
        self.device = pick_device(cfg.device, dist)
        self.precision = choose_precision(self.device, cfg.amp, cfg.channels_last)

        torch.manual_seed(cfg.seed)  # same initial weights on every rank, and then rank 0's are broadcast anyway
        self.G = self.precision.prepare(Generator(cfg.g).to(self.device).train().requires_grad_(False))
        self.D = self.precision.prepare(Discriminator(cfg.d).to(self.device).train().requires_grad_(False))
        self.G_ema = copy.deepcopy(self.G).eval()
        for module in (self.G, self.D, self.G_ema):
            broadcast_module(module, dist)
        self.opt_G, self.opt_D = self._make_optimizers()
        self.augment = AugmentPipe(cfg.ada_p)
        self.ada = AdaTuner(cfg.ada_target, cfg.ada_interval, cfg.ada_kimg, cfg.batch) if cfg.ada else None
        self.pl_mean = torch.zeros([], device=self.device)
        self.step = 0
        self.wall_time = 0.0
        self.info = {"data": cfg.data, "images": len(data), "hardware": [], "world_size": dist.world_size,
                     "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        self.hardware = describe_device(self.device) + (f" x{dist.world_size}" if dist.enabled else "")

    def _make_optimizers(self) -> tuple[torch.optim.Adam, torch.optim.Adam]:
        cfg = self.cfg
        return (make_optimizer(self.G, cfg.g_lr, cfg.betas, cfg.pl_interval if cfg.pl_weight > 0 else None),
                make_optimizer(self.D, cfg.d_lr, cfg.betas, cfg.r1_interval if cfg.r1_gamma > 0 else None))

    # --- one step -----------------------------------------------------------------------

    def _optimize(self, module: torch.nn.Module, opt: torch.optim.Optimizer, loss: torch.Tensor) -> None:
        opt.zero_grad(set_to_none=True)
        loss.backward()
        average_gradients(module.parameters(), self.dist)
        opt.step()

    @property
    def amp(self) -> bool:
        return self.precision.bf16

    def _autocast(self):
        return self.precision.autocast(self.device)

    def train_step(self) -> dict[str, float]:
        """G main, G path length (lazy), D main, D R1 (lazy), EMA, ADA; returns the step's losses."""
        cfg, step, dev, b = self.cfg, self.step, self.device, self.local_batch
        torch.manual_seed(step_seed(cfg.seed, step, self.dist.rank))     # z, noise, mixing, augmentation
        label_rng = np.random.default_rng([cfg.seed, step, self.dist.rank, 1])
        real, c_real = self.data.reals(step, cfg.batch, self.dist.rank, self.dist.world_size, dev)
        real = self.precision.to_memory_format(real)
        augment = self.augment if self.augment.p > 0 else identity
        z_dim = cfg.g.z_dim
        stats: dict[str, torch.Tensor] = {}

        self.G.requires_grad_(True)
        paired = cfg.ms_weight > 0 and b >= 2
        with self._autocast():
            loss, class_loss, seeking = g_main_loss(self.G, self.D, torch.randn(b, z_dim, device=dev),
                                                    self._g_labels(b, label_rng, paired), cfg.style_mixing_prob,
                                                    augment, cfg.g_cls_until, paired)
        self._optimize(self.G, self.opt_G, loss + cfg.g_cls_weight * class_loss + cfg.ms_weight * seeking)
        average_(self.G.mapping.w_avg, self.dist)  # each rank tracked its own fakes
        stats["G/main"] = loss.detach()
        if self.D.has_classifier:
            stats["G/class"] = class_loss.detach()
        if paired:
            stats["G/mode_seeking"] = seeking.detach()
        if cfg.pl_weight > 0 and step % cfg.pl_interval == 0:
            n = max(b // cfg.pl_batch_shrink, 1)
            loss, new_mean = pl_loss(self.G, torch.randn(n, z_dim, device=dev), self.data.fake_labels(n, label_rng, dev),
                                     self.pl_mean, cfg.pl_weight, cfg.pl_interval, cfg.pl_decay, cfg.style_mixing_prob)
            self._optimize(self.G, self.opt_G, loss)
            self.pl_mean.copy_(average_(new_mean, self.dist))
            stats["G/pl"], stats["pl_mean"] = loss.detach(), self.pl_mean.clone()
        self.G.requires_grad_(False)

        self.D.requires_grad_(True)
        with self._autocast():
            loss_fake, loss_real, class_loss, real_logits = d_main_loss(
                self.G, self.D, torch.randn(b, z_dim, device=dev), self.data.fake_labels(b, label_rng, dev),
                real, c_real, cfg.style_mixing_prob, augment)
        self._optimize(self.D, self.opt_D, loss_fake + loss_real + cfg.cls_weight * class_loss)
        stats["D/fake"], stats["D/real"] = loss_fake.detach(), loss_real.detach()
        if self.D.has_classifier:
            stats["D/class"] = class_loss.detach()
        stats["D/real_sign"] = real_logits.float().sign().mean()   # ADA's overfitting signal
        if cfg.r1_gamma > 0 and step % cfg.r1_interval == 0:
            loss, penalty = r1_loss(self.D, real, c_real, cfg.r1_gamma, cfg.r1_interval, augment)
            self._optimize(self.D, self.opt_D, loss)
            stats["D/r1"], stats["r1_penalty"] = loss.detach(), penalty
        self.D.requires_grad_(False)

        self.update_ema()
        self.step += 1
        # One all-reduce and one device sync per step for every scalar the step produced.
        values = average_(torch.stack([v.float() for v in stats.values()]), self.dist).tolist()
        stats = dict(zip(stats, values))
        for name, value in stats.items():
            if not np.isfinite(value):
                raise TrainingDiverged(f"step {step}: loss {name} is {value} ({self._describe(stats)})")
        if self.ada is not None:
            self.ada.accumulate(stats["D/real_sign"] * b, b)
            if self.step % cfg.ada_interval == 0:
                self.augment.p = self.ada.adjust(self.augment.p)
        stats["ada_p"] = self.augment.p
        return stats

    def _g_labels(self, b: int, rng: np.random.Generator, paired: bool) -> torch.Tensor:
        """Conditions of the G step's fakes; when paired (mode seeking), the second half repeats the first."""
        if not paired:
            return self.data.fake_labels(b, rng, self.device)
        half = self.data.fake_labels(b - b // 2, rng, self.device)
        return torch.cat([half, half[: b // 2]])

    @staticmethod
    def _describe(stats: dict) -> str:
        return ", ".join(f"{k}={v:.4g}" for k, v in stats.items())

    @torch.no_grad()
    def update_ema(self) -> None:
        cfg = self.cfg
        ema_nimg = cfg.ema_kimg * 1000
        if cfg.ema_rampup > 0:
            ema_nimg = min(ema_nimg, (self.step + 1) * cfg.batch * cfg.ema_rampup)
        beta = 0.5 ** (cfg.batch / max(ema_nimg, 1e-8))
        for p_ema, p in zip(self.G_ema.parameters(), self.G.parameters()):
            p_ema.copy_(p.detach().lerp(p_ema, beta))
        for b_ema, b in zip(self.G_ema.buffers(), self.G.buffers()):
            b_ema.copy_(b)

    # --- checkpoints -------------------------------------------------------------------

    def state_dict(self) -> dict:
        # contiguous(): checkpoints and exports hold plain NCHW tensors whatever layout training used.
        cpu = lambda module: {k: v.detach().cpu().contiguous().clone() for k, v in module.state_dict().items()}  # noqa: E731
        hardware = list(dict.fromkeys(self.info["hardware"] + [self.hardware]))
        info = {**self.info, "hardware": hardware,
                "saved": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        ada_stats = [self.ada.sign_sum, self.ada.count] if self.ada else [0.0, 0.0]
        return {
            "config": self.cfg.to_dict(), "vocab": self.vocab.to_json(),
            "G": cpu(self.G), "D": cpu(self.D), "G_ema": cpu(self.G_ema),
            "G_opt": self.opt_G.state_dict(), "D_opt": self.opt_D.state_dict(),
            "ada_p": float(self.augment.p), "ada_stats": ada_stats, "pl_mean": self.pl_mean.detach().cpu(),
            "step": self.step, "images_seen": self.step * self.cfg.batch, "wall_time": float(self.wall_time),
            "rng": ckpt.rng_state(),
            "sampler": {"kind": "epoch-permutation", "seed": self.cfg.seed, "position": self.step * self.cfg.batch},
            "info": info,
        }

    def load_state_dict(self, state: dict) -> None:
        for name, module in (("G", self.G), ("D", self.D), ("G_ema", self.G_ema)):
            module.load_state_dict(state[name])
        self.opt_G.load_state_dict(state["G_opt"])
        self.opt_D.load_state_dict(state["D_opt"])
        # The config may have been overridden on resume (a new lr); the optimizers follow it.
        for opt, fresh in zip((self.opt_G, self.opt_D), self._make_optimizers()):
            for group, new in zip(opt.param_groups, fresh.param_groups):
                group["lr"], group["betas"] = new["lr"], new["betas"]
        self.augment.p = float(state["ada_p"])
        if self.ada is not None:
            self.ada.sign_sum, self.ada.count = (float(v) for v in state.get("ada_stats", [0.0, 0.0]))
        self.pl_mean.copy_(state.get("pl_mean", torch.zeros([])))
        self.step = int(state["step"])
        self.wall_time = float(state.get("wall_time", 0.0))
        self.info.update({k: v for k, v in state.get("info", {}).items() if k in ("started", "hardware", "init_generator")})
        ckpt.set_rng_state(state["rng"])

    def start_from_generator(self, state: dict, source: dict) -> None:
        """G and G_ema take exported generator weights (fine-tuning); recorded in the run's info."""
        for module in (self.G, self.G_ema):
            module.load_state_dict(state)
            broadcast_module(module, self.dist)
        self.info["init_generator"] = source

    def weights_finite(self) -> str | None:
        """Name of the first module holding NaN/inf, or None."""
        for name, module in (("G", self.G), ("D", self.D), ("G_ema", self.G_ema)):
            if not all(bool(torch.isfinite(t).all()) for t in module.state_dict().values() if t.is_floating_point()):
                return name
        return None

    def save(self, snapshot: bool, collective: bool = True) -> Path | None:
        """latest.pt (and a numbered snapshot), after checking the weights are finite and, when
        `collective` (every rank saves at this step), that all ranks hold the same weights."""
        bad = self.weights_finite()
        if bad:
            raise TrainingDiverged(f"step {self.step}: {bad} weights hold NaN or inf")
        if collective:
            check_in_sync({"G": self.G, "D": self.D, "G_ema": self.G_ema}, self.dist)
        if not self.dist.is_main or self.out is None:
            return None
        state = self.state_dict()
        path = ckpt.save_checkpoint(state, self.out / ckpt.LATEST)
        if snapshot:
            path = ckpt.save_checkpoint(state, self.out / ckpt.snapshot_name(state["images_seen"]))
        return path

    # --- the loop ------------------------------------------------------------------------

    def _install_stop_handlers(self) -> tuple[dict, dict]:
        """Ctrl-C / SIGTERM finish the current step, save latest.pt and return: nothing is lost.

        Only in a single process on the main thread; under torchrun the launcher owns signals
        (a killed rank resumes from the last checkpoint, exactly, like any SIGKILL)."""
        request: dict = {}
        if self.dist.enabled or threading.current_thread() is not threading.main_thread():
            return request, {}

        def handler(signum, _frame):
            request["signal"] = signal.Signals(signum).name

        previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
        return request, previous

    def _time_is_up(self, deadline: float | None) -> bool:
        """Past the wall-clock budget? Under torchrun rank 0's clock decides for all (one scalar
        all-reduce per step), so every rank stops at the same step."""
        if deadline is None:
            return False
        up = torch.tensor([1.0 if time.time() >= deadline else 0.0], device=self.device)
        if self.dist.enabled:
            up = up * (1.0 if self.dist.is_main else 0.0)
            average_(up, self.dist)
        return bool(up.item() > 0)

    def run(self, minutes: float | None = None) -> dict:
        """Train to cfg.kimg (or for `minutes` of wall time, then save and stop cleanly), logging,
        sampling and checkpointing on the way. Returns the last log record."""
        from tqdm import tqdm

        from .report import Meter, append_jsonl, plot_losses, save_samples

        cfg = self.cfg
        total = cfg.total_steps
        every = {name: cfg.steps_for(getattr(cfg, f"{name}_kimg")) for name in ("log", "checkpoint", "snapshot", "sample")}
        if self.out is not None and self.dist.is_main:
            self.out.mkdir(parents=True, exist_ok=True)
            (self.out / "config.json").write_text(cfg.to_json() + "\n")
        metrics = self.out / "metrics.jsonl" if self.out is not None else None
        if metrics is not None and self.dist.is_main:
            drop_records_after(metrics, self.step)
        bar = tqdm(total=total * cfg.batch, initial=self.step * cfg.batch, unit="img", unit_scale=True,
                   disable=not self.progress, dynamic_ncols=True, desc="train")
        start, base_wall = time.time(), self.wall_time
        meter, record, last_save = Meter(start), {}, start
        stop, previous_handlers = self._install_stop_handlers()
        estimate = DurationEstimate(self.step, total, cfg.batch, enabled=self.dist.is_main)
        deadline = start + minutes * 60 if minutes else None
        try:
            while self.step < total:
                stats = self.train_step()
                self.wall_time = base_wall + time.time() - start
                estimate.step_done(self.step)
                meter.add(stats, cfg.batch)
                bar.update(cfg.batch)
                done = self.step == total
                if self.step % every["log"] == 0 or done:
                    record = {"kimg": self.step * cfg.batch / 1000, "step": self.step, "time_s": round(self.wall_time, 2),
                              **{k: round(v, 6) for k, v in meter.pop(time.time()).items()}}
                    bar.set_postfix({k: f"{record[k]:.3g}" for k in ("G/main", "D/real", "ada_p") if k in record})
                    if metrics is not None and self.dist.is_main:
                        append_jsonl(metrics, record)
                if self.out is not None and self.dist.is_main and (self.step % every["sample"] == 0 or done):
                    kimg = self.step * cfg.batch / 1000
                    name = ckpt.snapshot_name(self.step * cfg.batch).replace("snapshot-", "samples-").replace(".pt", ".png")
                    save_samples(self.G_ema, self.vocab, list(range(cfg.sample_seeds)), self.out / name, kimg)
                snapshot = self.step % every["snapshot"] == 0 or done
                if snapshot or self.step % every["checkpoint"] == 0:
                    self.save(snapshot)
                    last_save = time.time()
                    if snapshot and metrics is not None and self.dist.is_main:
                        plot_losses(metrics, self.out / "losses.png")
                elif cfg.checkpoint_minutes and self.dist.is_main and time.time() - last_save > cfg.checkpoint_minutes * 60:
                    # Rank 0 alone decides by its clock, so no collective here (the others would not join it).
                    self.save(False, collective=False)
                    last_save = time.time()
                if self._time_is_up(deadline) and not done:
                    path = self.save(False)
                    if metrics is not None and self.dist.is_main:
                        append_jsonl(metrics, {"event": "stopped", "reason": f"--minutes {minutes:g}", "step": self.step})
                    if self.dist.is_main:
                        print(f"\n--minutes {minutes:g}: stopped at step {self.step} "
                              f"({self.step * cfg.batch / 1000:.1f} kimg); saved {path}. Continue with --resume.")
                    break
                if stop:
                    path = self.save(False, collective=False)
                    if metrics is not None:
                        append_jsonl(metrics, {"event": "stopped", "signal": stop["signal"], "step": self.step})
                    print(f"\n{stop['signal']}: stopped at step {self.step}; saved {path}. Continue with --resume.")
                    break
        except TrainingDiverged as err:
            if metrics is not None and self.dist.is_main:
                append_jsonl(metrics, {"event": "diverged", "step": self.step, "message": str(err)})
            last = self.out / ckpt.LATEST if self.out is not None else None
            kept = (f"the last good checkpoint is {last}" if last is not None and last.exists()
                    else "no checkpoint had been written yet")
            raise TrainingDiverged(f"{err}. Training stopped; {kept}. Lower g_lr/d_lr or raise r1_gamma, "
                                   "then --resume from it.") from None
        finally:
            bar.close()
            for sig, handler in previous_handlers.items():
                signal.signal(sig, handler)
        return record
