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
from .recipe import write_recipe_fixture
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


class FixtureRandom:
    """Random fixture weights that are the same on every CPU: numpy's generators are specified
    bit for bit, while torch.randn's vectorised kernels round differently per instruction set
    (AVX2, AVX-512, none), which would make the committed fixtures depend on the machine."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def normal(self, like: torch.Tensor) -> torch.Tensor:
        return torch.from_numpy(self.rng.standard_normal(like.shape).astype(np.float32))

    def uniform(self, like: torch.Tensor) -> torch.Tensor:
        return torch.from_numpy(self.rng.random(like.shape).astype(np.float32))


def tiny_generator(vocab: TagVocabulary, seed: int = 0) -> Generator:
    """A 16 px generator with every parameter and buffer non-trivial, so parity covers them all."""
    cfg = GeneratorConfig(resolution=16, c_dim=vocab.dim, z_dim=8, w_dim=16, embed_dim=8, mapping_layers=2,
                          channel_base=128, channel_max=16)
    generator = Generator(cfg).eval()
    random = FixtureRandom(seed)
    with torch.no_grad():
        for name, tensor in generator.state_dict().items():
            if name.endswith("noise_strength"):
                tensor.fill_(0.3)
            elif name.endswith("bias") or name.endswith("w_avg"):
                tensor.add_(random.normal(tensor) * 0.2)   # around the constructor's init (1 for style biases)
            elif name.startswith("mapping.fc") and name.endswith("weight"):
                tensor.copy_(random.normal(tensor) / cfg.mapping_lr_multiplier)  # stored unscaled, as the constructor does
            else:
                tensor.copy_(random.normal(tensor))        # weights, constants, noise: N(0, 1) as the constructor draws them
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
    written += write_upscaler_fixture(root)
    written += write_condition_mean_fixture(root / "tiny-generator")
    written += write_tagger_fixture(root / "tiny-tagger")
    written.append(write_recipe_fixture(root / "tiny-generator", AvatarPipeline.from_pretrained(root / "tiny-generator")))
    return written


def tiny_upscaler(seed: int = 0):
    """A 2-layer upscaler with every weight random (the tail too, which training starts at zero)."""
    from .networks.upscaler import Upscaler, UpscalerConfig

    model = Upscaler(UpscalerConfig(channels=6, body_layers=2)).eval()
    random = FixtureRandom(seed)
    with torch.no_grad():
        for tensor in model.state_dict().values():
            tensor.copy_(random.normal(tensor) * 0.15)
    return model


def write_upscaler_fixture(root: str | Path) -> list[Path]:
    """tiny-upscaler/: model.json + parity.json (a 13x10 input and its x2 and x4, as PyTorch computes them)."""
    from .pipeline import export_upscaler, load_upscaler

    folder = Path(root) / "tiny-upscaler"
    export_upscaler(tiny_upscaler(), folder, name="tiny-upscaler",
                    training={"note": "random weights: a parity fixture, not a trained model"})
    model, _ = load_upscaler(folder)  # parity is against what was written, as the browser reads it
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (1, 13, 10, 3), dtype=np.uint8)  # odd, non-square: tiles do not divide it
    from .images import from_uint8

    with torch.no_grad():
        x = torch.from_numpy(from_uint8(pixels))
        outputs = {f"x{f}_nhwc": [round(float(v), 6) for v in model.upscale(x, f).permute(0, 2, 3, 1).flatten()]
                   for f in (2, 4)}
    parity = {"input_uint8_nhwc": pixels.flatten().tolist(), "height": 13, "width": 10, **outputs}
    (folder / "parity.json").write_text(json.dumps(parity) + "\n")
    return [folder / "model.json", folder / "parity.json"]


CONDITION_MEAN_CASES = [
    {"seed": 3, "tags": ["red hair", "green eyes"], "psi": 0.5},
    {"seed": 11, "tags": ["blonde hair", "blue eyes", "smile"], "psi": 0.0},
]


def write_condition_mean_fixture(folder: Path) -> list[Path]:
    """Truncation per condition on the tiny generator (lib/gan/latentSpace.ts must agree):
    the condition's mean w (condition_mean_w, 256 seeds from 0) and images truncated toward it."""
    pipe = AvatarPipeline.from_pretrained(folder)
    cases = []
    for case in CONDITION_MEAN_CASES:
        c = torch.from_numpy(pipe.vocab.encode(case["tags"]))
        mean_w = pipe.generator.condition_mean_w(c)
        image = pipe.generate_float([case["seed"]], case["tags"], case["psi"], per_condition_truncation=True)
        cases.append({**case, "mean_w": [round(float(v), 7) for v in mean_w],
                      "image_nhwc": [round(float(v), 6) for v in image.permute(0, 2, 3, 1).flatten()]})
    path = folder / "condition_mean.json"
    path.write_text(json.dumps({"samples": 256, "first_seed": 0, "cases": cases}) + "\n")
    return [path]


def tiny_tagger(vocab: TagVocabulary, seed: int = 0):
    """A 16 px tagger with non-trivial BatchNorm statistics, so the folding is covered too."""
    from .networks.tagger import Tagger, TaggerConfig

    tagger = Tagger(TaggerConfig.for_vocab(vocab, resolution=16, channels=[4, 8, 8])).eval()
    random = FixtureRandom(seed)
    with torch.no_grad():
        for name, tensor in tagger.state_dict().items():
            if name.endswith("running_var"):
                tensor.copy_(random.uniform(tensor) + 0.5)
            elif name.endswith("running_mean") or name.endswith("bias"):
                tensor.copy_(random.normal(tensor) * 0.2)
            elif tensor.dim() == 1 and name.endswith("weight"):  # BatchNorm scales
                tensor.copy_(random.uniform(tensor) + 0.5)
            elif tensor.dim() == 4:  # He-scaled convs, so activations (and logits) differ per image
                tensor.copy_(random.normal(tensor) * (2.0 / tensor[0].numel()) ** 0.5)
            elif name == "head.weight":
                tensor.copy_(random.normal(tensor) * 2.0)
            elif tensor.is_floating_point() and tensor.dim() >= 2:
                tensor.copy_(random.normal(tensor) * (1.0 / tensor[0].numel()) ** 0.5)
    return tagger


def write_tagger_fixture(folder: Path) -> list[Path]:
    """tiny-tagger/: the tiny tagger as the browser reads it, and its logits and probabilities for
    uint8 images of the native size (16), a larger one (24: antialiased downscale) and a smaller one (12)."""
    from .images import from_uint8
    from .pipeline import export_tagger, load_tagger

    vocab = tiny_vocabulary()
    export_tagger(tiny_tagger(vocab), vocab, folder, name="tiny-tagger",
                  training={"note": "random weights: a parity fixture, not a trained model"})
    model, _, _ = load_tagger(folder)  # parity is against what was written, as the browser reads it
    rng = np.random.default_rng(0)
    cases = []
    for size in (16, 24, 12):
        pixels = rng.integers(0, 256, size=(2, size, size, 3), dtype=np.uint8)  # [N, H, W, 3]
        with torch.no_grad():
            logits = model(torch.from_numpy(from_uint8(pixels)))
            probs = model.probabilities(logits)
        cases.append({"size": size, "pixels_nhwc": pixels.flatten().tolist(),
                      "logits": [round(float(v), 6) for v in logits.flatten()],
                      "probabilities": [round(float(v), 6) for v in probs.flatten()]})
    path = folder / "parity.json"
    path.write_text(json.dumps({"cases": cases}) + "\n")
    return [folder / "model.json", path]
