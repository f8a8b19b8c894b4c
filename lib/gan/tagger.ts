/**
 * AvatarTagger: the tag classifier in the browser (tf.js, NHWC), a port of
 * training/avatargan/networks/tagger.py's FoldedTagger (BatchNorm already folded into the
 * convolutions at export): stages of two 3x3 conv + ReLU (the very first with stride 2), a 2x
 * max-pool between stages, a global mean, a linear head, then a softmax inside each exclusive
 * group and a sigmoid for independent tags. Inputs of another size are resized first with
 * PyTorch's antialiased bilinear (./antialiasResize.ts).
 *
 * Lifecycle (./modelHandle.ts): new AvatarTagger(url) -> await load() -> isLoaded() -> dispose().
 */

import * as tf from "@tensorflow/tfjs-core";
import { pixelsToTensor, type PixelImage } from "@/lib/edit/pixels";
import type { TagVocabulary } from "@/lib/latent/vocab";
import { antialiasResize } from "./antialiasResize";
import { loadReady, ModelHandle, modelVocabulary, type PreparedModel } from "./modelHandle";
import { ModelFileError, type ModelFile, type ModelIO, type ModelMeta } from "./modelFile";

export interface TaggerConfig {
  resolution: number;
  c_dim: number;
  channels: number[];
  group_sizes: number[];
  exclusive: boolean[];
}

interface ConvWeights {
  kernel: tf.Tensor4D; // [3, 3, in, out]
  bias: tf.Tensor1D;
  stride: 1 | 2;
}

interface PreparedTagger extends PreparedModel {
  config: TaggerConfig;
  vocab: TagVocabulary;
  stages: ConvWeights[][];
  head: { weight: tf.Tensor2D; bias: tf.Tensor1D }; // weight [in, c_dim]
}

/** One group's probabilities for one image. */
export interface GroupScores {
  group: string;
  exclusive: boolean;
  scores: { tag: string; probability: number }[];
}

/**
 * What the workbench asks of a tagger: its vocabulary and a reading of images. AvatarTagger is
 * one; the engine's worker offers another, with the model loaded there.
 */
export interface ImageTagger {
  readonly vocab: TagVocabulary;
  /** Probabilities for RGBA pixel images (all the same size), one row [c_dim] per image. */
  tagImages(images: readonly PixelImage[]): Promise<Float32Array[]>;
}

export class AvatarTagger extends ModelHandle<PreparedTagger> implements ImageTagger {
  protected readonly kind = "tagger";

  get config(): TaggerConfig {
    return this.model().config;
  }

  get vocab(): TagVocabulary {
    return this.model().vocab;
  }

  /** images [N, H, W, 3] in [-1, 1] -> logits [N, c_dim]. Synchronous; the caller disposes. */
  logits(images: tf.Tensor4D): tf.Tensor2D {
    const { stages, head, config } = this.model();
    if (images.shape[3] !== 3) throw new Error(`tagger input must have 3 channels, got shape [${images.shape.join(", ")}]`);
    return tf.tidy(() => {
      let x = antialiasResize(images, config.resolution);
      stages.forEach((stage, i) => {
        for (const conv of stage) {
          // PyTorch pads 1 on every side; tf.js "same" with stride 2 would pad only bottom/right.
          const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
          x = tf.relu(tf.add(tf.conv2d(padded, conv.kernel, conv.stride, "valid"), conv.bias)) as tf.Tensor4D;
        }
        if (i < stages.length - 1) x = tf.maxPool(x, 2, 2, "valid");
      });
      const features = tf.mean(x, [1, 2]) as tf.Tensor2D; // [N, channels[-1]]
      return tf.add(tf.matMul(features, head.weight), head.bias) as tf.Tensor2D;
    });
  }

  /** images [N, H, W, 3] in [-1, 1] -> per-group probabilities [N, c_dim]. */
  probabilities(images: tf.Tensor4D): tf.Tensor2D {
    const { config } = this.model();
    return tf.tidy(() => {
      const logits = this.logits(images);
      const parts: tf.Tensor2D[] = [];
      let start = 0;
      config.group_sizes.forEach((size, g) => {
        const span = tf.slice(logits, [0, start], [-1, size]);
        parts.push(config.exclusive[g] ? tf.softmax(span) : tf.sigmoid(span));
        start += size;
      });
      return tf.concat(parts, 1);
    });
  }

  /** Probabilities for RGBA pixel images (all the same size), one row [c_dim] per image. */
  async tagImages(images: readonly PixelImage[]): Promise<Float32Array[]> {
    if (images.length === 0) return [];
    const probs = tf.tidy(() => this.probabilities(pixelsToTensor(images)));
    try {
      const values = (await probs.data()) as Float32Array;
      const dim = this.config.c_dim;
      return images.map((_, i) => values.slice(i * dim, (i + 1) * dim));
    } finally {
      probs.dispose();
    }
  }

