/**
 * PyTorch's F.interpolate(mode="bilinear", align_corners=False, antialias=True) as matrices.
 *
 * The tagger was trained on 64 px faces and resizes anything else with that call
 * (training/avatargan/networks/tagger.py resize_input), so the browser must resize the same
 * way or an upscaled avatar would be tagged differently from Python. Antialiased bilinear is
 * separable: out = Rh . img . Rw^T, where each row of R holds triangle-filter weights
 * (support widened by the scale when shrinking), normalised to sum 1, exactly as ATen's
 * _upsample_bilinear2d_aa computes them.
 */

import * as tf from "@tensorflow/tfjs-core";

/** [outSize, inSize] resampling weights along one axis. */
export function antialiasWeights(inSize: number, outSize: number): Float32Array {
  const scale = inSize / outSize;
  const support = scale >= 1 ? scale : 1; // bilinear: half-width 1, widened when shrinking
  const invScale = scale >= 1 ? 1 / scale : 1;
  const out = new Float32Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    const centre = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(centre + support + 0.5), inSize);
    let total = 0;
    const weights: number[] = [];
    for (let j = xmin; j < xmax; j++) {
      const w = Math.max(0, 1 - Math.abs((j - centre + 0.5) * invScale));
      weights.push(w);
      total += w;
    }
    weights.forEach((w, k) => {
      out[i * inSize + xmin + k] = total > 0 ? w / total : 0;
    });
  }
  return out;
}

/** images [N, H, W, C] -> [N, size, size, C]. Synchronous: call inside tf.tidy. */
export function antialiasResize(images: tf.Tensor4D, size: number): tf.Tensor4D {
  const [n, h, w, ch] = images.shape;
  if (h === size && w === size) return images;
  const rh = tf.tensor2d(antialiasWeights(h, size), [size, h]);
  const rw = tf.tensor2d(antialiasWeights(w, size), [size, w]);
  // Rows: [size, h] x [h, N*W*C]; then columns the same way on the transposed result.
  const byRows = tf.reshape(tf.matMul(rh, tf.reshape(tf.transpose(images, [1, 0, 2, 3]), [h, n * w * ch])), [size, n, w, ch]);
  const byCols = tf.reshape(tf.matMul(rw, tf.reshape(tf.transpose(byRows, [2, 1, 0, 3]), [w, n * size * ch])), [size, n, size, ch]);
  return tf.transpose(byCols, [1, 2, 0, 3]) as tf.Tensor4D; // [N, size(h), size(w), C]
}
