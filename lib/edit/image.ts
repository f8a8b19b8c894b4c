/**
 * Small helpers the edit modules share: allocate an image, turn a float into a byte the same
 * way everywhere (round half up, then clamp), and check an image's buffer matches its size.
 */

import type { PixelImage } from "./pixels";

export function blankImage(width: number, height: number): PixelImage {
  return { width, height, data: new Uint8ClampedArray(width * height * 4) };
}

/**
 * Float -> byte: round half up, clamp to [0, 255]. Written out rather than left to
 * Uint8ClampedArray, which rounds half to even, so the rule is visible and the tests'
 * hand-computed pixels follow it.
 */
export function toByte(value: number): number {
  const rounded = Math.floor(value + 0.5);
  return rounded < 0 ? 0 : rounded > 255 ? 255 : rounded;
}

/** Throws when `image.data` is not width x height RGBA bytes (a hand-made image gone wrong). */
export function assertImage(image: PixelImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`image size must be whole pixels >= 1, got ${width}x${height}`);
  }
  if (data.length !== width * height * 4) {
    throw new Error(`image data has ${data.length} bytes, expected ${width * height * 4} for ${width}x${height} RGBA`);
  }
}
