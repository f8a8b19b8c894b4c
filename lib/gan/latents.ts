/**
 * Recipes -> the per-layer w the synthesis network runs on: seed -> z, tags -> c, mapping,
 * truncation, then the recipe's latent edits (lib/recipe/latentEdits.ts), in this order:
 *
 *   z: z(seed) -> perturb -> toward in z (slerp)        c: c(tags) -> conditionToward -> directions in c
 *   w = mapping(z, c); w = centre + psi (w - centre), centre = w_avg or the condition's mean w
 *   w -> toward in w (lerp with the other seed's w, same c and centre) -> + directions in w
 *   ws = w for every layer, except layers [mix.start, mix.end) which take the mixed seed's w
 *   A projected recipe's w (one row, or one per layer) stands in for mapping(z, c); with psi 1
 *   it is used exactly as stored, otherwise truncated like any w.
 *
 * This is the one place a recipe's latent part becomes tensors, so every cell, the export
 * round trip and the tests agree on what a recipe means. A batch whose recipes have no latent
 * edits and global truncation takes the plain path, bit-identical to what it always was; each
 * edit only touches the rows that ask for it (an avatar does not depend on its batch).
 */

import * as tf from "@tensorflow/tfjs-core";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { AvatarGenerator } from "./generator";
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
    const truncated = generator.latent.truncate(generator.map(z, c), tf.tensor2d(psis, [n, 1])); // [N, w_dim]
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
  /** [numWs * w_dim] row-major, the projected w of every layer; null for a seed's own w. */
  projected: Float32Array | null;
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
  return { z, c, psi: recipe.psi, perCondition: recipe.truncation === "condition", towardW, wDirections, mix,
    projected: latent.projected ? projectedLayers(latent.projected, generator.numWs, generator.config.w_dim) : null };
}

function projectedLayers(projected: NonNullable<AvatarRecipe["latent"]["projected"]>, numWs: number, wDim: number): Float32Array {
  const { space, ws } = projected;
  if (ws.some((row) => row.length !== wDim)) throw new Error(`latent.projected: rows of ${ws[0]?.length} numbers; this model's w has ${wDim}`);
  if (space === "w+" && ws.length !== numWs) throw new Error(`latent.projected: ${ws.length} layers of w+; this model has ${numWs}`);
  const out = new Float32Array(numWs * wDim);
  for (let l = 0; l < numWs; l++) out.set(ws[space === "w" ? 0 : l], l * wDim);
  return out;
}

function editedWs(generator: AvatarGenerator, recipes: readonly AvatarRecipe[]): tf.Tensor3D {
  const plans = recipes.map((r) => planRow(generator, r));
  const { z_dim, c_dim, w_dim } = generator.config;
  const n = plans.length;
  const numWs = generator.numWs;
  return tf.tidy(() => {
    const c = tf.tensor2d(rowMajor(plans.map((p) => p.c), c_dim), [n, c_dim]);
    const { latent } = generator;
    const centre = tf.stack(plans.map((p) => (p.perCondition ? latent.conditionMean(p.c) : latent.wAvg))) as tf.Tensor2D;
    const psi = tf.tensor2d(plans.map((p) => p.psi), [n, 1]);
    const mapTruncated = (zRows: Float32Array[]): tf.Tensor2D => {
      const w = generator.map(tf.tensor2d(rowMajor(zRows, z_dim), [n, z_dim]), c); // untruncated [N, w_dim]
      return latent.truncate(w, psi, centre);
    };
    const layers = (w2: tf.Tensor2D) => tf.tile(tf.expandDims(w2, 1), [1, numWs, 1]) as tf.Tensor3D; // [N, numWs, w_dim]
    let ws = layers(mapTruncated(plans.map((p) => p.z)));
    if (plans.some((p) => p.projected)) ws = withProjected(generator, ws, plans, centre, psi);
    if (plans.some((p) => p.towardW)) {
      const other = layers(mapTruncated(plans.map((p) => p.towardW?.z ?? p.z)));
      const t = tf.tensor3d(plans.map((p) => p.towardW?.t ?? 0), [n, 1, 1]);
      ws = tf.add(ws, tf.mul(tf.sub(other, ws), t));
    }
    const offset = directionOffset(generator, plans, w_dim);
    if (offset) ws = tf.add(ws, tf.expandDims(offset, 1));
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

/** ws with the projected rows put in: exactly as stored at psi 1, else centre + psi (w - centre). */
function withProjected(generator: AvatarGenerator, ws: tf.Tensor3D, plans: RowPlan[], centre: tf.Tensor2D, psi: tf.Tensor2D): tf.Tensor3D {
  const n = plans.length;
  const { numWs } = generator;
  const wDim = generator.config.w_dim;
  const values = new Float32Array(n * numWs * wDim);
  const isProjected = new Float32Array(n);
  const exact = new Float32Array(n);
  plans.forEach((p, i) => {
    if (!p.projected) return;
    values.set(p.projected, i * numWs * wDim);
    isProjected[i] = 1;
    exact[i] = p.psi === 1 ? 1 : 0;
  });
  const stored = tf.tensor3d(values, [n, numWs, wDim]);
  const truncated = generator.latent.truncate(stored, tf.expandDims(psi, 1), tf.expandDims(centre, 1));
  const mask = (flags: Float32Array) => tf.broadcastTo(tf.cast(tf.tensor3d(flags, [n, 1, 1]), "bool"), [n, numWs, wDim]);
  return tf.where(mask(isProjected), tf.where(mask(exact), stored, truncated), ws) as tf.Tensor3D;
}

/** Sum of amount x direction per row [N, w_dim], or null when no row moves along a w direction. */
function directionOffset(generator: AvatarGenerator, plans: RowPlan[], wDim: number): tf.Tensor2D | null {
  if (!plans.some((p) => p.wDirections.length > 0)) return null;
  const rows = plans.map((p) =>
    p.wDirections.reduce<tf.Tensor1D>(
      (sum, d) => tf.add(sum, tf.mul(generator.latent.tagDirection(d.tag), d.amount)),
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
