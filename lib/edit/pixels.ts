/**
 * Image value range: the one place in TypeScript where model floats become pixels and back.
 *
 * Models read and write NHWC float in [-1, 1]. The formulas are Python's
 * training/avatargan/images.py, in float32: u8 = clamp(floor(x * 127.5 + 128), 0, 255) out,
 * x = u8 / 127.5 - 1 in.
 * Math.fround after each operation reproduces numpy's float32 rounding exactly, so a pixel
 * differs from PyTorch's only when the float differs. No React, no DOM: the result is an
 * ImageData-compatible object that `new ImageData(data, width, height)` or a canvas accepts.
 */

import * as tf from "@tensorflow/tfjs-core";

/** What a canvas needs: RGBA bytes, row-major, 4 per pixel (the shape of DOM ImageData). */
export interface PixelImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** One generator float in [-1, 1] -> one byte, in float32 arithmetic as numpy does it. */
export function toUint8(x: number): number {
  const scaled = Math.floor(Math.fround(Math.fround(x * 127.5) + 128));
  if (Number.isNaN(scaled)) return 0; // numpy would give an undefined cast; a black pixel is honest
  return scaled < 0 ? 0 : scaled > 255 ? 255 : scaled;
}

/** Floats in [-1, 1] -> bytes, element by element (keeps the layout). */
export function floatsToUint8(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toUint8(values[i]);
  return out;
}

/**
 * Floats [-1, 1] of one image, HWC with `channels` 1, 3 or 4 -> RGBA bytes.
 * Grey images are copied to R, G and B; alpha is opaque unless the image has its own.
 */
export function floatsToRgba(values: ArrayLike<number>, width: number, height: number, channels: number,
                             offset = 0): Uint8ClampedArray {
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new Error(`images must have 1, 3 or 4 channels, got ${channels}`);
  }
  const pixels = width * height;
  if (offset + pixels * channels > values.length) {
    throw new Error(`expected ${pixels * channels} values for a ${width}x${height}x${channels} image, got ${values.length - offset}`);
  }
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const src = offset + p * channels;
    const r = toUint8(values[src]);
    rgba[p * 4] = r;
    rgba[p * 4 + 1] = channels === 1 ? r : toUint8(values[src + 1]);
    rgba[p * 4 + 2] = channels === 1 ? r : toUint8(values[src + 2]);
    rgba[p * 4 + 3] = channels === 4 ? toUint8(values[src + 3]) : 255;
  }
  return rgba;
}

/**
 * A batch of NHWC float images in [-1, 1] (or one HWC image) -> one PixelImage per image.
 * Reads with `await t.data()`; does not dispose `images` (its owner does).
 */
export async function toImageData(images: tf.Tensor): Promise<PixelImage[]> {
  const shape = images.rank === 3 ? [1, ...images.shape] : images.shape;
  if (shape.length !== 4) throw new Error(`expected images [N, H, W, C] or [H, W, C], got shape [${images.shape.join(", ")}]`);
  const [count, height, width, channels] = shape;
  const values = await images.data();
  const perImage = height * width * channels;
  const out: PixelImage[] = [];
  for (let n = 0; n < count; n++) {
    out.push({ width, height, data: floatsToRgba(values as Float32Array, width, height, channels, n * perImage) });
  }
  return out;
}

/** RGBA bytes -> RGB bytes (drops alpha): for comparing with Python's uint8 NHWC arrays and for exporters. */
export function rgbaToRgb(rgba: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    out[q] = rgba[p];
    out[q + 1] = rgba[p + 1];
    out[q + 2] = rgba[p + 2];
  }
  return out;
}

/**
 * RGBA images of one size -> [N, H, W, 3] float in [-1, 1] (Python's from_uint8: u8 / 127.5 - 1;
 * alpha is dropped: avatars are opaque). The caller disposes the tensor.
 */
export function pixelsToTensor(images: readonly PixelImage[]): tf.Tensor4D {
  if (images.length === 0) throw new Error("pixelsToTensor: no images given");
  const { width, height } = images[0];
  const pixels = width * height;
  const values = new Float32Array(images.length * pixels * 3);
  images.forEach((image, n) => {
    if (image.width !== width || image.height !== height) throw new Error("pixelsToTensor: images must all have the same size");
    if (image.data.length !== pixels * 4) {
      throw new Error(`a ${width}x${height} image needs ${pixels * 4} RGBA bytes, got ${image.data.length}`);
    }
    for (let p = 0, q = n * pixels * 3; p < pixels * 4; p += 4, q += 3) {
      values[q] = Math.fround(image.data[p] / 127.5) - 1;
      values[q + 1] = Math.fround(image.data[p + 1] / 127.5) - 1;
      values[q + 2] = Math.fround(image.data[p + 2] / 127.5) - 1;
    }
  });
  return tf.tensor4d(values, [images.length, height, width, 3]);
}
