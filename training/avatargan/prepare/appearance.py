"""Which tags describe how a character looks (kept), and which mark a picture unfit to learn from (dropped).

Danbooru spelling with spaces. A tag is an appearance tag when it is listed here, ends with one
of APPEARANCE_SUFFIXES ("long hair", "blue eyes", "cat ears") without starting with an action
("hand in hair"), or is in the user's extra list.
"""

from __future__ import annotations

from pathlib import Path

APPEARANCE_SUFFIXES = (" hair", " eyes", " ears", " horns", " eyebrows", " pupils", " bangs", " hairband")
ACTION_PREFIXES = ("hand in ", "hands in ", "holding ", "adjusting ", "playing with ", "grabbing ", "touching ",
                   "covering ", "wiping ", "pulling ", "tying ")

APPEARANCE_TAGS = frozenset({
    # hair style
    "ahoge", "bangs", "blunt bangs", "swept bangs", "sidelocks", "twintails", "ponytail", "side ponytail",
    "braid", "twin braids", "french braid", "hair bun", "double bun", "drill hair", "twin drills", "hime cut",
    "bob cut", "messy hair", "hair between eyes", "hair over one eye", "hair over shoulder", "multicolored hair",
    "two-tone hair", "gradient hair", "streaked hair", "hair intakes", "antenna hair",
    # eyes and face
    "heterochromia", "slit pupils", "heart-shaped pupils", "eyelashes", "tsurime", "tareme", "freckles", "mole",
    "mole under eye", "facial mark", "scar", "fang", "fangs", "makeup", "lipstick", "eyeshadow", "dark skin",
    # expression
    "smile", "grin", "smirk", "blush", "open mouth", "closed mouth", "closed eyes", "one eye closed", "wink",
    "tears", "crying", "angry", "frown", "pout", "surprised", "sad", "expressionless", "serious", "sleepy",
    "embarrassed", "parted lips", "teeth", "tongue out", ":d", ":o", ":3", ";d", "^ ^", "sweatdrop", "nose blush",
    # accessories worn on the head or face
    "glasses", "sunglasses", "semi-rimless eyewear", "round eyewear", "eyepatch", "mask", "hat", "beret",
    "witch hat", "cap", "baseball cap", "hood", "hood up", "crown", "tiara", "helmet", "headphones", "headband",
    "hairband", "headdress", "maid headdress", "hair ornament", "hairclip", "hair flower", "hair ribbon",
    "hair bow", "hair tie", "hairpin", "ribbon", "bow", "earrings", "choker", "collar", "halo", "horns",
    "animal ears", "cat ears", "fox ears", "wolf ears", "rabbit ears", "pointy ears", "elf",
})

# Pictures drawn in a way the generator should not learn from: black and white, unfinished, paneled.
DROP_TAGS = frozenset({
    "sketch", "comic", "monochrome", "greyscale", "grayscale", "lineart", "4koma", "manga", "doujinshi",
    "partially colored", "spot color", "halftone", "screentones", "unfinished", "rough", "photo", "3d",
    "traditional media sketch", "text-only page",
})


def is_appearance_tag(tag: str, extra: frozenset[str] = frozenset()) -> bool:
    if tag in APPEARANCE_TAGS or tag in extra:
        return True
    return tag.endswith(APPEARANCE_SUFFIXES) and not tag.startswith(ACTION_PREFIXES)


def read_tag_list(path: str | Path) -> list[str]:
    """Tags from a file, one per line or comma-separated; '#' starts a comment."""
    from ..data.importers import normalise_tag

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"tag list {path} does not exist (one tag per line, '#' for comments)")
    tags = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for tag in line.split("#", 1)[0].split(","):
            if (name := normalise_tag(tag)) and name not in tags:
                tags.append(name)
    return tags
