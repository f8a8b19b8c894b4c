"""Multi-GPU and multi-node training under torchrun: one process per device.

Gradients are averaged by hand after each backward (as StyleGAN2-ADA does) rather than by
wrapping G and D in DistributedDataParallel: R1 and path length need double backward through
torch.autograd.grad, which DDP's reducer does not support, and the four loss phases each train
a different subset of parameters. Every rank starts from the same seed and then receives
rank 0's weights, so with averaged gradients the replicas stay bit-identical;
`check_in_sync` proves it at each checkpoint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistInfo:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1


def init_from_env(device_pref: str = "auto") -> DistInfo:
    """Read RANK, WORLD_SIZE, LOCAL_RANK (set by torchrun); start the process group when W > 1."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistInfo()
    info = DistInfo(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")))
    use_cuda = device_pref != "cpu" and torch.cuda.is_available()
    if use_cuda:
        torch.cuda.set_device(info.local_rank)
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    return info


def shutdown(info: DistInfo) -> None:
    if info.enabled and dist.is_initialized():
        dist.destroy_process_group()


def pick_device(pref: str, info: DistInfo) -> torch.device:
    """auto -> this rank's GPU when CUDA is there, else the CPU. Never assumes CUDA."""
    if pref == "auto":
        return torch.device(f"cuda:{info.local_rank}") if torch.cuda.is_available() else torch.device("cpu")
    if pref.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ValueError(f"device={pref!r} was asked for but CUDA is not available here; use device=auto or cpu")
        return torch.device(f"cuda:{info.local_rank}") if pref == "cuda" else torch.device(pref)
    return torch.device(pref)


def average_gradients(params: Iterable[torch.nn.Parameter], info: DistInfo) -> None:
    """All-reduce the gradients of `params` in one flat buffer and divide by the world size."""
    if not info.enabled:
        return
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return
    flat = torch.cat([g.flatten() for g in grads])
    dist.all_reduce(flat)
    flat /= info.world_size
    offset = 0
    for g in grads:
        g.copy_(flat[offset: offset + g.numel()].view_as(g))
        offset += g.numel()


def average_(tensor: torch.Tensor, info: DistInfo) -> torch.Tensor:
    """In-place mean over ranks (losses for logging, w_avg, pl_mean, ADA statistics)."""
    if info.enabled:
        dist.all_reduce(tensor)
        tensor /= info.world_size
    return tensor


def broadcast_module(module: torch.nn.Module, info: DistInfo) -> None:
    if info.enabled:
        for tensor in list(module.parameters()) + list(module.buffers()):
            dist.broadcast(tensor.data, src=0)


def check_in_sync(modules: dict[str, torch.nn.Module], info: DistInfo) -> None:
    """Raise if any rank's weights differ from rank 0's (a fingerprint per module)."""
    if not info.enabled:
        return
    for name, module in modules.items():
        flat = torch.cat([t.detach().double().flatten() for t in module.state_dict().values()])
        mine = torch.stack([flat.sum(), flat.square().sum(), (flat * torch.arange(len(flat), device=flat.device)).sum()])
        theirs = mine.clone()
        dist.broadcast(theirs, src=0)
        differs = torch.tensor([float(not torch.equal(mine, theirs))], device=flat.device)
        dist.all_reduce(differs)  # every rank learns of a mismatch, so none waits on a dead peer
        if differs.item() > 0:
            raise RuntimeError(f"{name} weights differ between ranks ({int(differs.item())} of "
                               f"{info.world_size} differ from rank 0); the replicas diverged")
