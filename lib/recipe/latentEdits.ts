/**
 * Latent edits stored in an avatar recipe (./recipe.ts): how an avatar's z, c and w
 * differ from plain "seed + tags". Plain JSON; `{}` is no edit. Each field is optional and the
 * maths that applies it lives in lib/latent (no React, no tf.js in the types); lib/gan/latents.ts
 * applies them in this order:
 *
 *   z = z(seed) -> perturb -> toward (space "z")          c = c(tags) -> conditionToward -> directions in c
 *   w = mapping(z, c), truncated toward the global or the condition's mean w
 *     -> toward (space "w") -> directions in w -> mix (per layer)
 */

/** Which space a tag direction moves in: w (the default) or the condition c (lib/latent/directions.ts). */
export type DirectionSpace = "w" | "c";

/** One slider: a tag, how far, and in which space. */
export interface TagDirection {
  tag: string;
  amount: number;
  space?: DirectionSpace;
}

export interface LatentEdits {
  /** Nudge z: z' = (z(seed) + amount * z(perturb.seed)) / sqrt(1 + amount^2), still a standard normal sample. */
  perturb?: { seed: number; amount: number };
  /** Interpolate toward another seed (same condition): slerp in z, or lerp in w (after mapping and truncation). */
  toward?: { seed: number; t: number; space: "z" | "w" };
  /** Interpolate the condition: c' = lerp(c(tags), c(tags2), t). */
  conditionToward?: { tags: string[]; t: number };
  /**
   * Move along tag directions (lib/latent/directions.ts), several at once. `space` "w" (the
   * default when absent) adds the tag's averaged w direction; "c" moves the condition itself.
   */
  directions?: TagDirection[];
  /**
   * Style mixing: synthesis layers [start, end) take their w from another seed (same condition,
   * truncation and directions); see lib/latent/mixing.ts for the coarse/middle/fine bands.
   */
  mix?: { seed: number; start: number; end: number };
  /**
   * A projected face ("Find my character", `python -m avatargan project`): the w found for a
   * picture replaces mapping(z, c); one row (space "w") or one per synthesis layer ("w+").
   * Truncation and every later edit apply as usual; psi 1 renders it exactly as found.
   */
  projected?: { space: "w" | "w+"; ws: number[][] };
}

/** The most rows and columns a projected w may have (bounds what a file can carry). */
export const MAX_PROJECTED_ROWS = 64;
export const MAX_PROJECTED_DIM = 4096;

/** True when the edits change nothing (absent fields, or fields that are the identity). */
export function isIdentityEdit(latent: LatentEdits | undefined): boolean {
  if (!latent) return true;
  const { perturb, toward, conditionToward, directions, mix, projected } = latent;
  return !projected && (!perturb || perturb.amount === 0)
    && (!toward || toward.t === 0)
    && (!conditionToward || conditionToward.t === 0)
    && (!directions || directions.every((d) => d.amount === 0))
    && (!mix || mix.start >= mix.end);
}
