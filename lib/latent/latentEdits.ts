/**
 * Latent edits stored in an avatar recipe (lib/gan/recipe.ts): how an avatar's z, c and w
 * differ from plain "seed + tags". Plain JSON; `{}` is no edit. Each field is optional and the
 * maths that applies it lives in lib/latent (no React, no tf.js in the types).
 */
export interface LatentEdits {
  /** Nudge z: z' = normalise(z(seed) + amount * z(perturb.seed)) — "a little different". */
  perturb?: { seed: number; amount: number };
  /** Interpolate toward another seed: slerp in z, or lerp in w (after mapping). */
  toward?: { seed: number; t: number; space: "z" | "w" };
  /** Interpolate the condition: c' = lerp(c(tags), c(tags2), t). */
  conditionToward?: { tags: string[]; t: number };
  /** Move w along tag directions (see lib/latent/directions.ts), several at once. */
  directions?: { tag: string; amount: number }[];
  /** Style mixing: synthesis layers [start, end) take their w from another seed (same tags). */
  mix?: { seed: number; start: number; end: number };
}
