"""scripts/gpu-train.sh on the CPU: resume a run, train for a time budget, bring back the
exported generator and a compact checkpoint that resumes."""

import os
import shutil
import subprocess
import sys

from avatargan.train import checkpoint as ckpt
from conftest import REPO_ROOT, make_tiny_pack


def test_gpu_script_resumes_trains_and_exports(tmp_path):
    from avatargan.cli import main

    pack = make_tiny_pack(tmp_path / "pack")
    run = tmp_path / "run"
    assert main(["train", "--data", str(pack), "--out", str(run), "--preset", "tiny", "--kimg", "1", "--minutes", "0.00001",
                 "--no-progress", "--set", "checkpoint_minutes=0"]) == 0
    before = ckpt.load_checkpoint(run)["step"]
    (run / "latest.pt").rename(run / "compact.pt.gz")   # a plain .pt under the .gz name loads too            # as if only a compact checkpoint came along
    env = {**os.environ, "AVATARGAN_DEVICE": "cpu", "AVATARGAN_PACK": str(pack), "PYTHON": sys.executable}
    done = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "gpu-train.sh"), str(run), "0.05", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "resuming" in done.stdout and "results in" in done.stdout
    out = tmp_path / "out"
    assert (out / "generator" / "model.json").exists() and (out / "generator" / "MODEL_CARD.md").exists()
    assert ckpt.load_checkpoint(out / "compact.pt.gz")["step"] > before
    shutil.rmtree(run)
