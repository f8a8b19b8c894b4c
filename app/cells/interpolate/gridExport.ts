/**
 * Exports of interpolation results, without DOM (so tests can check the bytes): a grid of
 * avatars as one PNG at a chosen scale (its manifest, one entry per avatar, rides in a text
 * chunk), and a walk as a ZIP of numbered PNG frames plus the recipes that make them
 * (frames.json), so the walk can be rebuilt or turned into a video with any tool. Labels are
 * drawn by the cell on a canvas (./labelledGrid.ts).
 */

import { zipSync } from "fflate";
import type { PixelImage } from "@/lib/edit/pixels";
import { encodePng, latin1Json } from "@/lib/edit/png";
import { describeRecipe } from "@/lib/recipe/describe";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

/** Export sizes: each avatar pixel becomes scale x scale (a 64 px avatar: 64 to 512 px). */
export const EXPORT_SCALES = [1, 2, 4, 8] as const;
export type ExportScale = (typeof EXPORT_SCALES)[number];

/** Enlarge by a whole factor, pixel by pixel (slides and papers keep the avatar's real pixels). */
export function upscaleNearest(image: PixelImage, scale: number): PixelImage {
  if (scale === 1) return image;
  const width = image.width * scale;
  const height = image.height * scale;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / scale) * image.width;
    for (let x = 0; x < width; x++) {
      const src = (row + Math.floor(x / scale)) * 4;
      data.set(image.data.subarray(src, src + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** One entry per avatar of a grid, row-major: where it is, what it shows, and its recipe. */
export interface ManifestEntry {
  index: number;
  row: number;
  column: number;
  caption: string;
  recipe: AvatarRecipe;
}

export function gridManifest(recipes: readonly AvatarRecipe[], columns: number): ManifestEntry[] {
  return recipes.map((recipe, index) => ({ index, row: Math.floor(index / columns), column: index % columns, caption: describeRecipe(recipe), recipe }));
}

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

/** The text chunk of an exported grid: its columns and the manifest of every avatar in it. */
export function gridText(recipes: readonly AvatarRecipe[], columns: number): Record<string, string> {
  return { "avatargan-grid": latin1Json({ columns, avatars: gridManifest(recipes, columns) }) };
}

/** The grid with each avatar enlarged `scale` times (the gaps too, so the layout keeps its look). */
export function scaledGrid(images: readonly PixelImage[], columns: number, scale: number): PixelImage {
  return composeGrid(images.map((im) => upscaleNearest(im, scale)), columns, 2 * scale);
}

/** The grid as a PNG, each avatar enlarged `scale` times, with its manifest. */
export function gridPng(images: readonly PixelImage[], columns: number, recipes: readonly AvatarRecipe[], scale: number = 1): Uint8Array {
  return encodePng(scaledGrid(images, columns, scale), gridText(recipes, columns));
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
