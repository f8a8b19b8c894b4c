"""A hand-made Danbooru-style source for the prepare tests: tiny images named by md5, one JSONL metadata file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from data_helpers import pattern, save

# 25 usable posts. Frequencies among them: "long hair" 13/25 = 52 % (too common), "blue eyes"
# 10/25 = 40 %, "blonde hair" 5/25 = 20 %, "red eyes" 3/25 = 12 %, "hat" 1/25 = 4 % (too rare);
# "1girl" and "school uniform" are not appearance tags.
BAND_POSTS = ([["long hair", "blue eyes", "1girl"]] * 10 + [["long hair", "blonde hair"]] * 3
              + [["blonde hair", "red eyes", "school uniform"]] * 2 + [["red eyes", "hat"]] + [["ahoge"]] * 9)
DROPPED_POSTS = [["blue eyes", "sketch"], ["blue eyes", "comic", "long hair"], ["monochrome", "greyscale", "smile"]]


def md5_of(index: int) -> str:
    return hashlib.md5(f"post-{index}".encode()).hexdigest()


def make_danbooru_source(root: Path) -> dict:
    """Writes images/ and metadata.jsonl under root; returns what was planted, for the assertions."""
    lines, planted = [], {"usable": [], "dropped": [], "corrupt": None, "untagged": None}
    posts = BAND_POSTS + DROPPED_POSTS
    for i, tags in enumerate(posts):
        md5 = md5_of(i)
        save(pattern(i, 32), root / "images" / f"{md5}.png")
        lines.append(json.dumps({"id": i, "md5": md5, "file_ext": "png", "rating": "s",
                                 "tag_string": " ".join(t.replace(" ", "_") for t in tags)}))
        planted["usable" if i < len(BAND_POSTS) else "dropped"].append(f"images/{md5}.png")
    untagged = md5_of(100)
    save(pattern(100, 32), root / "images" / f"{untagged}.png")
    lines.append(json.dumps({"id": 100, "md5": untagged, "file_ext": "png", "rating": "s", "tag_string": ""}))
    planted["untagged"] = f"images/{untagged}.png"
    corrupt = md5_of(101)
    (root / "images" / f"{corrupt}.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    lines.append(json.dumps({"id": 101, "md5": corrupt, "file_ext": "jpg", "rating": "s", "tag_string": ""}))
    planted["corrupt"] = f"images/{corrupt}.jpg"
    lines.append('{"id": 102, "md5": "0123", "tag_string": "blue_eyes"')   # malformed: cut short
    lines.append(json.dumps({"id": 103, "tag_string": "blue_eyes"}))     # no md5
    lines.append(json.dumps({"id": 104, "md5": md5_of(104), "tag_string": "red_eyes"}))  # no image file
    (root / "metadata.jsonl").write_text("\n".join(lines) + "\n")
    return planted
