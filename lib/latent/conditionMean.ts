/**
 * Truncation per condition: psi pulls w toward the mean w of the avatar's own condition
 * instead of the global w_avg, so low psi keeps the requested colours (the global mean is an
 * average over all hair colours and washes them out).
 *
 * The definition is shared with Python (training/avatargan/networks/generator.py,
 * condition_mean_w(c, samples=256, seed=0)): the mean of mapping(z(seed), c) over the seeds
 * CONDITION_MEAN_FIRST_SEED .. + CONDITION_MEAN_SAMPLES - 1, untruncated. lib/gan/latentSpace.ts
 * computes it with tf.js and caches it per condition.
 */

import { seedsToZ } from "./seed";

export const CONDITION_MEAN_SAMPLES = 256;
export const CONDITION_MEAN_FIRST_SEED = 0;

/** The seeds averaged over: 0..255. */
export function conditionMeanSeeds(): number[] {
  return Array.from({ length: CONDITION_MEAN_SAMPLES }, (_, i) => CONDITION_MEAN_FIRST_SEED + i);
}

/** z of those seeds, row-major [CONDITION_MEAN_SAMPLES, zDim]. */
export function conditionMeanZ(zDim: number): Float32Array {
  return seedsToZ(conditionMeanSeeds(), zDim);
}

/** A cache key that is equal exactly when two conditions are bit-for-bit equal. */
export function conditionKey(c: Float32Array): string {
  return Array.from(new Uint32Array(c.buffer, c.byteOffset, c.length), (bits) => bits.toString(36)).join(",");
}
