/**
 * Cached latent statistics of a loaded generator: the mean w per condition (truncation per
 * condition, lib/latent/conditionMean.ts) and the w direction of each tag
 * (lib/latent/directions.ts). Each is a few hundred mapping passes, so it is computed once per
 * generator and kept; clearLatentStats frees them (call it before disposing the generator).
 * Everything here is synchronous tensor code, so recipeWs can use it inside its tf.tidy.
 */

import * as tf from "@tensorflow/tfjs-core";
import type { AvatarGenerator } from "./generator";
import { conditionKey, conditionMeanZ, CONDITION_MEAN_SAMPLES } from "@/lib/latent/conditionMean";
import { directionPlan, DIRECTION_SAMPLES } from "@/lib/latent/directions";
import { seedsToZ } from "@/lib/latent/seed";

interface StatsCache {
  conditionMeans: Map<string, tf.Tensor1D>;
  /** Plan key -> mean w of each variant [variants, w_dim]. */
  variantMeans: Map<string, tf.Tensor2D>;
  directions: Map<string, tf.Tensor1D>;
}

const caches = new WeakMap<AvatarGenerator, StatsCache>();

function cacheOf(generator: AvatarGenerator): StatsCache {
  let cache = caches.get(generator);
  if (!cache) {
    cache = { conditionMeans: new Map(), variantMeans: new Map(), directions: new Map() };
    caches.set(generator, cache);
  }
  return cache;
}

/** Mean untruncated w under condition c over seeds 0..255 [w_dim]. Owned by the cache: do not dispose. */
export function conditionMeanW(generator: AvatarGenerator, c: Float32Array): tf.Tensor1D {
  const cache = cacheOf(generator).conditionMeans;
  const key = conditionKey(c);
  let mean = cache.get(key);
  if (!mean) {
    const { z_dim, c_dim } = generator.config;
    mean = tf.keep(
      tf.tidy(() => {
        const z = tf.tensor2d(conditionMeanZ(z_dim), [CONDITION_MEAN_SAMPLES, z_dim]);
        const cs = tf.tile(tf.tensor2d(c, [1, c_dim]), [CONDITION_MEAN_SAMPLES, 1]) as tf.Tensor2D;
        return tf.mean(generator.map(z, cs), 0) as tf.Tensor1D;
      }),
    );
    cache.set(key, mean);
  }
  return mean;
}

/** The w direction of `tag` [w_dim] (lib/latent/directions.ts). Owned by the cache: do not dispose. */
export function tagDirectionW(generator: AvatarGenerator, tag: string): tf.Tensor1D {
  const cache = cacheOf(generator);
  let direction = cache.directions.get(tag);
  if (!direction) {
    const plan = directionPlan(generator.vocab, tag, DIRECTION_SAMPLES);
    let means = cache.variantMeans.get(plan.key);
    if (!means) {
      means = tf.keep(tf.tidy(() => variantMeans(generator, plan.seeds, plan.conditions)));
      cache.variantMeans.set(plan.key, means);
    }
    const variants = means;
    direction = tf.keep(
      tf.tidy(() => tf.squeeze(tf.matMul(tf.tensor2d(plan.weights, [1, plan.weights.length]), variants), [0]) as tf.Tensor1D),
    );
    cache.directions.set(tag, direction);
  }
  return direction;
}

/** Free every cached statistic of `generator`. */
export function clearLatentStats(generator: AvatarGenerator): void {
  const cache = caches.get(generator);
  if (!cache) return;
  tf.dispose([...cache.conditionMeans.values(), ...cache.variantMeans.values(), ...cache.directions.values()]);
  caches.delete(generator);
}

/** Mean w of each variant's conditions over the same seeds: [variants, w_dim]. */
function variantMeans(generator: AvatarGenerator, seeds: number[], conditions: Float32Array[][]): tf.Tensor2D {
  const { z_dim, c_dim } = generator.config;
  const n = seeds.length;
  const z = tf.tensor2d(seedsToZ(seeds, z_dim), [n, z_dim]);
  const rows = conditions.map((variant) => {
    const c = new Float32Array(n * c_dim);
    variant.forEach((row, i) => c.set(row, i * c_dim));
    return tf.mean(generator.map(z, tf.tensor2d(c, [n, c_dim])), 0);
  });
  return tf.stack(rows) as tf.Tensor2D;
}
