/**
 * The generator's building blocks in tf.js, NHWC, mirroring training/avatargan/networks/layers.py
 * and generator.py.
 *
 * PyTorch stores parameters unscaled and multiplies by equalised-lr gains at every forward; here
 * the gains are folded in once at load time (prepare*), and PyTorch layouts become tf.js ones:
 * FC [out, in] -> [in, out], conv OIHW -> HWIO. The forward functions are pure and synchronous:
 * callers run them inside tf.tidy.
 */

import * as tf from "@tensorflow/tfjs-core";
import type { RawTensor } from "./modelFile";

const SQRT2 = Math.SQRT2;

/** Leaky ReLU with the sqrt(2) gain that keeps activations at unit variance. */
export function lrelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.leakyRelu(x, 0.2), SQRT2);
}

/** x * rsqrt(mean(x^2, axis 1) + eps): puts z and the tag embedding on the unit sphere's scale. */
export function normalize2ndMoment(x: tf.Tensor2D, eps = 1e-8): tf.Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), 1, true), eps)));
}

/**
 * Bilinear x2 with half-pixel centres: PyTorch's interpolate(align_corners=False), edges clamped.
 * The forward is tf.js's resizeBilinear; its gradient is our own (upsample2xAdjoint), because
 * tf.js's ResizeBilinearGrad ignores halfPixelCenters (4.22: off by up to 1.8 on a 4x4 test
 * against finite differences), which bent Find my character's search away from PyTorch's.
 */
export function upsample2x(x: tf.Tensor4D): tf.Tensor4D {
  upsampleWithAdjoint ??= tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor4D;
    const [, h, w] = input.shape;
    return {
      value: tf.image.resizeBilinear(input, [h * 2, w * 2], false, true),
      gradFunc: (dy: tf.Tensor) => upsample2xAdjoint(dy as tf.Tensor4D),
    };
  }) as (x: tf.Tensor4D) => tf.Tensor4D;
  return upsampleWithAdjoint(x);
}

let upsampleWithAdjoint: ((x: tf.Tensor4D) => tf.Tensor4D) | undefined; // made on first use: no tf.js work at import

/**
 * The transpose of upsample2x: [N, 2H, 2W, C] -> [N, H, W, C]. Along each axis, x[j] collects
 * 0.25, 0.75, 0.75, 0.25 of dy[2j-1 .. 2j+2]; at the edges the clamped source adds dy's edge
 * once more, which is what padding dy with its own edge (a symmetric mirror pad) gives. Both
 * axes at once: a stride-2 depthwise convolution with the outer product of those weights.
 */
