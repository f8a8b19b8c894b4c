/**
 * Recipes -> the per-layer w the synthesis network runs on: seed -> z, tags -> c, mapping,
 * truncation, then the recipe's latent edits (lib/latent/latentEdits.ts), in this order:
 *
 *   z: z(seed) -> perturb -> toward in z (slerp)        c: c(tags) -> conditionToward -> directions in c
 *   w = mapping(z, c); w = centre + psi (w - centre), centre = w_avg or the condition's mean w
 *   w -> toward in w (lerp with the other seed's w, same c and centre) -> + directions in w
 *   ws = w for every layer, except layers [mix.start, mix.end) which take the mixed seed's w
 *
 * This is the one place a recipe's latent part becomes tensors, so every cell, the export
 * round trip and the tests agree on what a recipe means. A batch whose recipes have no latent
 * edits and global truncation takes the plain path, bit-identical to what it always was; each
 * edit only touches the rows that ask for it (an avatar does not depend on its batch).
 */

import * as tf from "@tensorflow/tfjs-core";
import type { AvatarRecipe } from "./recipe";
import type { AvatarGenerator } from "./generator";
import { conditionMeanW, tagDirectionW } from "./latentStats";
import { lerp, slerp } from "@/lib/latent/interpolate";
import { shiftCondition } from "@/lib/latent/directions";
import { checkLayerRange } from "@/lib/latent/mixing";
import { seedToZ, seedsToZ } from "@/lib/latent/seed";

/** ws [N, numWs, w_dim] for the recipes. The caller disposes the result. */
export function recipeWs(generator: AvatarGenerator, recipes: readonly AvatarRecipe[]): tf.Tensor3D {
  const n = recipes.length;
  if (n === 0) throw new Error("recipeWs: no recipes given");
  const plain = recipes.every((r) => Object.keys(r.latent ?? {}).length === 0 && r.truncation === "global");
  return plain ? plainWs(generator, recipes) : editedWs(generator, recipes);
}

function plainWs(generator: AvatarGenerator, recipes: readonly AvatarRecipe[]): tf.Tensor3D {
  const { z_dim, c_dim } = generator.config;
  const n = recipes.length;
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

/** Per recipe: its final z and c (float32 rows) and what happens after mapping. */
interface RowPlan {
  z: Float32Array;
  c: Float32Array;
  psi: number;
  perCondition: boolean;
  towardW: { z: Float32Array; t: number } | null;
  wDirections: { tag: string; amount: number }[];
  mix: { z: Float32Array; start: number; end: number } | null;
}

function planRow(generator: AvatarGenerator, recipe: AvatarRecipe): RowPlan {
  const { z_dim } = generator.config;
  const vocab = generator.vocab;
  const latent = recipe.latent ?? {};
  let z = seedToZ(recipe.seed, z_dim);
  if (latent.perturb && latent.perturb.amount !== 0) {
    const { seed, amount } = latent.perturb;
    const other = seedToZ(seed, z_dim);
    const scale = 1 / Math.sqrt(1 + amount * amount);
    z = z.map((v, i) => (v + amount * other[i]) * scale);
  }
  let towardW: RowPlan["towardW"] = null;
  if (latent.toward) {
    const other = seedToZ(latent.toward.seed, z_dim);
    if (latent.toward.space === "z") z = slerp(z, other, latent.toward.t);
    else towardW = { z: other, t: latent.toward.t };
  }
  let c = vocab.encode(recipe.tags);
  if (latent.conditionToward) c = lerp(c, vocab.encode(latent.conditionToward.tags), latent.conditionToward.t);
  const wDirections: RowPlan["wDirections"] = [];
  for (const d of latent.directions ?? []) {
    if (d.space === "c") c = shiftCondition(vocab, c, d.tag, d.amount);
    else {
      vocab.index(d.tag); // unknown tags fail here, with the vocabulary in the message
      wDirections.push({ tag: d.tag, amount: d.amount });
    }
  }
  let mix: RowPlan["mix"] = null;
  if (latent.mix) {
    checkLayerRange(latent.mix, generator.numWs);
    mix = { z: seedToZ(latent.mix.seed, z_dim), start: latent.mix.start, end: latent.mix.end };
  }
  return { z, c, psi: recipe.psi, perCondition: recipe.truncation === "condition", towardW, wDirections, mix };
}

function editedWs(generator: AvatarGenerator, recipes: readonly AvatarRecipe[]): tf.Tensor3D {
  const plans = recipes.map((r) => planRow(generator, r));
  const { z_dim, c_dim, w_dim } = generator.config;
  const n = plans.length;
  const numWs = generator.numWs;
  return tf.tidy(() => {
    const c = tf.tensor2d(rowMajor(plans.map((p) => p.c), c_dim), [n, c_dim]);
    const centre = tf.stack(plans.map((p) => (p.perCondition ? conditionMeanW(generator, p.c) : generator.wAvg))) as tf.Tensor2D;
    const psi = tf.tensor2d(plans.map((p) => p.psi), [n, 1]);
    const mapTruncated = (zRows: Float32Array[]): tf.Tensor2D => {
      const w = generator.map(tf.tensor2d(rowMajor(zRows, z_dim), [n, z_dim]), c); // [N, w_dim]
      return tf.add(centre, tf.mul(tf.sub(w, centre), psi)) as tf.Tensor2D;
    };
    let w = mapTruncated(plans.map((p) => p.z));
    if (plans.some((p) => p.towardW)) {
      const other = mapTruncated(plans.map((p) => p.towardW?.z ?? p.z));
      const t = tf.tensor2d(plans.map((p) => p.towardW?.t ?? 0), [n, 1]);
      w = tf.add(w, tf.mul(tf.sub(other, w), t));
    }
    const offset = directionOffset(generator, plans, w_dim);
    if (offset) w = tf.add(w, offset);
    let ws = tf.tile(tf.expandDims(w, 1), [1, numWs, 1]) as tf.Tensor3D; // [N, numWs, w_dim]
    if (plans.some((p) => p.mix)) {
      let mixed = mapTruncated(plans.map((p) => p.mix?.z ?? p.z));
      if (offset) mixed = tf.add(mixed, offset);
      const mask = new Float32Array(n * numWs); // 1 where the layer takes the mixed seed's w
      plans.forEach((p, i) => {
        if (p.mix) for (let l = p.mix.start; l < p.mix.end; l++) mask[i * numWs + l] = 1;
      });
      const useMixed = tf.cast(tf.tensor3d(mask, [n, numWs, 1]), "bool");
      ws = tf.where(tf.broadcastTo(useMixed, [n, numWs, w_dim]), tf.tile(tf.expandDims(mixed, 1), [1, numWs, 1]), ws) as tf.Tensor3D;
    }
    return ws;
  });
}

/** Sum of amount x direction per row [N, w_dim], or null when no row moves along a w direction. */
function directionOffset(generator: AvatarGenerator, plans: RowPlan[], wDim: number): tf.Tensor2D | null {
  if (!plans.some((p) => p.wDirections.length > 0)) return null;
  const rows = plans.map((p) =>
    p.wDirections.reduce<tf.Tensor1D>(
      (sum, d) => tf.add(sum, tf.mul(tagDirectionW(generator, d.tag), d.amount)),
      tf.zeros([wDim]),
    ),
  );
  return tf.stack(rows) as tf.Tensor2D;
}

function rowMajor(rows: Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => out.set(row, i * dim));
  return out;
}
