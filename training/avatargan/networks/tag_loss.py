"""The loss of a head that reads tags: a softmax per exclusive group, a sigmoid per independent tag.

Shared by the tagger and the discriminator's auxiliary classifier, so both read a label row
the same way: rows with no tag in an exclusive group (an unlabelled colour) are ignored there.
"""

from __future__ import annotations

from typing import Sequence

import torch
import torch.nn.functional as F


def tag_loss(logits: torch.Tensor, labels: torch.Tensor, group_sizes: Sequence[int],
             exclusive: Sequence[bool]) -> torch.Tensor:
    """logits, labels [N, c_dim] -> cross-entropy summed over exclusive groups + BCE of independent tags."""
    total, start = logits.new_zeros(()), 0
    for size, is_exclusive in zip(group_sizes, exclusive):
        span, target = logits[:, start:start + size], labels[:, start:start + size]
        if is_exclusive:
            has = target.sum(dim=1) > 0
            if has.any():
                total = total + F.cross_entropy(span[has], target[has].argmax(dim=1))
        else:
            total = total + F.binary_cross_entropy_with_logits(span, target)
        start += size
    return total
