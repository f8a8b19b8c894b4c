"""What every model card shares: how a training-section value reads as card text."""

from __future__ import annotations


def percent(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def card_value(value) -> str:
    """A training-section value as card text: a list (hardware of several ranks) reads as prose,
    not as a Python literal."""
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
