"""The facade over the shipped models: the CLI, the tests and the scripts start here.

    pipe = AvatarPipeline.from_pretrained("public/weights/generator")
    images = pipe.generate(seeds=[0, 1, 2], tags=["blonde hair", "red eyes"], psi=0.7)  # uint8 NHWC

    upscaler, meta = load_upscaler("public/weights/upscaler")
    tagger, vocab, meta = load_tagger("public/weights/tagger")

    kind, model = load_model("public/weights/tagger")   # any kind, as model.json says

Each kind lives in avatargan/models/ (load, run, export); this module only gathers them.
"""

from __future__ import annotations

import json
from pathlib import Path

from .models.generator import AvatarPipeline, export_generator, generator_shapes
from .models.tagger import export_tagger, load_tagger, predict
from .models.upscaler import export_upscaler, load_upscaler, upscale_uint8

__all__ = ["AvatarPipeline", "export_generator", "export_tagger", "export_upscaler", "generator_shapes",
           "load_model", "load_tagger", "load_upscaler", "predict", "upscale_uint8"]


def load_model(folder: str | Path) -> tuple[str, object]:
    """(kind, model) for any exported model: an AvatarPipeline, an Upscaler or a FoldedTagger,
    as the folder's model.json declares. The loaders check the files in full."""
    path = Path(folder)
    path = path if path.suffix == ".json" else path / "model.json"
    try:
        kind = json.loads(path.read_text()).get("kind")
    except (OSError, ValueError, AttributeError) as err:
        raise ValueError(f"{path}: cannot read the model kind ({err}); export a model with `python -m avatargan export`") from err
    if kind == "generator":
        return kind, AvatarPipeline.from_pretrained(path.parent)
    if kind == "upscaler":
        return kind, load_upscaler(path.parent)[0]
    if kind == "tagger":
        return kind, load_tagger(path.parent)[0]
    raise ValueError(f"{path}: kind {kind!r} is not a model this package knows (generator, upscaler, tagger)")
