/**
 * The generator's latent space, in one owner: the tracked mean w (w_avg), the one definition of
 * truncation, and the statistics the explore cells lean on, each computed once per loaded model
 * and cached: the mean w of a condition (truncation toward the condition, lib/latent/conditionMean.ts)
 * and the w direction of each tag (lib/latent/directions.ts). Each statistic is a few hundred
 * mapping passes.
 *
 * The generator makes one when it loads and clears it when it is disposed. Everything here is
 * synchronous tensor code, so lib/gan/latents.ts can call it inside its tf.tidy; the tensors it
 * returns are owned here: do not dispose them.
 */

import * as tf from "@tensorflow/tfjs-core";
import { conditionKey, conditionMeanZ, CONDITION_MEAN_SAMPLES } from "@/lib/latent/conditionMean";
import { directionPlan, DIRECTION_SAMPLES } from "@/lib/latent/directions";
import { seedsToZ } from "@/lib/latent/seed";
import type { TagVocabulary } from "@/lib/latent/vocab";

/** What the latent space needs of the generator: its mapping network, untruncated. */
export interface MappingNetwork {
  readonly zDim: number;
  readonly cDim: number;
  readonly vocab: TagVocabulary;
  /** z [N, z_dim], c [N, c_dim] -> w [N, w_dim], with no truncation. */
  mapUntruncated(z: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D;
}

export class LatentSpace {
  private readonly conditionMeans = new Map<string, tf.Tensor1D>();
  /** Direction plan key -> mean w of each variant [variants, w_dim]. */
  private readonly variantMeans = new Map<string, tf.Tensor2D>();
  private readonly directions = new Map<string, tf.Tensor1D>();

  /** `wAvg` belongs to the generator's weights; clear() leaves it alone. */
  constructor(private readonly mapping: MappingNetwork, readonly wAvg: tf.Tensor1D) {}

  /**
   * Truncation, the only definition of it: centre + psi (w - centre). `w` may be [N, w_dim] or
   * [N, layers, w_dim]; `psi` and `centre` broadcast against it (a number, or [N, 1] rows; the
   * default centre is w_avg). psi 1 returns `w` itself.
   */
  truncate<T extends tf.Tensor>(w: T, psi: number | tf.Tensor, centre: tf.Tensor = this.wAvg): T {
    if (psi === 1) return w;
    return tf.add(centre, tf.mul(tf.sub(w, centre), psi));
  }

  /** Mean untruncated w under condition c over the fixed seeds of conditionMean.ts [w_dim]. */
  conditionMean(c: Float32Array): tf.Tensor1D {
    const key = conditionKey(c);
    let mean = this.conditionMeans.get(key);
    if (!mean) {
      const { zDim, cDim } = this.mapping;
      mean = tf.keep(
        tf.tidy(() => {
          const z = tf.tensor2d(conditionMeanZ(zDim), [CONDITION_MEAN_SAMPLES, zDim]);
          const cs = tf.tile(tf.tensor2d(c, [1, cDim]), [CONDITION_MEAN_SAMPLES, 1]) as tf.Tensor2D;
          return tf.mean(this.mapping.mapUntruncated(z, cs), 0) as tf.Tensor1D;
        }),
      );
      this.conditionMeans.set(key, mean);
    }
    return mean;
  }

  /** The w direction of `tag` [w_dim] (lib/latent/directions.ts). */
  tagDirection(tag: string): tf.Tensor1D {
    let direction = this.directions.get(tag);
    if (!direction) {
      const plan = directionPlan(this.mapping.vocab, tag, DIRECTION_SAMPLES);
      let means = this.variantMeans.get(plan.key);
      if (!means) {
        means = tf.keep(tf.tidy(() => this.meanPerVariant(plan.seeds, plan.conditions)));
        this.variantMeans.set(plan.key, means);
      }
      const variants = means;
      direction = tf.keep(
        tf.tidy(() => tf.squeeze(tf.matMul(tf.tensor2d(plan.weights, [1, plan.weights.length]), variants), [0]) as tf.Tensor1D),
      );
      this.directions.set(tag, direction);
    }
    return direction;
  }

  /** Free every cached statistic (w_avg stays: it is one of the generator's weights). */
  clear(): void {
    tf.dispose([...this.conditionMeans.values(), ...this.variantMeans.values(), ...this.directions.values()]);
    this.conditionMeans.clear();
    this.variantMeans.clear();
    this.directions.clear();
  }

  /** Mean w of each variant's conditions over the same seeds: [variants, w_dim]. */
  private meanPerVariant(seeds: number[], conditions: Float32Array[][]): tf.Tensor2D {
    const { zDim, cDim } = this.mapping;
    const n = seeds.length;
    const z = tf.tensor2d(seedsToZ(seeds, zDim), [n, zDim]);
    const rows = conditions.map((variant) => {
      const c = new Float32Array(n * cDim);
      variant.forEach((row, i) => c.set(row, i * cDim));
      return tf.mean(this.mapping.mapUntruncated(z, tf.tensor2d(c, [n, cDim])), 0);
    });
    return tf.stack(rows) as tf.Tensor2D;
  }
}
