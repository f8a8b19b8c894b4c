/**
 * Upscaler: the super-resolution net in the browser (tf.js, NHWC), x2 per pass, x4 as two.
 *
 * A port of training/avatargan/networks/upscaler.py: 3x3 stem, body of 3x3 conv + leaky ReLU
 * with a long skip, a sub-pixel tail, and a residual over nearest-neighbour upsampling.
 * Large images run in overlapping tiles (lib/gan/tiles.ts) whose overlap covers the net's
 * receptive radius, so the tiled output equals the untiled one and memory stays bounded
 * whatever the size. Outputs over a pixel limit are refused before any work is done.
 *
 * Lifecycle as AvatarGenerator: new Upscaler(url) -> await load() -> isLoaded() -> dispose().
 */

import * as tf from "@tensorflow/tfjs-core";
import { toImageData, type PixelImage } from "../edit/pixels";
import { loadModelFile, type ModelIO, type ModelMeta, type RawTensor, ModelFileError } from "./modelFile";
import type { UpscaleSettings } from "@/lib/recipe/recipe";
import { planTiles } from "./tiles";
import { expectedUpscalerShapes, parseUpscalerConfig, receptiveRadius, type UpscalerConfig } from "./upscalerConfig";

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
export const UPSCALE_FACTORS = [2, 4] as const;

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

interface LoadedUpscaler {
  meta: ModelMeta;
  config: UpscalerConfig;
  stem: ConvWeights;
  body: ConvWeights[];
  tail: ConvWeights;
}

export class Upscaler {
  private loaded: LoadedUpscaler | null = null;
  private loading: Promise<void> | null = null;
  private epoch = 0;
  readonly tileSize: number;
  readonly maxOutputPixels: number;

  /** `modelUrl` names model.json or its folder, e.g. "/weights/upscaler". */
  constructor(readonly modelUrl: string, private readonly io?: ModelIO, options: UpscalerOptions = {}) {
    this.tileSize = options.tileSize ?? DEFAULT_TILE_SIZE;
    this.maxOutputPixels = options.maxOutputPixels ?? DEFAULT_MAX_OUTPUT_PIXELS;
    if (!Number.isInteger(this.tileSize) || this.tileSize < 1) {
      throw new Error(`upscaler: tileSize must be a positive integer, got ${this.tileSize}`);
    }
    if (!(this.maxOutputPixels > 0)) throw new Error(`upscaler: maxOutputPixels must be positive, got ${this.maxOutputPixels}`);
  }

  load(onProgress?: (fraction: number) => void): Promise<void> {
    if (this.loaded) return Promise.resolve();
    this.loading ??= this.loadOnce(onProgress).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  isLoaded(): boolean {
    return this.loaded !== null;
  }

  get meta(): ModelMeta {
    return this.model().meta;
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
    if (!UPSCALE_FACTORS.includes(settings.factor)) {
      return `upscale factor ${String(settings.factor)} is not supported; choose ${UPSCALE_FACTORS.join(" or ")}`;
    }
    const levels = this.denoiseLevels;
    if (!levels.includes(settings.denoise)) {
      return `denoise level ${settings.denoise} is not available in this upscaler (it has ${levels.join(", ")})`;
    }
    const outWidth = width * settings.factor;
    const outHeight = height * settings.factor;
    if (outWidth * outHeight > this.maxOutputPixels) {
      const side = Math.floor(Math.sqrt(this.maxOutputPixels));
      return `upscaling ${width}x${height} by x${settings.factor} would make ${outWidth}x${outHeight} = ` +
        `${outWidth * outHeight} pixels, over the limit of ${this.maxOutputPixels} pixels (about ${side}x${side}); ` +
        `use a smaller factor or a smaller image`;
    }
    return null;
  }

  /** RGBA pixels -> RGBA pixels `factor` times larger (alpha is dropped: avatars are opaque). */
  async upscale(image: PixelImage, settings: UpscaleSettings): Promise<PixelImage> {
    const reason = this.refusal(image.width, image.height, settings);
    if (reason) throw new UpscaleLimitError(reason);
    const input = tf.tidy(() => pixelsToFloats(image));
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

  dispose(): void {
    const model = this.loaded;
    this.loaded = null;
    this.epoch++;
    if (model) tf.dispose(allWeights(model));
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

  private model(): LoadedUpscaler {
    if (!this.loaded) throw new Error(`upscaler ${this.modelUrl} is not loaded; await load() first`);
    return this.loaded;
  }

  private async loadOnce(onProgress?: (fraction: number) => void): Promise<void> {
    const epoch = this.epoch;
    const file = await loadModelFile(this.modelUrl, {
      io: this.io,
      kind: "upscaler",
      expectedShapes: (meta) => expectedUpscalerShapes(parseUpscalerConfig(meta.config, this.modelUrl)),
      onProgress: onProgress && (({ loaded, total }) => onProgress(total > 0 ? loaded / total : 1)),
    });
    const config = parseUpscalerConfig(file.meta.config, file.url);
    const get = (name: string): RawTensor => {
      const raw = file.tensors.get(name);
      if (!raw) throw new ModelFileError(`${file.url}: tensor '${name}' is missing`);
      return raw;
    };
    const made: tf.Tensor[] = [];
    const convWeights = (prefix: string): ConvWeights => {
      const w = get(`${prefix}.weight`);
      const b = get(`${prefix}.bias`);
      const layer = { filter: tf.tensor4d(w.values, w.shape as [number, number, number, number]), bias: tf.tensor1d(b.values) };
      made.push(layer.filter, layer.bias);
      return layer;
    };
    let model: LoadedUpscaler;
    try {
      model = {
        meta: file.meta,
        config,
        stem: convWeights("stem"),
        body: Array.from({ length: config.body_layers }, (_, i) => convWeights(`body.${i}`)),
        tail: convWeights("tail"),
      };
    } catch (err) {
      tf.dispose(made);
      throw err;
    }
    if (epoch !== this.epoch) {
      tf.dispose(made);
      throw new Error(`upscaler ${this.modelUrl} was disposed while loading`);
    }
    this.loaded = model;
  }
}

/** RGBA bytes -> [1, H, W, 3] float in [-1, 1] (Python's from_uint8: u / 127.5 - 1). */
export function pixelsToFloats(image: PixelImage): tf.Tensor4D {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) {
    throw new Error(`upscaler: a ${width}x${height} image needs ${width * height * 4} RGBA bytes, got ${data.length}`);
  }
  const rgb = new Float32Array(width * height * 3);
  for (let p = 0, q = 0; p < data.length; p += 4, q += 3) {
    rgb[q] = Math.fround(data[p] / 127.5) - 1;
    rgb[q + 1] = Math.fround(data[p + 1] / 127.5) - 1;
    rgb[q + 2] = Math.fround(data[p + 2] / 127.5) - 1;
  }
  return tf.tensor4d(rgb, [1, height, width, 3]);
}

function allWeights(model: LoadedUpscaler): tf.Tensor[] {
  return [model.stem, ...model.body, model.tail].flatMap((w) => [w.filter, w.bias]);
}

/** Load, check and warm up the upscaler at `url` (the engine's lazy getter calls this once). */
export async function loadUpscaler(url: string, io?: ModelIO, options?: UpscalerOptions): Promise<Upscaler> {
  const upscaler = new Upscaler(url, io, options);
  try {
    await upscaler.load();
    await upscaler.warmUp();
  } catch (err) {
    upscaler.dispose();
    throw err;
  }
  return upscaler;
}
