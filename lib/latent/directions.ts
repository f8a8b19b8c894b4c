/**
 * Tag directions: how to move an avatar toward or away from a tag while keeping its identity.
 *
 * Two kinds, both continuous and stored in a recipe's `latent.directions`:
 *
 * - in w ("w", the default): a fixed vector per tag added to w after truncation,
 *
 *     d(tag) = mean_s w(z_s, c_s[tag on]) - mean_s w(z_s, c_s[tag off])
 *
 *   over the seeds s = 0 .. DIRECTION_SAMPLES - 1, where c_s is a background condition drawn
 *   from the tag priors with seededRandom(DIRECTION_BACKGROUND_SEED + s) (so the other groups
 *   vary as they do in the data), and "on"/"off" set only the tag's own group: for an
 *   exclusive group (hair colour) "on" is the one-hot of the tag and "off" is the average over
 *   the group's other tags; for an independent tag it is the bit set / cleared. Amount 1 is then
 *   "the average effect of switching to this tag". Deterministic, so a recipe reproduces.
 *
 * - in c ("c"): the condition itself moves toward the tag's one-hot, c_g' = c_g + a (e_tag - c_g)
 *   on the tag's group g (only the tag's slot for an independent tag); a = 1 is exactly the tag,
 *   negative a pushes away from it.
 */

import { seededRandom } from "./seed";
import type { TagVocabulary } from "./vocab";

export const DIRECTION_SAMPLES = 64;
export const DIRECTION_BACKGROUND_SEED = 1_000_000;


/**
 * What lib/gan/latentSpace.ts averages for one direction: `variants` conditions per sample
 * (row-major [variants][samples][c_dim]) and the weight of each variant's mean w, so that
 * d = sum_v weights[v] * mean_s w(z_s, conditions[v][s]).
 */
export interface DirectionPlan {
  /** Cache key: directions of an exclusive group share their variants. */
  key: string;
  seeds: number[];
  conditions: Float32Array[][];
  weights: number[];
}

/** The background conditions c_s (before the tag's group is set), one per sample. */
export function backgroundConditions(vocab: TagVocabulary, samples = DIRECTION_SAMPLES): Float32Array[] {
  return Array.from({ length: samples }, (_, s) =>
    vocab.encode(vocab.sampleTags(seededRandom(DIRECTION_BACKGROUND_SEED + s))),
  );
}

export function directionPlan(vocab: TagVocabulary, tag: string, samples = DIRECTION_SAMPLES): DirectionPlan {
  const group = vocab.groupOfTag(tag);
  const slice = vocab.groupSlices().find((s) => s.group === group)!;
  const background = backgroundConditions(vocab, samples);
  const seeds = Array.from({ length: samples }, (_, s) => s);
  const withSlots = (set: (c: Float32Array) => void) =>
    background.map((b) => {
      const c = Float32Array.from(b);
      set(c);
      return c;
    });
  if (group.exclusive) {
    const size = slice.end - slice.start;
    const conditions = group.tags.map((_, k) =>
      withSlots((c) => {
        c.fill(0, slice.start, slice.end);
        c[slice.start + k] = 1;
      }),
    );
    const index = vocab.index(tag) - slice.start;
    const weights = group.tags.map((_, k) => (k === index ? 1 : size > 1 ? -1 / (size - 1) : 0));
    return { key: `group:${group.name}:${samples}`, seeds, conditions, weights };
  }
  const i = vocab.index(tag);
  return {
    key: `tag:${tag}:${samples}`,
    seeds,
    conditions: [withSlots((c) => (c[i] = 1)), withSlots((c) => (c[i] = 0))],
    weights: [1, -1],
  };
}

/** Move c toward (amount > 0) or away from (amount < 0) a tag, in place-free form. */
export function shiftCondition(vocab: TagVocabulary, c: Float32Array, tag: string, amount: number): Float32Array {
  const group = vocab.groupOfTag(tag);
  const out = Float32Array.from(c);
  const i = vocab.index(tag);
  if (!group.exclusive) {
    out[i] = c[i] + amount * (1 - c[i]);
    return out;
  }
  const slice = vocab.groupSlices().find((s) => s.group === group)!;
  for (let j = slice.start; j < slice.end; j++) out[j] = c[j] + amount * ((j === i ? 1 : 0) - c[j]);
  return out;
}
