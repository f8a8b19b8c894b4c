/**
 * AvatarGenerator: the conditional StyleGAN2 generator in the browser (tf.js, NHWC).
 *
 * A port of training/avatargan/networks/generator.py's forward with noise mode "const":
 * mapping(z, c) -> w, truncation toward a centre (w_avg by default), synthesis(ws) -> image
 * in [-1, 1]. Every size comes from the config in model.json; the manifest is checked against
 * the tensors that config implies before any shard is downloaded.
 *
 * Lifecycle as magenta's models: new AvatarGenerator(url) -> await load() -> isLoaded() -> dispose().
 * Synchronous tensor code runs inside tf.tidy; tensors that cross an await are disposed by hand.
 * An image depends only on its own seed and condition, whatever the batch.
 */

import * as tf from "@tensorflow/tfjs-core";
import { toImageData, type PixelImage } from "../edit/pixels";
import { seedsToZ } from "../latent/seed";
import { TagVocabulary } from "../latent/vocab";
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
import { clearLatentStats } from "./latentStats";
import { ModelFileError, loadModelFile, type ModelIO, type ModelMeta, type RawTensor } from "./modelFile";

export type { GeneratorConfig } from "./generatorConfig";

export interface GenerateRequest {
  /** One image per seed (uint32). */
  seeds: readonly number[];
  /** One condition vector per seed, or one shared by all; each of length config.c_dim. */
  conditions: readonly Float32Array[] | Float32Array;
  /** Truncation: 1 = none, 0 = the centre. */
  psi?: number;
  /** Truncation centre [w_dim] or [N, w_dim] (e.g. a per-condition mean w); default w_avg. */
  center?: tf.Tensor1D | tf.Tensor2D;
}

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

interface LoadedGenerator {
  meta: ModelMeta;
  config: GeneratorConfig;
  vocab: TagVocabulary;
  mapping: MappingWeights;
  blocks: SynthesisBlockWeights[];
}

export class AvatarGenerator {
  private loaded: LoadedGenerator | null = null;
  private loading: Promise<void> | null = null;
  /** Bumped by dispose(), so a load that finishes after it frees what it built. */
  private epoch = 0;

  /** `modelUrl` names model.json or its folder, e.g. "/weights/generator". */
  constructor(readonly modelUrl: string, private readonly io?: ModelIO) {}

  /** Download, check and prepare the weights. `onProgress` gets the fraction of shard bytes read. */
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

  /** The tracked mean w (truncation centre). Owned by the generator: do not dispose. */
  get wAvg(): tf.Tensor1D {
    return this.model().mapping.wAvg;
  }

