/**
 * The face a projection looks for, as the notebook stores it: a square crop of the user's
 * picture, resampled to the generator's resolution with Pillow's bicubic (project.py's target
 * is a Lanczos resize; both are antialiased), kept as base64 RGB bytes. No DOM, no tf.js.
 */

import type { CropRect } from "@/lib/edit/geometry";
import { crop } from "@/lib/edit/geometry";
import { rgbaToRgb, type PixelImage } from "@/lib/edit/pixels";
import { bicubic } from "@/lib/edit/resample";
import type { ProjectTarget } from "./spec";

/** The square `frame` of `picture`, at size x size. */
export function cropTarget(picture: PixelImage, frame: CropRect, size: number): PixelImage {
  if (frame.width !== frame.height) throw new Error(`the crop must be square, got ${frame.width}x${frame.height}`);
  const square = crop(picture, frame);
  return square.width === size ? square : bicubic(square, size, size);
}

export function encodeTarget(name: string, image: PixelImage): ProjectTarget {
  if (image.width !== image.height) throw new Error(`a target is square, got ${image.width}x${image.height}`);
  const rgb = rgbaToRgb(image.data);
  let binary = "";
  for (let i = 0; i < rgb.length; i += 0x8000) binary += String.fromCharCode(...rgb.subarray(i, i + 0x8000));
  return { name, size: image.width, rgb: btoa(binary) };
}

export function decodeTarget(target: ProjectTarget): PixelImage {
  const binary = atob(target.rgb);
  const pixels = target.size * target.size;
  if (binary.length !== pixels * 3) throw new Error(`target ${target.name}: ${binary.length} bytes for ${target.size}x${target.size} RGB`);
  const data = new Uint8ClampedArray(pixels * 4);
  for (let p = 0, q = 0; p < data.length; p += 4, q += 3) {
    data[p] = binary.charCodeAt(q);
    data[p + 1] = binary.charCodeAt(q + 1);
    data[p + 2] = binary.charCodeAt(q + 2);
    data[p + 3] = 255;
  }
  return { width: target.size, height: target.size, data };
}
