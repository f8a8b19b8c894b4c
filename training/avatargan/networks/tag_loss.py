"""The loss of a head that reads tags: a softmax per exclusive group, a sigmoid per independent tag.

Shared by the tagger and the discriminator's auxiliary classifier, so both read a label row
the same way: rows with no tag in an exclusive group (an unlabelled colour) are ignored there.
"""

from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F


def tag_loss(logits: torch.Tensor, labels: torch.Tensor, group_sizes: Sequence[int],
             exclusive: Sequence[bool], until: float = 1.0) -> torch.Tensor:
    """logits, labels [N, c_dim] -> cross-entropy summed over exclusive groups + BCE of independent tags.

    `until` < 1 drops the terms of samples whose labelled tag already has at least that
    probability (per group, or per independent tag): a generator is then pushed only where the
    head misreads it, not further toward each tag's most typical face.
    """
    total, start = logits.new_zeros(()), 0
    for size, is_exclusive in zip(group_sizes, exclusive):
        span, target = logits[:, start:start + size], labels[:, start:start + size]
        if is_exclusive:
            has = target.sum(dim=1) > 0
            if has.any():
                losses = F.cross_entropy(span[has], target[has].argmax(dim=1), reduction="none")   # [M]
                total = total + _kept_mean(losses, until, len(losses))
        else:
            losses = F.binary_cross_entropy_with_logits(span, target, reduction="none")          # [N, size]
            total = total + _kept_mean(losses, until, losses.numel())
        start += size
    return total


def _kept_mean(losses: torch.Tensor, until: float, count: int) -> torch.Tensor:
    """Mean of the losses whose probability of the right answer, exp(-loss), is below `until`.
    Divided by all `count` terms, so the push shrinks as fewer samples are wrong."""
    if until >= 1.0:
        return losses.mean()
    keep = (torch.exp(-losses.detach()) < until).to(losses.dtype)
    return (losses * keep).sum() / count
