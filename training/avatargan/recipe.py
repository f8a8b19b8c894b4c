"""Avatar recipes: the JSON the workbench exports with every avatar, rendered again in Python.

A recipe (lib/gan/recipe.ts) names the generator (name and sha256), the seed, the tags, psi and
the truncation centre, and the latent edits a cell applied (lib/latent/latentEdits.ts). This
module gives them the same meaning as lib/gan/latents.ts, step for step, so an avatar exported
from the browser comes out of the CLI with the same pixels:

    z: z(seed) -> perturb -> toward in z (slerp)        c: c(tags) -> conditionToward -> directions in c
    w = mapping(z, c); w = centre + psi (w - centre), centre = w_avg or the condition's mean w
    w -> toward in w (lerp) -> + directions in w -> ws; layers [mix.start, mix.end) from the mix seed

The later stages of a recipe (upscale, pixel edits) run in the browser; `render` says so when
a recipe carries them rather than pretending to apply them.
"""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import torch

from .seeds import check_seed, seed_to_z, seeds_to_z, uniforms
from .vocab import TagVocabulary

RECIPE_VERSION = 1
PNG_TEXT_KEY = "avatargan-recipe"

# Shared with lib/latent/directions.ts: the seeds and background conditions tag directions average over.
DIRECTION_SAMPLES = 64
DIRECTION_BACKGROUND_SEED = 1_000_000


class RecipeError(ValueError):
    """A recipe file that cannot be rendered, with the reason."""


# ---------------------------------------------------------------------------------------------
# Reading


