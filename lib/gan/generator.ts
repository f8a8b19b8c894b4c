/**
 * AvatarGenerator: the conditional StyleGAN2 generator in the browser (tf.js, NHWC).
 *
 * A port of training/avatargan/networks/generator.py's forward with noise mode "const":
 * mapping(z, c) -> w, truncation (its latent space, ./latentSpace.ts), synthesis(ws) -> image
 * in [-1, 1]. Every size comes from the config in model.json; the manifest is checked against
 * the tensors that config implies before any shard is downloaded.
 *
 * Lifecycle (./modelHandle.ts): new AvatarGenerator(url) -> await load() -> isLoaded() -> dispose().
 * Pixels come from recipes through ./render.ts, the one front door the app, the tests and the
 * bench share. Synchronous tensor code runs inside tf.tidy; an image depends only on its own
 * seed and condition, whatever the batch.
 */

import * as tf from "@tensorflow/tfjs-core";
import type { TagVocabulary } from "@/lib/latent/vocab";
import type { RecipeModel } from "@/lib/recipe/recipe";
import {
  blockResolutions,
  expectedGeneratorShapes,
  numWs,
  parseGeneratorConfig,
  type GeneratorConfig,
} from "./generatorConfig";
import {
  dense,
  layerTensors,
  lrelu,
  modulatedConv,
  normalize2ndMoment,
  prepareConst,
  prepareDense,
  prepareModulatedConv,
  prepareToRGB,
  toRGB,
  upsample2x,
  type Dense,
  type ModulatedConvWeights,
  type RawLookup,
  type ToRGBWeights,
} from "./layers";
import { LatentSpace } from "./latentSpace";
import { ModelHandle, modelVocabulary, requireTensor, type PreparedModel } from "./modelHandle";
import type { ModelFile, ModelMeta } from "./modelFile";

export type { GeneratorConfig } from "./generatorConfig";

interface MappingWeights {
  embed: Dense;
  fcs: Dense[];
  wAvg: tf.Tensor1D;
}

interface SynthesisBlockWeights {
  res: number;
  constant?: tf.Tensor4D; // first block only
  conv0?: ModulatedConvWeights; // later blocks only
  conv1: ModulatedConvWeights;
  torgb: ToRGBWeights;
  numConv: number;
}

interface PreparedGenerator extends PreparedModel {
  config: GeneratorConfig;
  vocab: TagVocabulary;
  mapping: MappingWeights;
  blocks: SynthesisBlockWeights[];
  latent: LatentSpace;
}

export class AvatarGenerator extends ModelHandle<PreparedGenerator> {
  protected readonly kind = "generator";

  get config(): GeneratorConfig {
    return this.model().config;
  }

  get vocab(): TagVocabulary {
    return this.model().vocab;
  }

  /** How many w vectors synthesis takes: [N, numWs, w_dim]. */
  get numWs(): number {
    return numWs(this.model().config);
  }

  /** The model as a recipe records it ("" sha256 when model.json has none). */
  get recipeModel(): RecipeModel {
    const { name, sha256 } = this.meta;
    return { name, sha256: sha256 ?? "" };
  }

  /** w_avg, truncation, condition means and tag directions of this model. */
  get latent(): LatentSpace {
    return this.model().latent;
  }

