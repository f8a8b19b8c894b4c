"""TrainConfig: every training knob in one dataclass that travels inside the checkpoint.

Presets give a starting point per resolution; `--set key=value` (dotted for the nested
network configs: `g.channel_base=4096`) changes any field. Values are validated here, once,
with messages that name the field, so the loop can trust them.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import asdict, dataclass, field, fields

from ..configs import check_fields
from ..networks.discriminator import DiscriminatorConfig
from ..networks.generator import GeneratorConfig


@dataclass
class TrainConfig:
    preset: str = "64"
    data: str = ""                # pack folder; recorded so `--resume` needs no other flag
    g: GeneratorConfig = field(default_factory=GeneratorConfig)
    d: DiscriminatorConfig = field(default_factory=DiscriminatorConfig)
    batch: int = 32               # global batch; each of W ranks takes batch // W
    g_lr: float = 0.0025          # StyleGAN2-ADA's value below 1024 px
    d_lr: float = 0.0025
    betas: tuple[float, float] = (0.0, 0.99)  # beta1 = 0: momentum hurts the adversarial game
    r1_gamma: float = 0.0256      # StyleGAN2-ADA heuristic 0.0002 * res^2 / batch
    r1_interval: int = 16         # lazy R1: once every 16 D steps, scaled by 16
    pl_weight: float = 0.0        # path length regularisation; 0 = off (costly, helps little at 64 px)
    pl_interval: int = 4
    pl_decay: float = 0.01        # running mean of path lengths
    pl_batch_shrink: int = 2      # the pl pass uses batch // 2 to save memory, as StyleGAN2
    style_mixing_prob: float = 0.9
    cls_weight: float = 0.0       # auxiliary classifier (AC-GAN) head of D, trained on reals with this weight; 0 = no head
    g_cls_weight: float = 0.0     # how hard G is asked to make fakes the head reads as their condition. Kept
                                  # well below cls_weight: pushed hard (0.5 from a fresh D) G collapses to one face per condition
    g_cls_until: float = 1.0      # G is pushed only on fakes the head reads right with p below this (1 = always)
    ms_weight: float = 0.0        # mode-seeking term (MSGAN): pairs of fakes under one condition should differ as
                                  # much as their z do; against one face per condition. 0 = off
    ema_kimg: float = 10.0        # EMA half-life of G_ema, in thousands of images
    ema_rampup: float = 0.05      # half-life <= 5% of images seen, so early G_ema is not stuck at init; 0 = off
    ada: bool = True              # adaptive augmentation: anime face sets are small, D overfits quickly
    ada_target: float = 0.6       # target for E[sign(D(real))]: above it D is overfitting
    ada_interval: int = 4         # adjust p every 4 steps
    ada_kimg: float = 100.0       # p can go 0 -> 1 in this many thousand images
    ada_p: float = 0.0            # initial augmentation probability (fixed p when ada is off and p > 0)
    kimg: float = 5000.0          # length of the run, in thousands of images
    log_kimg: float = 4.0         # metrics.jsonl interval
    checkpoint_kimg: float = 20.0  # rolling latest.pt interval
    checkpoint_minutes: float = 15.0  # ...and at least this often in wall time (slow CPU runs); 0 = off
    snapshot_kimg: float = 200.0  # numbered snapshot-<kimg>.pt, samples and losses.png interval
    sample_kimg: float = 20.0     # samples-<kimg>.png interval
    sample_seeds: int = 8         # columns of the sample grid (seeds 0..N-1)
    seed: int = 0
    device: str = "auto"          # auto = cuda if available, else cpu
    amp: bool = True              # bf16 autocast for the G and D passes where the hardware runs bf16 natively
                                  # (CUDA; CPUs with AMX or AVX512-BF16), float32 elsewhere; see precision.py
    channels_last: bool = True    # NHWC weights and activations with bf16: oneDNN's bf16 convs are only fast so

    # --- derived quantities -------------------------------------------------------------

    def steps_for(self, kimg: float) -> int:
        """Steps that cover `kimg` thousand images (at least one)."""
        return max(1, math.ceil(round(kimg * 1000) / self.batch))

    @property
    def total_steps(self) -> int:
        return self.steps_for(self.kimg)

    # --- (de)serialisation ---------------------------------------------------------------

    def to_dict(self) -> dict:
        out = asdict(self)
        out["betas"] = list(self.betas)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "TrainConfig":
        check_fields(cls, data, "training config")
        data = dict(data)
        data["g"] = GeneratorConfig.from_dict(data.get("g", {}))
        data["d"] = DiscriminatorConfig.from_dict(data.get("d", {}))
        if "betas" in data:
            data["betas"] = tuple(float(b) for b in data["betas"])
        return cls(**data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)


def _preset(res: int, channel_base: int, channel_max: int, z_dim: int, w_dim: int, mapping_layers: int,
            batch: int, kimg: float) -> TrainConfig:
    return TrainConfig(
        preset=str(res),
        g=GeneratorConfig(resolution=res, z_dim=z_dim, w_dim=w_dim, embed_dim=z_dim, mapping_layers=mapping_layers,
                          channel_base=channel_base, channel_max=channel_max),
        d=DiscriminatorConfig(resolution=res, channel_base=channel_base, channel_max=channel_max,
                              cmap_dim=min(w_dim, 256)),
        batch=batch,
        r1_gamma=round(0.0002 * res * res / batch, 4),
        ema_kimg=batch * 10 / 32,  # StyleGAN2-ADA 'auto': half-life scales with the batch
        kimg=kimg,
    )


def tiny_preset() -> TrainConfig:
    """16 px, a few channels: trains in seconds on a CPU. For tests and smoke runs only."""
    cfg = TrainConfig(
        preset="tiny",
        g=GeneratorConfig(resolution=16, z_dim=16, w_dim=32, embed_dim=16, mapping_layers=2,
                          channel_base=256, channel_max=32),
        d=DiscriminatorConfig(resolution=16, channel_base=256, channel_max=32, cmap_dim=16),
        batch=8, r1_gamma=0.01, ema_kimg=0.1, ada_kimg=1.0, ada_interval=2,
        kimg=2.0, log_kimg=0.1, checkpoint_kimg=0.5, snapshot_kimg=1.0, sample_kimg=0.5, sample_seeds=4,
    )
    return cfg


PRESETS = {
    "tiny": tiny_preset,
    "64": lambda: _preset(64, 8192, 256, 128, 256, 4, 32, 5000.0),
    "128": lambda: _preset(128, 16384, 256, 256, 256, 4, 32, 10000.0),
    "256": lambda: _preset(256, 16384, 512, 256, 512, 8, 32, 25000.0),
}


def preset(name: str) -> TrainConfig:
    if name not in PRESETS:
        raise ValueError(f"--preset {name!r} is not one of {', '.join(PRESETS)}")
    return PRESETS[name]()


# --- overrides ----------------------------------------------------------------------------

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _parse_value(key: str, text: str, current):
    try:
        if isinstance(current, bool):
            low = text.strip().lower()
            if low not in _TRUE | _FALSE:
                raise ValueError
            return low in _TRUE
        if isinstance(current, int):
            value = float(text)
            if value != int(value):
                raise ValueError
            return int(value)
        if isinstance(current, float):
            return float(text)
        if isinstance(current, tuple):
            parts = [float(p) for p in text.replace("(", "").replace(")", "").split(",")]
            if len(parts) != len(current):
                raise ValueError
            return tuple(parts)
        return text
    except ValueError:
        kind = "a tuple of %d numbers like 0,0.99" % len(current) if isinstance(current, tuple) else type(current).__name__
        raise ValueError(f"--set {key}={text}: expected {kind}") from None


def settable_keys(cfg: TrainConfig) -> list[str]:
    keys = []
    for f in fields(cfg):
        value = getattr(cfg, f.name)
        if dataclasses.is_dataclass(value):
            keys += [f"{f.name}.{sub.name}" for sub in fields(value)]
        else:
            keys.append(f.name)
    return keys


def apply_overrides(cfg: TrainConfig, items: list[str]) -> TrainConfig:
    """Apply `key=value` strings (e.g. `g.channel_base=4096`, `batch=32`) to a copy of cfg."""
    cfg = TrainConfig.from_dict(cfg.to_dict())
    for item in items:
        if "=" not in item:
            raise ValueError(f"--set {item!r}: write key=value, e.g. --set batch=32")
        key, text = (s.strip() for s in item.split("=", 1))
        target, name = cfg, key
        if "." in key:
            head, name = key.split(".", 1)
            target = getattr(cfg, head, None) if head in ("g", "d") else None
        if target is None or name not in {f.name for f in fields(target)} or dataclasses.is_dataclass(getattr(target, name)):
            raise ValueError(f"--set {key}: no such setting; known settings are {', '.join(settable_keys(cfg))}")
        setattr(target, name, _parse_value(key, text, getattr(target, name)))
    return cfg


def fit_to_vocabulary(cfg: TrainConfig, vocab) -> TrainConfig:
    """A new run's condition sizes come from the data's vocabulary: c_dim, and the groups of the
    discriminator's classifier head when cls_weight > 0."""
    cfg.g.c_dim = cfg.d.c_dim = vocab.dim
    if cfg.cls_weight > 0:
        cfg.d.class_group_sizes = [len(group.tags) for group in vocab.groups]
        cfg.d.class_exclusive = [group.exclusive for group in vocab.groups]
    return cfg