export function upsample2xAdjoint(dy: tf.Tensor4D): tf.Tensor4D {
  const channels = dy.shape[3];
  return tf.tidy(() => {
    const taps = tf.tensor1d([0.25, 0.75, 0.75, 0.25]);
    const kernel = tf.tile(tf.reshape(tf.outerProduct(taps, taps), [4, 4, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
    const padded = tf.mirrorPad(dy, [[0, 0], [1, 1], [1, 1], [0, 0]], "symmetric");
    return tf.depthwiseConv2d(padded, kernel, 2, "valid");
  });
}

/** A fully connected layer with its gains folded in. */
export interface Dense {
  weight: tf.Tensor2D; // [in, out]
  bias: tf.Tensor1D; // [out]
}

export interface ModulatedConvWeights {
  affine: Dense; // w -> styles [N, in]
  weight: tf.Tensor4D; // [3, 3, in, out]
  weightSq: tf.Tensor2D; // [in, out]: sum over kh, kw of weight^2, for demodulation
  /**
   * [1, res, res, out]: sqrt(2) * (noise_const * noise_strength + bias), the "const" noise and
   * the bias in one addend, with lrelu's gain folded in (lrelu(a) * g = lrelu(a * g) for g > 0):
   * two elementwise passes over the feature map instead of four.
   */
  noiseBias: tf.Tensor4D;
  up: boolean;
}

export interface ToRGBWeights {
  affine: Dense; // includes ToRGB's own 1/sqrt(in) gain
  weight: tf.Tensor4D; // [1, 1, in, img_channels]
  bias: tf.Tensor1D; // [img_channels]
}

/** Raw tensors by state_dict key; throws a named error for a missing one (shapes were checked earlier). */
export type RawLookup = (name: string) => RawTensor;

function fromRaw(raw: RawTensor): tf.Tensor {
  return tf.tensor(raw.values, [...raw.shape], "float32");
}

/** FullyConnected: weight * lr/sqrt(in), transposed to [in, out]; bias * lr. `extraGain` scales both. */
export function prepareDense(get: RawLookup, prefix: string, lrMultiplier = 1, extraGain = 1): Dense {
  return tf.tidy(() => {
    const w = fromRaw(get(`${prefix}.weight`)) as tf.Tensor2D; // [out, in]
    const inFeatures = w.shape[1];
    const gain = (lrMultiplier / Math.sqrt(inFeatures)) * extraGain;
    return {
      weight: tf.mul(tf.transpose(w), gain) as tf.Tensor2D,
      bias: tf.mul(fromRaw(get(`${prefix}.bias`)), lrMultiplier * extraGain) as tf.Tensor1D,
    };
  });
}

export function prepareModulatedConv(get: RawLookup, prefix: string, res: number, up: boolean): ModulatedConvWeights {
  const affine = prepareDense(get, `${prefix}.affine`);
  const rest = tf.tidy(() => {
    const weight = tf.transpose(fromRaw(get(`${prefix}.weight`)), [2, 3, 1, 0]) as tf.Tensor4D; // OIHW -> HWIO
    const strength = fromRaw(get(`${prefix}.noise_strength`));
    const noise = tf.mul(tf.reshape(fromRaw(get(`${prefix}.noise_const`)), [1, res, res, 1]), strength); // [1, res, res, 1]
    const bias = fromRaw(get(`${prefix}.bias`)); // [out]
    return {
      weight,
      weightSq: tf.sum(tf.square(weight), [0, 1]) as tf.Tensor2D,
      noiseBias: tf.mul(tf.add(noise, bias), SQRT2) as tf.Tensor4D,
    };
  });
  return { affine, ...rest, up };
}

export function prepareToRGB(get: RawLookup, prefix: string): ToRGBWeights {
  const rest = tf.tidy(() => ({
    weight: tf.transpose(fromRaw(get(`${prefix}.weight`)), [2, 3, 1, 0]) as tf.Tensor4D,
    bias: fromRaw(get(`${prefix}.bias`)) as tf.Tensor1D,
  }));
  const inChannels = rest.weight.shape[2];
  return { affine: prepareDense(get, `${prefix}.affine`, 1, 1 / Math.sqrt(inChannels)), ...rest };
}

/** The learned 4x4 constant, [C, 4, 4] -> [1, 4, 4, C]. */
export function prepareConst(get: RawLookup, name: string): tf.Tensor4D {
  return tf.tidy(() => tf.expandDims(tf.transpose(fromRaw(get(name)), [1, 2, 0]), 0) as tf.Tensor4D);
}

export function dense(layer: Dense, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, layer.weight), layer.bias);
}

/**
 * Modulated, demodulated 3x3 convolution with noise, bias and lrelu, in the non-fused
 * "scale the input, shared conv, scale the output" form: one ordinary conv for the whole batch.
 */
export function modulatedConv(layer: ModulatedConvWeights, x: tf.Tensor4D, w: tf.Tensor2D): tf.Tensor4D {
  const [n] = x.shape;
  const styles = dense(layer.affine, w); // [N, in]
  // Demodulation, with lrelu's sqrt(2) gain folded in (it is applied before the lrelu below).
  const dcoefs = tf.mul(tf.rsqrt(tf.add(tf.matMul(tf.square(styles), layer.weightSq), 1e-8)), SQRT2); // [N, out]
  let y = tf.mul(x, tf.reshape(styles, [n, 1, 1, -1])) as tf.Tensor4D; // [N, H, W, in]
  if (layer.up) y = upsample2x(y); // [N, 2H, 2W, in]
  y = tf.conv2d(y, layer.weight, 1, "same"); // [N, H', W', out]
  y = tf.add(tf.mul(y, tf.reshape(dcoefs, [n, 1, 1, -1])), layer.noiseBias);
  return tf.leakyRelu(y, 0.2) as tf.Tensor4D;
}

/** 1x1 modulated convolution without demodulation: features -> RGB. */
export function toRGB(layer: ToRGBWeights, x: tf.Tensor4D, w: tf.Tensor2D): tf.Tensor4D {
  const [n] = x.shape;
  const styles = dense(layer.affine, w); // [N, in]
  const y = tf.conv2d(tf.mul(x, tf.reshape(styles, [n, 1, 1, -1])) as tf.Tensor4D, layer.weight, 1, "valid");
  return tf.add(y, layer.bias);
}

/** Every tensor held by a prepared layer, for dispose(). */
export function layerTensors(layer: Dense | ModulatedConvWeights | ToRGBWeights): tf.Tensor[] {
  if ("up" in layer) return [...layerTensors(layer.affine), layer.weight, layer.weightSq, layer.noiseBias];
  if ("affine" in layer) return [...layerTensors(layer.affine), layer.weight, layer.bias];
  return [layer.weight, layer.bias];
}
