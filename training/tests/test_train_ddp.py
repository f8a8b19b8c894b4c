"""torchrun with two CPU processes (gloo): the run finishes, rank 0 alone writes, replicas stay equal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from avatargan.train import checkpoint as ckpt


GLOO_ABORT = "terminate called without an active exception"


def test_torchrun_two_processes_gloo(tiny_pack, tmp_path):
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           "-m", "avatargan", "train", "--data", str(tiny_pack), "--out", str(out), "--preset", "tiny",
           "--device", "cpu", "--kimg", "0.048", "--no-progress", "--set", "checkpoint_kimg=0.016",
           "--set", "log_kimg=0.016", "--set", "r1_interval=2", "--set", "ada_interval=1"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    if proc.returncode != 0 and GLOO_ABORT in proc.stderr and "step 2" not in proc.stderr:
        # Seen once in about 20 CI runs, on a loaded 2-core machine: one rank aborted inside gloo
        # ("terminate called without an active exception", SIGABRT) before the first step, and not
        # again in 16 reruns, under load or not. A start-up crash of the transport is retried once
        # from scratch; any other failure, or the same crash twice, fails the test.
        shutil.rmtree(out, ignore_errors=True)
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-4000:]
    # check_in_sync compares every rank's G, D and G_ema with rank 0's at each checkpoint and fails the run otherwise.
    assert "2 ranks checked in sync" in proc.stderr
    state = ckpt.load_checkpoint(out)
    assert state["step"] == 6 and state["info"]["world_size"] == 2
    assert state["info"]["hardware"][0].endswith("x2")
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records] == [2, 4, 6]  # one writer: no line twice
