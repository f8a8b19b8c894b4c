"""The tag vocabulary: ordered groups of tags, and the condition vector c built from them.

An exclusive group (hair colour, eye colour) is one-hot inside c; an independent tag is
one bit. Every tag carries a prior, its frequency in the training set, so a UI can draw
"Random" per group the way MakeGirlsMoe does. The JSON form travels inside model.json and
is read by lib/latent/vocab.ts; tag names use Danbooru spelling with spaces.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

# A group's choice in tags_for_seed: draw it from the priors, or leave it empty (independent tags).
RANDOM = "__random__"
NONE = ""

COLOURS = (
    "aqua", "black", "blonde", "blue", "brown", "gray", "green", "grey", "orange",
    "pink", "purple", "red", "silver", "white", "yellow",
)
# Danbooru colour tags that form one-hot groups: "<colour> hair" and "<colour> eyes".
EXCLUSIVE_SUFFIXES = {"hair": " hair", "eyes": " eyes"}


@dataclass(frozen=True)
class Tag:
    name: str
    prior: float  # frequency in the training set (within its group when exclusive)


@dataclass(frozen=True)
class TagGroup:
    name: str
    exclusive: bool
    tags: tuple[Tag, ...]


class TagVocabulary:
    """Ordered tag groups; c is the concatenation of the groups' slots in order."""

    def __init__(self, groups: Sequence[TagGroup]):
        self.groups = tuple(groups)
        self.names = [tag.name for group in self.groups for tag in group.tags]
        if len(set(self.names)) != len(self.names):
            raise ValueError("tag vocabulary names a tag twice")
        if not self.names:
            raise ValueError("tag vocabulary is empty")
        self._index = {name: i for i, name in enumerate(self.names)}
        self._group_of = {tag.name: group for group in self.groups for tag in group.tags}

    @property
    def dim(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        if name not in self._index:
            raise KeyError(f"tag {name!r} is not in the vocabulary ({', '.join(self.names)})")
        return self._index[name]

    def group(self, name: str) -> TagGroup:
        for group in self.groups:
            if group.name == name:
                return group
        raise KeyError(f"no tag group {name!r}; groups are {', '.join(g.name for g in self.groups)}")

    def group_of(self, tag: str) -> TagGroup:
        self.index(tag)  # raises a KeyError that lists the vocabulary
        return self._group_of[tag]

    def group_slices(self) -> list[tuple[TagGroup, slice]]:
        out, start = [], 0
        for group in self.groups:
            out.append((group, slice(start, start + len(group.tags))))
            start += len(group.tags)
        return out

    def encode(self, tags: Iterable[str], strict: bool = True) -> np.ndarray:
        """Multi-hot c for a list of tag names. Unknown tags raise (or are ignored if not strict)."""
        c = np.zeros(self.dim, dtype=np.float32)
        seen: dict[str, str] = {}
        for name in tags:
            if name not in self._index:
                if strict:
                    self.index(name)
                continue
            group = self._group_of[name]
            if group.exclusive and seen.get(group.name, name) != name:
                raise ValueError(f"tags {seen[group.name]!r} and {name!r} are both in exclusive group {group.name!r}")
            seen[group.name] = name
            c[self._index[name]] = 1.0
        return c

    def decode(self, c: np.ndarray, threshold: float = 0.5) -> list[str]:
        """Tag names of c: the argmax of each exclusive group, independent tags above threshold."""
        c = np.asarray(c, dtype=np.float32)
        out = []
        for group, span in self.group_slices():
            values = c[span]
            if group.exclusive:
                if values.max() > 0:
                    out.append(group.tags[int(values.argmax())].name)
            else:
                out.extend(tag.name for tag, v in zip(group.tags, values) if v >= threshold)
        return out

    def sample(self, rng: np.random.Generator, fixed: Mapping[str, str] | None = None) -> list[str]:
        """Tags drawn from the priors, group by group; `fixed` maps group name -> tag to keep."""
        fixed = dict(fixed or {})
        out = []
        for group in self.groups:
            if group.name in fixed:
                out.append(fixed[group.name])
                continue
            priors = np.array([t.prior for t in group.tags], dtype=np.float64)
            if group.exclusive:
                p = priors / priors.sum() if priors.sum() > 0 else np.full(len(priors), 1 / len(priors))
                out.append(group.tags[int(rng.choice(len(group.tags), p=p))].name)
            else:
                out.extend(t.name for t, prior in zip(group.tags, priors) if rng.random() < prior)
        return out

    def draw(self, next_uniform: Callable[[], float]) -> list[str]:
        """Tags for every group from a stream of uniforms in (0, 1): one per exclusive group
        (inverse CDF of the priors), one per independent tag. Mirrors lib/latent/vocab.ts sampleTags."""
        out = []
        for group in self.groups:
            if group.exclusive:
                out.append(group.tags[_pick_index([t.prior for t in group.tags], next_uniform())].name)
            else:
                out.extend(t.name for t in group.tags if next_uniform() < t.prior)
        return out

    def tags_for_seed(self, seed: int, choices: Mapping[str, str], z_dim: int) -> list[str]:
        """The workbench's tags for a seed: groups chosen RANDOM (the default) are drawn from the
        seed's uniform stream after the numbers z uses; others are fixed or NONE. A shared
        definition with lib/latent/randomTags.ts (golden file test/fixtures/golden/random_tags.json)."""
        from .seeds import uniforms

        skip = z_dim + (z_dim % 2)
        stream = iter(uniforms(seed, skip + self.dim)[skip:].tolist())
        drawn = self.draw(lambda: next(stream))
        tags = []
        for group in self.groups:
            choice = choices.get(group.name, RANDOM)
            if choice == RANDOM:
                tags.extend(t for t in drawn if self._group_of[t] is group)
            elif choice != NONE:
                if self._group_of.get(choice) is not group:
                    raise ValueError(f"tag {choice!r} is not in group {group.name!r}")
                tags.append(choice)
        return tags

    def to_json(self) -> dict:
        return {
            "groups": [
                {
                    "name": g.name,
                    "exclusive": g.exclusive,
                    "tags": [{"name": t.name, "prior": round(float(t.prior), 6)} for t in g.tags],
                }
                for g in self.groups
            ]
        }

    @classmethod
    def from_json(cls, data: Mapping) -> "TagVocabulary":
        try:
            groups = [
                TagGroup(
                    name=str(g["name"]),
                    exclusive=bool(g["exclusive"]),
                    tags=tuple(Tag(str(t["name"]), float(t["prior"])) for t in g["tags"]),
                )
                for g in data["groups"]
            ]
        except (KeyError, TypeError) as err:
            raise ValueError(f"tag vocabulary JSON is malformed: missing or wrong field {err}") from err
        return cls(groups)

    @classmethod
    def from_tag_lists(cls, tag_lists: Sequence[Sequence[str]], order: Sequence[str] | None = None) -> "TagVocabulary":
        """Derive groups and priors from the tags of a data set.

        "<colour> hair" and "<colour> eyes" become exclusive groups; every other tag is an
        independent bit in a group named "tags". Tags are sorted by name inside a group.
        """
        counts = Counter(tag for tags in tag_lists for tag in set(tags))
        total = max(len(tag_lists), 1)
        grouped: dict[str, list[str]] = {}
        for name in sorted(counts):
            grouped.setdefault(exclusive_group_of(name) or "tags", []).append(name)
        order = list(order or [*EXCLUSIVE_SUFFIXES, "tags"])
        groups = []
        for group_name in sorted(grouped, key=lambda g: order.index(g) if g in order else len(order)):
            names = grouped[group_name]
            exclusive = group_name in EXCLUSIVE_SUFFIXES
            in_group = sum(counts[n] for n in names) if exclusive else total
            groups.append(TagGroup(group_name, exclusive, tuple(Tag(n, counts[n] / max(in_group, 1)) for n in names)))
        return cls(groups)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TagVocabulary) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        parts = [f"{g.name}{'*' if g.exclusive else ''}[{len(g.tags)}]" for g in self.groups]
        return f"TagVocabulary({', '.join(parts)})"


def _pick_index(weights: Sequence[float], u: float) -> int:
    """Index drawn by inverting the cumulative distribution of `weights` at u (float64, in order)."""
    total = sum(weights)
    probs = [w / total for w in weights] if total > 0 else [1 / len(weights)] * len(weights)
    cumulative, last_possible = 0.0, 0
    for i, p in enumerate(probs):
        if p <= 0:
            continue
        cumulative += p
        last_possible = i
        if u < cumulative:
            return i
    return last_possible  # u beyond a cumulative sum that rounded below 1


def exclusive_group_of(tag: str) -> str | None:
    """'blonde hair' -> 'hair', 'red eyes' -> 'eyes', 'long hair' -> None."""
    for group, suffix in EXCLUSIVE_SUFFIXES.items():
        if tag.endswith(suffix) and tag[: -len(suffix)] in COLOURS:
            return group
    return None
