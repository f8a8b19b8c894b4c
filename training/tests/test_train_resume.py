"""Exact resume: a run killed with SIGKILL and resumed ends bit-identical to an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import torch

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
