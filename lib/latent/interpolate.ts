/**
 * Interpolation maths and the recipe grids built on it: slerp between seeds in z (z is a
 * Gaussian sample, so a straight line would pass through improbably short vectors), lerp in w
 * and in c (both are used as they come out of mapping / the vocabulary), and the walks and
 * two-axis grids the interpolation cell shows. Grids are lists of recipes whose
 * `latent.toward` / `latent.conditionToward` carry the position, so every cell of a grid can be
 * starred, exported and re-rendered on its own (lib/gan/latents.ts applies them).
 */

import type { AvatarRecipe } from "@/lib/recipe/recipe";

/** a + t (b - a), element by element, in float64 and stored as float32. */
export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  checkSameLength(a, b, "lerp");
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + t * (b[i] - a[i]);
  return out;
}

/**
 * Spherical interpolation: moves along the great circle from a to b, so the norm changes
 * smoothly from |a| to |b| (and stays constant when they are equal). t = 0 gives a and t = 1
 * gives b exactly. Vectors closer than ~1e-6 rad fall back to lerp, where slerp's sin ratio
 * would divide by nearly zero; opposite vectors have no unique circle and are rejected.
 */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  checkSameLength(a, b, "slerp");
  if (t === 0) return Float32Array.from(a);
  if (t === 1) return Float32Array.from(b);
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) return lerp(a, b, t);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  const cos = Math.min(1, Math.max(-1, dot / (na * nb)));
  const omega = Math.acos(cos);
  if (omega < 1e-6) return lerp(a, b, t);
  if (Math.PI - omega < 1e-6) throw new Error("slerp: the vectors point in opposite directions; no unique path");
  const sin = Math.sin(omega);
  const wa = Math.sin((1 - t) * omega) / sin;
  const wb = Math.sin(t * omega) / sin;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

export function norm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  return Math.sqrt(sum);
}

/** `steps` evenly spaced positions from 0 to 1 inclusive (steps >= 2). */
export function interpolationSteps(steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 2) throw new RangeError(`steps must be an integer >= 2, got ${steps}`);
  return Array.from({ length: steps }, (_, i) => i / (steps - 1));
}

/** Frame positions of an animation that runs 0 -> 1 -> 0 without repeating the ends (a seamless loop). */
export function pingPongSteps(steps: number): number[] {
  const forward = interpolationSteps(steps);
  return [...forward, ...forward.slice(1, -1).reverse()];
}

export type InterpolationSpace = "z" | "w";

/** What a grid interpolates along one axis. */
export type GridAxis =
  | { kind: "seed"; toSeed: number; space: InterpolationSpace; steps: number }
  | { kind: "condition"; toTags: string[]; steps: number };

/** The recipe at position t along `axis`, starting from `base` (its other latent edits are kept). */
export function recipeAlong(base: AvatarRecipe, axis: GridAxis, t: number): AvatarRecipe {
  const latent = { ...base.latent };
  if (axis.kind === "seed") latent.toward = { seed: axis.toSeed, t, space: axis.space };
  else latent.conditionToward = { tags: [...axis.toTags], t };
  return { ...base, latent };
}

/** A one-axis walk: `axis.steps` recipes from base (t = 0) to the target (t = 1). */
export function walkRecipes(base: AvatarRecipe, axis: GridAxis): AvatarRecipe[] {
  return interpolationSteps(axis.steps).map((t) => recipeAlong(base, axis, t));
}

/** A two-axis grid, row-major: rows move along `rows`, columns along `columns`. */
export function gridRecipes(base: AvatarRecipe, rows: GridAxis, columns: GridAxis): AvatarRecipe[] {
  if (rows.kind === columns.kind) throw new Error(`a two-axis grid needs two different axes, got '${rows.kind}' twice`);
  const out: AvatarRecipe[] = [];
  for (const tr of interpolationSteps(rows.steps)) {
    const rowBase = recipeAlong(base, rows, tr);
    for (const tc of interpolationSteps(columns.steps)) out.push(recipeAlong(rowBase, columns, tc));
  }
  return out;
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: vectors have lengths ${a.length} and ${b.length}`);
}
