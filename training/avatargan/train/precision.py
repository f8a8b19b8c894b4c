"""Which arithmetic a training run uses: bfloat16 autocast with channels_last where the hardware
runs it natively, float32 elsewhere.

bfloat16 keeps float32's exponent range, so unlike float16 it needs no loss scaling; weights,
optimizer state, losses and the mapping MLP stay float32 (see loss.py). On CPUs, oneDNN runs
bf16 convolutions on AMX tiles or AVX512-BF16 units, and only fast in the channels_last layout
(NCHW bf16 falls back to slow reference kernels); a CPU without those units emulates bf16 and
is slower than float32, so it keeps float32.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import torch

NATIVE_BF16_CPU_FLAGS = ("amx_bf16", "avx512_bf16")


@lru_cache(maxsize=1)
def cpu_bf16_units() -> tuple[str, ...]:
    """The CPU flags (from /proc/cpuinfo) that run bfloat16 arithmetic natively; empty if none."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return ()
    return tuple(flag for flag in NATIVE_BF16_CPU_FLAGS if flag in flags)


@dataclass(frozen=True)
class Precision:
    bf16: bool            # autocast the G and D passes to bfloat16
    channels_last: bool   # keep weights and activations NHWC (what oneDNN and tensor cores want)
    reason: str           # one line for logs and bench output

    @property
    def label(self) -> str:
        return ("bf16" if self.bf16 else "fp32") + (" + channels_last" if self.channels_last else "")

    def autocast(self, device: torch.device):
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=self.bf16)

    def to_memory_format(self, x: torch.Tensor) -> torch.Tensor:
        return x.contiguous(memory_format=torch.channels_last) if self.channels_last and x.dim() == 4 else x

    def prepare(self, module: torch.nn.Module) -> torch.nn.Module:
        return module.to(memory_format=torch.channels_last) if self.channels_last else module


def choose_precision(device: torch.device, amp: bool, channels_last: bool) -> Precision:
    """amp asks for bf16 where it is native: CUDA with bf16 support, or a CPU with AMX/AVX512-BF16."""
    if not amp:
        return Precision(False, channels_last and device.type == "cuda", "float32 (amp off)")
    if device.type == "cuda":
        if torch.cuda.is_bf16_supported():
            return Precision(True, channels_last, f"bf16 autocast on {torch.cuda.get_device_name(device)}")
        return Precision(False, False, "float32: this GPU has no bfloat16 support")
    units = cpu_bf16_units()
    if units:
        return Precision(True, channels_last, f"bf16 autocast on the CPU's {' and '.join(units)} units")
    return Precision(False, False, "float32: this CPU has no native bfloat16 units (AMX or AVX512-BF16)")
