"""The exported model format: public/weights/<name>/model.json + binary shards.

model.json = {format, version, kind, name, config, tags, training, weightsManifest}. The
weightsManifest is the standard tf.js layout (groups of shard paths and tensor specs), so
tf.io.loadWeights / decodeWeights read it; float16 storage uses tf.js's `quantization`
field. Tensor names are the PyTorch state_dict keys. lib/gan/modelFile.ts is the reader in
the browser and applies the same checks.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Mapping

import numpy as np

FORMAT = "avatargan"
VERSION = 1
KINDS = ("generator", "upscaler", "tagger")
SHARD_BYTES = 4 * 1024 * 1024  # tf.js's default shard size; keeps each fetch small


class ModelFileError(ValueError):
    """A model.json or its shards are unusable; the message names the problem."""


def write_model(folder: str | Path, kind: str, config: Mapping, tensors: Mapping[str, np.ndarray], *,
                name: str, tags: Mapping | None = None, training: Mapping | None = None,
                float16: bool = False) -> Path:
    """Write model.json and shards for `tensors` (name -> float32 array) into `folder`."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("group1-shard*.bin"):
        old.unlink()
    specs, blobs = [], []
    for key, value in tensors.items():
        array = np.array(value, dtype=np.float32, order="C")  # keeps 0-d shapes, unlike ascontiguousarray
        spec = {"name": key, "shape": list(array.shape), "dtype": "float32"}
        if float16:
            spec["quantization"] = {"dtype": "float16", "original_dtype": "float32"}
            array = array.astype("<f2")
        else:
            array = array.astype("<f4")
        specs.append(spec)
        blobs.append(array.tobytes())
    data = b"".join(blobs)
    shard_count = max(1, -(-len(data) // SHARD_BYTES))
    paths = []
    for i in range(shard_count):
        path = f"group1-shard{i + 1}of{shard_count}.bin"
        (folder / path).write_bytes(data[i * SHARD_BYTES:(i + 1) * SHARD_BYTES])
        paths.append(path)
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "name": name,
        "config": dict(config),
        "tags": dict(tags) if tags is not None else None,
        "training": dict(training or {}),
        "sha256": hashlib.sha256(data).hexdigest(),
        "weightsManifest": [{"paths": paths, "weights": specs}],
    }
    (folder / "model.json").write_text(json.dumps(meta, indent=1) + "\n")
    return folder / "model.json"


def read_model(folder: str | Path, kind: str | None = None) -> tuple[dict, dict[str, np.ndarray]]:
    """Read model.json and its shards; returns (meta, name -> float32 array). Checks everything."""
    folder = Path(folder)
    path = folder / "model.json" if folder.is_dir() else folder
    folder = path.parent
    if not path.exists():
        raise ModelFileError(f"{path}: no model.json here; export a model with `python -m avatargan export`")
    try:
        meta = json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise ModelFileError(f"{path}: not valid JSON ({err})") from err
    check_meta(meta, str(path), kind)
    data = b""
    for group in meta["weightsManifest"]:
        for shard in group["paths"]:
            shard_path = folder / shard
            if not shard_path.exists():
                raise ModelFileError(f"{path}: weight shard {shard} is missing")
            data += shard_path.read_bytes()
    if meta.get("sha256") and hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise ModelFileError(f"{path}: weight shards do not match the sha256 in model.json (corrupt or mixed files)")
    tensors, offset = {}, 0
    for spec in (s for group in meta["weightsManifest"] for s in group["weights"]):
        if spec.get("dtype") != "float32":
            raise ModelFileError(f"{path}: tensor {spec.get('name')!r} has dtype {spec.get('dtype')!r}; only float32 is supported")
        stored = "<f2" if spec.get("quantization", {}).get("dtype") == "float16" else "<f4"
        count = int(np.prod(spec["shape"])) if spec["shape"] else 1
        size = count * np.dtype(stored).itemsize
        if offset + size > len(data):
            raise ModelFileError(f"{path}: shards end before tensor {spec['name']!r} (truncated download?)")
        tensors[spec["name"]] = np.frombuffer(data, stored, count, offset).astype(np.float32).reshape(spec["shape"])
        offset += size
    if offset != len(data):
        raise ModelFileError(f"{path}: shards hold {len(data) - offset} bytes more than the manifest describes")
    return meta, tensors


def check_meta(meta: object, where: str, kind: str | None = None) -> None:
    if not isinstance(meta, dict):
        raise ModelFileError(f"{where}: model.json must be a JSON object")
    if meta.get("format") != FORMAT:
        raise ModelFileError(f"{where}: format is {meta.get('format')!r}, expected {FORMAT!r}")
    if meta.get("version") != VERSION:
        raise ModelFileError(f"{where}: version {meta.get('version')!r} is not supported (this reader knows {VERSION})")
    if meta.get("kind") not in KINDS:
        raise ModelFileError(f"{where}: kind {meta.get('kind')!r} is not one of {', '.join(KINDS)}")
    if kind is not None and meta["kind"] != kind:
        raise ModelFileError(f"{where}: is a {meta['kind']} model, expected a {kind}")
    if not isinstance(meta.get("config"), dict):
        raise ModelFileError(f"{where}: config is missing")
    manifest = meta.get("weightsManifest")
    if not isinstance(manifest, list) or not all(isinstance(g, dict) and "paths" in g and "weights" in g for g in manifest):
        raise ModelFileError(f"{where}: weightsManifest is missing or not in the tf.js layout")


def check_tensors(tensors: Mapping[str, np.ndarray], expected: Mapping[str, tuple], where: str) -> None:
    """Every expected tensor present with its shape, and nothing unexpected."""
    for key, shape in expected.items():
        if key not in tensors:
            raise ModelFileError(f"{where}: tensor {key!r} is missing")
        if tuple(tensors[key].shape) != tuple(shape):
            raise ModelFileError(f"{where}: tensor {key!r} has shape {list(tensors[key].shape)}, expected {list(shape)}")
    extra = set(tensors) - set(expected)
    if extra:
        raise ModelFileError(f"{where}: unexpected tensors {', '.join(sorted(extra))}")
