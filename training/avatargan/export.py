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
from typing import Callable, Mapping

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


MAX_MODEL_BYTES = 1 << 30  # no model this project makes comes near 1 GiB; a manifest asking more is refused
ExpectedShapes = Callable[[dict], Mapping[str, tuple]]


def read_model(folder: str | Path, kind: str | None = None,
               expected: ExpectedShapes | None = None) -> tuple[dict, dict[str, np.ndarray]]:
    """Read model.json and its shards; returns (meta, name -> float32 array). Checks everything, in
    an order that bounds the work a bad file can cause: the JSON and its manifest first; then, when
    `expected(meta)` gives the tensor shapes the config implies, the manifest against them (naming a
    missing, extra or misshaped tensor); then the shards' sizes before any shard is read; then the
    bytes (sha256) and the values (every weight finite)."""
    folder = Path(folder)
    path = folder / "model.json" if folder.is_dir() else folder
    folder = path.parent
    if not path.exists():
        raise ModelFileError(f"{path}: no model.json here; export a model with `python -m avatargan export`")
    try:
        meta = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
        raise ModelFileError(f"{path}: not valid JSON ({err})") from err
    check_meta(meta, str(path), kind)
    specs = check_manifest(meta["weightsManifest"], str(path))
    if expected is not None:
        try:
            shapes = expected(meta)
        except (TypeError, ValueError) as err:
            raise ModelFileError(f"{path}: config is not usable: {err}") from err
        check_specs(specs, shapes, str(path))
    shard_paths = shard_files(meta["weightsManifest"], folder, str(path))
    need = sum(_stored_bytes(spec) for spec in specs)
    have = sum(p.stat().st_size for p in shard_paths)
    if have < need:
        name = _first_spec_beyond(specs, have)
        raise ModelFileError(f"{path}: shards end before tensor {name!r} (truncated download?): "
                             f"{have} bytes, the manifest describes {need}")
    if have > need:
        raise ModelFileError(f"{path}: shards hold {have - need} bytes more than the manifest describes")
    data = b"".join(p.read_bytes() for p in shard_paths)
    if meta.get("sha256") and hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise ModelFileError(f"{path}: weight shards do not match the sha256 in model.json (corrupt or mixed files)")
    tensors, offset = {}, 0
    for spec in specs:
        stored = _stored_dtype(spec)
        count = _element_count(spec)
        values = np.frombuffer(data, stored, count, offset).astype(np.float32).reshape(spec["shape"])
        bad = int(count - np.isfinite(values).sum())
        if bad:
            raise ModelFileError(f"{path}: tensor {spec['name']!r} holds {bad} values that are NaN or infinite: the "
                                 "weights are corrupt; export or download the model again")
        tensors[spec["name"]] = values
        offset += count * np.dtype(stored).itemsize
    return meta, tensors


def _stored_dtype(spec: dict) -> str:
    return "<f2" if spec.get("quantization") is not None else "<f4"


def _element_count(spec: dict) -> int:
    return int(np.prod(spec["shape"], dtype=np.int64)) if spec["shape"] else 1


def _stored_bytes(spec: dict) -> int:
    return _element_count(spec) * np.dtype(_stored_dtype(spec)).itemsize


def _first_spec_beyond(specs: list[dict], available: int) -> str:
    offset = 0
    for spec in specs:
        offset += _stored_bytes(spec)
        if offset > available:
            return spec["name"]
    return specs[-1]["name"] if specs else "?"


def check_manifest(manifest: list, where: str) -> list[dict]:
    """Every tensor spec well formed (name, shape, dtype float32, quantization absent or float16),
    names unique, and the total size bounded. Returns the specs in storage order."""
    specs, names, total = [], set(), 0
    for g, group in enumerate(manifest):
        if not isinstance(group["weights"], list) or not isinstance(group["paths"], list):
            raise ModelFileError(f"{where}: weightsManifest[{g}] needs lists 'paths' and 'weights'")
        for i, spec in enumerate(group["weights"]):
            at = f"weightsManifest[{g}].weights[{i}]"
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
                raise ModelFileError(f"{where}: {at} needs a 'name' (a string)")
            name = spec["name"]
            shape = spec.get("shape")
            if (not isinstance(shape, list) or len(shape) > 8
                    or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**31 for d in shape)):
                raise ModelFileError(f"{where}: tensor {name!r} needs a 'shape' of at most 8 non-negative integers, "
                                     f"got {shape!r}")
            if spec.get("dtype") != "float32":
                raise ModelFileError(f"{where}: tensor {name!r} has dtype {spec.get('dtype')!r}; only float32 is supported")
            quantization = spec.get("quantization", None)
            if "quantization" in spec and not (isinstance(quantization, dict) and quantization.get("dtype") == "float16"):
                raise ModelFileError(f"{where}: tensor {name!r} has quantization {quantization!r}; leave it out "
                                     "(float32 storage) or write {\"dtype\": \"float16\", \"original_dtype\": \"float32\"}")
            if name in names:
                raise ModelFileError(f"{where}: tensor {name!r} is listed twice")
            names.add(name)
            total += _stored_bytes(spec)
            if total > MAX_MODEL_BYTES:
                raise ModelFileError(f"{where}: the manifest describes more than {MAX_MODEL_BYTES >> 20} MiB of weights; "
                                     "refusing to read it")
            specs.append(spec)
    return specs


def check_specs(specs: list[dict], expected: Mapping[str, tuple], where: str) -> None:
    """The manifest lists exactly the tensors the config implies, each with its shape."""
    listed = {spec["name"]: tuple(spec["shape"]) for spec in specs}
    for key, shape in expected.items():
        if key not in listed:
            raise ModelFileError(f"{where}: tensor {key!r} is missing")
        if listed[key] != tuple(shape):
            raise ModelFileError(f"{where}: tensor {key!r} has shape {list(listed[key])}, expected {list(shape)}")
    extra = set(listed) - set(expected)
    if extra:
        raise ModelFileError(f"{where}: unexpected tensors {', '.join(sorted(extra))}")


def shard_files(manifest: list, folder: Path, where: str) -> list[Path]:
    """The shard files, each a plain relative name inside the model folder (no '..', no absolute
    path, no symlink out of it), and present."""
    root = folder.resolve()
    files = []
    for group in manifest:
        for shard in group["paths"]:
            if not isinstance(shard, str) or not shard or shard.startswith(("/", "\\")) or ".." in Path(shard).parts:
                raise ModelFileError(f"{where}: shard path {shard!r} must be a file name inside the model folder")
            shard_path = folder / shard
            if not shard_path.exists():
                raise ModelFileError(f"{where}: weight shard {shard} is missing")
            if root not in shard_path.resolve().parents:
                raise ModelFileError(f"{where}: shard path {shard!r} leads outside the model folder")
            files.append(shard_path)
    return files


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
