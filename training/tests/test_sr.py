"""The super-resolution net and its training: tiny, CPU, seconds."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from avatargan.cli import main
from avatargan.data.pack import load_pack
from avatargan.networks.upscaler import Upscaler, UpscalerConfig, depth_to_space
from avatargan.pipeline import export_upscaler, load_upscaler
from avatargan.train.sr import SRTrainConfig, SRTrainer, downscale, load_run, make_batch, model_from_run
from avatargan.quality import psnr_y, ssim_y

from conftest import FIXTURES, make_tiny_pack

TINY_NET = UpscalerConfig(channels=4, body_layers=1)


def random_net(cfg: UpscalerConfig = TINY_NET, seed: int = 0) -> Upscaler:
    torch.manual_seed(seed)
    model = Upscaler(cfg).eval()
    with torch.no_grad():
        for t in model.state_dict().values():
            t.copy_(torch.randn_like(t) * 0.2)
    return model


def tiny_train_config(pack_folder, **overrides) -> SRTrainConfig:
    cfg = SRTrainConfig(data=str(pack_folder), net=TINY_NET, kimg=0.064, batch=4, patch=4, val_images=4,
                        val_every_s=0.0, checkpoint_every_s=1e9)
    for key, value in overrides.items():
        setattr(cfg, key, value)
    return cfg


def test_output_size_and_untrained_net_is_nearest_neighbour():
    model = Upscaler(UpscalerConfig(channels=8, body_layers=2))
    x = torch.rand(2, 3, 7, 5) * 2 - 1
    y = model(x)
    assert y.shape == (2, 3, 14, 10)
    # The tail starts at zero, so training starts from nearest-neighbour upsampling.
    assert torch.equal(y, F.interpolate(x, scale_factor=2, mode="nearest"))
    assert model.upscale(x, 4).shape == (2, 3, 28, 20)
    with pytest.raises(ValueError, match="factor 3"):
        model.upscale(x, 3)


def test_depth_to_space_uses_tfjs_channel_order():
    # tf.depthToSpace (NHWC, DCR): output[h*r+i, w*r+j, c] = input[h, w, (i*r+j)*C + c]
    r, c = 2, 3
    x = torch.arange(2 * r * r * c * 3 * 4, dtype=torch.float32).view(2, r * r * c, 3, 4)
    y = depth_to_space(x, r)
    for i in range(r):
        for j in range(r):
            for k in range(c):
                assert torch.equal(y[:, k, i::r, j::r], x[:, (i * r + j) * c + k])


def test_receptive_radius_is_what_the_config_says():
    model = random_net()
    x = torch.zeros(1, 3, 17, 17)
    bumped = x.clone()
    bumped[0, :, 8, 8] = 1.0
    with torch.no_grad():
        diff = (model(bumped) - model(x)).abs().sum(1)[0]  # [34, 34]
    rows = torch.nonzero(diff.sum(1) > 0).flatten()
    radius = model.cfg.radius
    assert rows.min() >= (8 - radius) * 2 and rows.max() < (8 + radius + 1) * 2
    assert rows.min() < (8 - radius + 1) * 2  # the bound is tight: a smaller overlap would show seams


def test_export_round_trip_and_float16(tmp_path):
    model = random_net()
    x = torch.rand(1, 3, 6, 6) * 2 - 1
    for float16 in (False, True):
        folder = tmp_path / f"up-{float16}"
        export_upscaler(model, folder, float16=float16, training={"note": "test"})
        loaded, meta = load_upscaler(folder)
        assert meta["kind"] == "upscaler" and meta["config"]["radius"] == model.cfg.radius
        with torch.no_grad():
            diff = (loaded(x) - model(x)).abs().max().item()
        assert diff < (2e-2 if float16 else 1e-6)


def test_tiny_fixture_is_current():
    """test/fixtures/tiny-upscaler (read by test/upscaler.test.ts) is what fixtures.py writes."""
    from avatargan.fixtures import tiny_upscaler

    model, _ = load_upscaler(FIXTURES / "tiny-upscaler")
    reference = tiny_upscaler()
    for key, value in reference.state_dict().items():
        assert torch.allclose(model.state_dict()[key], value), key


def test_batches_are_a_pure_function_of_seed_and_step(tmp_path):
    pack = load_pack(make_tiny_pack(tmp_path / "pack", resolution=16))
    cfg = tiny_train_config(tmp_path / "pack")
    idx = pack.indices(0)
    a_lr, a_hr = make_batch(pack.images, idx, cfg, 5)
    b_lr, b_hr = make_batch(pack.images, idx, cfg, 5)
    c_lr, _ = make_batch(pack.images, idx, cfg, 6)
    assert torch.equal(a_lr, b_lr) and torch.equal(a_hr, b_hr) and not torch.equal(a_lr, c_lr)
    assert a_lr.shape == (4, 3, 4, 4) and a_hr.shape == (4, 3, 8, 8)


def test_downscale_kernels_differ_and_psnr_is_sane():
    rng = np.random.default_rng(0)
    hr = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    outs = {k: downscale(hr, 2, k) for k in ("bicubic", "lanczos", "bilinear", "box")}
    assert all(o.shape == (8, 8, 3) for o in outs.values())
    assert not np.array_equal(outs["bicubic"], outs["box"])
    assert psnr_y(hr[None], hr[None]) > 90
    assert 5 < psnr_y(hr[None], 255 - hr[None]) < 20


def test_resume_matches_an_uninterrupted_run(tmp_path):
    pack_folder = make_tiny_pack(tmp_path / "pack", resolution=16)
    pack = load_pack(pack_folder)
    straight = SRTrainer(tiny_train_config(pack_folder), pack, tmp_path / "straight", progress=False)
    straight.run()

    first = SRTrainer(tiny_train_config(pack_folder), pack, tmp_path / "split", progress=False)
    for _ in range(8):  # then "killed" right after a periodic checkpoint
        first.train_step()
    first.save()
    del first
    state = load_run(tmp_path / "split")
    resumed = SRTrainer(tiny_train_config(pack_folder), pack, tmp_path / "split", progress=False)
    resumed.load_state(state)
    assert resumed.step == 8
    resumed.run()
    assert resumed.step == straight.step == 16
    for key, value in straight.model.state_dict().items():
        assert torch.equal(value, resumed.model.state_dict()[key]), key


def test_cli_trains_then_exports_the_latest_weights(tmp_path, capsys):
    pack_folder = make_tiny_pack(tmp_path / "pack", resolution=16)
    run = tmp_path / "run"
    assert main(["train-sr", "--data", str(pack_folder), "--out", str(run), "--kimg", "0.016", "--batch", "4",
                 "--patch", "4", "--channels", "4", "--body-layers", "1"]) == 0
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert records[-1]["step"] == 4 and "gain_db" in records[-1]
    assert main(["train-sr", "--export", str(run), "--out", str(tmp_path / "model"), "--float16"]) == 0
    model, meta = load_upscaler(tmp_path / "model")
    assert meta["training"]["images_seen"] == 16 and meta["training"]["steps"] == 4
    reference, _ = model_from_run(run)
    x = torch.rand(1, 3, 8, 8) * 2 - 1
    with torch.no_grad():
        assert (model(x) - reference(x)).abs().max() < 2e-2
    assert "wrote" in capsys.readouterr().out


def test_denoise_level_trains_from_an_exported_upscaler_on_noisier_inputs(tmp_path):
    pack_folder = make_tiny_pack(tmp_path / "pack", resolution=16)
    base = tmp_path / "base"
    export_upscaler(random_net(), base, name="base")
    run = tmp_path / "run"
    assert main(["train-sr", "--data", str(pack_folder), "--out", str(run), "--kimg", "0.008", "--batch", "4",
                 "--patch", "4", "--denoise", "1", "--init", str(base)]) == 0
    state = load_run(run)
    cfg = SRTrainConfig.from_dict(state["config"])
    assert cfg.net == UpscalerConfig(channels=4, body_layers=1, denoise=1)   # the base's net, at level 1
    assert cfg.jpeg_probability == 1.0 and cfg.noise_probability > 0 and cfg.validation_jpeg == 60
    assert json.loads(state["info"])["init"]["name"] == "base"
    # The level's inputs are noisier than level 0's, from the same faces and draws.
    pack = load_pack(pack_folder)
    idx = np.arange(len(pack.images))
    clean = tiny_train_config(pack_folder, jpeg_probability=0.0)
    lr0, _ = make_batch(pack.images, idx, clean, 0)
    lr1, _ = make_batch(pack.images, idx, tiny_train_config(pack_folder, jpeg_probability=1.0, jpeg_quality=(40, 80),
                                                            noise_probability=1.0, noise_sigma=4.0), 0)
    assert 0 < float((lr1 - lr0).abs().mean())
    with pytest.raises(ValueError, match="denoise level 2"):
        tiny_train_config(pack_folder, net=UpscalerConfig(channels=4, body_layers=1, denoise=2)).validate()


def test_bench_sr_measures_every_method_on_the_same_jpeg_inputs(tmp_path, capsys):
    pack_folder = make_tiny_pack(tmp_path / "pack", resolution=16)
    export_upscaler(random_net(seed=1), tmp_path / "a", name="a")
    export_upscaler(random_net(seed=2), tmp_path / "b", name="b")
    out, set_dir = tmp_path / "bench.json", tmp_path / "set"
    assert main(["bench", "sr", "--model", str(tmp_path / "a"), "--data", str(pack_folder), "--factors", "2",
                 "--jpeg", "60", "--compare", str(tmp_path / "b"), "--write-set", str(set_dir), "--json", str(out)]) == 0
    results = json.loads(out.read_text())
    rows = results["factors"]["2"]["rows"]
    assert results["jpeg_quality"] == 60 and [r["method"] for r in rows][:2] == ["bicubic", "lanczos"]
    assert len(rows) == 4 and rows[2]["psnr_y"] != rows[3]["psnr_y"]     # both nets, measured apart
    assert json.loads((set_dir / "set.json").read_text())["jpeg_quality"] == 60
    assert "then JPEG quality 60" in capsys.readouterr().out
    # A set folder holds inputs of one quality only.
    assert main(["bench", "sr", "--model", str(tmp_path / "a"), "--data", str(pack_folder), "--factors", "2",
                 "--write-set", str(set_dir)]) != 0
    assert "JPEG quality 60, not None" in capsys.readouterr().err


def test_cli_refuses_missing_options(tmp_path):
    with pytest.raises(SystemExit, match="--data PACK --out RUN"):
        main(["train-sr", "--out", str(tmp_path / "run")])


def test_ssim_matches_a_direct_windowed_computation():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (1, 14, 13, 3), dtype=np.uint8)
    b = np.clip(a.astype(int) + rng.integers(-40, 41, a.shape), 0, 255).astype(np.uint8)
    from avatargan.quality import gaussian_window, luma

    x, y, g = luma(a)[0], luma(b)[0], gaussian_window()
    w = np.outer(g, g)
    values = []
    for i in range(x.shape[0] - 10):
        for j in range(x.shape[1] - 10):
            px, py = x[i:i + 11, j:j + 11], y[i:i + 11, j:j + 11]
            mx, my = (w * px).sum(), (w * py).sum()
            vx, vy = (w * px * px).sum() - mx * mx, (w * py * py).sum() - my * my
            cxy = (w * px * py).sum() - mx * my
            c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
            values.append((2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2)))
    assert ssim_y(a, b) == pytest.approx(float(np.mean(values)), abs=1e-9)
    assert ssim_y(a, a) == pytest.approx(1.0)


def test_model_card_shows_the_benchmark(tmp_path):
    from avatargan.cards import attach_benchmark, write_card

    folder = tmp_path / "up"
    export_upscaler(random_net(), folder, training={"data": "data/faces96", "images_seen": 1000})
    _, meta = load_upscaler(folder)
    rows = [{"method": "bicubic", "psnr_y": 30.0, "ssim_y": 0.9}, {"method": "ours (x2)", "psnr_y": 33.5, "ssim_y": 0.95,
                                                                    "ms_per_image": 12.5}]
    bench = {"sha256": meta["sha256"], "backend": "wasm", "factors": {"2": {"count": 5, "input": 48, "output": 96, "rows": rows}}}
    attach_benchmark(folder, bench)
    card = write_card(folder).read_text()
    assert "| ours (x2) | 33.50 | +3.50 | 0.9500 | 12.5 |" in card and "crops seen: 1000" in card
    with pytest.raises(ValueError, match="measured on weights"):
        attach_benchmark(folder, {**bench, "sha256": "f" * 64})
