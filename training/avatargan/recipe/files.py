"""Recipe files: the JSON the workbench exports, alone or in a PNG text chunk, read and checked."""

from __future__ import annotations
import json
import math
import zlib
from pathlib import Path
from typing import Any, Mapping

from ..seeds import check_seed

RECIPE_VERSION = 1
PNG_TEXT_KEY = "avatargan-recipe"


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


MAX_EDITS = 64  # lib/recipe/editOps.ts: the longest pixel-edit list a recipe may carry
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
        raise RecipeError(f"{where}: 'edits' must be a list of at most {MAX_EDITS} edits (lib/recipe/editOps.ts MAX_EDITS)")
    return dict(data)