  /** z [N, z_dim], c [N, c_dim] -> w [N, w_dim], truncated toward `center` (default w_avg) when psi != 1. */
  map(z: tf.Tensor2D, c: tf.Tensor2D, psi = 1, center?: tf.Tensor): tf.Tensor2D {
    const { mapping, config } = this.model();
    checkShape(z, [z.shape[0], config.z_dim], "z");
    checkShape(c, [z.shape[0], config.c_dim], "c");
    return tf.tidy(() => {
      const x = normalize2ndMoment(z); // [N, z_dim]
      const y = normalize2ndMoment(dense(mapping.embed, c)); // [N, embed_dim]
      let w = tf.concat([x, y], 1);
      for (const fc of mapping.fcs) w = lrelu(dense(fc, w)) as tf.Tensor2D; // [N, w_dim]
      if (psi !== 1) {
        const middle = center ?? mapping.wAvg;
        w = tf.add(middle, tf.mul(tf.sub(w, middle), psi));
      }
      return w;
    });
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

  /** Images for seeds and conditions: NHWC float in [-1, 1]. The caller disposes the result. */
  async generate(request: GenerateRequest): Promise<tf.Tensor4D> {
    const { config } = this.model();
    const { seeds, psi = 1, center } = request;
    if (seeds.length === 0) throw new Error("generate: no seeds given");
    const conditions = conditionMatrix(request.conditions, seeds.length, config.c_dim);
    return tf.tidy(() => {
      const z = tf.tensor2d(seedsToZ(seeds, config.z_dim), [seeds.length, config.z_dim]);
      const c = tf.tensor2d(conditions, [seeds.length, config.c_dim]);
      return this.synthesize(this.map(z, c, psi, center));
    });
  }

  /** Images for seeds and conditions as RGBA bytes, ready for a canvas. */
  async generateImages(request: GenerateRequest): Promise<PixelImage[]> {
    const images = await this.generate(request);
    try {
      return await toImageData(images);
    } finally {
      images.dispose();
    }
  }

  /**
   * Run zeros through the whole network once per batch size, so that shader compilation
   * (seconds on WebGPU) happens behind the loading screen rather than on the first click.
   */
  async warmUp(batchSizes: readonly number[] = [1]): Promise<void> {
    const { config } = this.model();
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

  /** Free every weight and the latent statistics cached for it. The generator can be loaded again afterwards. */
  dispose(): void {
    clearLatentStats(this);
    const model = this.loaded;
    this.loaded = null;
    this.epoch++;
    if (!model) return;
    tf.dispose(allWeights(model));
  }

  private model(): LoadedGenerator {
    if (!this.loaded) throw new Error(`generator ${this.modelUrl} is not loaded; await load() first`);
    return this.loaded;
  }

  private async loadOnce(onProgress?: (fraction: number) => void): Promise<void> {
    const epoch = this.epoch;
    const file = await loadModelFile(this.modelUrl, {
      io: this.io,
      kind: "generator",
      expectedShapes: (meta) => expectedGeneratorShapes(parseGeneratorConfig(meta.config, this.modelUrl)),
      onProgress: onProgress && (({ loaded, total }) => onProgress(total > 0 ? loaded / total : 1)),
    });
    const config = parseGeneratorConfig(file.meta.config, file.url);
    let vocab: TagVocabulary;
    try {
      vocab = TagVocabulary.fromJson(file.meta.tags);
    } catch (err) {
      throw new ModelFileError(`${file.url}: tags: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (vocab.dim !== config.c_dim) {
      throw new ModelFileError(`${file.url}: vocabulary has ${vocab.dim} tags but the generator expects c_dim=${config.c_dim}`);
    }
    const get: RawLookup = (name) => {
      const raw: RawTensor | undefined = file.tensors.get(name);
      if (!raw) throw new ModelFileError(`${file.url}: tensor '${name}' is missing`);
      return raw;
    };
    const model: LoadedGenerator = { meta: file.meta, config, vocab, ...prepareWeights(get, config) };
    if (epoch !== this.epoch) {
      tf.dispose(allWeights(model));
      throw new Error(`generator ${this.modelUrl} was disposed while loading`);
    }
    this.loaded = model;
  }
}

function prepareWeights(get: RawLookup, config: GeneratorConfig): Pick<LoadedGenerator, "mapping" | "blocks"> {
  const made: tf.Tensor[] = [];
  const keep = <T extends Dense | ModulatedConvWeights | ToRGBWeights>(layer: T): T => {
    made.push(...layerTensors(layer));
    return layer;
  };
  try {
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
  } catch (err) {
    tf.dispose(made); // a half-built generator must not leak what it already uploaded
    throw err;
  }
}

function allWeights(model: LoadedGenerator): tf.Tensor[] {
  const { mapping, blocks } = model;
  const out: tf.Tensor[] = [...layerTensors(mapping.embed), ...mapping.fcs.flatMap(layerTensors), mapping.wAvg];
  for (const block of blocks) {
    if (block.constant) out.push(block.constant);
    if (block.conv0) out.push(...layerTensors(block.conv0));
    out.push(...layerTensors(block.conv1), ...layerTensors(block.torgb));
  }
  return out;
}

/** Conditions as one row-major [n, cDim] array, checking every row's length. */
function conditionMatrix(conditions: readonly Float32Array[] | Float32Array, n: number, cDim: number): Float32Array {
  const out = new Float32Array(n * cDim);
  if (conditions instanceof Float32Array) {
    if (conditions.length !== cDim) throw new Error(`condition has ${conditions.length} values, the generator expects c_dim=${cDim}`);
    for (let i = 0; i < n; i++) out.set(conditions, i * cDim);
    return out;
  }
  if (conditions.length !== n) throw new Error(`${n} seeds but ${conditions.length} conditions; give one per seed or one for all`);
  conditions.forEach((row, i) => {
    if (row.length !== cDim) throw new Error(`condition ${i} has ${row.length} values, the generator expects c_dim=${cDim}`);
    out.set(row, i * cDim);
  });
  return out;
}

function checkShape(t: tf.Tensor, expected: number[], what: string): void {
  if (t.rank !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${what} has shape [${t.shape.join(", ")}], expected [${expected.join(", ")}]`);
  }
}
