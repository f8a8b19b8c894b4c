"""How far two correct float32 evaluations of one network may differ, and comparisons that use it.

Float results legitimately differ across CPUs, kernels (AVX2, AVX-512, AMX), thread counts and
between PyTorch and tf.js: each dot product rounds in its own order. Rounding errors of a sum of
n terms grow like sqrt(n) * eps * |terms| (they are nearly independent), and a value at the end
of a network has passed through every layer's sums, so the bound used here is

    tolerance = SAFETY * eps32 * max(1, magnitude) * sqrt(accumulation)

with `accumulation` the summed fan-in of every weight tensor of the model (read from the model's
manifest, so both halves derive the same number from the same file), `magnitude` the largest
value compared, and SAFETY a margin for correlated errors. For the tiny fixture generator this
is ~1e-4, about 15x what differing CPUs show, and far below what a changed formula or a swapped
tensor does (1e-2 and up; test_export shows one). A value stored rounded (the fixtures keep 6
decimals) adds half its last digit.

The TypeScript twin is test/helpers/tolerance.ts: the same formula, constants and manifest rule.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

FLOAT32_EPS = 2.0 ** -23
SAFETY = 4.0
STORED_DECIMALS = 6  # fixtures round floats to 6 decimals
# uint8 pixels: rounding to a level can flip by one where a float sits near a level boundary.
PIXEL_LEVELS_OFF = 1
PIXEL_FRACTION_OFF = 0.02


def manifest_accumulation(model_folder: str | Path, prefix: str = "") -> int:
    """Summed fan-in (elements / output size) of the weight tensors (rank >= 2) whose names start with prefix."""
    meta = json.loads((Path(model_folder) / "model.json").read_text())
    total = 0
    for group in meta["weightsManifest"]:
        for spec in group["weights"]:
            shape = spec["shape"]
            if len(shape) >= 2 and spec["name"].startswith(prefix):
                total += math.prod(shape) // shape[0]
    return total


def float32_tolerance(accumulation: int, magnitude: float, stored_decimals: int | None = STORED_DECIMALS) -> float:
    computed = SAFETY * FLOAT32_EPS * max(1.0, magnitude) * math.sqrt(max(accumulation, 1))
    return computed + (0.5 * 10.0 ** -stored_decimals if stored_decimals is not None else 0.0)


def assert_floats_close(actual, expected, accumulation: int, what: str) -> float:
    """Raise AssertionError unless |actual - expected| <= the tolerance; returns the worst difference."""
    actual, expected = np.asarray(actual, np.float64).ravel(), np.asarray(expected, np.float64).ravel()
    assert actual.shape == expected.shape, f"{what}: {actual.shape} values, expected {expected.shape}"
    tolerance = float32_tolerance(accumulation, float(np.abs(expected).max(initial=0)))
    worst = float(np.abs(actual - expected).max(initial=0))
    assert worst <= tolerance, f"{what}: differs by {worst:.3g}, more than the float32 tolerance {tolerance:.3g}"
    return worst


def assert_pixels_close(actual, expected, what: str) -> None:
    """uint8 images agree when no value is more than 1 level off and at most 2 % of values are off at all."""
    actual, expected = np.asarray(actual, np.int64).ravel(), np.asarray(expected, np.int64).ravel()
    assert actual.shape == expected.shape, f"{what}: {actual.shape} values, expected {expected.shape}"
    off = np.abs(actual - expected)
    assert off.max(initial=0) <= PIXEL_LEVELS_OFF, f"{what}: a value is {off.max()} levels off (at most 1 may be)"
    fraction = float((off > 0).mean()) if off.size else 0.0
    assert fraction <= PIXEL_FRACTION_OFF, f"{what}: {fraction:.1%} of values are off by one (at most 2 % may be)"


def assert_json_close(actual, expected, accumulation: int, where: str = "$") -> None:
    """Same structure, equal strings, integers and booleans; float lists within the float32 tolerance."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), f"{where}: keys differ"
        for key in expected:
            assert_json_close(actual[key], expected[key], accumulation, f"{where}.{key}")
    elif isinstance(expected, list) and expected and all(isinstance(v, float) for v in expected):
        assert isinstance(actual, list), f"{where}: expected a list of numbers"
        assert_floats_close(actual, expected, accumulation, where)
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: lists differ in length"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_json_close(a, e, accumulation, f"{where}[{i}]")
    elif isinstance(expected, float):
        assert_floats_close([actual], [expected], accumulation, where)
    else:
        assert actual == expected and type(actual) is type(expected), f"{where}: {actual!r} != {expected!r}"


def assert_shards_close(actual_folder: str | Path, expected_folder: str | Path, accumulation: int) -> None:
    """Two exported float32 models hold the same tensors within the tolerance (weights computed by
    folding, e.g. BatchNorm into a conv, round per CPU like any other float)."""
    from avatargan.export import read_model

    _, actual = read_model(actual_folder)
    _, expected = read_model(expected_folder)
    assert actual.keys() == expected.keys(), "tensor names differ"
    for name in expected:
        assert_floats_close(actual[name], expected[name], accumulation, f"tensor {name}")
