/**
 * Find my character follows the generator's gradient, so that gradient must be right. tf.js's
 * own ResizeBilinearGrad ignores halfPixelCenters; upsample2x (lib/gan/layers.ts) therefore
 * brings its own. Checked here against finite differences, which need no reference.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import { beforeAll, describe, expect, it } from "vitest";
import { upsample2x, upsample2xAdjoint } from "@/lib/gan/layers";
import { loadedGenerator, useCpuBackend } from "./helpers/tf";

beforeAll(async () => {
  await useCpuBackend();
});

/** (f(x + eps u) - f(x - eps u)) / 2 eps, in float32. */
async function directional(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, u: tf.Tensor, eps: number): Promise<number> {
  const [plus, minus] = await Promise.all([f(tf.add(x, tf.mul(u, eps))).data(), f(tf.sub(x, tf.mul(u, eps))).data()]);
  return (plus[0] - minus[0]) / (2 * eps);
}

describe("upsample2x's gradient", () => {
  const x = tf.randomNormal([2, 4, 6, 3], 0, 1, "float32", 1) as tf.Tensor4D; // not square: both axes
  const r = tf.randomNormal([2, 8, 12, 3], 0, 1, "float32", 2) as tf.Tensor4D;
  const probe = (t: tf.Tensor) => tf.sum(tf.mul(upsample2x(t as tf.Tensor4D), r)) as tf.Scalar;

  it("matches finite differences in every entry (tf.js's own kernel is off by up to 1.8 here)", async () => {
    const grad = await tf.grad(probe)(x).data();
    const base = await x.data();
    let worst = 0;
    for (let i = 0; i < base.length; i++) {
      const u = tf.buffer(x.shape);
      u.values[i] = 1;
      worst = Math.max(worst, Math.abs((await directional(probe, x, u.toTensor(), 1e-2)) - grad[i]));
    }
    expect(worst).toBeLessThan(1e-3);
  });

  it("is the transpose of the forward: <U x, y> = <x, U^T y>", async () => {
    const forward = (await tf.sum(tf.mul(upsample2x(x), r)).data())[0];
    const adjoint = (await tf.sum(tf.mul(x, upsample2xAdjoint(r))).data())[0];
    expect(Math.abs(forward - adjoint)).toBeLessThan(1e-3 * Math.abs(forward) + 1e-4);
  });
});

describe("the generator's gradient in w", () => {
  const generator = loadedGenerator();
  it("predicts the loss's change along it, as finite differences measure it", async () => {
    const target = tf.randomUniform([1, generator.config.resolution, generator.config.resolution, 3], -1, 1, "float32", 3);
    const loss = (w: tf.Tensor) => tf.mean(tf.square(tf.sub(generator.synthesize(w as tf.Tensor2D), target))) as tf.Scalar;
    const w = tf.reshape(generator.latent.conditionMean(generator.vocab.encode(["blonde hair", "green eyes"])), [1, -1]);
    const grad = tf.grad(loss)(w);
    const norm = (await tf.norm(grad).data())[0];
    const along = tf.div(grad, norm); // unit direction: the derivative along it is the gradient's norm
    const measured = await directional(loss, w, along, 1e-2);
    expect(Math.abs(measured - norm) / norm).toBeLessThan(0.01);
  });
});
