/**
 * Geometric edits on RGBA images: crop, scale, rotate by quarter turns, flip. Each returns a
 * new image and leaves its input alone. Alpha moves with its pixel like any channel.
 *
 * Scaling is bilinear with pixel centres at half-integers (the convention of OpenCV's
 * INTER_LINEAR and tf.image.resizeBilinear with halfPixelCenters): output pixel (x, y) samples
 * the input at ((x + 0.5) * inW / outW - 0.5, ...), clamped to the edge pixels. Bilinear
 * rather than Lanczos because the editor mostly enlarges or trims an upscaled avatar, where
 * bilinear has no ringing and each output pixel is a hand-checkable mix of four inputs. It
 * aliases when shrinking by more than 2x; shrink in steps of 2 for the cleanest result.
 */

import type { PixelImage } from "./pixels";
import { blankImage, toByte } from "./image";

export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Throws unless `rect` lies inside a width x height image; names the field that is out. */
export function assertCropInside(rect: CropRect, width: number, height: number): void {
  if (rect.x + rect.width > width) {
    throw new Error(`crop: x + width = ${rect.x + rect.width} is past the image's right edge (width ${width})`);
  }
  if (rect.y + rect.height > height) {
    throw new Error(`crop: y + height = ${rect.y + rect.height} is past the image's bottom edge (height ${height})`);
  }
}

export function crop(image: PixelImage, rect: CropRect): PixelImage {
  assertCropInside(rect, image.width, image.height);
  const out = blankImage(rect.width, rect.height);
  const rowBytes = rect.width * 4;
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * image.width + rect.x) * 4;
    out.data.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return out;
}

/** Source coordinate and the two neighbours it falls between, for one output pixel. */
function sampleAxis(outIndex: number, inSize: number, outSize: number): [number, number, number] {
  const position = Math.min(Math.max((outIndex + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, inSize - 1);
  return [low, high, position - low];
}

export function scale(image: PixelImage, width: number, height: number): PixelImage {
  const out = blankImage(width, height);
  const src = image.data;
  const columns = Array.from({ length: width }, (_, x) => sampleAxis(x, image.width, width));
  for (let y = 0; y < height; y++) {
    const [y0, y1, fy] = sampleAxis(y, image.height, height);
    for (let x = 0; x < width; x++) {
      const [x0, x1, fx] = columns[x];
      const a = (y0 * image.width + x0) * 4; // top-left
      const b = (y0 * image.width + x1) * 4; // top-right
      const c = (y1 * image.width + x0) * 4; // bottom-left
      const d = (y1 * image.width + x1) * 4; // bottom-right
      const o = (y * width + x) * 4;
      for (let k = 0; k < 4; k++) {
        const top = src[a + k] + (src[b + k] - src[a + k]) * fx;
        const bottom = src[c + k] + (src[d + k] - src[c + k]) * fx;
        out.data[o + k] = toByte(top + (bottom - top) * fy);
      }
    }
  }
  return out;
}

/** Rotate clockwise by 1, 2 or 3 quarter turns; 1 and 3 swap width and height. */
export function rotate(image: PixelImage, quarterTurns: 1 | 2 | 3): PixelImage {
  const { width: w, height: h } = image;
  const swap = quarterTurns !== 2;
  const out = blankImage(swap ? h : w, swap ? w : h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Where input (x, y) lands: clockwise quarter turn maps (x, y) -> (h - 1 - y, x).
      const [tx, ty] =
        quarterTurns === 1 ? [h - 1 - y, x] : quarterTurns === 2 ? [w - 1 - x, h - 1 - y] : [y, w - 1 - x];
      const from = (y * w + x) * 4;
      out.data.set(image.data.subarray(from, from + 4), (ty * out.width + tx) * 4);
    }
  }
  return out;
}

export function flip(image: PixelImage, axis: "horizontal" | "vertical"): PixelImage {
  const { width: w, height: h } = image;
  const out = blankImage(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = axis === "horizontal" ? w - 1 - x : x;
      const sy = axis === "vertical" ? h - 1 - y : y;
      const from = (sy * w + sx) * 4;
      out.data.set(image.data.subarray(from, from + 4), (y * w + x) * 4);
    }
  }
  return out;
}
