"""The generator as a shipped model: load it and make avatars (AvatarPipeline), export it.

    pipe = AvatarPipeline.from_pretrained("public/weights/generator")
    images = pipe.generate(seeds=[0, 1, 2], tags=["blonde hair", "red eyes"], psi=0.7)  # uint8 NHWC

train/ trains it and calls export_generator; everything else reaches it through
avatargan/pipeline.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import torch

from ..export import check_tensors, read_model, write_model
from ..images import to_uint8
from ..networks.generator import Generator, GeneratorConfig
from ..seeds import seeds_to_z
from ..vocab import TagVocabulary


def generator_shapes(meta: dict) -> dict[str, tuple]:
    """The tensor shapes a model.json's config implies, worked out on the meta device (no memory),
    so a file is checked before its network is built."""
    cfg = GeneratorConfig.from_dict(meta["config"])
    with torch.device("meta"):
        return {k: tuple(v.shape) for k, v in Generator(cfg).state_dict().items()}


@dataclass
class AvatarPipeline:
    generator: Generator
    vocab: TagVocabulary
    name: str = "generator"
    training: dict | None = None
    sha256: str | None = None  # of the weight shards, as model.json records it (recipes name it)
    # Truncation centres per condition (bytes of c -> mean w): 256 mapping passes each, so computed once.
    condition_means: dict[bytes, torch.Tensor] = field(default_factory=dict, repr=False)

    @classmethod
    def from_pretrained(cls, folder: str | Path, device: str | torch.device = "cpu") -> "AvatarPipeline":
        meta, tensors = read_model(folder, kind="generator", expected=generator_shapes)
        cfg = GeneratorConfig.from_dict(meta["config"])
        generator = Generator(cfg).eval().requires_grad_(False)
        check_tensors(tensors, {k: tuple(v.shape) for k, v in generator.state_dict().items()}, str(folder))
        generator.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in tensors.items()})
        vocab = TagVocabulary.from_json(meta["tags"])
        if vocab.dim != cfg.c_dim:
            raise ValueError(f"{folder}: vocabulary has {vocab.dim} tags but the generator expects c_dim={cfg.c_dim}")
        return cls(generator.to(device), vocab, meta.get("name", "generator"), meta.get("training"), meta.get("sha256"))

    @property
    def device(self) -> torch.device:
        return self.generator.mapping.w_avg.device

    def condition(self, tags: Sequence[str] | np.ndarray, count: int) -> torch.Tensor:
        c = np.asarray(tags, np.float32) if isinstance(tags, np.ndarray) else self.vocab.encode(tags)
        c = np.broadcast_to(c, (count, self.vocab.dim)) if c.ndim == 1 else c
        return torch.from_numpy(np.array(c, dtype=np.float32)).to(self.device)

    @torch.no_grad()
    def generate_float(self, seeds: Sequence[int], tags: Sequence[str] | np.ndarray, psi: float = 1.0,
                       noise_mode: str = "const", per_condition_truncation: bool = False) -> torch.Tensor:
        """Images [N, 3, R, R] float in about [-1, 1]. Each image depends only on its own seed and tags."""
        z = torch.from_numpy(seeds_to_z(list(seeds), self.generator.cfg.z_dim)).to(self.device)
        c = self.condition(tags, len(seeds))
        center = None
        if per_condition_truncation and psi != 1:
            center = torch.stack([self.condition_mean_w(ci) for ci in c])
        ws = self.generator.map(z, c, psi, w_center=center)
        return self.generator.synthesis(ws, noise_mode=noise_mode)

    def condition_mean_w(self, c: torch.Tensor) -> torch.Tensor:
        """The truncation centre of condition c [c_dim] (Generator.condition_mean_w), cached per condition."""
        key = c.detach().cpu().numpy().tobytes()
        if key not in self.condition_means:
            self.condition_means[key] = self.generator.condition_mean_w(c)
        return self.condition_means[key]

    def generate(self, seeds: Sequence[int], tags: Sequence[str] | np.ndarray, psi: float = 1.0, **kwargs) -> np.ndarray:
        """uint8 images [N, R, R, 3]."""
        return to_uint8(self.generate_float(seeds, tags, psi, **kwargs))

    def generate_with_choices(self, seeds: Sequence[int], choices: Mapping[str, str], psi: float = 1.0,
                              **kwargs) -> tuple[np.ndarray, list[list[str]]]:
        """Avatars as the workbench makes them: groups in `choices` (group -> tag) are fixed, the
        others "Random", drawn per seed. Returns (uint8 images [N, R, R, 3], tags per avatar)."""
        tags = [self.vocab.tags_for_seed(seed, choices, self.generator.cfg.z_dim) for seed in seeds]
        c = np.stack([self.vocab.encode(t) for t in tags])
        return self.generate(seeds, c, psi, **kwargs), tags


def export_generator(generator: Generator, vocab: TagVocabulary, folder: str | Path, *, name: str,
                     training: dict | None = None, float16: bool = False) -> Path:
    tensors = {k: v.detach().float().cpu().numpy() for k, v in generator.state_dict().items()}
    return write_model(folder, "generator", generator.cfg.to_dict(), tensors, name=name,
                       tags=vocab.to_json(), training=training, float16=float16)
