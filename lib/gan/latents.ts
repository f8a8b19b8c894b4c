/**
 * Recipes -> the per-layer w the synthesis network runs on: seed -> z, tags -> c, mapping,
 * truncation, then the recipe's latent edits (lib/latent/latentEdits.ts).
 *
 * This is the one place a recipe's latent part becomes tensors, so every cell, the export
 * round trip and the tests agree on what a recipe means.
 */

import * as tf from "@tensorflow/tfjs-core";
import type { AvatarRecipe } from "./recipe";
import type { AvatarGenerator } from "./generator";
import { seedsToZ } from "@/lib/latent/seed";

/** ws [N, numWs, w_dim] for the recipes. The caller disposes the result. */
export function recipeWs(generator: AvatarGenerator, recipes: readonly AvatarRecipe[]): tf.Tensor3D {
  const { z_dim, c_dim } = generator.config;
  const n = recipes.length;
  if (n === 0) throw new Error("recipeWs: no recipes given");
  for (const recipe of recipes) {
    const edits = Object.keys(recipe.latent ?? {});
    if (edits.length > 0) throw new Error(`latent edits not supported yet: ${edits.join(", ")}`);
    if (recipe.truncation !== "global") throw new Error(`truncation '${recipe.truncation}' not supported yet`);
  }
  const psis = recipes.map((r) => r.psi);
  const conditions = new Float32Array(n * c_dim);
  recipes.forEach((r, i) => conditions.set(generator.vocab.encode(r.tags), i * c_dim));
  return tf.tidy(() => {
    const z = tf.tensor2d(seedsToZ(recipes.map((r) => r.seed), z_dim), [n, z_dim]);
    const c = tf.tensor2d(conditions, [n, c_dim]);
    const w = generator.map(z, c); // untruncated [N, w_dim]
    const psi = tf.tensor2d(psis, [n, 1]);
    const truncated = tf.add(generator.wAvg, tf.mul(tf.sub(w, generator.wAvg), psi)) as tf.Tensor2D;
    return tf.tile(tf.expandDims(truncated, 1), [1, generator.numWs, 1]) as tf.Tensor3D;
  });
}
