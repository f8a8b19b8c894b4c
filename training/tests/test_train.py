"""Trainer: config and overrides, a tiny run's outputs, NaN stop, export round trip, augmentation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from avatargan.cli import main
from avatargan.train import checkpoint as ckpt
from avatargan.train.config import TrainConfig, apply_overrides, preset, validate

# 8 steps of batch 8; latest.pt every 4 steps; samples at the end only.
FAST = ["--preset", "tiny", "--kimg", "0.064", "--no-progress", "--set", "checkpoint_kimg=0.032",
        "--set", "log_kimg=0.016", "--set", "checkpoint_minutes=0"]


def train(pack: Path, out: Path, *extra: str) -> int:
    return main(["train", "--data", str(pack), "--out", str(out), *FAST, *extra])


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[Path, Path]:
    """(pack, run folder) of one 8-step run with every loss term on, shared by the tests that read it."""
    from conftest import make_tiny_pack

    root = tmp_path_factory.mktemp("tiny_run")
    pack = make_tiny_pack(root / "pack")
    assert train(pack, root / "run", "--set", "pl_weight=2", "--set", "pl_interval=2") == 0
    return pack, root / "run"


# --- config ------------------------------------------------------------------------------

def test_overrides_parse_types_and_nested_keys():
    cfg = apply_overrides(preset("tiny"), ["g.channel_base=4096", "batch=32", "ada=off", "betas=0,0.9",
                                           "r1_gamma=1e-3", "device=cpu"])
    assert cfg.g.channel_base == 4096 and cfg.d.channel_base == 256
    assert cfg.batch == 32 and cfg.ada is False and cfg.betas == (0.0, 0.9)
    assert cfg.r1_gamma == 1e-3 and cfg.device == "cpu"
    assert preset("tiny").batch == 8  # the preset itself is untouched
    assert TrainConfig.from_dict(json.loads(cfg.to_json())) == cfg


@pytest.mark.parametrize("item, message", [
    ("batch", "key=value"),
    ("nope=1", "no such setting"),
    ("g.nope=1", "no such setting"),
    ("g=1", "no such setting"),
    ("batch=2.5", "expected int"),
    ("ada=maybe", "expected bool"),
    ("betas=0.1", "tuple of 2 numbers"),
])
def test_override_errors_name_the_problem(item, message):
    with pytest.raises(ValueError, match=message):
        apply_overrides(preset("tiny"), [item])


@pytest.mark.parametrize("item, message", [
    ("batch=0", "batch=0"),
    ("ada_target=1.5", "ada_target"),
    ("g.resolution=32", "g.resolution=32 but d.resolution=16"),
    ("g_lr=0", "g_lr"),
    ("device=tpu", "device"),
    ("r1_interval=0", "r1_interval"),
    ("style_mixing_prob=2", "style_mixing_prob"),
])
def test_validation_errors(item, message):
    with pytest.raises(ValueError, match=message):
        validate(apply_overrides(preset("tiny"), [item]))


def test_all_presets_validate():
    for name in ("tiny", "64", "128", "256"):
        cfg = validate(preset(name))
        assert cfg.g.resolution == cfg.d.resolution == (16 if name == "tiny" else int(name))


def test_dry_run_prints_resolved_config(tiny_pack, tmp_path, capsys):
    assert train(tiny_pack, tmp_path / "run", "--set", "g.channel_base=512", "--dry-run") == 0
    cfg = json.loads(capsys.readouterr().out)
    assert cfg["g"]["channel_base"] == 512 and cfg["preset"] == "tiny"
    assert cfg["g"]["c_dim"] == cfg["d"]["c_dim"] == 5  # from the pack's vocabulary (3 hair + 2 eyes)
    assert cfg["data"] == str(tiny_pack.resolve())
    assert not (tmp_path / "run").exists()


def test_cli_reports_bad_values_and_mismatched_packs(tiny_pack, tmp_path, capsys):
    assert train(tiny_pack, tmp_path / "run", "--set", "ema_kimg=-1", "--dry-run") == 2
    assert "ema_kimg" in capsys.readouterr().err
    assert main(["train", "--data", str(tiny_pack), "--out", str(tmp_path / "r"), "--preset", "64", "--dry-run"]) == 2
    assert "holds 16 px images but the config makes 64 px" in capsys.readouterr().err
    assert main(["train", "--data", str(tmp_path / "missing"), "--out", str(tmp_path / "r"), "--dry-run"]) == 2
    assert "not a packed data set" in capsys.readouterr().err


def test_data_validation_messages():
    from avatargan.train.data import TrainData

    good = np.zeros((4, 8, 8, 3), np.uint8)
    with pytest.raises(ValueError, match="uint8"):
        TrainData(good.astype(np.float32), np.zeros((4, 2), np.float32), 0)
    with pytest.raises(ValueError, match=r"\[N, H, H, 3\]"):
        TrainData(np.zeros((4, 8, 6, 3), np.uint8), np.zeros((4, 2), np.float32), 0)
    with pytest.raises(ValueError, match="labels must be"):
        TrainData(good, np.zeros((3, 2), np.float32), 0)
    with pytest.raises(ValueError, match="label row 2"):
        TrainData(good, np.array([[0, 1], [1, 0], [np.nan, 0], [0, 1]], np.float32), 0)


def test_data_order_is_a_function_of_seed_and_step_and_shards_by_rank():
    from avatargan.train.data import TrainData

    data = TrainData(np.zeros((10, 8, 8, 3), np.uint8), np.eye(2, dtype=np.float32)[np.arange(10) % 2], seed=3)
    whole = [data.rows_for(s, 4, 0, 1) for s in range(6)]                    # crosses two epochs
    halves = [np.concatenate([data.rows_for(s, 4, r, 2) for r in range(2)]) for s in range(6)]
    assert all(np.array_equal(a, b) for a, b in zip(whole, halves))
    stream = np.concatenate(whole)
    assert sorted(stream[:10]) == list(range(10)) and sorted(stream[10:20]) == list(range(10))
    fresh = TrainData(data.images, data.labels, seed=3)
    assert np.array_equal(fresh.rows_for(5, 4, 0, 1), whole[5])             # no hidden sampler state


# --- a tiny run ---------------------------------------------------------------------------

def test_tiny_run_writes_checkpoint_metrics_samples(tiny_run):
    tiny_pack, out = tiny_run
    names = sorted(p.name for p in out.iterdir())
    assert {"latest.pt", "metrics.jsonl", "config.json", "losses.png", "samples-000000.064.png",
            "snapshot-000000.064.pt"} <= set(names), names
    assert not [n for n in names if ".tmp" in n]
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records] == [2, 4, 6, 8]
    assert {"G/main", "D/real", "D/fake", "ada_p", "images_per_s", "time_s", "kimg"} <= set(records[-1])
    assert any("D/r1" in r for r in records) and any("G/pl" in r for r in records)

    state = ckpt.load_checkpoint(out)
    assert state["step"] == 8 and state["images_seen"] == 64
    assert state["config"]["preset"] == "tiny" and state["vocab"]["groups"][0]["name"] == "hair"
    assert set(state["rng"]) == {"python", "numpy", "torch", "cuda"} and state["sampler"]["position"] == 64
    assert 0 <= state["ada_p"] <= 1 and state["wall_time"] > 0
    from PIL import Image

    grid = Image.open(out / "samples-000000.064.png")
    assert grid.size == (4 * 17 + 1, 3 * 17 + 1)  # 4 seeds x 3 hair colours, 16 px tiles, 1 px gaps
    assert "red hair" in grid.text["rows"]

    # A second `train` into the same folder must not silently start over.
    assert train(tiny_pack, out) == 2


def test_export_round_trip_gives_identical_images(tiny_run, tmp_path):
    from avatargan.pipeline import AvatarPipeline, export_generator

    tiny_pack, out = tiny_run
    generator, vocab, info = ckpt.load_generator_from_checkpoint(out)
    assert not generator.training and info["images_seen"] == 64 and info["preset"] == "tiny"
    assert info["data"] == str(tiny_pack.resolve()) and info["hardware"][0].startswith("cpu")
    assert info["date"] and info["wall_time_s"] >= 0
    assert main(["export", "--checkpoint", str(out / "latest.pt"), "--out", str(tmp_path / "model")]) == 0
    exported = AvatarPipeline.from_pretrained(tmp_path / "model")
    direct = AvatarPipeline(generator, vocab)
    for tags in (["red hair", "red eyes"], ["green hair", "green eyes"]):
        assert np.array_equal(exported.generate([0, 1, 2], tags), direct.generate([0, 1, 2], tags))
    assert exported.training["kimg"] == 0.064
    assert main(["export", "--checkpoint", str(out / "latest.pt"), "--out", str(tmp_path / "noted"),
                 "--data", "squares", "--note", "a test run"]) == 0
    noted = AvatarPipeline.from_pretrained(tmp_path / "noted").training
    assert noted["data"] == "squares" and noted["note"] == "a test run" and noted["kimg"] == 0.064
    export_generator(generator, vocab, tmp_path / "model16", name="m", float16=True)  # the lead's --float16 path


# --- divergence ---------------------------------------------------------------------------

def test_nan_loss_stops_and_keeps_last_good_checkpoint(tiny_pack, tmp_path, monkeypatch, capsys):
    from avatargan.train import loop

    real_loss = loop.g_main_loss
    calls = {"n": 0}

    def poisoned(*args, **kwargs):  # finite for steps 0..5, NaN from step 6 on
        calls["n"] += 1
        loss, class_loss, seeking = real_loss(*args, **kwargs)
        return (loss * float("nan") if calls["n"] > 6 else loss), class_loss, seeking

    monkeypatch.setattr(loop, "g_main_loss", poisoned)
    out = tmp_path / "run"
    assert train(tiny_pack, out) == 3
    err = capsys.readouterr().err
    assert "step 6: loss G/main is nan" in err and "last good checkpoint" in err
    state = ckpt.load_checkpoint(out)
    assert state["step"] == 4
    assert all(torch.isfinite(t).all() for k in ("G", "D", "G_ema") for t in state[k].values())
    assert json.loads((out / "metrics.jsonl").read_text().splitlines()[-1])["event"] == "diverged"


def test_nan_weights_never_overwrite_latest(tiny_pack, tmp_path):
    from avatargan.train.launch import resolve
    from avatargan.train.loop import Trainer, TrainingDiverged

    cfg, data, vocab, _, _ = resolve(str(tiny_pack), "tiny", [], None)
    trainer = Trainer(cfg, data, vocab, tmp_path / "run", progress=False)
    trainer.train_step()
    trainer.save(snapshot=False)
    before = (tmp_path / "run" / "latest.pt").read_bytes()
    with torch.no_grad():
        next(trainer.D.parameters()).fill_(float("inf"))
    with pytest.raises(TrainingDiverged, match="step 1: D weights hold NaN or inf"):
        trainer.save(snapshot=False)
    assert (tmp_path / "run" / "latest.pt").read_bytes() == before


# --- augmentation -------------------------------------------------------------------------

def test_augment_is_differentiable_and_keeps_hue():
    from avatargan.train.augment import AdaTuner, AugmentPipe

    torch.manual_seed(0)
    x = (torch.rand(6, 3, 16, 16) * 2 - 1).requires_grad_(True)
    pipe = AugmentPipe(p=1.0)
    y = pipe(x)
    assert y.shape == x.shape
    y.square().sum().backward()
    assert x.grad is not None and torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0
    assert AugmentPipe(p=0.0)(x) is x
    # Colour transforms keep each pixel's channel order, so red stays red: no hue rotation.
    with torch.no_grad():
        assert torch.equal(pipe.colour(x).argsort(dim=1), x.argsort(dim=1))

    tuner = AdaTuner(target=0.6, interval=4, kimg=1.0, batch=8)
    tuner.accumulate(sign_sum=8.0, count=8)  # D is sure every real is real: overfitting, raise p
    assert tuner.adjust(0.0) == pytest.approx(0.032)
    tuner.accumulate(sign_sum=-8.0, count=8)
    assert tuner.adjust(0.01) == 0.0


@pytest.mark.parametrize("channels_last", [False, True])
def test_bf16_autocast_steps_run(tiny_pack, channels_last):
    """The bf16 path runs every loss phase on any CPU (forced here: a CPU without native bf16
    units would not choose it), with float32 weights and w_avg."""
    from avatargan.train.launch import resolve
    from avatargan.train.loop import Trainer
    from avatargan.train.precision import Precision

    cfg, data, vocab, _, _ = resolve(str(tiny_pack), "tiny", ["ada_p=0.5", "pl_weight=1", "pl_interval=1", "r1_interval=1",
                                                              "ms_weight=1"], None)
    trainer = Trainer(cfg, data, vocab, None, progress=False)
    trainer.precision = Precision(True, channels_last, "forced by the test")
    trainer.precision.prepare(trainer.G), trainer.precision.prepare(trainer.D)
    for _ in range(2):
        stats = trainer.train_step()
    assert all(np.isfinite(v) for v in stats.values()) and {"D/r1", "G/pl", "G/mode_seeking"} <= set(stats)
    assert trainer.G.mapping.w_avg.dtype == torch.float32 and trainer.weights_finite() is None
    assert all(t.is_contiguous() for t in trainer.state_dict()["G"].values())  # checkpoints hold plain NCHW


def test_precision_follows_the_hardware(monkeypatch):
    from avatargan.train import precision

    cpu = torch.device("cpu")
    monkeypatch.setattr(precision, "cpu_bf16_units", lambda: ())
    assert precision.choose_precision(cpu, True, True) == precision.Precision(False, False, precision.choose_precision(cpu, True, True).reason)
    assert "no native bfloat16" in precision.choose_precision(cpu, True, True).reason
    monkeypatch.setattr(precision, "cpu_bf16_units", lambda: ("amx_bf16",))
    chosen = precision.choose_precision(cpu, True, True)
    assert chosen.bf16 and chosen.channels_last and "amx_bf16" in chosen.reason
    assert not precision.choose_precision(cpu, False, True).bf16   # amp=false is always float32


def test_mode_seeking_loss_punishes_one_face_per_condition():
    from avatargan.train.loss import mode_seeking_loss

    z = torch.randn(8, 4)
    same = torch.ones(8, 3, 4, 4)                      # every z gives the same image
    varied = torch.randn(8, 3, 4, 4)
    assert mode_seeking_loss(same, z) > 1e4 > mode_seeking_loss(varied, z)


# --- auxiliary classifier and fine-tuning -------------------------------------------------

def test_classifier_loss_trains_and_is_logged(tiny_pack, tmp_path):
    out = tmp_path / "run"
    assert train(tiny_pack, out, "--set", "cls_weight=1", "--set", "g_cls_weight=0.1") == 0
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["cls_weight"] == 1 and cfg["g_cls_weight"] == 0.1
    assert sum(cfg["d"]["class_group_sizes"]) == cfg["d"]["c_dim"]
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert all(np.isfinite(r["G/class"]) and np.isfinite(r["D/class"]) for r in records)
    state = ckpt.load_checkpoint(out)
    assert "classify.weight" in state["D"] and ckpt.training_info(state)["cls_weight"] == 1


def test_classifier_cannot_be_added_on_resume(tiny_run):
    from avatargan.train.launch import resolve

    _, run = tiny_run
    with pytest.raises(ValueError, match="classifier head"):
        resolve(None, None, ["cls_weight=1"], str(run))
    with pytest.raises(ValueError, match="g_cls_weight=0.5 needs the classifier head"):
        resolve(None, None, ["g_cls_weight=0.5"], str(run))


def test_init_generator_starts_from_exported_weights(tiny_run, tmp_path):
    from avatargan.pipeline import AvatarPipeline, export_generator
    from avatargan.train.checkpoint import load_generator_from_checkpoint
    from avatargan.train.launch import resolve
    from avatargan.train.loop import Trainer

    pack, run = tiny_run
    generator, vocab, _ = load_generator_from_checkpoint(run)
    export_generator(generator, vocab, tmp_path / "exported", name="base")
    cfg, data, vocab, _, init = resolve(str(pack), "tiny", ["g.channel_base=4096"], None, str(tmp_path / "exported"))
    assert cfg.g == generator.cfg                        # the exported config wins over the preset's g.*
    trainer = Trainer(cfg, data, vocab, out=None, progress=False)
    trainer.start_from_generator(init["state"], {k: init[k] for k in ("name", "sha256", "folder")})
    tags = [vocab.names[0]]
    assert np.array_equal(AvatarPipeline(trainer.G_ema, vocab).generate([0, 1], tags),
                          AvatarPipeline(generator, vocab).generate([0, 1], tags))
    trainer.train_step()
    assert trainer.info["init_generator"]["name"] == "base"
    with pytest.raises(ValueError, match="new run"):
        resolve(None, None, [], str(run), str(tmp_path / "exported"))



# --- first-hour conveniences -----------------------------------------------------------------

def test_tiny_preset_takes_the_pack_resolution(tmp_path):
    from conftest import make_tiny_pack

    from avatargan.train.launch import resolve

    pack = make_tiny_pack(tmp_path / "pack32", resolution=32)
    cfg, *_ = resolve(str(pack), "tiny", [], None)
    assert cfg.g.resolution == cfg.d.resolution == 32
    with pytest.raises(ValueError, match="holds 32 px images"):  # a numbered preset still names its resolution
        resolve(str(pack), "64", [], None)


def test_duration_estimate_warns_when_over_a_day(capsys):
    from avatargan.train.loop import DurationEstimate

    quick = DurationEstimate(0, 1000, 16).report(seconds_per_step=0.1, steps_left=990)
    assert "1.6 min" in quick or "99 s" in quick or "2 min" in quick
    assert "warning" not in quick
    slow = DurationEstimate(0, 312_500, 16).report(seconds_per_step=16 / 2.2, steps_left=312_500)
    assert "26.3 days" in slow and "warning: that is over a day" in slow and "--kimg 8 " in slow


def test_train_prints_its_estimate(tiny_pack, tmp_path, capsys):
    assert train(tiny_pack, tmp_path / "run") == 0
    assert "estimated time to finish:" in capsys.readouterr().err


def test_export_refuses_to_overwrite_and_writes_the_card(tiny_run, tmp_path):
    _, run = tiny_run
    out = tmp_path / "model"
    assert main(["export", "--checkpoint", str(run / "latest.pt"), "--out", str(out), "--note", "first"]) == 0
    assert "first" in (out / "MODEL_CARD.md").read_text()
    with pytest.raises(SystemExit, match="already holds a model"):
        main(["export", "--checkpoint", str(run / "latest.pt"), "--out", str(out), "--note", "second"])
    assert "first" in (out / "MODEL_CARD.md").read_text()
    assert main(["export", "--checkpoint", str(run / "latest.pt"), "--out", str(out), "--note", "second", "--force"]) == 0
    card = (out / "MODEL_CARD.md").read_text()
    assert "second" in card and "first" not in card


def test_minutes_stops_cleanly_and_resume_finishes(tiny_pack, tmp_path, capsys):
    out = tmp_path / "run"
    assert train(tiny_pack, out, "--minutes", "0.00001") == 0   # up after the first step
    state = ckpt.load_checkpoint(out)
    assert 1 <= state["step"] < 8
    events = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert events[-1]["event"] == "stopped" and events[-1]["reason"] == "--minutes 1e-05"
    assert "Continue with --resume" in capsys.readouterr().out
    assert main(["train", "--resume", str(out), "--no-progress"]) == 0
    assert ckpt.load_checkpoint(out)["step"] == 8
    with pytest.raises(SystemExit, match="must be a positive number"):
        train(tiny_pack, tmp_path / "other", "--minutes", "-1")


def test_compact_checkpoint_is_smaller_and_resumes(tiny_run, tmp_path):
    _, run = tiny_run
    compact = tmp_path / "compact.pt.gz"
    assert main(["export", "--checkpoint", str(run / "latest.pt"), "--compact", str(compact)]) == 0
    assert compact.stat().st_size < 0.8 * (run / "latest.pt").stat().st_size
    assert compact.read_bytes()[:2] == b"\x1f\x8b"                     # gzipped
    full, back = ckpt.load_checkpoint(run), ckpt.load_checkpoint(compact)
    for key in ("G", "D", "G_ema"):
        assert all(torch.equal(back[key][k], v) for k, v in full[key].items())
    for index, entry in full["G_opt"]["state"].items():
        restored = back["G_opt"]["state"][index]
        assert torch.allclose(restored["exp_avg_sq"], entry["exp_avg_sq"], rtol=1e-2, atol=0)
        assert not restored["exp_avg"].any()      # beta1 = 0: the first moment is never read before it is rewritten
    out = tmp_path / "resumed"
    out.mkdir()
    (out / "latest.pt").write_bytes(compact.read_bytes())
    assert main(["train", "--resume", str(out), "--kimg", "0.096", "--no-progress"]) == 0
    assert ckpt.load_checkpoint(out)["step"] == 12