  /** One probability row, grouped and named for display. */
  groupScores(row: ArrayLike<number>): GroupScores[] {
    return this.vocab.groupSlices().map(({ group, start }) => ({
      group: group.name,
      exclusive: group.exclusive,
      scores: group.tags.map((tag, k) => ({ tag: tag.name, probability: row[start + k] })),
    }));
  }

  protected expectedShapes(meta: ModelMeta): Map<string, number[]> {
    return expectedTaggerShapes(parseTaggerConfig(meta.config, this.modelUrl));
  }

  protected prepare(file: ModelFile, made: tf.Tensor[]): Omit<PreparedTagger, "meta"> {
    const config = parseTaggerConfig(file.meta.config, file.url);
    const vocab = modelVocabulary(file, config.c_dim, "tagger");
    const sizes = vocab.groups.map((g) => g.tags.length).join(",");
    if (sizes !== config.group_sizes.join(",")) {
      throw new ModelFileError(`${file.url}: config.group_sizes [${config.group_sizes}] do not match the vocabulary's groups [${sizes}]`);
    }
    const raw = (name: string) => file.tensors.get(name)!; // shapes were checked against the config above
    const stages = config.channels.map((_, i) =>
      [0, 1].map((j): ConvWeights => {
        const w = raw(`stages.${i}.${j}.weight`);
        const conv: ConvWeights = {
          kernel: tf.tidy(() => tf.transpose(tf.tensor4d(w.values, w.shape as [number, number, number, number]), [2, 3, 1, 0])), // OIHW -> HWIO
          bias: tf.tensor1d(raw(`stages.${i}.${j}.bias`).values),
          stride: i === 0 && j === 0 ? 2 : 1,
        };
        made.push(conv.kernel, conv.bias);
        return conv;
      }),
    );
    const hw = raw("head.weight");
    const head = {
      weight: tf.tidy(() => tf.transpose(tf.tensor2d(hw.values, hw.shape as [number, number]))),
      bias: tf.tensor1d(raw("head.bias").values),
    };
    made.push(head.weight, head.bias);
    return { config, vocab, stages, head };
  }

  protected tensorsOf(model: PreparedTagger): tf.Tensor[] {
    return [...model.stages.flat().flatMap((c) => [c.kernel, c.bias]), model.head.weight, model.head.bias];
  }
}

export function parseTaggerConfig(raw: Record<string, unknown>, where: string): TaggerConfig {
  const fail = (field: string, want: string): never => {
    throw new ModelFileError(`${where}: config.${field} must be ${want}, got ${JSON.stringify(raw[field])}`);
  };
  const posInt = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v > 0;
  if (!posInt(raw.resolution)) fail("resolution", "a positive integer");
  if (!posInt(raw.c_dim)) fail("c_dim", "a positive integer");
  if (!Array.isArray(raw.channels) || raw.channels.length === 0 || !raw.channels.every(posInt)) fail("channels", "a list of positive integers");
  if (!Array.isArray(raw.group_sizes) || !raw.group_sizes.every(posInt)) fail("group_sizes", "a list of positive integers");
  if (!Array.isArray(raw.exclusive) || raw.exclusive.length !== (raw.group_sizes as number[]).length || !raw.exclusive.every((v) => typeof v === "boolean")) {
    fail("exclusive", "a list of booleans, one per group");
  }
  const config = {
    resolution: raw.resolution as number,
    c_dim: raw.c_dim as number,
    channels: raw.channels as number[],
    group_sizes: raw.group_sizes as number[],
    exclusive: raw.exclusive as boolean[],
  };
  if (config.group_sizes.reduce((a, b) => a + b, 0) !== config.c_dim) fail("group_sizes", `sizes summing to c_dim=${config.c_dim}`);
  return config;
}

/** Tensor name -> shape, in PyTorch layout, as training/avatargan/networks/tagger.py expected_folded_shapes. */
export function expectedTaggerShapes(config: TaggerConfig): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  let inCh = 3;
  config.channels.forEach((out, i) => {
    shapes.set(`stages.${i}.0.weight`, [out, inCh, 3, 3]);
    shapes.set(`stages.${i}.0.bias`, [out]);
    shapes.set(`stages.${i}.1.weight`, [out, out, 3, 3]);
    shapes.set(`stages.${i}.1.bias`, [out]);
    inCh = out;
  });
  shapes.set("head.weight", [config.c_dim, inCh]);
  shapes.set("head.bias", [config.c_dim]);
  return shapes;
}

/** Construct and load a tagger (the engine's lazy getter); a failed load frees what it made. */
export function loadTagger(modelUrl: string, io?: ModelIO): Promise<AvatarTagger> {
  return loadReady(new AvatarTagger(modelUrl, io));
}
