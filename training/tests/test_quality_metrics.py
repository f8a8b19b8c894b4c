"""The within-condition diversity ratio and the critic ladder measure what they claim."""

import numpy as np

from avatargan.critic import CriticSettings, blur2x, critic_accuracy, jpeg
from avatargan.diversity import diversity_ratios, thumbnails
from avatargan.vocab import Tag, TagGroup, TagVocabulary


def _faces(rng, count, colour):
    """16 px 'faces': a coloured square at a random place and size on noise."""
    images = rng.integers(0, 60, (count, 16, 16, 3), dtype=np.uint8)
    for img in images:
        size = rng.integers(4, 10)
        y, x = rng.integers(0, 16 - size, 2)
        img[y:y + size, x:x + size] = colour
    return images


def test_thumbnails_box_average():
    img = np.zeros((1, 32, 32, 3), np.uint8)
    img[0, :2, :2] = 255
    thumbs = thumbnails(img, size=16)
    assert thumbs.shape == (1, 768) and thumbs[0, 0] == 1.0 and thumbs[0, 3] == 0.0


def test_diversity_ratio_is_one_for_real_like_samples_and_low_for_one_face():
    rng = np.random.default_rng(0)
    vocab = TagVocabulary([TagGroup("hair", True, (Tag("red hair", 0.5), Tag("blue hair", 0.5)))])
    colours = {0: (220, 40, 40), 1: (40, 60, 220)}
    labels = np.repeat(np.eye(2, dtype=np.float32), 40, axis=0)
    images = np.concatenate([_faces(rng, 40, colours[k]) for k in (0, 1)])

    def varied(seeds, condition):
        return _faces(np.random.default_rng(seeds[0]), len(seeds), colours[int(condition.argmax())])

    def one_face(seeds, condition):
        return np.repeat(varied(seeds[:1], condition), len(seeds), axis=0)

    good = diversity_ratios(varied, images, labels, vocab, per_condition=16)
    bad = diversity_ratios(one_face, images, labels, vocab, per_condition=16)
    assert good["conditions"] == 2 and 0.85 < good["mean"] < 1.15
    assert bad["mean"] < 1e-6 and bad["worst_condition"] in ("red hair", "blue hair")


def test_critic_tells_blur_apart_and_not_real_from_real():
    rng = np.random.default_rng(1)
    real = _faces(rng, 400, (220, 40, 40))
    settings = CriticSettings(epochs=20)
    same = critic_accuracy(real[:100], real[100:200], real[200:300], real[300:400], settings)
    blurred = critic_accuracy(real[:100], blur2x(real[100:200]), real[200:300], blur2x(real[300:400]), settings)
    assert same < 0.65 < 0.9 < blurred
    assert jpeg(real[:2], quality=30).shape == (2, 16, 16, 3)
