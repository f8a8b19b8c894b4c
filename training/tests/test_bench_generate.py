"""`python -m avatargan bench generate`: times an exported generator per batch size."""

import json
from pathlib import Path

import pytest

from avatargan.cli import main

FIXTURE = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "tiny-generator"


def test_generate_bench_reports_each_batch_as_json(capsys):
    assert main(["bench", "generate", "--model", str(FIXTURE), "--batches", "1,3", "--runs", "2", "--warmup", "0", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["engine"] == "pytorch" and report["device"].startswith("cpu")
    assert [r["batch"] for r in report["results"]] == [1, 3]
    for r in report["results"]:
        assert len(r["runs_ms"]) == 2 and r["batch_ms"] > 0
        assert r["ms_per_avatar"] == pytest.approx(r["batch_ms"] / r["batch"])


def test_generate_bench_rejects_bad_batches(capsys):
    assert main(["bench", "generate", "--model", str(FIXTURE), "--batches", "0"]) == 2
    assert "--batches positive integers" in capsys.readouterr().err
