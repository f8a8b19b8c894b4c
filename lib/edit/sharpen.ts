/**
 * Sharpen by unsharp mask: out = c + amount * (c - blur(c)), where blur is the 3x3 binomial
 * kernel [1 2 1]^T [1 2 1] / 16 (a Gaussian of sigma ~0.85 px) with edge pixels repeated past
 * the border. A radius of one pixel suits avatars of 64-256 px: it crisps hair strands and eye
 * outlines without haloes around the face. Colour channels only; alpha is copied. One rounding
 * at the end (image.ts toByte), so the blur is not quantised before the difference.
 */

import type { PixelImage } from "./pixels";
import { blankImage, toByte } from "./image";

const TAPS = [1, 2, 1] as const;

export function sharpen(image: PixelImage, amount: number): PixelImage {
  const { width: w, height: h, data: src } = image;
  const out = blankImage(w, h);
  const at = (x: number, y: number, k: number) =>
    src[(Math.min(Math.max(y, 0), h - 1) * w + Math.min(Math.max(x, 0), w - 1)) * 4 + k];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      for (let k = 0; k < 3; k++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) sum += TAPS[dy + 1] * TAPS[dx + 1] * at(x + dx, y + dy, k);
        }
        const c = src[o + k];
        out.data[o + k] = toByte(c + amount * (c - sum / 16));
      }
      out.data[o + 3] = src[o + 3];
    }
  }
  return out;
}
