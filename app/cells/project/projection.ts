/**
 * Projection in the browser: find the w (or one w per layer, W+) for which the generator draws
 * a given face. The TypeScript twin of training/avatargan/project.py, with its choices:
 *
 * - The condition is fixed first (the user's tags, guessed by the tagger and editable), and
 *   the search starts from that condition's mean w: from the global mean, a projection wanders
 *   between conditions and settles on the wrong hair colour.
 * - Loss: mean squared pixel error, where a target pixel at 255 (or 0) is met by any value at
 *   or beyond the range, as the uint8 conversion clips. (A perceptual term from the tagger's
 *   features cost PSNR in Python's measurements, so pixels alone it is.)
 * - Adam (PyTorch's update, bias-corrected) with a short warm-up and a cosine decay of the
 *   learning rate; noise is the fixed per-layer noise every render uses, so the w alone
 *   reproduces the face.
 *
 * One tf.tidy per step, and the loop yields to the page between steps, so the page stays
 * responsive on WASM and CPU (which run on its thread); a signal stops it, keeping the w found
 * so far. Every tensor made here is disposed here.
 */

import * as tf from "@tensorflow/tfjs-core";
// tfjs-core ships the gradient functions separately; only the projection needs them, and this
// module loads with the "Find my character" cell.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import type { AvatarGenerator } from "@/lib/gan/generator";
import { pixelsToTensor, toImageData, type PixelImage } from "@/lib/edit/pixels";
import type { LatentEdits } from "@/lib/recipe/latentEdits";

export interface ProjectionSettings {
  steps: number;
  /** One w per synthesis layer: closer fits, less editable. */
  wplus: boolean;
  lr: number;
  /** Fraction of the steps with a rising learning rate. */
  warmup: number;
}

/** Python's defaults (project.py) except the steps: 200 keeps a WASM projection well under a minute. */
export const DEFAULT_PROJECTION: ProjectionSettings = { steps: 200, wplus: false, lr: 0.1, warmup: 0.05 };
export const MAX_PROJECTION_STEPS = 2000;

export interface ProjectionStep {
  step: number;
  steps: number;
  loss: number;
}

export interface ProjectionHooks {
  /** After each step. */
  onStep?(progress: ProjectionStep): void;
  /** Every `previewEvery` steps (and at the end): what the current w draws. */
  onPreview?(image: PixelImage, step: number): void;
  previewEvery?: number;
  /** Checked between steps: an aborted projection stops and returns what it has. */
  signal?: AbortSignal;
}

export interface Projection {
  projected: NonNullable<LatentEdits["projected"]>;
  losses: number[];
  /** Fewer than settings.steps when stopped. */
  stepsDone: number;
  stopped: boolean;
}

/** Adam's moments as PyTorch keeps them. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** The learning rate of step `step` (0-based) of `steps`: linear warm-up, then cosine decay to 0. */
export function learningRate(settings: ProjectionSettings, step: number): number {
  const t = step / Math.max(settings.steps - 1, 1);
  const ramp = settings.warmup > 0 ? Math.min(1, t / settings.warmup) : 1;
  return settings.lr * ramp * 0.5 * (1 + Math.cos(Math.PI * t));
}

/** Why these settings cannot run, or null. */
export function settingsProblem(settings: ProjectionSettings): string | null {
  if (!Number.isInteger(settings.steps) || settings.steps < 1 || settings.steps > MAX_PROJECTION_STEPS) {
    return `steps must be a whole number from 1 to ${MAX_PROJECTION_STEPS}, got ${settings.steps}`;
  }
  if (!(settings.lr > 0 && settings.lr <= 1)) return `the learning rate must be in (0, 1], got ${settings.lr}`;
  if (!(settings.warmup >= 0 && settings.warmup < 1)) return `the warm-up must be in [0, 1), got ${settings.warmup}`;
  return null;
}

/**
 * Project `target` (the generator's resolution, RGBA bytes) under `tags`. Resolves with the w
 * found (stored as a recipe's latent.projected), also when stopped early.
 */