def validate(cfg: TrainConfig) -> TrainConfig:
    """Raise ValueError naming the first bad value and what to do about it."""
    def need(ok: bool, message: str):
        if not ok:
            raise ValueError(f"training config: {message}")

    need(cfg.g.resolution == cfg.d.resolution,
         f"g.resolution={cfg.g.resolution} but d.resolution={cfg.d.resolution}; set both to the pack's resolution")
    need(cfg.g.c_dim == cfg.d.c_dim, f"g.c_dim={cfg.g.c_dim} but d.c_dim={cfg.d.c_dim}")
    GeneratorConfig.from_dict(cfg.g.to_dict())  # re-runs its own checks (power-of-two resolution, c_dim)
    for name in ("channel_base", "channel_max"):
        for net in ("g", "d"):
            need(getattr(getattr(cfg, net), name) >= 1, f"{net}.{name} must be >= 1")
    need(cfg.g.channels(cfg.g.resolution) >= 1, f"g.channel_base={cfg.g.channel_base} gives no channels at "
                                                f"{cfg.g.resolution} px; raise it to at least {cfg.g.resolution}")
    need(cfg.d.channels(cfg.d.resolution) >= 1, f"d.channel_base={cfg.d.channel_base} gives no channels at "
                                                f"{cfg.d.resolution} px; raise it to at least {cfg.d.resolution}")
    need(cfg.d.channels(4) % cfg.d.mbstd_channels == 0, "d.mbstd_channels must divide the 4x4 channel count")
    need(cfg.batch >= 1, f"batch={cfg.batch} must be >= 1")
    for name in ("g_lr", "d_lr"):
        need(0 < getattr(cfg, name) < 1, f"{name}={getattr(cfg, name)} must be in (0, 1); 0.0025 is usual")
    need(all(0 <= b < 1 for b in cfg.betas), f"betas={cfg.betas} must each be in [0, 1)")
    need(cfg.r1_gamma >= 0, f"r1_gamma={cfg.r1_gamma} must be >= 0 (0 turns R1 off)")
    for name in ("r1_interval", "pl_interval", "ada_interval", "pl_batch_shrink", "sample_seeds"):
        need(getattr(cfg, name) >= 1, f"{name}={getattr(cfg, name)} must be an integer >= 1")
    need(cfg.cls_weight >= 0 and cfg.g_cls_weight >= 0, "cls_weight and g_cls_weight must be >= 0 (0 = off)")
    need(0 < cfg.g_cls_until <= 1, f"g_cls_until={cfg.g_cls_until} must be in (0, 1]; 1 pushes every fake")
    need(cfg.g_cls_weight == 0 or cfg.cls_weight > 0, f"g_cls_weight={cfg.g_cls_weight} needs the classifier head: "
                                                      "set cls_weight > 0 when the run starts")
    need(cfg.cls_weight == 0 or sum(cfg.d.class_group_sizes) == cfg.d.c_dim,
         f"cls_weight={cfg.cls_weight} needs the discriminator's classifier head, which is made when a run "
         "starts with cls_weight > 0; it cannot be added on --resume")
    need(len(cfg.d.class_group_sizes) == len(cfg.d.class_exclusive), "d.class_group_sizes and d.class_exclusive "
         "must have one entry per tag group")
    need(cfg.ms_weight >= 0, f"ms_weight={cfg.ms_weight} must be >= 0 (0 = off)")
    need(cfg.pl_weight >= 0, f"pl_weight={cfg.pl_weight} must be >= 0 (0 = off)")
    need(0 < cfg.pl_decay <= 1, f"pl_decay={cfg.pl_decay} must be in (0, 1]")
    for name in ("style_mixing_prob", "ada_p"):
        need(0 <= getattr(cfg, name) <= 1, f"{name}={getattr(cfg, name)} must be in [0, 1]")
    need(0 < cfg.ada_target < 1, f"ada_target={cfg.ada_target} must be in (0, 1); 0.6 is usual")
    need(cfg.checkpoint_minutes >= 0, f"checkpoint_minutes={cfg.checkpoint_minutes} must be >= 0 (0 = off)")
    need(cfg.ema_kimg >= 0 and cfg.ema_rampup >= 0, "ema_kimg and ema_rampup must be >= 0")
    for name in ("kimg", "log_kimg", "checkpoint_kimg", "snapshot_kimg", "sample_kimg", "ada_kimg"):
        need(0 < getattr(cfg, name) <= 1e7, f"{name}={getattr(cfg, name)} must be a number > 0 and at most 1e7 "
                                            "(ten billion images)")
    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        need(not isinstance(value, float) or math.isfinite(value), f"{f.name}={value} must be a finite number")
    need(0 <= cfg.seed <= 2**31 - 1, f"seed={cfg.seed} must be in 0..2**31-1")
    need(cfg.device == "auto" or cfg.device == "cpu" or cfg.device.startswith("cuda"),
         f"device={cfg.device!r} must be auto, cpu, cuda or cuda:N")
    need(cfg.preset in PRESETS, f"preset={cfg.preset!r} is not one of {', '.join(PRESETS)}")
    return cfg