def load_recipe(path: str | Path) -> dict:
    """A recipe from an exported .json file or from the text chunk of an exported .png."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise RecipeError(f"{path}: cannot read ({err.strerror or err})") from err
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        text = png_text_chunks(raw, str(path), only=PNG_TEXT_KEY).get(PNG_TEXT_KEY)
        if text is None:
            raise RecipeError(f"{path}: this PNG carries no '{PNG_TEXT_KEY}' text chunk (was it exported by the workbench?)")
    else:
        text = raw.decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise RecipeError(f"{path}: not JSON ({err.msg} at line {err.lineno})") from err
    # A per-avatar export may wrap the recipe with other fields ({"recipe": {...}, ...}).
    if isinstance(data, Mapping) and "recipe" in data and isinstance(data["recipe"], Mapping):
        data = data["recipe"]
    return check_recipe(data, str(path))


MAX_EDITS = 64  # lib/edit/ops.ts: the longest pixel-edit list a recipe may carry
MAX_INFLATED_TEXT_BYTES = 1 << 20  # a recipe is a few kB; lib/edit/png.ts caps at the same size


def _inflate_capped(data: bytes, where: str, keyword: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_INFLATED_TEXT_BYTES + 1)
    except zlib.error as err:
        raise RecipeError(f"{where}: PNG text {keyword!r} is not valid zlib data ({err})") from err
    if len(out) > MAX_INFLATED_TEXT_BYTES:
        raise RecipeError(f"{where}: PNG text {keyword!r} inflates to more than {MAX_INFLATED_TEXT_BYTES} bytes; "
                          "refusing to read it")
    return out


def png_text_chunks(data: bytes, where: str = "png", only: str | None = None) -> dict[str, str]:
    """tEXt, zTXt and iTXt chunks of a PNG as {keyword: text}; with `only`, just that keyword (the
    others are skipped without being decompressed). Compressed text is capped at 1 MiB."""
    chunks: dict[str, str] = {}
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if len(body) < length:
            raise RecipeError(f"{where}: truncated PNG chunk {kind!r}")
        pos += 12 + length
        if kind == b"IEND":
            break
        if kind not in (b"tEXt", b"zTXt", b"iTXt"):
            continue
        key_bytes, _, rest = body.partition(b"\0")
        key = key_bytes.decode("latin-1")
        if only is not None and key != only:
            continue
        if kind == b"tEXt":
            chunks[key] = rest.decode("latin-1")
        elif kind == b"zTXt":
            chunks[key] = _inflate_capped(rest[1:], where, key).decode("latin-1")
        else:
            compressed, rest = rest[0] if rest else 0, rest[2:]
            _language, _, rest = rest.partition(b"\0")
            _translated, _, value = rest.partition(b"\0")
            chunks[key] = (_inflate_capped(value, where, key) if compressed else value).decode("utf-8", errors="replace")
    return chunks


def check_recipe(data: Any, where: str = "recipe") -> dict:
    """Validate the fields this module reads; the message names the first bad one."""
    if not isinstance(data, Mapping):
        raise RecipeError(f"{where}: a recipe is a JSON object")
    if data.get("version") != RECIPE_VERSION:
        raise RecipeError(f"{where}: recipe version {data.get('version')!r} is not supported (expected {RECIPE_VERSION})")
    model = data.get("model")
    if not isinstance(model, Mapping) or not isinstance(model.get("name"), str):
        raise RecipeError(f"{where}: 'model' must be {{name, sha256}}")
    seed = data.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise RecipeError(f"{where}: 'seed' must be an integer")
    try:
        check_seed(seed)
    except ValueError as err:
        raise RecipeError(f"{where}: {err}") from err
    if not isinstance(data.get("tags"), list) or not all(isinstance(t, str) for t in data["tags"]):
        raise RecipeError(f"{where}: 'tags' must be a list of tag names")
    psi = data.get("psi")
    if not isinstance(psi, (int, float)) or isinstance(psi, bool) or not math.isfinite(psi):
        raise RecipeError(f"{where}: 'psi' must be a finite number")
    if data.get("truncation", "global") not in ("global", "condition"):
        raise RecipeError(f"{where}: 'truncation' must be 'global' or 'condition'")
    if not isinstance(data.get("latent", {}), Mapping):
        raise RecipeError(f"{where}: 'latent' must be an object")
    edits = data.get("edits", [])
    if not isinstance(edits, list) or len(edits) > MAX_EDITS:
        raise RecipeError(f"{where}: 'edits' must be a list of at most {MAX_EDITS} edits (lib/edit/ops.ts MAX_EDITS)")
    return dict(data)


# ---------------------------------------------------------------------------------------------
# Latent maths (float64 arithmetic stored as float32, as lib/latent does with Float32Arrays)


def slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """lib/latent/interpolate.ts slerp: the great circle from a to b; exact at t = 0 and 1."""
    if t == 0:
        return a.astype(np.float32)
    if t == 1:
        return b.astype(np.float32)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    na, nb = math.sqrt(float(np.sum(a64 * a64))), math.sqrt(float(np.sum(b64 * b64)))
    if na == 0 or nb == 0:
        return lerp(a, b, t)
    cos = min(1.0, max(-1.0, float(np.sum(a64 * b64)) / (na * nb)))
    omega = math.acos(cos)
    if omega < 1e-6:
        return lerp(a, b, t)
    if math.pi - omega < 1e-6:
        raise RecipeError("slerp: the vectors point in opposite directions; no unique path")
    wa, wb = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
    return (wa * a64 + wb * b64).astype(np.float32)


def lerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    a64 = a.astype(np.float64)
    return (a64 + t * (b.astype(np.float64) - a64)).astype(np.float32)


def shift_condition(vocab: TagVocabulary, c: np.ndarray, tag: str, amount: float) -> np.ndarray:
    """lib/latent/directions.ts shiftCondition: move the tag's group toward the tag's one-hot."""
    group = vocab.group_of(tag)
    i = vocab.index(tag)
    out = c.astype(np.float64)
    if not group.exclusive:
        out[i] = out[i] + amount * (1 - out[i])
        return out.astype(np.float32)
    span = dict((g.name, s) for g, s in vocab.group_slices())[group.name]
    target = np.zeros(span.stop - span.start)
    target[i - span.start] = 1
    out[span] = out[span] + amount * (target - out[span])
    return out.astype(np.float32)


def seeded_draw(vocab: TagVocabulary, seed: int) -> list[str]:
    """vocab.sampleTags(seededRandom(seed)) of lib/latent: a draw from the priors on seed's stream."""
    stream = iter(uniforms(seed, vocab.dim + len(vocab.groups)).tolist())
    return vocab.draw(lambda: next(stream))


def direction_w(generator, vocab: TagVocabulary, tag: str) -> torch.Tensor:
    """The w direction of `tag` [w_dim] as lib/latent/directions.ts defines it: mean w with the
    tag on minus mean w with it off (the group's other tags, averaged), over seeds 0..63 with
    background conditions drawn from the priors on seeds 1,000,000 + s."""
    group = vocab.group_of(tag)
    span = dict((g.name, s) for g, s in vocab.group_slices())[group.name]
    background = [vocab.encode(seeded_draw(vocab, DIRECTION_BACKGROUND_SEED + s)) for s in range(DIRECTION_SAMPLES)]
    device = generator.mapping.w_avg.device
    z = torch.from_numpy(seeds_to_z(list(range(DIRECTION_SAMPLES)), generator.cfg.z_dim)).to(device)

    def mean_w(set_slots) -> torch.Tensor:
        rows = []
        for b in background:
            c = b.copy()
            set_slots(c)
            rows.append(c)
        return generator.mapping(z, torch.from_numpy(np.stack(rows)).to(device)).mean(0)

    if group.exclusive:
        size = span.stop - span.start
        index = vocab.index(tag) - span.start

        def one_hot(k):
            def set_slots(c):
                c[span] = 0
                c[span.start + k] = 1
            return set_slots

        variants = torch.stack([mean_w(one_hot(k)) for k in range(size)])
        weights = torch.tensor([1.0 if k == index else (-1.0 / (size - 1) if size > 1 else 0.0) for k in range(size)],
                               device=device)
        return (weights[None] @ variants)[0]
    i = vocab.index(tag)
    on = mean_w(lambda c: c.__setitem__(i, 1))
    off = mean_w(lambda c: c.__setitem__(i, 0))
    return (torch.tensor([[1.0, -1.0]], device=device) @ torch.stack([on, off]))[0]