export async function projectFace(
  generator: AvatarGenerator,
  target: PixelImage,
  tags: readonly string[],
  settings: ProjectionSettings = DEFAULT_PROJECTION,
  hooks: ProjectionHooks = {},
): Promise<Projection> {
  const problem = settingsProblem(settings);
  if (problem) throw new Error(`projection: ${problem}`);
  const { resolution, w_dim: wDim } = generator.config;
  if (target.width !== resolution || target.height !== resolution) {
    throw new Error(`projection: the target is ${target.width}x${target.height}; this model draws ${resolution}x${resolution}`);
  }
  const rows = settings.wplus ? generator.numWs : 1;
  const made: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    made.push(t);
    return t;
  };
  try {
    const start = generator.latent.conditionMean(generator.vocab.encode([...tags])); // owned by the latent space
    // tf.variable copies its initial value; tidy frees the initial values and keeps the variables.
    const [w, m, v] = tf.tidy(() => [
      tf.variable(tf.tile(tf.reshape(start, [1, wDim]), [rows, 1]), true), // [rows, w_dim]
      tf.variable(tf.zeros([rows, wDim]), false), // Adam's first moment
      tf.variable(tf.zeros([rows, wDim]), false), // and second
    ]);
    made.push(w, m, v);
    const goal = keep(pixelsToTensor([target])); // [1, R, R, 3] in [-1, 1]
    const atTop = keep(tf.tidy(() => tf.greaterEqual(goal, 1))); // target pixel 255: any value >= 1 meets it
    const atBottom = keep(tf.tidy(() => tf.lessEqual(goal, -1))); // target pixel 0
    const draw = (ws: tf.Tensor2D): tf.Tensor4D =>
      rows === 1 ? generator.synthesize(ws) : generator.synthesize(tf.reshape(ws, [1, rows, wDim]) as tf.Tensor3D);
    const lossOf = (ws: tf.Tensor2D): tf.Scalar => {
      let diff = tf.sub(draw(ws), goal);
      diff = tf.where(atTop, tf.minimum(diff, 0), diff);
      diff = tf.where(atBottom, tf.maximum(diff, 0), diff);
      return tf.mean(tf.square(diff));
    };

    const losses: number[] = [];
    const previewEvery = hooks.previewEvery ?? 0;
    let stopped = false;
    for (let step = 0; step < settings.steps; step++) {
      if (hooks.signal?.aborted) {
        stopped = true;
        break;
      }
      const lr = learningRate(settings, step);
      const lossTensor = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => lossOf(w as unknown as tf.Tensor2D), [w]);
        const g = grads[w.name];
        m.assign(tf.add(tf.mul(m, BETA1), tf.mul(g, 1 - BETA1)));
        v.assign(tf.add(tf.mul(v, BETA2), tf.mul(tf.square(g), 1 - BETA2)));
        const t = step + 1;
        const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - BETA2 ** t)), EPS);
        w.assign(tf.sub(w, tf.mul(tf.div(m, denom), lr / (1 - BETA1 ** t))));
        return value;
      });
      const loss = (await lossTensor.data())[0];
      lossTensor.dispose();
      losses.push(loss);
      hooks.onStep?.({ step: step + 1, steps: settings.steps, loss });
      if (hooks.onPreview && previewEvery > 0 && (step + 1) % previewEvery === 0 && step + 1 < settings.steps) {
        await preview(hooks.onPreview, () => draw(w as unknown as tf.Tensor2D), step + 1);
      }
      // Let the page paint and handle input (WASM and CPU run on the page's thread).
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const values = (await w.array()) as number[][];
    return {
      projected: { space: settings.wplus ? "w+" : "w", ws: values },
      losses,
      stepsDone: losses.length,
      stopped,
    };
  } finally {
    tf.dispose(made);
  }
}

async function preview(onPreview: NonNullable<ProjectionHooks["onPreview"]>, draw: () => tf.Tensor4D, step: number): Promise<void> {
  const images = tf.tidy(draw);
  try {
    const [image] = await toImageData(images);
    onPreview(image, step);
  } finally {
    images.dispose();
  }
}

/** Peak signal-to-noise ratio of two same-sized RGBA images over their RGB channels, in dB. */
export function psnr(a: PixelImage, b: PixelImage): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`psnr: ${a.width}x${a.height} against ${b.width}x${b.height}`);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let k = 0; k < 3; k++) {
      const d = a.data[i + k] - b.data[i + k];
      sum += d * d;
      count++;
    }
  }
  return 10 * Math.log10((255 * 255) / Math.max(sum / count, 1e-10));
}
