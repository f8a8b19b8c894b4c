import numpy as np
import pytest
import torch

from avatargan.fixtures import tiny_generator, tiny_vocabulary
from avatargan.images import from_uint8, to_uint8
from avatargan.networks.discriminator import Discriminator, DiscriminatorConfig
from avatargan.networks.generator import Generator, GeneratorConfig
from avatargan.seeds import seeds_to_z


@pytest.fixture
def generator():
    return tiny_generator(tiny_vocabulary())


def test_shapes(generator):
    cfg = generator.cfg
    z = torch.from_numpy(seeds_to_z([0, 1, 2], cfg.z_dim))
    c = torch.zeros(3, cfg.c_dim)
    ws = generator.map(z, c)
    assert ws.shape == (3, cfg.num_ws, cfg.w_dim)
    img = generator.synthesis(ws, noise_mode="const")
    assert img.shape == (3, 3, 16, 16)


def test_num_ws_matches_layers_used():
    cfg = GeneratorConfig(resolution=64, c_dim=3)
    assert cfg.block_resolutions == [4, 8, 16, 32, 64]
    assert cfg.num_ws == 10


def test_image_depends_only_on_own_seed_and_condition(generator):
    cfg = generator.cfg
    z = torch.from_numpy(seeds_to_z([5, 6, 7, 8], cfg.z_dim))
    c = torch.eye(cfg.c_dim)[[0, 1, 2, 3]]
    with torch.no_grad():
        batch = generator(z, c, noise_mode="const")
        single = generator(z[2:3], c[2:3], noise_mode="const")
    # Equal up to float round-off: convolution kernels may sum in another order per batch size.
    assert torch.allclose(batch[2:3], single, rtol=1e-5, atol=1e-5)


def test_condition_changes_image_and_psi_zero_collapses_to_center(generator):
    cfg = generator.cfg
    z = torch.from_numpy(seeds_to_z([1, 2], cfg.z_dim))
    c = torch.zeros(2, cfg.c_dim)
    with torch.no_grad():
        a = generator(z, c, noise_mode="const")
        b = generator(z, c + torch.eye(cfg.c_dim)[0], noise_mode="const")
        ws = generator.map(z, c, psi=0.0)
    assert not torch.allclose(a, b)
    assert torch.allclose(ws[0], ws[1]) and torch.allclose(ws[0, 0], generator.mapping.w_avg)


def test_noise_modes(generator):
    z = torch.from_numpy(seeds_to_z([3], generator.cfg.z_dim))
    c = torch.zeros(1, generator.cfg.c_dim)
    with torch.no_grad():
        const1, const2 = generator(z, c, noise_mode="const"), generator(z, c, noise_mode="const")
        rand1, rand2 = generator(z, c, noise_mode="random"), generator(z, c, noise_mode="random")
    assert torch.equal(const1, const2) and not torch.equal(rand1, rand2)
    with pytest.raises(ValueError, match="noise_mode"):
        generator(z, c, noise_mode="bogus")


def test_w_avg_tracks_mapping_output(generator):
    cfg = generator.cfg
    before = generator.mapping.w_avg.clone()
    generator.mapping(torch.randn(8, cfg.z_dim), torch.zeros(8, cfg.c_dim), update_w_avg=True)
    assert not torch.equal(before, generator.mapping.w_avg)


def test_discriminator_projection_uses_condition():
    torch.manual_seed(0)
    d = Discriminator(DiscriminatorConfig(resolution=16, c_dim=4, channel_base=128, channel_max=16, cmap_dim=8))
    img = torch.randn(4, 3, 16, 16)
    out_a = d(img, torch.eye(4))
    out_b = d(img, torch.eye(4).flip(0))
    assert out_a.shape == (4, 1) and not torch.allclose(out_a, out_b)


def test_discriminator_classifier_head_learns_tags_from_shared_features():
    """The auxiliary head reads c from the same features as the score, and its loss falls when
    trained on labelled images (two exclusive groups: softmax each)."""
    torch.manual_seed(0)
    cfg = DiscriminatorConfig(resolution=16, c_dim=5, channel_base=128, channel_max=16, cmap_dim=8,
                              class_group_sizes=[3, 2], class_exclusive=[True, True])
    d = Discriminator(cfg)
    colours = torch.tensor([[1.0, -1, -1], [-1, 1, -1], [-1, -1, 1]])
    first = torch.randint(0, 3, (24,))
    second = torch.randint(0, 2, (24,))
    img = colours[first][:, :, None, None].expand(24, 3, 16, 16).clone()
    img[:, :, :8] *= (second * 2 - 1).float()[:, None, None, None]   # the second group flips the top half
    c = torch.cat([torch.eye(3)[first], torch.eye(2)[second]], dim=1)
    score, tags = d.score_and_classify(img, c)
    assert score.shape == (24, 1) and tags.shape == (24, 5)
    assert torch.equal(score, d(img, c))               # the head does not change the score
    opt = torch.optim.Adam(d.parameters(), lr=1e-2)
    first_loss = d.class_loss(tags, c).item()
    for _ in range(40):
        loss = d.class_loss(d.score_and_classify(img, c)[1], c)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < first_loss * 0.2
    assert Discriminator(DiscriminatorConfig(resolution=16, c_dim=5, channel_base=128, channel_max=16)) \
        .score_and_classify(img, c)[1] is None        # no head unless asked for


def test_config_rejects_bad_values():
    with pytest.raises(ValueError, match="power of two"):
        GeneratorConfig(resolution=48)
    with pytest.raises(ValueError, match="unknown fields"):
        GeneratorConfig.from_dict({"resolution": 16, "bogus": 1})


def test_uint8_conversion_round_trip():
    pixels = np.arange(256, dtype=np.uint8).reshape(1, 16, 16, 1).repeat(3, axis=3)
    assert np.array_equal(to_uint8(from_uint8(pixels)), pixels)
    assert to_uint8(np.array([[[[-5.0]], [[1.0]], [[5.0]]]])).ravel().tolist() == [0, 255, 255]


def test_tag_loss_until_ignores_samples_already_read_right():
    from avatargan.networks.tag_loss import tag_loss

    labels = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    logits = torch.tensor([[4.0, 0.0], [0.0, 2.0]], requires_grad=True)   # right (p 0.98), wrong (p 0.12)
    full = tag_loss(logits, labels, [2], [True])
    kept = tag_loss(logits, labels, [2], [True], until=0.9)
    assert torch.isclose(full, torch.nn.functional.cross_entropy(logits, torch.tensor([0, 0])))
    wrong_only = torch.nn.functional.cross_entropy(logits[1:], torch.tensor([0])) / 2
    assert torch.isclose(kept, wrong_only)
    kept.backward()
    assert torch.all(logits.grad[0] == 0) and torch.any(logits.grad[1] != 0)
    assert tag_loss(logits.detach(), labels, [2], [True], until=0.05) == 0  # both above 0.05: nothing left
