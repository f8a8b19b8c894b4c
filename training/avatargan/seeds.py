"""seed -> z: the counter-based PRNG shared bit-for-bit with lib/latent/seed.ts.

Why our own generator instead of torch.randn: an avatar must be a pure function of
its seed in PyTorch, in the browser, and whatever the batch. torch's and tf.js's
RNGs differ, so both halves implement this tiny, documented one instead.

    mix(x)         = lowbias32 integer hash (Chris Wellons), uint32 -> uint32
    key(seed)      = mix(seed XOR 0x9E3779B9)
    bits(seed, i)  = mix((key(seed) + i) mod 2^32)
    uniform(s, i)  = (bits(s, i) + 0.5) / 2^32          # in (0, 1), exact in float64
    z[2j], z[2j+1] = Box-Muller of (uniform(s, 2j), uniform(s, 2j+1)), in float64,
                     each rounded once to float32 at the end.

Seeds are unsigned 32-bit integers. Golden values live in test/fixtures/golden/.
"""

from __future__ import annotations

import math
import re

import numpy as np

MASK32 = 0xFFFFFFFF
SEED_MAX = MASK32


def mix32(x: int) -> int:
    """lowbias32: a well-mixed 32-bit integer hash."""
    x &= MASK32
    x ^= x >> 16
    x = (x * 0x7FEB352D) & MASK32
    x ^= x >> 15
    x = (x * 0x846CA68B) & MASK32
    x ^= x >> 16
    return x


def uniforms(seed: int, count: int) -> np.ndarray:
    """`count` float64 uniforms in (0, 1) for `seed`: the stream every draw is made from."""
    check_seed(seed)
    key = mix32(seed ^ 0x9E3779B9)
    return np.array([(mix32(key + i) + 0.5) / 4294967296.0 for i in range(count)], dtype=np.float64)


def seed_to_z(seed: int, dim: int) -> np.ndarray:
    """The latent z for `seed`: a float32 vector of `dim` standard normals."""
    u = uniforms(seed, dim + (dim % 2))
    out = np.empty(len(u), dtype=np.float64)
    for j in range(0, len(u), 2):
        radius = math.sqrt(-2.0 * math.log(u[j]))
        angle = 2.0 * math.pi * u[j + 1]
        out[j] = radius * math.cos(angle)
        out[j + 1] = radius * math.sin(angle)
    return out[:dim].astype(np.float32)


def seeds_to_z(seeds: list[int], dim: int) -> np.ndarray:
    """Stack of z for several seeds: [N, dim] float32. Row i depends only on seeds[i]."""
    return np.stack([seed_to_z(s, dim) for s in seeds]) if seeds else np.zeros((0, dim), np.float32)


def check_seed(seed: int) -> int:
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or not 0 <= int(seed) <= SEED_MAX:
        raise ValueError(f"seed {seed!r} is not an integer in 0..{SEED_MAX}")
    return int(seed)


_RANGE = re.compile(r"^\s*([0-9]+)\s*(?:-\s*([0-9]+)\s*)?$")  # ASCII digits only, as in seed.ts


def parse_seeds(text: str, limit: int = 10000) -> list[int]:
    """Parse a seed list such as "0-7,12" (ranges inclusive) into a list of seeds."""
    seeds: list[int] = []
    for part in str(text).split(","):
        if not part.strip():
            continue
        match = _RANGE.match(part)
        if not match:
            raise ValueError(f"seed list {text!r}: cannot read {part.strip()!r}; write seeds like '0-7,12'")
        start = check_seed(int(match.group(1)))
        end = check_seed(int(match.group(2))) if match.group(2) else start
        if end < start:
            raise ValueError(f"seed list {text!r}: range {start}-{end} runs backwards")
        if len(seeds) + (end - start + 1) > limit:
            raise ValueError(f"seed list {text!r} names more than {limit} seeds")
        seeds.extend(range(start, end + 1))
    if not seeds:
        raise ValueError(f"seed list {text!r} names no seed")
    return seeds
