"""Reading config dataclasses back from plain dicts (checkpoints, model.json), one way everywhere."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Mapping, TypeVar

T = TypeVar("T")


def check_fields(cls: type, data: Mapping[str, Any], what: str) -> None:
    """Reject fields `cls` does not have: a config from a newer or different model must not load silently."""
    unknown = set(data) - {f.name for f in fields(cls)}
    if unknown:
        raise ValueError(f"{what} has unknown fields: {', '.join(sorted(unknown))}")


def config_from_dict(cls: type[T], data: Mapping[str, Any], what: str) -> T:
    check_fields(cls, data, what)
    return cls(**data)
