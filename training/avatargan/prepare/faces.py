"""Find anime faces with nagadomi's LBP cascade and turn each face box into a square head crop.

The cascade's box covers the face from the brows to the chin. A head crop needs more: the
top of the head (hair, ahoge, ears of animal-eared characters) above, the ears and the hair
at the sides, and it should stop at the shoulders. So the square is `scale` times the box,
centred on the box but shifted up by `lift` box heights:

    side = scale * w                  (1.6: 0.3 w of hair and ears on each side of the face)
    top  = y + h/2 - lift*h - side/2  (lift 0.2, square box: 0.5 h above it for the head top,
                                       0.1 h below it, where the neck meets the shoulders)

Near the image border the square slides back inside the image; when the image is too small
for the square, the square shrinks to fit (and says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class CropGeometry:
    scale: float = 1.6      # crop side / face box width
    lift: float = 0.2       # crop centre above the box centre, in box heights
    min_face: int = 40      # face boxes narrower than this (pixels in the original) are skipped

    def validate(self) -> None:
        if not 1.0 <= self.scale <= 4.0:
            raise ValueError(f"crop scale {self.scale} must be in [1, 4] (1.6 keeps hair and ears)")
        if not -0.5 <= self.lift <= 0.5:
            raise ValueError(f"crop lift {self.lift} must be in [-0.5, 0.5] box heights")
        if self.min_face < 8:
            raise ValueError(f"minimum face size {self.min_face} must be at least 8 pixels")


@dataclass(frozen=True)
class Square:
    x: int
    y: int
    side: int
    shrunk: bool  # the image was too small for the full square

    def to_json(self) -> list[int]:
        return [self.x, self.y, self.side]


def head_square(box: tuple[int, int, int, int], width: int, height: int, geometry: CropGeometry) -> Square:
    """The square crop (clamped inside a width x height image) for a face box (x, y, w, h)."""
    x, y, w, h = box
    wanted = int(round(geometry.scale * w))
    side = min(wanted, width, height)
    cx, cy = x + w / 2, y + h / 2 - geometry.lift * h
    left = int(round(cx - side / 2))
    top = int(round(cy - side / 2))
    left = min(max(left, 0), width - side)
    top = min(max(top, 0), height - side)
    return Square(left, top, side, shrunk=side < wanted)


class FaceDetector:
    """OpenCV's CascadeClassifier with the settings the cascade's author recommends."""

    def __init__(self, cascade: str | Path, scale_factor: float = 1.1, min_neighbors: int = 5, min_size: int = 24):
        import cv2

        path = Path(cascade)
        if not path.is_file():
            raise FileNotFoundError(
                f"face cascade {path} does not exist: download lbpcascade_animeface.xml "
                f"(nagadomi/lbpcascade_animeface on GitHub, MIT licence) and pass its path with --cascade")
        if not hasattr(cv2, "CascadeClassifier"):
            raise ValueError(f"OpenCV {cv2.__version__} has no CascadeClassifier (OpenCV 5 moved it out); "
                               f"install opencv-python-headless<5")
        try:
            self._classifier = cv2.CascadeClassifier(str(path))
            loaded = not self._classifier.empty()
        except (cv2.error, SystemError):  # OpenCV's parser throws on XML that is not a cascade
            loaded = False
        if not loaded:
            raise ValueError(f"face cascade {path} could not be loaded: not an OpenCV cascade XML file")
        self.scale_factor, self.min_neighbors, self.min_size = scale_factor, min_neighbors, min_size

    def detect(self, rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
        """Face boxes (x, y, w, h) in a uint8 [H, W, 3] RGB image, top to bottom then left to right."""
        import cv2

        grey = cv2.equalizeHist(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
        found = self._classifier.detectMultiScale(grey, scaleFactor=self.scale_factor, minNeighbors=self.min_neighbors,
                                                  minSize=(self.min_size, self.min_size))
        boxes = [tuple(int(v) for v in box) for box in np.asarray(found).reshape(-1, 4)]
        return sorted(boxes, key=lambda b: (b[1] // max(b[3], 1), b[0]))


def crop_square(rgb: np.ndarray, square: Square, resolution: int) -> np.ndarray:
    """uint8 [resolution, resolution, 3]: area averaging to shrink, bicubic to enlarge."""
    import cv2

    patch = rgb[square.y:square.y + square.side, square.x:square.x + square.side]  # [side, side, 3]
    interpolation = cv2.INTER_AREA if square.side >= resolution else cv2.INTER_CUBIC
    return cv2.resize(np.ascontiguousarray(patch), (resolution, resolution), interpolation=interpolation)
