/**
 * Upscaler: the super-resolution net in the browser (tf.js, NHWC), x2 per pass, x4 as two.
 *
 * A port of training/avatargan/networks/upscaler.py: 3x3 stem, body of 3x3 conv + leaky ReLU
 * with a long skip, a sub-pixel tail, and a residual over nearest-neighbour upsampling.
 * Large images run in overlapping tiles (lib/gan/tiles.ts) whose overlap covers the net's
 * receptive radius, so the tiled output equals the untiled one and memory stays bounded
 * whatever the size. Outputs over a pixel limit are refused before any work is done.
 *
 * Lifecycle (./modelHandle.ts): new Upscaler(url) -> await load() -> isLoaded() -> dispose().
 */

import * as tf from "@tensorflow/tfjs-core";
import { pixelsToTensor, toImageData, type PixelImage } from "@/lib/edit/pixels";
import { loadReady, ModelHandle, requireTensor, type PreparedModel } from "./modelHandle";
import type { ModelFile, ModelIO, ModelMeta } from "./modelFile";
import type { UpscaleSettings } from "@/lib/recipe/recipe";
import { planTiles } from "./tiles";
import { expectedUpscalerShapes, parseUpscalerConfig, receptiveRadius, upscaleRefusal, type UpscaleLimits, type UpscalerConfig } from "./upscalerConfig";

export type { UpscaleSettings } from "@/lib/recipe/recipe";

/** 2048 x 2048: a x4 of a 512 px image. Past this, a browser tab's memory and patience run out. */
export const DEFAULT_MAX_OUTPUT_PIXELS = 2048 * 2048;
/**
 * Input pixels per tile side. A 64 px avatar runs x4 without tiling (its second pass is 128 px),
 * which matters: on a 128 px input, 64 px tiles would add 64 % of overlap work. Larger inputs
 * tile, keeping each pass's activations to ~3 MB per layer.
 */
export const DEFAULT_TILE_SIZE = 128;
/** Side of the zeros the warm-up runs: enough to compile every shader, cheap even on SwiftShader. */
const WARM_UP_SIZE = 16;

export interface UpscalerOptions {
  /** Core size of a tile, in input pixels of each pass. */
  tileSize?: number;
  /** Largest output (width x height) an upscale may produce. */
  maxOutputPixels?: number;
}

/** An upscale that would exceed the size limit; says how big it would be and what to do. */
export class UpscaleLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UpscaleLimitError";
  }
}

interface ConvWeights {
  filter: tf.Tensor4D; // [3, 3, in, out] (HWIO)
  bias: tf.Tensor1D;
}

interface PreparedUpscaler extends PreparedModel {
  config: UpscalerConfig;
  stem: ConvWeights;
  body: ConvWeights[];
  tail: ConvWeights;
}

export class Upscaler extends ModelHandle<PreparedUpscaler> {
  protected readonly kind = "upscaler";
  readonly tileSize: number;
  readonly maxOutputPixels: number;

  /** `modelUrl` names model.json or its folder, e.g. "/weights/upscaler". */
  constructor(modelUrl: string, io?: ModelIO, options: UpscalerOptions = {}) {
    super(modelUrl, io);
    this.tileSize = options.tileSize ?? DEFAULT_TILE_SIZE;
    this.maxOutputPixels = options.maxOutputPixels ?? DEFAULT_MAX_OUTPUT_PIXELS;
    if (!Number.isInteger(this.tileSize) || this.tileSize < 1) {
      throw new Error(`upscaler: tileSize must be a positive integer, got ${this.tileSize}`);
    }
    if (!(this.maxOutputPixels > 0)) throw new Error(`upscaler: maxOutputPixels must be positive, got ${this.maxOutputPixels}`);
  }

  get config(): UpscalerConfig {
    return this.model().config;
  }

  /** The denoise levels this model offers (one per trained degradation level). */
  get denoiseLevels(): readonly number[] {
    return [this.model().config.denoise];
  }

  /** Why `settings` cannot run on a width x height input, or null when they can. */
  refusal(width: number, height: number, settings: UpscaleSettings): string | null {
    return upscaleRefusal(width, height, settings, this.limits);
  }

  /** What this model can run: its denoise levels and its output size limit (./upscalerConfig.ts). */
  get limits(): UpscaleLimits {
    return { denoiseLevels: this.denoiseLevels, maxOutputPixels: this.maxOutputPixels };
  }

  /** RGBA pixels -> RGBA pixels `factor` times larger (alpha is dropped: avatars are opaque). */
  async upscale(image: PixelImage, settings: UpscaleSettings): Promise<PixelImage> {
    const reason = this.refusal(image.width, image.height, settings);
    if (reason) throw new UpscaleLimitError(reason);
    const input = pixelsToTensor([image]);
    let output: tf.Tensor4D | null = null;
    try {
      output = await this.upscaleTensor(input, settings.factor);
      return (await toImageData(output))[0];
    } finally {
      input.dispose();
      output?.dispose();
    }
  }

