"""Golden values and the tiny parity model that both halves test against.

`python -m avatargan export --fixtures test/fixtures` rewrites them. They are committed;
the Python tests check that this code still reproduces them, and the TypeScript tests
(test/seed.test.ts, test/parity.test.ts) check that lib/ does too.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from .images import to_uint8
from .networks.generator import Generator, GeneratorConfig
from .pipeline import AvatarPipeline, export_generator
from .seeds import mix32, seed_to_z, uniforms
from .vocab import Tag, TagGroup, TagVocabulary

GOLDEN_SEEDS = [0, 1, 42, 123456789, 4294967295]
TINY_CASES = [
    {"seed": 0, "tags": ["red hair", "blue eyes"], "psi": 1.0},
    {"seed": 7, "tags": ["blonde hair", "green eyes", "smile"], "psi": 1.0},
    {"seed": 123, "tags": ["black hair", "blue eyes", "smile"], "psi": 0.5},
    {"seed": 4294967295, "tags": ["red hair", "green eyes"], "psi": 0.7},
]


def tiny_vocabulary() -> TagVocabulary:
    return TagVocabulary([
        TagGroup("hair", True, (Tag("black hair", 0.5), Tag("blonde hair", 0.3), Tag("red hair", 0.2))),
        TagGroup("eyes", True, (Tag("blue eyes", 0.6), Tag("green eyes", 0.4))),
        TagGroup("tags", False, (Tag("smile", 0.25),)),
    ])


def tiny_generator(vocab: TagVocabulary, seed: int = 0) -> Generator:
    """A 16 px generator with every parameter and buffer non-trivial, so parity covers them all."""
    torch.manual_seed(seed)
    cfg = GeneratorConfig(resolution=16, c_dim=vocab.dim, z_dim=8, w_dim=16, embed_dim=8, mapping_layers=2,
                          channel_base=128, channel_max=16)
    generator = Generator(cfg).eval()
    with torch.no_grad():
        for name, tensor in generator.state_dict().items():
            if name.endswith("noise_strength"):
                tensor.fill_(0.3)
            elif name.endswith("bias") or name.endswith("w_avg"):
                tensor.copy_(torch.randn_like(tensor) * 0.2 + tensor)
    return generator


def golden_seed_values() -> dict:
    cases = []
    for seed in GOLDEN_SEEDS:
        z = seed_to_z(seed, 9)
        cases.append({
            "seed": seed,
            "uniform_bits": [mix32(mix32(seed ^ 0x9E3779B9) + i) for i in range(4)],
            "uniforms": [float(u) for u in uniforms(seed, 4)],
            "z": [float(v) for v in z],
            "z_bits": [int(b) for b in z.view(np.uint32)],
        })
    return {"definition": "avatargan.seeds / lib/latent/seed.ts", "cases": cases}


RANDOM_TAG_CHOICES = [{}, {"hair": "red hair"}, {"eyes": "green eyes", "tags": ""}]


def golden_random_tags() -> dict:
    vocab = tiny_vocabulary()
    cases = [{"seed": seed, "z_dim": 8, "choices": choices, "tags": vocab.tags_for_seed(seed, choices, 8)}
             for seed in [0, 1, 2, 3, 42, 4294967295] for choices in RANDOM_TAG_CHOICES]
    return {"definition": "TagVocabulary.tags_for_seed / lib/latent/randomTags.ts", "vocab": vocab.to_json(),
            "cases": cases}


def write_fixtures(root: str | Path) -> list[Path]:
    root = Path(root)
    written = []
    golden = root / "golden" / "seeds.json"
    golden.parent.mkdir(parents=True, exist_ok=True)
    golden.write_text(json.dumps(golden_seed_values(), indent=1) + "\n")
    written.append(golden)

    (root / "golden" / "random_tags.json").write_text(json.dumps(golden_random_tags(), indent=1) + "\n")
    written.append(root / "golden" / "random_tags.json")
    vocab = tiny_vocabulary()
    generator = tiny_generator(vocab)
    (root / "golden" / "vocab.json").write_text(json.dumps(vocab.to_json(), indent=1) + "\n")
    written.append(root / "golden" / "vocab.json")
    for folder_name, float16 in (("tiny-generator", False), ("tiny-generator-f16", True)):
        folder = root / folder_name
        export_generator(generator, vocab, folder, name=folder_name, float16=float16,
                         training={"note": "random weights: a parity fixture, not a trained model"})
        pipe = AvatarPipeline.from_pretrained(folder)  # parity is against what was written, as the browser reads it
        cases = []
        for case in TINY_CASES:
            image = pipe.generate_float([case["seed"]], case["tags"], case["psi"])
            cases.append({**case,
                          "c": vocab.encode(case["tags"]).tolist(),
                          "image_nhwc": [round(float(v), 6) for v in image.permute(0, 2, 3, 1).flatten()],
                          "uint8_nhwc": to_uint8(image).flatten().tolist()})
        (folder / "parity.json").write_text(json.dumps({"noise_mode": "const", "cases": cases}) + "\n")
        written += [folder / "model.json", folder / "parity.json"]
    return written
