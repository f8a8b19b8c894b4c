"""Exact resume: a run killed with SIGKILL and resumed ends bit-identical to an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from avatargan.cli import main
from avatargan.train import checkpoint as ckpt

STEPS = 24  # batch 8 -> kimg 0.192
COMMON = ["--preset", "tiny", "--no-progress", "--set", "checkpoint_kimg=0.032", "--set", "checkpoint_minutes=0",
          "--set", "sample_kimg=100", "--set", "snapshot_kimg=100", "--set", "pl_weight=1", "--set", "pl_interval=3",
          "--set", "r1_interval=5", "--set", "ada_interval=1", "--set", "ada_kimg=0.5", "--set", "ada_p=0.5"]  # augmentation on throughout


def env() -> dict:
    # Same thread count in every process: CPU kernels may sum in another order with more threads.
    return {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "avatargan", "train", *COMMON, *args], env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> None:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-3000:]


def test_sigkill_then_resume_matches_uninterrupted_run(tiny_pack, tmp_path):
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    # The doomed run is told to go on for far longer; it dies as soon as it has checkpointed.
    doomed = start("--data", str(tiny_pack), "--out", str(killed), "--kimg", "10")
    reference = start("--data", str(tiny_pack), "--out", str(whole), "--kimg", str(STEPS * 8 / 1000))
    try:
        deadline = time.time() + 90
        while not (killed / ckpt.LATEST).exists():
            assert doomed.poll() is None, doomed.communicate()[1][-3000:]
            assert time.time() < deadline, "no checkpoint within 90 s"
            time.sleep(0.02)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)
    finally:
        if doomed.poll() is None:
            doomed.kill()
            doomed.wait()
    assert doomed.returncode == -signal.SIGKILL
    stopped_at = ckpt.load_checkpoint(killed)["step"]
    assert 0 < stopped_at < STEPS and stopped_at % 4 == 0

    finish(start("--resume", str(killed), "--kimg", str(STEPS * 8 / 1000)))
    finish(reference)

    a, b = ckpt.load_checkpoint(killed), ckpt.load_checkpoint(whole)
    assert a["step"] == b["step"] == STEPS
    for net in ("G", "D", "G_ema"):
        assert a[net].keys() == b[net].keys()
        for name in a[net]:
            assert torch.equal(a[net][name], b[net][name]), f"{net}.{name} differs after resume from step {stopped_at}"
    assert a["ada_p"] == b["ada_p"] > 0
    assert torch.equal(a["pl_mean"], b["pl_mean"])
    for opt in ("G_opt", "D_opt"):
        for key, value in b[opt]["state"].items():
            assert all(torch.equal(value[k], a[opt]["state"][key][k]) for k in value)
    assert a["info"]["started"] <= b["info"]["saved"]


def test_sigterm_saves_latest_at_the_step_it_stopped(tmp_path, tiny_pack):
    """SIGTERM (or Ctrl-C) ends a run cleanly: latest.pt holds the step it stopped at, ready for --resume."""
    import json

    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "avatargan", "train", "--data", str(tiny_pack), "--out", str(out),
                             "--preset", "tiny", "--kimg", "50", "--no-progress", "--set", "checkpoint_minutes=0",
                             "--set", "checkpoint_kimg=1000", "--set", "snapshot_kimg=1000", "--set", "sample_kimg=1000",
                             "--set", "log_kimg=0.008"], env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (out / "metrics.jsonl").exists():
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    finish(proc)
    events = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    stopped = [e for e in events if e.get("event") == "stopped"]
    assert stopped and stopped[0]["signal"] == "SIGTERM"
    assert torch.load(out / "latest.pt", weights_only=True)["step"] == stopped[0]["step"] > 0


def test_corrupt_checkpoint_is_refused_and_names_a_good_snapshot(tmp_path, tiny_pack):
    """400 bytes flipped inside latest.pt used to resume silently with altered weights (issue 17)."""
    from avatargan.train import checkpoint as ckpt

    out = tmp_path / "run"
    assert main(["train", "--data", str(tiny_pack), "--out", str(out), "--preset", "tiny", "--kimg", "0.064",
                 "--no-progress", "--set", "snapshot_kimg=0.032", "--set", "checkpoint_minutes=0"]) == 0
    latest = out / "latest.pt"
    data = bytearray(latest.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 400] = bytes(b ^ 0x5A for b in data[middle:middle + 400])
    latest.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"corrupt.*newest good snapshot is .*snapshot-000000.064.pt"):
        ckpt.load_checkpoint(out)


def test_resume_keeps_each_step_once_in_metrics(tmp_path, tiny_pack):
    import json

    out = tmp_path / "run"
    base = ["train", "--data", str(tiny_pack), "--out", str(out), "--preset", "tiny", "--no-progress",
            "--set", "log_kimg=0.008", "--set", "checkpoint_kimg=0.032", "--set", "checkpoint_minutes=0"]
    assert main(base + ["--kimg", "0.048"]) == 0                     # steps 1-6 logged, checkpoint at 4 and 6
    from avatargan.train import checkpoint as ckpt

    state = ckpt.load_checkpoint(out)
    state["step"], state["images_seen"] = 4, 32                      # as if killed after step 6 was logged
    ckpt.save_checkpoint({k: v for k, v in state.items() if k not in ("format", "version", "checksum")}, out / "latest.pt")
    assert main(["train", "--resume", str(out), "--kimg", "0.064", "--no-progress"]) == 0
    steps = [json.loads(line)["step"] for line in (out / "metrics.jsonl").read_text().splitlines()
             if "event" not in json.loads(line)]
    assert steps == sorted(set(steps)) and steps[-1] == 8


@pytest.mark.parametrize("value", ["inf", "nan", "1e300"])
def test_kimg_must_be_finite_and_bounded(tmp_path, tiny_pack, value, capsys):
    assert main(["train", "--data", str(tiny_pack), "--out", str(tmp_path / "r"), "--preset", "tiny", "--kimg", value,
                 "--dry-run"]) != 0
    assert "kimg" in capsys.readouterr().err
