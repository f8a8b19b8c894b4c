import numpy as np
import pytest

from avatargan.evaluate import (evaluate, frechet_distance, kernel_distance, mean_pairwise_distance, plot_report,
                                precision_recall)
from avatargan.fixtures import tiny_generator, tiny_vocabulary
from avatargan.data.pack import load_pack, write_pack
from avatargan.networks.tagger import Tagger, TaggerConfig
from avatargan.pipeline import AvatarPipeline


def test_frechet_distance_of_known_gaussians():
    rng = np.random.default_rng(0)
    a = rng.normal(0, 1, (20000, 3))
    b = rng.normal(0, 2, (20000, 3)) + np.array([1.0, 0, 0])
    # |mu|^2 + tr(I + 4I - 2*sqrt(4I)) = 1 + 3*(1 + 4 - 4) = 4
    assert frechet_distance(a, b) == pytest.approx(4.0, rel=0.03)
    assert abs(frechet_distance(a, a)) < 1e-6


def test_kid_near_zero_for_same_distribution_and_positive_otherwise():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, (600, 8)), rng.normal(0, 1, (600, 8))
    assert abs(kernel_distance(a, b, subsets=10, subset_size=300)) < 0.05
    assert kernel_distance(a, b + 1.0, subsets=10, subset_size=300) > 0.5


def test_precision_recall_detect_mode_collapse():
    rng = np.random.default_rng(2)
    real = rng.normal(0, 1, (400, 2))
    collapsed = rng.normal(0, 0.05, (400, 2))
    precision, recall = precision_recall(real, collapsed)
    assert precision > 0.9 and recall < 0.3
    assert mean_pairwise_distance(collapsed) < mean_pairwise_distance(real) / 5


def test_evaluate_tiny_model_is_deterministic(tmp_path):
    vocab = tiny_vocabulary()
    pipe = AvatarPipeline(tiny_generator(vocab).requires_grad_(False), vocab)
    rng = np.random.default_rng(0)
    labels = np.stack([vocab.encode(vocab.sample(rng)) for _ in range(60)])
    images = rng.integers(0, 255, (60, 16, 16, 3), dtype=np.uint8)
    split = (np.arange(60) % 3 != 0).astype(np.uint8)       # 20 training, 40 validation images
    pack = load_pack(write_pack(tmp_path / "p", images, labels, split, vocab, ["x"] * 60))
    tagger = Tagger(TaggerConfig.for_vocab(vocab, resolution=16, channels=[4, 8])).eval()
    small = dict(samples=30, per_tag=6, progress=False, critic_train=20, critic_test=20, critic_epochs=1,
                 diversity_min_real=2)
    first = evaluate(pipe, tagger, pack, **small)
    second = evaluate(pipe, tagger, pack, **small)
    assert first == second
    assert 0 <= first["critic"]["generated"] <= 1 and first["within_condition_diversity"]["conditions"] >= 1
    assert set(first["conditional_accuracy"]["per_group"]) == {"hair", "eyes"}
    counts = np.array(first["confusion"]["hair"]["counts"])
    assert counts.shape == (3, 3) and counts.sum() == 18
    written = plot_report(first, tmp_path / "eval")
    assert all(p.exists() and p.stat().st_size > 0 for p in written)


def test_card_carries_attached_figures(tmp_path):
    from avatargan.cards import attach_evaluation, write_card
    from avatargan.export import read_model

    vocab = tiny_vocabulary()
    from avatargan.pipeline import export_generator

    export_generator(tiny_generator(vocab), vocab, tmp_path / "g", name="g", training={"kimg": 12.5, "device": "cpu", "hardware": ["cuda: H100 x2", "cuda: H100 x2"]})
    figures = {"fd": 1.5, "kid": 0.01, "precision": 0.7, "recall": 0.4}
    evaluation = {"samples": 10, "psi": 1.0, "seed": 0, "generated": figures, "real_floor": figures,
                  "conditional_accuracy": {"per_group": {"hair": 0.9}, "per_tag": {"red hair": 0.9}},
                  "within_condition_diversity": {"mean": 0.91, "worst": 0.72, "worst_condition": "red hair + blue eyes",
                                                 "conditions": 4, "real_reference": 1.01},
                  "critic": {"generated": 0.97, "real vs JPEG q30": 0.82, "real vs blurred 2x": 0.99}}
    attach_evaluation(tmp_path / "g", evaluation)
    meta, _ = read_model(tmp_path / "g")  # still loads: shards untouched
    assert meta["training"]["evaluation"]["generated"]["fd"] == 1.5
    text = write_card(tmp_path / "g").read_text()
    assert "not Inception FID" in text and "| red hair | 90.0 % |" in text and "kimg: 12.5" in text
    assert "- hardware: cuda: H100 x2, cuda: H100 x2\n" in text  # prose, not a Python list
    assert "mean **0.91**, worst 0.72 (red hair + blue eyes)" in text and "| real vs generated | 0.970 |" in text
