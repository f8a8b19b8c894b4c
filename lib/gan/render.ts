/**
 * Recipes -> pixels: the one front door to the generator. Every avatar on screen, in the
 * favourites tray, in an export, after a re-import, in the tests and in the bench goes through
 * here, so a recipe always gives the same pixels.
 *
 *   recipeWs -> synthesize (renderFloats) -> uint8 pixels -> upscale (when the recipe asks) -> applyEdits
 *
 * Batches use only the warmed-up sizes (WebGPU compiles shaders per batch size): a short
 * last batch is padded with copies of its last recipe and the copies dropped, which is safe
 * because an avatar is a pure function of its recipe, whatever its batch. Every tensor made
 * here is disposed here; callers get plain byte arrays.
 */

import * as tf from "@tensorflow/tfjs-core";
import type { AvatarGenerator } from "./generator";
import { recipeWs } from "./latents";
import type { AvatarRecipe, UpscaleSettings } from "@/lib/recipe/recipe";
import { toImageData, type PixelImage } from "@/lib/edit/pixels";
import { applyEdits } from "@/lib/edit/apply";

/** What render needs of an upscaler (lib/gan/upscaler.ts implements it). */
export interface ImageUpscaler {
  upscale(image: PixelImage, settings: UpscaleSettings): Promise<PixelImage>;
}

export interface RenderModels {
  generator: AvatarGenerator;
  /** Needed only when a recipe has `upscale` set. */
  upscaler?: ImageUpscaler;
}

export interface RenderOptions {
  /** Called after each batch with the number of avatars finished so far. */
  onProgress?(done: number, total: number): void;
  /** Checked between batches: a render whose result is no longer wanted stops early. */
  isCancelled?(): boolean;
}

export class RenderCancelledError extends Error {
  constructor() {
    super("render cancelled");
    this.name = "RenderCancelledError";
  }
}

/**
 * One image per recipe, in order. `batchSizes` are the warmed-up batch sizes (ascending);
 * batches never use any other size.
 */
export async function renderRecipes(
  models: RenderModels,
  recipes: readonly AvatarRecipe[],
  batchSizes: readonly number[],
  options: RenderOptions = {},
): Promise<PixelImage[]> {
  if (recipes.length === 0) return [];
  checkBatchSizes(batchSizes);
  if (recipes.some((r) => r.upscale) && !models.upscaler) {
    throw new Error("a recipe asks for upscaling but no upscaler was given to renderRecipes");
  }
  const largest = batchSizes[batchSizes.length - 1];
  const out: PixelImage[] = [];
  for (let start = 0; start < recipes.length; start += largest) {
    if (options.isCancelled?.()) throw new RenderCancelledError();
    const chunk = recipes.slice(start, start + largest);
    const raw = await synthesizeBatch(models.generator, padBatch(chunk, batchSizes));
    for (let i = 0; i < chunk.length; i++) out.push(await finishImage(models, chunk[i], raw[i]));
    options.onProgress?.(out.length, recipes.length);
    // Let the page paint between batches (WASM and CPU run on the page's thread).
    if (out.length < recipes.length) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return out;
}

/** Pad `chunk` to the smallest warmed-up size that holds it, repeating its last recipe. */
export function padBatch<T>(chunk: readonly T[], batchSizes: readonly number[]): T[] {
  const size = batchSizes.find((n) => n >= chunk.length) ?? batchSizes[batchSizes.length - 1];
  return Array.from({ length: size }, (_, i) => chunk[Math.min(i, chunk.length - 1)]);
}

/**
 * The generator's raw output for recipes, before pixels: [N, R, R, C] float in about [-1, 1]
 * (no upscale, no pixel edits; the parity tests compare these with PyTorch). The caller disposes it.
 */
export function renderFloats(generator: AvatarGenerator, recipes: readonly AvatarRecipe[]): tf.Tensor4D {
  return tf.tidy(() => generator.synthesize(recipeWs(generator, recipes)));
}

async function synthesizeBatch(generator: AvatarGenerator, recipes: readonly AvatarRecipe[]): Promise<PixelImage[]> {
  const images = renderFloats(generator, recipes);
  try {
    return await toImageData(images);
  } finally {
    images.dispose();
  }
}

async function finishImage(models: RenderModels, recipe: AvatarRecipe, image: PixelImage): Promise<PixelImage> {
  const upscaled = recipe.upscale && models.upscaler ? await models.upscaler.upscale(image, recipe.upscale) : image;
  return applyEdits(upscaled, recipe.edits);
}

function checkBatchSizes(batchSizes: readonly number[]): void {
  if (batchSizes.length === 0) throw new Error("renderRecipes: no batch sizes given");
  for (let i = 0; i < batchSizes.length; i++) {
    const n = batchSizes[i];
    if (!Number.isInteger(n) || n < 1 || (i > 0 && n <= batchSizes[i - 1])) {
      throw new Error(`renderRecipes: batch sizes must be ascending positive integers, got [${batchSizes.join(", ")}]`);
    }
  }
}
