"""Evaluate a generator against real validation images, in the tagger's feature space.

    python -m avatargan evaluate --model public/weights/generator --tagger public/weights/tagger --data data/faces64

Figures (all deterministic for a given --seed):
- fd:   Fréchet distance between Gaussian fits of tagger features (real vs generated). This is
        NOT Inception FID: the features are our tagger's penultimate layer, so figures compare
        models evaluated with the same tagger only.
- kid:  kernel inception-style distance (unbiased MMD^2, cubic polynomial kernel) on the same features.
- precision / recall: k-NN manifold estimates (Kynkäänniemi et al. 2019, k=3).
- conditional accuracy: per tag, generate N avatars with the tag fixed (other groups drawn from
        the priors) and ask the tagger which tag of the group it sees; per group, the mean.
- diversity: mean pairwise feature distance inside one condition, relative to real images.
- within_condition_diversity: 16x16 thumbnail diversity of 16 seeds per (full) condition over
        the same among real validation faces of that condition (diversity.py); 1 = as varied as real.
- critic: a small CNN's accuracy at telling generated from real faces, beside calibration rungs
        (real vs JPEG q30, real vs blurred 2x) (critic.py); 0.5 = indistinguishable.
A reference line ("floor") computes the same distances between two halves of the real data.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .critic import CriticSettings, critic_ladder
from .data.pack import TRAIN, VALIDATION, Pack
from .diversity import diversity_ratios, mean_pairwise_distance
from .pipeline import AvatarPipeline, predict


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to feature sets a [N, D] and b [M, D].

    tr(sqrtm(A B)) is computed as the sum of sqrt(eigenvalues of sqrt(A) B sqrt(A)), which is
    symmetric, so numpy's eigh suffices (no scipy).
    """
    a, b = a.astype(np.float64), b.astype(np.float64)
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    vals, vecs = np.linalg.eigh(cov_a)
    sqrt_a = (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    inner = np.linalg.eigvalsh(sqrt_a @ cov_b @ sqrt_a)
    trace_sqrt = np.sqrt(np.clip(inner, 0, None)).sum()
    return float(np.square(mu_a - mu_b).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt)


def kernel_distance(a: np.ndarray, b: np.ndarray, subsets: int = 50, subset_size: int = 500, seed: int = 0) -> float:
    """Unbiased MMD^2 with k(x, y) = (x.y / D + 1)^3, averaged over random subsets (as in KID)."""
    rng = np.random.default_rng(seed)
    d = a.shape[1]
    m = min(len(a), len(b), subset_size)
    total = 0.0
    for _ in range(subsets):
        x = a[rng.choice(len(a), m, replace=False)].astype(np.float64)
        y = b[rng.choice(len(b), m, replace=False)].astype(np.float64)
        kxx, kyy, kxy = (x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3
        total += (kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean()
    return float(total / subsets)


def _knn_radii(x: np.ndarray, k: int) -> np.ndarray:
    dist = np.sqrt(np.maximum(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1), 0))
    return np.sort(dist, axis=1)[:, k]  # column 0 is the point itself


def _coverage(points: np.ndarray, manifold: np.ndarray, radii: np.ndarray) -> float:
    inside = 0
    for start in range(0, len(points), 256):
        p = points[start:start + 256]
        dist = np.sqrt(np.maximum(((p[:, None, :] - manifold[None, :, :]) ** 2).sum(-1), 0))
        inside += int((dist <= radii[None, :]).any(axis=1).sum())
    return inside / max(len(points), 1)


def precision_recall(real: np.ndarray, fake: np.ndarray, k: int = 3) -> tuple[float, float]:
    """Fraction of fakes inside the real manifold (precision) and of reals inside the fake one (recall)."""
    return _coverage(fake, real, _knn_radii(real, k)), _coverage(real, fake, _knn_radii(fake, k))


def distribution_figures(real: np.ndarray, fake: np.ndarray, seed: int) -> dict:
    precision, recall = precision_recall(real, fake)
    return {"fd": frechet_distance(real, fake), "kid": kernel_distance(real, fake, seed=seed),
            "precision": precision, "recall": recall}


def generate_features(pipe: AvatarPipeline, tagger, conditions: np.ndarray, seed: int, psi: float,
                      batch: int = 64, progress: bool = True, desc: str = "generating",
                      truncation: str = "global") -> tuple[np.ndarray, np.ndarray]:
    """Generate one avatar per row of `conditions` (seeds seed, seed+1, ...) -> (tag probs, features)."""
    probs, feats = [], []
    device = pipe.device
    for start in tqdm(range(0, len(conditions), batch), disable=not progress, desc=desc, unit="batch"):
        c = conditions[start:start + batch]
        seeds = list(range(seed + start, seed + start + len(c)))
        pixels = pipe.generate(seeds, c, psi=psi, per_condition_truncation=truncation == "condition")
        p, f = predict(tagger, pixels, device)
        probs.append(p)
        feats.append(f)
    return np.concatenate(probs), np.concatenate(feats)


def conditional_accuracy(pipe: AvatarPipeline, tagger, per_tag: int, seed: int, psi: float,
                         progress: bool = True, truncation: str = "global") -> dict:
    """For each tag of each exclusive group: fix it, draw the other groups from the priors, ask the tagger."""
    vocab = pipe.vocab
    rng = np.random.default_rng(seed)
    result = {"per_tag": {}, "per_group": {}, "confusion": {}, "diversity": {}}
    for group, span in vocab.group_slices():
        if not group.exclusive:
            continue
        matrix = np.zeros((len(group.tags), len(group.tags)), np.int64)
        for k, tag in enumerate(group.tags):
            conditions = np.stack([vocab.encode(vocab.sample(rng, fixed={group.name: tag.name})) for _ in range(per_tag)])
            probs, feats = generate_features(pipe, tagger, conditions, seed + 100_000 * (k + 1), psi,
                                             progress=False, truncation=truncation)
            detected = probs[:, span].argmax(1)
            matrix[k] = np.bincount(detected, minlength=len(group.tags))
            result["per_tag"][tag.name] = float((detected == k).mean())
            result["diversity"][tag.name] = mean_pairwise_distance(feats)
        if progress:
            print(f"  {group.name}: " + ", ".join(f"{t.name.split()[0]} {result['per_tag'][t.name]:.2f}" for t in group.tags))
        result["per_group"][group.name] = float(np.trace(matrix) / matrix.sum())
        result["confusion"][group.name] = {"tags": [t.name for t in group.tags], "counts": matrix.tolist()}
    return result


def generate_batched(pipe: AvatarPipeline, seeds: list[int], conditions: np.ndarray, psi: float, truncation: str,
                     batch: int = 256) -> np.ndarray:
    """uint8 avatars for seeds[i] under conditions[i] (one row, or one per seed), a batch at a time."""
    conditions = np.broadcast_to(conditions, (len(seeds), conditions.shape[-1]))
    return np.concatenate([pipe.generate(seeds[s:s + batch], np.ascontiguousarray(conditions[s:s + batch]), psi=psi,
                                         per_condition_truncation=truncation == "condition")
                           for s in range(0, len(seeds), batch)])


def critic_figures(pipe: AvatarPipeline, pack: Pack, train_count: int, test_count: int, seed: int, psi: float,
                   truncation: str, epochs: int) -> dict:
    """The critic ladder on real training faces (to fit) and real validation faces (to score), each
    against as many avatars made under the same faces' conditions, from disjoint seed ranges."""
    rng = np.random.default_rng(seed)
    train, val = pack.indices(TRAIN), pack.indices(VALIDATION)
    if len(train) < 10 or len(val) < 10:
        raise ValueError(f"evaluate: the critic test needs 10 or more training and validation images; the pack has "
                         f"{len(train)} and {len(val)} (pass critic_train=0 to skip it)")
    train_rows = np.sort(rng.choice(train, min(train_count, len(train)), replace=False))
    test_rows = np.sort(rng.choice(val, min(test_count, len(val)), replace=False))
    fake_train = generate_batched(pipe, list(range(seed + 1_000_000, seed + 1_000_000 + len(train_rows))),
                                  pack.labels[train_rows], psi, truncation)
    fake_test = generate_batched(pipe, list(range(seed + 2_000_000, seed + 2_000_000 + len(test_rows))),
                                 pack.labels[test_rows], psi, truncation)
    return critic_ladder(np.asarray(pack.images[train_rows]), np.asarray(pack.images[test_rows]), fake_train, fake_test,
                         CriticSettings(epochs=epochs, seed=seed))


def evaluate(pipe: AvatarPipeline, tagger, pack: Pack, *, samples: int = 2000, per_tag: int = 50,
             psi: float = 1.0, seed: int = 0, progress: bool = True, truncation: str = "global",
             critic_train: int = 3000, critic_test: int = 1500, critic_epochs: int = 8,
             diversity_min_real: int = 8) -> dict:
    """All figures as one JSON-able dict. truncation "condition" pulls w toward the mean w of each
    avatar's own condition instead of the global mean (what the workbench offers). critic_train=0
    skips the critic test (the slowest figure: about a minute on a CPU)."""
    if truncation not in ("global", "condition"):
        raise ValueError(f"evaluate: truncation must be 'global' or 'condition', not {truncation!r}")
    if pack.vocab.names != pipe.vocab.names:
        raise ValueError("evaluate: the data set's vocabulary differs from the generator's; use the data it was trained on")
    val = np.sort(pack.indices(VALIDATION))
    if len(val) < 20:
        raise ValueError(f"evaluate: the pack has only {len(val)} validation images; need at least 20")
    rng = np.random.default_rng(seed)
    real_probs, real_feats = predict(tagger, pack.images[val], pipe.device)
    samples = min(samples, len(val))
    conditions = pack.labels[val][rng.choice(len(val), samples, replace=len(val) < samples)]
    _, fake_feats = generate_features(pipe, tagger, conditions, seed, psi, progress=progress, truncation=truncation)
    real_sub = real_feats[rng.choice(len(real_feats), samples, replace=False)]
    half = len(real_feats) // 2
    order = rng.permutation(len(real_feats))
    floor = distribution_figures(real_feats[order[:half]], real_feats[order[half:2 * half]], seed)
    cond = conditional_accuracy(pipe, tagger, per_tag, seed, psi, progress, truncation)
    real_diversity = mean_pairwise_distance(real_feats[rng.choice(len(real_feats), min(500, len(real_feats)), replace=False)])
    reference_labels = np.where((pack.split == TRAIN)[:, None], pack.labels, -1)  # only training faces match
    within = diversity_ratios(lambda seeds, c: generate_batched(pipe, seeds, c, psi, truncation),
                              np.asarray(pack.images[val]), pack.labels[val], pack.vocab, seed=seed,
                              min_real=diversity_min_real,
                              train_images=pack.images, train_labels=reference_labels)
    critic = (critic_figures(pipe, pack, critic_train, critic_test, seed, psi, truncation, critic_epochs)
              if critic_train > 0 else None)
    return {
        "note": "fd/kid/precision/recall use the tagger's penultimate features: not Inception FID",
        "model": pipe.name, "samples": samples, "per_tag": per_tag, "psi": psi, "truncation": truncation, "seed": seed,
        "generated": distribution_figures(real_sub, fake_feats, seed),
        "real_floor": {**floor, "note": "two halves of the real validation images"},
        "conditional_accuracy": {"per_group": cond["per_group"], "per_tag": cond["per_tag"]},
        "confusion": cond["confusion"],
        "diversity": {"real": real_diversity, "per_tag": cond["diversity"]},
        "within_condition_diversity": within,
        **({"critic": critic} if critic is not None else {}),
    }


def plot_report(report: dict, out: str | Path) -> list[Path]:
    """Per-tag accuracy bars and one confusion matrix per exclusive group (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    per_tag = report["conditional_accuracy"]["per_tag"]
    fig, ax = plt.subplots(figsize=(max(6, 0.45 * len(per_tag)), 3.6))
    ax.bar(range(len(per_tag)), list(per_tag.values()), color="#5b7bd5")
    ax.set_xticks(range(len(per_tag)), list(per_tag), rotation=60, ha="right", fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("tagger agrees with request")
    ax.set_title("Conditional accuracy per tag")
    fig.tight_layout()
    fig.savefig(out / "accuracy.png", dpi=120)
    plt.close(fig)
    written.append(out / "accuracy.png")
    for group, data in report["confusion"].items():
        counts = np.array(data["counts"], dtype=np.float64)
        rates = counts / np.maximum(counts.sum(1, keepdims=True), 1)
        labels = [t.rsplit(" ", 1)[0] for t in data["tags"]]
        fig, ax = plt.subplots(figsize=(1 + 0.5 * len(labels), 1 + 0.45 * len(labels)))
        ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
        ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_xlabel(f"detected {group}")
        ax.set_ylabel(f"requested {group}")
        for i in range(len(labels)):
            for j in range(len(labels)):
                if rates[i, j] >= 0.05:
                    ax.text(j, i, f"{rates[i, j]:.2f}", ha="center", va="center", fontsize=6,
                            color="white" if rates[i, j] > 0.5 else "black")
        ax.set_title(f"{group}: requested vs detected")
        fig.tight_layout()
        fig.savefig(out / f"confusion-{group}.png", dpi=120)
        plt.close(fig)
        written.append(out / f"confusion-{group}.png")
    (out / "evaluation.json").write_text(json.dumps(report, indent=1) + "\n")
    written.append(out / "evaluation.json")
    return written


def load_models(model: str | Path, tagger: str | Path, device: str = "cpu"):
    from .pipeline import load_tagger

    pipe = AvatarPipeline.from_pretrained(model, device=device)
    tag_model, tag_vocab, _ = load_tagger(tagger, device=device)
    if tag_vocab.names != pipe.vocab.names:
        raise ValueError(f"the tagger at {tagger} reads tags {tag_vocab.names[:3]}..., not the generator's vocabulary")
    return pipe, tag_model