  /** z [N, z_dim], c [N, c_dim] -> w [N, w_dim], truncated toward `center` (default w_avg) when psi != 1. */
  map(z: tf.Tensor2D, c: tf.Tensor2D, psi = 1, center?: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.latent.truncate(this.mapUntruncated(z, c), psi, center));
  }

  /** w [N, w_dim] (the same w for every layer) or ws [N, numWs, w_dim] -> images [N, R, R, img_channels] in about [-1, 1]. */
  synthesize(w: tf.Tensor2D | tf.Tensor3D): tf.Tensor4D {
    const { blocks, config } = this.model();
    const n = w.shape[0];
    if (w.rank === 2) checkShape(w, [n, config.w_dim], "w");
    else checkShape(w, [n, numWs(config), config.w_dim], "ws");
    return tf.tidy(() => {
      const wAt = (i: number): tf.Tensor2D =>
        w.rank === 2 ? (w as tf.Tensor2D) : (tf.squeeze(tf.slice(w, [0, i, 0], [n, 1, config.w_dim]), [1]) as tf.Tensor2D);
      let x: tf.Tensor4D | null = null;
      let img: tf.Tensor4D | null = null;
      let wIndex = 0;
      for (const block of blocks) {
        if (block.constant) {
          x = tf.tile(block.constant, [n, 1, 1, 1]); // [N, 4, 4, C]
          x = modulatedConv(block.conv1, x, wAt(wIndex));
        } else {
          x = modulatedConv(block.conv0 as ModulatedConvWeights, x as tf.Tensor4D, wAt(wIndex)); // [N, R, R, C]
          x = modulatedConv(block.conv1, x, wAt(wIndex + 1));
        }
        const y = toRGB(block.torgb, x, wAt(wIndex + block.numConv)); // [N, R, R, 3]
        img = img === null ? y : tf.add<tf.Tensor4D>(upsample2x(img), y);
        wIndex += block.numConv;
      }
      return img as tf.Tensor4D;
    });
  }

  /**
   * Run zeros through the whole network once per batch size, so that shader compilation
   * (seconds on WebGPU) happens behind the loading screen rather than on the first click.
   */
  async warmUp(batchSizes: readonly number[] = [1]): Promise<void> {
    const { config } = this.model();
    await this.compileInParallel(batchSizes);
    for (const n of batchSizes) {
      const out = tf.tidy(() => {
        const w = this.map(tf.zeros([n, config.z_dim]), tf.zeros([n, config.c_dim]));
        return tf.sum(this.synthesize(w));
      });
      try {
        await out.data();
      } finally {
        out.dispose();
      }
    }
  }

  /**
   * On WebGPU, build every shader pipeline of the network at once before the first real run:
   * tf.js's compile-only mode records the programs without running them and compiles them
   * asynchronously, in parallel, instead of one after another as the first run meets them.
   * Other backends have nothing to compile ahead.
   */
  private async compileInParallel(batchSizes: readonly number[]): Promise<void> {
    const backend = tf.backend() as { checkCompileCompletionAsync?: () => Promise<void> };
    if (tf.getBackend() !== "webgpu" || typeof backend.checkCompileCompletionAsync !== "function") return;
    const { config } = this.model();
    const started = performance.now();
    tf.env().set("WEBGPU_ENGINE_COMPILE_ONLY", true);
    try {
      for (const n of batchSizes) {
        tf.tidy(() => {
          this.synthesize(this.map(tf.zeros([n, config.z_dim]), tf.zeros([n, config.c_dim])));
        });
      }
      await backend.checkCompileCompletionAsync();
    } finally {
      tf.env().set("WEBGPU_ENGINE_COMPILE_ONLY", false);
    }
    console.info(`[avatargan] WebGPU shaders for batch sizes ${batchSizes.join(", ")} compiled in parallel in ${Math.round(performance.now() - started)} ms`);
  }

  protected expectedShapes(meta: ModelMeta): Map<string, number[]> {
    return expectedGeneratorShapes(parseGeneratorConfig(meta.config, this.modelUrl));
  }

  protected prepare(file: ModelFile, made: tf.Tensor[]): Omit<PreparedGenerator, "meta"> {
    const config = parseGeneratorConfig(file.meta.config, file.url);
    const vocab = modelVocabulary(file, config.c_dim, "generator");
    const { mapping, blocks } = prepareWeights((name) => requireTensor(file, name), config, made);
    const network = { zDim: config.z_dim, cDim: config.c_dim, vocab, mapUntruncated: (z: tf.Tensor2D, c: tf.Tensor2D) => this.mapUntruncated(z, c) };
    return { config, vocab, mapping, blocks, latent: new LatentSpace(network, mapping.wAvg) };
  }

  protected tensorsOf(model: PreparedGenerator): tf.Tensor[] {
    const { mapping, blocks } = model;
    const out: tf.Tensor[] = [...layerTensors(mapping.embed), ...mapping.fcs.flatMap(layerTensors), mapping.wAvg];
    for (const block of blocks) {
      if (block.constant) out.push(block.constant);
      if (block.conv0) out.push(...layerTensors(block.conv0));
      out.push(...layerTensors(block.conv1), ...layerTensors(block.torgb));
    }
    return out;
  }

  protected beforeFree(model: PreparedGenerator): void {
    model.latent.clear();
  }

  /** The mapping network with no truncation: z [N, z_dim], c [N, c_dim] -> w [N, w_dim]. */
  private mapUntruncated(z: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D {
    const { mapping, config } = this.model();
    checkShape(z, [z.shape[0], config.z_dim], "z");
    checkShape(c, [z.shape[0], config.c_dim], "c");
    return tf.tidy(() => {
      const x = normalize2ndMoment(z); // [N, z_dim]
      const y = normalize2ndMoment(dense(mapping.embed, c)); // [N, embed_dim]
      let w = tf.concat([x, y], 1);
      for (const fc of mapping.fcs) w = lrelu(dense(fc, w)) as tf.Tensor2D; // [N, w_dim]
      return w;
    });
  }
}

function prepareWeights(get: RawLookup, config: GeneratorConfig, made: tf.Tensor[]): Pick<PreparedGenerator, "mapping" | "blocks"> {
  const keep = <T extends Dense | ModulatedConvWeights | ToRGBWeights>(layer: T): T => {
    made.push(...layerTensors(layer));
    return layer;
  };
  const fcs: Dense[] = [];
  for (let i = 0; i < config.mapping_layers; i++) {
    fcs.push(keep(prepareDense(get, `mapping.fc${i}`, config.mapping_lr_multiplier)));
  }
  const wAvgRaw = get("mapping.w_avg");
  const wAvg = tf.tensor1d(wAvgRaw.values);
  made.push(wAvg);
  const mapping: MappingWeights = { embed: keep(prepareDense(get, "mapping.embed")), fcs, wAvg };
  const blocks = blockResolutions(config).map((res): SynthesisBlockWeights => {
    const prefix = `synthesis.b${res}`;
    const first = res === 4;
    const constant = first ? prepareConst(get, `${prefix}.const`) : undefined;
    if (constant) made.push(constant);
    return {
      res,
      constant,
      conv0: first ? undefined : keep(prepareModulatedConv(get, `${prefix}.conv0`, res, true)),
      conv1: keep(prepareModulatedConv(get, `${prefix}.conv1`, res, false)),
      torgb: keep(prepareToRGB(get, `${prefix}.torgb`)),
      numConv: first ? 1 : 2,
    };
  });
  return { mapping, blocks };
}

function checkShape(t: tf.Tensor, expected: number[], what: string): void {
  if (t.rank !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${what} has shape [${t.shape.join(", ")}], expected [${expected.join(", ")}]`);
  }
}
