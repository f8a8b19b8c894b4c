/**
 * Exports of interpolation results, without DOM (so tests can check the bytes): a grid of
 * avatars as one PNG, and a walk as a ZIP of numbered PNG frames plus the recipes that make
 * them (frames.json), so the walk can be rebuilt or turned into a video with any tool.
 */

import { zipSync } from "fflate";
import type { PixelImage } from "@/lib/edit/pixels";
import { encodePng } from "@/lib/edit/png";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

/** Avatars (all the same size) row-major into one image, `gap` px of background between them. */
export function composeGrid(images: readonly PixelImage[], columns: number, gap = 2, background: [number, number, number] = [20, 21, 28]): PixelImage {
  if (images.length === 0) throw new Error("composeGrid: no images");
  const { width, height } = images[0];
  if (images.some((im) => im.width !== width || im.height !== height)) throw new Error("composeGrid: images must all have the same size");
  const cols = Math.max(1, Math.min(columns, images.length));
  const rows = Math.ceil(images.length / cols);
  const outW = cols * width + (cols - 1) * gap;
  const outH = rows * height + (rows - 1) * gap;
  const data = new Uint8ClampedArray(outW * outH * 4);
  for (let p = 0; p < outW * outH; p++) data.set([...background, 255], p * 4);
  images.forEach((im, i) => {
    const x0 = (i % cols) * (width + gap);
    const y0 = Math.floor(i / cols) * (height + gap);
    for (let y = 0; y < height; y++) {
      data.set(im.data.subarray(y * width * 4, (y + 1) * width * 4), ((y0 + y) * outW + x0) * 4);
    }
  });
  return { width: outW, height: outH, data };
}

export function gridPng(images: readonly PixelImage[], columns: number, recipes: readonly AvatarRecipe[]): Uint8Array {
  return encodePng(composeGrid(images, columns), { "avatargan-grid": JSON.stringify({ columns, recipes }) });
}

/** frame-000.png, frame-001.png, ... and frames.json (the recipes, in order). */
export function framesZip(frames: readonly PixelImage[], recipes: readonly AvatarRecipe[]): Uint8Array {
  const digits = Math.max(3, String(frames.length - 1).length);
  const files: Record<string, Uint8Array> = {};
  frames.forEach((frame, i) => {
    files[`frame-${String(i).padStart(digits, "0")}.png`] = encodePng(frame);
  });
  files["frames.json"] = new TextEncoder().encode(JSON.stringify({ recipes }, null, 1) + "\n");
  return zipSync(files, { level: 0 }); // PNGs are already compressed
}
