"""StyleGAN2 losses: non-saturating logistic, lazy R1, path length, style mixing, and the
optional auxiliary-classifier terms (D learns to read the tags of reals; G is asked to make
fakes that D reads as their condition).

The regularisers live here, not in the networks (as in StyleGAN2-ADA's loss.py). Lazy
terms are multiplied by their interval so that, averaged over steps, they weigh what an
every-step regulariser would.
"""

from __future__ import annotations

import math
from typing import Callable

import torch
import torch.nn.functional as F

from ..networks.discriminator import Discriminator
from ..networks.generator import Generator

Augment = Callable[[torch.Tensor], torch.Tensor]


def identity(x: torch.Tensor) -> torch.Tensor:
    return x


def generate(G: Generator, z: torch.Tensor, c: torch.Tensor, mixing_prob: float, update_w_avg: bool = False):
    """Fakes with style mixing: with probability mixing_prob, ws from cutoff on come from a second z
    under the same c, so no layer can rely on its neighbours' styles. Returns (img, ws)."""
    # The mapping MLP always runs in float32, also under bf16 autocast: it is cheap, and the
    # tracked w_avg (a float32 buffer updated by lerp) must not mix with bf16 activations.
    with torch.autocast(device_type=z.device.type, enabled=False):
        ws = G.map(z.float(), c.float(), update_w_avg=update_w_avg)              # [N, num_ws, w_dim]
    if mixing_prob > 0:
        num_ws = ws.shape[1]
        cutoff = int(torch.randint(1, num_ws, ()).item()) if num_ws > 1 else num_ws
        if torch.rand(()).item() >= mixing_prob:
            cutoff = num_ws
        if cutoff < num_ws:
            with torch.autocast(device_type=z.device.type, enabled=False):
                ws2 = G.map(torch.randn_like(z).float(), c.float())               # [N, num_ws, w_dim]
            ws = torch.cat([ws[:, :cutoff], ws2[:, cutoff:]], dim=1)
    return G.synthesis(ws, noise_mode="random"), ws


def g_main_loss(G: Generator, D: Discriminator, z, c, mixing_prob: float, augment: Augment = identity,
                class_until: float = 1.0, paired: bool = False):
    """Non-saturating logistic softplus(-D(G(z, c))), the classifier loss of the fakes against c
    (zero without a classifier head; a fake whose tag the head already gives p >= class_until
    adds nothing), and the mode-seeking loss when `paired` (the second half of the batch repeats
    the first half's conditions; else zero). Returns (adversarial, class, mode_seeking). Also
    tracks w_avg, as every G step does."""
    img, _ = generate(G, z, c, mixing_prob, update_w_avg=True)
    score, tags = D.score_and_classify(augment(img), c)
    zero = score.new_zeros((), dtype=torch.float32)
    class_loss = D.class_loss(tags, c, class_until) if tags is not None else zero
    seeking = mode_seeking_loss(img, z) if paired else zero
    return F.softplus(-score.float()).mean(), class_loss, seeking   # losses in float32 under autocast


def mode_seeking_loss(img: torch.Tensor, z: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """MSGAN (Mao et al. 2019): two latents under one condition should give images as far apart
    as the latents are. Rows i and i + N/2 share a condition; the loss is 1 / (d_img / d_z), so
    it grows without bound as G maps different z to one face, and fades once they differ."""
    half = img.shape[0] // 2
    d_img = (img[:half].float() - img[half:2 * half].float()).abs().mean(dim=[1, 2, 3])   # [N/2]
    d_z = (z[:half] - z[half:2 * half]).abs().mean(dim=1)                                 # [N/2]
    return 1.0 / ((d_img / d_z).mean() + eps)


def d_main_loss(G: Generator, D: Discriminator, z, c_fake, real, c_real, mixing_prob: float,
                augment: Augment = identity):
    """softplus(D(fake)) + softplus(-D(real)), and the classifier loss of the reals (zero without
    a head; fakes never teach the classifier, so G cannot make it read its mistakes as right).
    Returns (loss_fake, loss_real, class_loss, real_logits)."""
    with torch.no_grad():
        fake, _ = generate(G, z, c_fake, mixing_prob)
    loss_fake = F.softplus(D(augment(fake), c_fake).float()).mean()
    real_logits, tags = D.score_and_classify(augment(real), c_real)                # [N, 1], [N, C]
    class_loss = D.class_loss(tags, c_real) if tags is not None else loss_fake.new_zeros(())
    real_logits = real_logits.float()
    return loss_fake, F.softplus(-real_logits).mean(), class_loss, real_logits.detach()


def r1_loss(D: Discriminator, real, c_real, gamma: float, interval: int, augment: Augment = identity):
    """gamma/2 * E|grad_x D(x)|^2 on reals, times the lazy interval. Returns (loss, penalty)."""
    real = real.detach().requires_grad_(True)
    logits = D(augment(real), c_real)
    (grad,) = torch.autograd.grad(logits.sum(), real, create_graph=True)          # [N, 3, H, W]
    penalty = grad.square().sum(dim=[1, 2, 3])                                     # [N]
    return penalty.mean() * (gamma / 2) * interval, penalty.mean().detach()


def pl_loss(G: Generator, z, c, pl_mean: torch.Tensor, weight: float, interval: int, decay: float,
            mixing_prob: float):
    """Path length regularisation: |J^T y| for random image-space y should stay near its running mean.

    Returns (loss, new pl_mean). pl_mean is returned rather than updated in place so the caller
    can average it across ranks first.
    """
    img, ws = generate(G, z, c, mixing_prob)                                       # img [N, 3, H, W]
    noise = torch.randn_like(img) / math.sqrt(img.shape[2] * img.shape[3])
    (grad,) = torch.autograd.grad((img * noise).sum(), ws, create_graph=True)    # [N, num_ws, w_dim]
    lengths = grad.square().sum(dim=2).mean(dim=1).sqrt()                          # [N]
    new_mean = pl_mean.lerp(lengths.mean().detach(), decay)
    return (lengths - new_mean).square().mean() * weight * interval, new_mean