# ---------------------------------------------------------------------------------------------
# Rendering


@torch.no_grad()
def recipe_ws(pipe, recipe: Mapping) -> torch.Tensor:
    """ws [1, num_ws, w_dim] for one recipe, as lib/gan/latents.ts computes them."""
    generator, vocab = pipe.generator, pipe.vocab
    device = pipe.device
    z_dim = generator.cfg.z_dim
    latent = recipe.get("latent") or {}

    z = seed_to_z(recipe["seed"], z_dim)
    perturb = latent.get("perturb")
    if perturb and perturb["amount"] != 0:
        other = seed_to_z(perturb["seed"], z_dim).astype(np.float64)
        scale = 1 / math.sqrt(1 + perturb["amount"] ** 2)
        z = ((z.astype(np.float64) + perturb["amount"] * other) * scale).astype(np.float32)
    toward = latent.get("toward")
    toward_w = None
    if toward:
        other = seed_to_z(toward["seed"], z_dim)
        if toward.get("space", "z") == "z":
            z = slerp(z, other, toward["t"])
        else:
            toward_w = (other, toward["t"])

    c = vocab.encode(recipe["tags"])
    if latent.get("conditionToward"):
        c = lerp(c, vocab.encode(latent["conditionToward"]["tags"]), latent["conditionToward"]["t"])
    w_directions = []
    for d in latent.get("directions") or []:
        if d.get("space", "w") == "c":
            c = shift_condition(vocab, c, d["tag"], d["amount"])
        else:
            vocab.index(d["tag"])
            w_directions.append((d["tag"], d["amount"]))

    c_t = torch.from_numpy(np.asarray(c, np.float32))[None].to(device)
    centre = pipe.condition_mean_w(c_t[0]) if recipe.get("truncation") == "condition" else generator.mapping.w_avg
    psi = float(recipe["psi"])

    def map_truncated(z_row: np.ndarray) -> torch.Tensor:
        w = generator.mapping(torch.from_numpy(z_row)[None].to(device), c_t)
        return centre + (w - centre) * psi

    num_ws = generator.cfg.num_ws

    def layers(w_row: torch.Tensor) -> torch.Tensor:
        return w_row[:, None, :].repeat(1, num_ws, 1)                               # [1, num_ws, w_dim]

    if latent.get("projected"):  # the stored w stands in for mapping(z, c); exactly as found at psi 1
        stored = projected_layers(latent["projected"], num_ws, generator.cfg.w_dim).to(device)[None]
        ws = stored if psi == 1 else centre + (stored - centre) * psi
    else:
        ws = layers(map_truncated(z))
    if toward_w is not None:
        ws = ws + (layers(map_truncated(toward_w[0])) - ws) * toward_w[1]
    offset = None
    for tag, amount in w_directions:
        step = direction_w(generator, vocab, tag) * amount
        offset = step if offset is None else offset + step
    if offset is not None:
        ws = ws + offset
    mix = latent.get("mix")
    if mix and mix["start"] < mix["end"]:
        if not (0 <= mix["start"] and mix["end"] <= num_ws):
            raise RecipeError(f"mix layers [{mix['start']}, {mix['end']}) are outside this model's 0..{num_ws}")
        mixed = map_truncated(seed_to_z(mix["seed"], z_dim))
        if offset is not None:
            mixed = mixed + offset
        ws[:, mix["start"]:mix["end"]] = mixed[:, None, :]
    return ws


def projected_layers(projected: Mapping, num_ws: int, w_dim: int) -> torch.Tensor:
    """[num_ws, w_dim]: a projected w for every layer (lib/gan/latents.ts projectedLayers)."""
    space, rows = projected.get("space"), projected.get("ws")
    if space not in ("w", "w+") or not isinstance(rows, list) or not rows:
        raise RecipeError("latent.projected must be {space: 'w' | 'w+', ws: [[...], ...]}")
    if any(not isinstance(r, list) or len(r) != w_dim for r in rows):
        raise RecipeError(f"latent.projected: every row must hold {w_dim} numbers (this model's w)")
    if (space == "w" and len(rows) != 1) or (space == "w+" and len(rows) != num_ws):
        raise RecipeError(f"latent.projected: {len(rows)} rows for space {space!r}; this model needs "
                          f"{1 if space == 'w' else num_ws}")
    values = torch.tensor(rows, dtype=torch.float32)
    if not torch.isfinite(values).all():
        raise RecipeError("latent.projected: every value must be a finite number")
    return values.expand(num_ws, -1).clone() if space == "w" else values


