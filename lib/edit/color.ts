/**
 * Colour adjustments on RGBA images, computed on the stored sRGB byte values (gamma-encoded,
 * not linear light: what photo editors' basic sliders do, and what makes each result a
 * hand-checkable formula). Alpha is never touched. Every channel result is rounded half up
 * and clamped to [0, 255] once, at the end of the op (image.ts toByte).
 *
 *   saturation a in [-1, 1]:  out = L + (c - L) * (1 + a), L = 0.2126 R + 0.7152 G + 0.0722 B
 *                             (Rec. 709 luma weights); -1 gives grey, +1 doubles the chroma.
 *   brightness a in [-1, 1]:  out = c + 255 a (a shift: -1 is black, +1 is white).
 *   contrast   a in [-1, 1]:  out = 127.5 + (c - 127.5) * (1 + a); -1 gives flat mid-grey.
 *   hue        d in [-180, 180] degrees: rotate the HSV hue by d, keeping HSV saturation and
 *                             value (so the brightest channel stays where it is in level).
 */

import type { PixelImage } from "./pixels";
import { blankImage, toByte } from "./image";

type RgbTransform = (r: number, g: number, b: number, out: Float64Array) => void;

/** Apply a per-pixel RGB transform, copying alpha. */
function mapRgb(image: PixelImage, transform: RgbTransform): PixelImage {
  const out = blankImage(image.width, image.height);
  const rgb = new Float64Array(3);
  const src = image.data;
  for (let i = 0; i < src.length; i += 4) {
    transform(src[i], src[i + 1], src[i + 2], rgb);
    out.data[i] = toByte(rgb[0]);
    out.data[i + 1] = toByte(rgb[1]);
    out.data[i + 2] = toByte(rgb[2]);
    out.data[i + 3] = src[i + 3];
  }
  return out;
}

export const LUMA_WEIGHTS = [0.2126, 0.7152, 0.0722] as const;

export function saturation(image: PixelImage, amount: number): PixelImage {
  const factor = 1 + amount;
  return mapRgb(image, (r, g, b, out) => {
    const luma = LUMA_WEIGHTS[0] * r + LUMA_WEIGHTS[1] * g + LUMA_WEIGHTS[2] * b;
    out[0] = luma + (r - luma) * factor;
    out[1] = luma + (g - luma) * factor;
    out[2] = luma + (b - luma) * factor;
  });
}

export function brightness(image: PixelImage, amount: number): PixelImage {
  const shift = 255 * amount;
  return mapRgb(image, (r, g, b, out) => {
    out[0] = r + shift;
    out[1] = g + shift;
    out[2] = b + shift;
  });
}

export function contrast(image: PixelImage, amount: number): PixelImage {
  const factor = 1 + amount;
  return mapRgb(image, (r, g, b, out) => {
    out[0] = 127.5 + (r - 127.5) * factor;
    out[1] = 127.5 + (g - 127.5) * factor;
    out[2] = 127.5 + (b - 127.5) * factor;
  });
}

export function hue(image: PixelImage, degrees: number): PixelImage {
  return mapRgb(image, (r, g, b, out) => rotateHue(r, g, b, degrees, out));
}

/** RGB (0-255) -> HSV, hue + degrees, -> RGB (floats, unrounded) in `out`. */
export function rotateHue(r: number, g: number, b: number, degrees: number, out: Float64Array): void {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const chroma = max - min;
  if (chroma === 0) {
    out[0] = r; // grey has no hue to rotate
    out[1] = g;
    out[2] = b;
    return;
  }
  let h: number; // in sixths of a turn, [0, 6)
  if (max === r) h = ((g - b) / chroma + 6) % 6;
  else if (max === g) h = (b - r) / chroma + 2;
  else h = (r - g) / chroma + 4;
  h = (((h + degrees / 60) % 6) + 6) % 6;
  // HSV -> RGB with v = max and s = chroma / max: channels are max, min, or a ramp between.
  const sector = Math.floor(h);
  const f = h - sector;
  const rising = min + chroma * f;
  const falling = max - chroma * f;
  const table: [number, number, number][] = [
    [max, rising, min],
    [falling, max, min],
    [min, max, rising],
    [min, falling, max],
    [rising, min, max],
    [max, min, falling],
  ];
  [out[0], out[1], out[2]] = table[sector];
}