  /**
   * Images [N, H, W, 3] in [-1, 1] -> [N, H*f, W*f, 3], tiled, clamped to [-1, 1] after each
   * pass (as Upscaler.upscale in Python). The caller keeps ownership of `images` and disposes the result.
   */
  async upscaleTensor(images: tf.Tensor4D, factor: 2 | 4, tileSize = this.tileSize): Promise<tf.Tensor4D> {
    const [, height, width] = images.shape;
    const reason = this.refusal(width, height, { factor, denoise: this.config.denoise });
    if (reason) throw new UpscaleLimitError(reason);
    let current = images;
    for (let pass = 0; pass < factor / 2; pass++) {
      const next = await this.tiledPass(current, tileSize);
      if (current !== images) current.dispose();
      current = next;
    }
    return current;
  }

  /** One x2 pass over the whole batch at once, no tiling (the reference the tiles must match). */
  pass(images: tf.Tensor4D): tf.Tensor4D {
    const { config, stem, body, tail } = this.model();
    const conv = (w: ConvWeights, x: tf.Tensor4D) => tf.add(tf.conv2d(x, w.filter, 1, "same"), w.bias) as tf.Tensor4D;
    return tf.tidy(() => {
      const first = tf.leakyRelu(conv(stem, images), config.negative_slope) as tf.Tensor4D; // [N, H, W, C]
      let x = first;
      for (const layer of body) x = tf.leakyRelu(conv(layer, x), config.negative_slope) as tf.Tensor4D;
      const residual = conv(tail, tf.add(x, first)); // [N, H, W, 3*r*r]
      const base = tf.tile(images, [1, 1, 1, config.scale * config.scale]); // nearest neighbour, DCR order
      const up = tf.depthToSpace(tf.add(residual, base) as tf.Tensor4D, config.scale, "NHWC");
      return tf.clipByValue(up, -1, 1);
    });
  }

  /** Run a little zeros image through the net, so WebGPU compiles its shaders before the first real upscale. */
  async warmUp(): Promise<void> {
    const out = tf.tidy(() => tf.sum(this.pass(tf.zeros([1, WARM_UP_SIZE, WARM_UP_SIZE, 3]))));
    try {
      await out.data();
    } finally {
      out.dispose();
    }
  }

  private async tiledPass(images: tf.Tensor4D, tileSize: number): Promise<tf.Tensor4D> {
    const [n, height, width, channels] = images.shape;
    const r = this.config.scale;
    const grid = planTiles(height, width, tileSize, receptiveRadius(this.config));
    if (grid.length === 1 && grid[0].length === 1) return this.pass(images);
    const rows: tf.Tensor4D[] = [];
    try {
      for (const gridRow of grid) {
        const pieces: tf.Tensor4D[] = [];
        try {
          for (const { rows: ry, cols: cx } of gridRow) {
            pieces.push(tf.tidy(() => {
              const window = tf.slice(images, [0, ry.windowStart, cx.windowStart, 0], [n, ry.windowSize, cx.windowSize, channels]);
              const out = this.pass(window as tf.Tensor4D); // [N, windowSize*r, windowSize*r, 3]
              return tf.slice(out, [0, (ry.coreStart - ry.windowStart) * r, (cx.coreStart - cx.windowStart) * r, 0],
                [n, (ry.coreEnd - ry.coreStart) * r, (cx.coreEnd - cx.coreStart) * r, 3]) as tf.Tensor4D;
            }));
            // Let the page breathe between tiles: WASM and the CPU backend run on its thread.
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
          rows.push(tf.concat(pieces, 2));
        } finally {
          tf.dispose(pieces);
        }
      }
      return tf.concat(rows, 1);
    } finally {
      tf.dispose(rows);
    }
  }

  protected expectedShapes(meta: ModelMeta): Map<string, number[]> {
    return expectedUpscalerShapes(parseUpscalerConfig(meta.config, this.modelUrl));
  }

  protected prepare(file: ModelFile, made: tf.Tensor[]): Omit<PreparedUpscaler, "meta"> {
    const config = parseUpscalerConfig(file.meta.config, file.url);
    const convWeights = (prefix: string): ConvWeights => {
      const w = requireTensor(file, `${prefix}.weight`);
      const b = requireTensor(file, `${prefix}.bias`);
      const layer = { filter: tf.tensor4d(w.values, w.shape as [number, number, number, number]), bias: tf.tensor1d(b.values) };
      made.push(layer.filter, layer.bias);
      return layer;
    };
    return {
      config,
      stem: convWeights("stem"),
      body: Array.from({ length: config.body_layers }, (_, i) => convWeights(`body.${i}`)),
      tail: convWeights("tail"),
    };
  }

  protected tensorsOf(model: PreparedUpscaler): tf.Tensor[] {
    return [model.stem, ...model.body, model.tail].flatMap((w) => [w.filter, w.bias]);
  }
}

/** Load, check and warm up the upscaler at `url` (the engine's lazy getter calls this once). */
export function loadUpscaler(url: string, io?: ModelIO, options?: UpscalerOptions): Promise<Upscaler> {
  return loadReady(new Upscaler(url, io, options), (upscaler) => upscaler.warmUp());
}