@torch.no_grad()
def render_recipe(pipe, recipe: Mapping) -> np.ndarray:
    """The generator stage of a recipe: uint8 [R, R, 3]."""
    from .images import to_uint8

    images = pipe.generator.synthesis(recipe_ws(pipe, recipe), noise_mode="const")
    return to_uint8(images)[0]


def later_stages(recipe: Mapping) -> list[str]:
    """What the recipe asks for beyond the generator (done by the workbench, not here)."""
    stages = []
    if recipe.get("upscale"):
        stages.append(f"upscale x{recipe['upscale'].get('factor')}")
    if recipe.get("edits"):
        stages.append(f"{len(recipe['edits'])} pixel edit(s)")
    return stages


# ---------------------------------------------------------------------------------------------
# Parity fixture (test/recipe-parity.test.ts renders the same recipes with lib/gan/latents.ts)


def parity_recipes() -> list[dict]:
    """Recipes that exercise every latent edit, for the tiny fixture vocabulary."""
    base = {"version": RECIPE_VERSION, "model": {"name": "tiny-generator", "sha256": ""},
            "upscale": None, "edits": []}
    cases = [
        {"seed": 0, "tags": ["blonde hair", "green eyes"], "psi": 1.0, "truncation": "global", "latent": {}},
        {"seed": 1, "tags": ["black hair", "blue eyes"], "psi": 0.6, "truncation": "condition", "latent": {}},
        {"seed": 2, "tags": ["blonde hair"], "psi": 0.8, "truncation": "global",
         "latent": {"perturb": {"seed": 11, "amount": 0.3}}},
        {"seed": 3, "tags": ["black hair", "green eyes"], "psi": 1.0, "truncation": "global",
         "latent": {"toward": {"seed": 12, "t": 0.35, "space": "z"}}},
        {"seed": 4, "tags": ["blonde hair", "blue eyes"], "psi": 0.7, "truncation": "condition",
         "latent": {"toward": {"seed": 13, "t": 0.6, "space": "w"}}},
        {"seed": 5, "tags": ["blonde hair", "green eyes"], "psi": 1.0, "truncation": "global",
         "latent": {"conditionToward": {"tags": ["black hair", "blue eyes"], "t": 0.25}}},
        {"seed": 6, "tags": ["black hair", "blue eyes"], "psi": 0.9, "truncation": "global",
         "latent": {"directions": [{"tag": "blonde hair", "amount": 0.8}, {"tag": "green eyes", "amount": 0.5, "space": "c"}, {"tag": "smile", "amount": 0.4}]}},
        {"seed": 7, "tags": ["blonde hair", "green eyes"], "psi": 0.75, "truncation": "condition",
         "latent": {"mix": {"seed": 14, "start": 2, "end": 5}, "perturb": {"seed": 15, "amount": 0.1}}},
        # Projected faces (w_dim 16, 6 layers in the tiny generator): exact at psi 1, with a w edit and mixing.
        {"seed": 0, "tags": ["black hair", "green eyes"], "psi": 1.0, "truncation": "global",
         "latent": {"projected": {"space": "w", "ws": [_wave(16, 1)]},
                    "directions": [{"tag": "blonde hair", "amount": 0.5}], "mix": {"seed": 16, "start": 4, "end": 6}}},
        {"seed": 0, "tags": ["blonde hair", "blue eyes"], "psi": 0.8, "truncation": "condition",
         "latent": {"projected": {"space": "w+", "ws": [_wave(16, k) for k in range(2, 8)]}}},
    ]
    return [{**base, **case} for case in cases]


def _wave(dim: int, k: int) -> list[float]:
    """A fixed, exactly representable test vector (a stand-in for a projected w)."""
    return [round(2.0 * math.sin(0.7 * k + 1.3 * i), 4) for i in range(dim)]


def write_recipe_fixture(folder: str | Path, pipe) -> Path:
    """<folder>/recipes.json: each parity recipe with its ws and uint8 pixels (NHWC) from PyTorch."""
    from .images import to_uint8

    cases = []
    for recipe in parity_recipes():
        ws = recipe_ws(pipe, recipe)
        pixels = to_uint8(pipe.generator.synthesis(ws, noise_mode="const"))[0]
        cases.append({"recipe": recipe, "ws": np.round(ws[0].cpu().numpy().astype(np.float64), 7).tolist(),
                      "uint8_hwc": pixels.reshape(-1).tolist()})
    path = Path(folder) / "recipes.json"
    path.write_text(json.dumps({"note": "written by python -m avatargan export --fixtures; see training/avatargan/recipe.py",
                                "cases": cases}))
    return path
