/**
 * Bicubic resampling as Pillow's Image.resize(..., BICUBIC) does it, so the workbench's
 * "compare with bicubic" shows the same baseline the upscaler's benchmark beats
 * (training/avatargan/sr_bench.py): Keys' cubic with a = -0.5, pixel centres at half-integers,
 * the kernel window cut at the image border and its weights renormalised, a horizontal pass
 * rounded to bytes, then a vertical one. Pillow does the sums in fixed point; this does them in
 * floats, so a pixel may differ from Pillow's by one level.
 */

import type { PixelImage } from "./pixels";

/** Keys' cubic convolution kernel, a = -0.5. */
function cubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

interface Taps {
  start: number[];
  weights: number[][];
}

/** For each output index, the first input index and the normalised weights (Pillow's precompute_coeffs). */
function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const start: number[] = [];
  const weights: number[][] = [];
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(Math.trunc(centre - support + 0.5), 0);
    const hi = Math.min(Math.trunc(centre + support + 0.5), inSize);
    const w: number[] = [];
    let sum = 0;
    for (let x = lo; x < hi; x++) {
      const k = cubic((x - centre + 0.5) / filterScale);
      w.push(k);
      sum += k;
    }
    start.push(lo);
    weights.push(sum === 0 ? w : w.map((k) => k / sum));
  }
  return { start, weights };
}

const toByte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** Resize RGBA pixels to width x height with Pillow's bicubic (alpha resampled like the colours). */
export function bicubic(image: PixelImage, width: number, height: number): PixelImage {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`bicubic: size must be positive whole pixels, got ${width}x${height}`);
  }
  const { width: w0, height: h0, data } = image;
  const across = taps(w0, width);
  const down = taps(h0, height);
  const wide = new Uint8ClampedArray(width * h0 * 4); // after the horizontal pass, as bytes (as Pillow)
  for (let y = 0; y < h0; y++) {
    for (let x = 0; x < width; x++) {
      const first = across.start[x];
      const ws = across.weights[x];
      for (let c = 0; c < 4; c++) {
        let v = 0;
        for (let k = 0; k < ws.length; k++) v += ws[k] * data[(y * w0 + first + k) * 4 + c];
        wide[(y * width + x) * 4 + c] = toByte(v);
      }
    }
  }
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const first = down.start[y];
    const ws = down.weights[y];
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let v = 0;
        for (let k = 0; k < ws.length; k++) v += ws[k] * wide[((first + k) * width + x) * 4 + c];
        out[(y * width + x) * 4 + c] = toByte(v);
      }
    }
  }
  return { width, height, data: out };
}
