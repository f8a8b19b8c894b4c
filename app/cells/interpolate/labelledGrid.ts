/**
 * The exported grid with its axes written on it, for slides and papers: a title line, a label
 * over each column and beside each row, drawn on a canvas around the grid of ./gridExport.ts
 * (the avatars' pixels are copied, not redrawn). The manifest rides in the PNG as before.
 */

import type { PixelImage } from "@/lib/edit/pixels";
import { encodePng } from "@/lib/edit/png";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { gridText, scaledGrid } from "./gridExport";
import type { GridLabels } from "./spec";

const BACKGROUND = "#14151c";
const TEXT = "#e8e9f1";

export function labelledGridPng(images: readonly PixelImage[], columns: number, recipes: readonly AvatarRecipe[], scale: number, labels: GridLabels): Uint8Array {
  const gap = 2 * scale;
  const grid = scaledGrid(images, columns, scale);
  const tile = images[0].width * scale;
  const fontSize = Math.min(28, Math.max(11, Math.round(tile / 9)));
  const font = `${fontSize}px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif`;
  const measure = document.createElement("canvas").getContext("2d")!;
  measure.font = font;
  const pad = Math.round(fontSize * 0.6);
  const left = labels.rows.length ? Math.ceil(Math.max(...labels.rows.map((r) => measure.measureText(r).width))) + 2 * pad : pad;
  const titleHeight = Math.round(fontSize * 1.6);
  const top = titleHeight + (labels.columns.length ? Math.round(fontSize * 1.5) : 0);
  const width = Math.max(left + grid.width + pad, Math.ceil(measure.measureText(labels.title).width) + 2 * pad);
  const height = top + grid.height + pad;

  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  ctx.putImageData(new ImageData(new Uint8ClampedArray(grid.data), grid.width, grid.height), left, top);
  ctx.fillStyle = TEXT;
  ctx.font = font;
  ctx.textBaseline = "middle";
  ctx.textAlign = "left";
  ctx.fillText(labels.title, pad, titleHeight / 2 + pad / 2);
  ctx.textAlign = "center";
  labels.columns.forEach((text, c) => ctx.fillText(text, left + c * (tile + gap) + tile / 2, titleHeight + fontSize * 0.75));
  ctx.textAlign = "right";
  labels.rows.forEach((text, r) => ctx.fillText(text, left - pad, top + r * (tile + gap) + tile / 2));
  const pixels = ctx.getImageData(0, 0, width, height);
  return encodePng({ width, height, data: pixels.data }, gridText(recipes, columns));
}
