/**
 * Per-layer effect of switching a tag: how much the image changes when only synthesis layer i
 * takes its w from the switched condition (the other layers keep the original). Each layer's
 * style input is the only path by which w reaches that layer's output, so this isolates what
 * each layer does with the tag: a colour tag should act mostly at the fine layers.
 *
 *   effect[i] = mean over samples and pixels of |img(ws_off with layer i from ws_on) - img(ws_off)|
 *   total     = the same for all layers switched (img(ws_on))
 *
 * Values are in the generator's [-1, 1] image units.
 */

import * as tf from "@tensorflow/tfjs-core";
import type { AvatarGenerator } from "@/lib/gan/generator";
import { recipeWs } from "@/lib/gan/latents";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

export interface LayerEffect {
  perLayer: number[];
  total: number;
}

/** `off[s]` and `on[s]` are the same seed before and after the switch. Async: yields between samples. */
export async function layerEffect(generator: AvatarGenerator, off: readonly AvatarRecipe[], on: readonly AvatarRecipe[]): Promise<LayerEffect> {
  if (off.length !== on.length || off.length === 0) throw new Error("layerEffect: give as many 'on' recipes as 'off' ones (at least one)");
  const numWs = generator.numWs;
  const sums = new Array<number>(numWs + 1).fill(0);
  for (let s = 0; s < off.length; s++) {
    const diffs = tf.tidy(() => {
      const wsOff = recipeWs(generator, [off[s]]); // [1, numWs, w_dim]
      const wsOn = recipeWs(generator, [on[s]]);
      // Row i (< numWs): layer i switched; row numWs: every layer switched.
      const masks = tf.tensor3d(
        Array.from({ length: numWs + 1 }, (_, i) => Array.from({ length: numWs }, (_, l) => [i === numWs || i === l ? 1 : 0])),
      ); // [numWs + 1, numWs, 1]
      const mixed = tf.add(tf.mul(wsOn, masks), tf.mul(wsOff, tf.sub(1, masks))) as tf.Tensor3D;
      const images = generator.synthesize(mixed); // [numWs + 1, R, R, C]
      const reference = generator.synthesize(wsOff); // [1, R, R, C]
      return tf.mean(tf.abs(tf.sub(images, reference)), [1, 2, 3]);
    });
    const values = await diffs.data();
    diffs.dispose();
    values.forEach((v, i) => (sums[i] += v / off.length));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { perLayer: sums.slice(0, numWs), total: sums[numWs] };
}
