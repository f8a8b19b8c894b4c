/**
 * The lifecycle every browser model shares (generator, upscaler, tagger), in magenta-js's
 * shape: `new Model(url)` -> `await load()` -> `isLoaded()` -> use -> `dispose()`.
 *
 * A subclass says how to turn a checked model file into its prepared weights (`prepare`) and
 * which tensors those hold (`tensorsOf`); this class owns the rest: one load at a time, a load
 * that finishes after dispose() frees what it built, a half-built model frees what it uploaded,
 * and a model may be loaded again after dispose().
 */

import * as tf from "@tensorflow/tfjs-core";
import { TagVocabulary } from "@/lib/latent/vocab";
import { ModelFileError, loadModelFile, type ModelFile, type ModelIO, type ModelKind, type ModelMeta, type RawTensor } from "./modelFile";

/** What every prepared model keeps: the checked model.json header. */
export interface PreparedModel {
  meta: ModelMeta;
}

export abstract class ModelHandle<Prepared extends PreparedModel> {
  private prepared: Prepared | null = null;
  private loading: Promise<void> | null = null;
  /** Bumped by dispose(), so a load that finishes after it frees what it built. */
  private epoch = 0;

  /** `modelUrl` names model.json or its folder, e.g. "/weights/generator". */
  constructor(readonly modelUrl: string, private readonly io?: ModelIO) {}

  /** The kind model.json must declare ("generator", "upscaler", "tagger"). */
  protected abstract readonly kind: ModelKind;

  /** Tensor name -> expected shape for this header's config, checked before any shard is read. */
  protected abstract expectedShapes(meta: ModelMeta): Map<string, number[]>;

  /** Build the prepared weights. Push every tensor made to `made` as soon as it exists. */
  protected abstract prepare(file: ModelFile, made: tf.Tensor[]): Omit<Prepared, "meta">;

  /** Every tensor a prepared model holds (what dispose frees). */
  protected abstract tensorsOf(prepared: Prepared): tf.Tensor[];

  /** Download, check and prepare the weights. `onProgress` gets the fraction of shard bytes read. */
  load(onProgress?: (fraction: number) => void): Promise<void> {
    if (this.prepared) return Promise.resolve();
    this.loading ??= this.loadOnce(onProgress).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  isLoaded(): boolean {
    return this.prepared !== null;
  }

  get meta(): ModelMeta {
    return this.model().meta;
  }

  /** Free every weight. The model can be loaded again afterwards. */
  dispose(): void {
    const prepared = this.prepared;
    this.prepared = null;
    this.epoch++;
    if (prepared) {
      this.beforeFree(prepared);
      tf.dispose(this.tensorsOf(prepared));
    }
  }

  /** Hook for what a subclass keeps beside the weights (e.g. cached latent statistics). */
  protected beforeFree(_prepared: Prepared): void {}

  /** The prepared model, or a clear error when load() has not finished. */
  protected model(): Prepared {
    if (!this.prepared) throw new Error(`${this.kind} ${this.modelUrl} is not loaded; await load() first`);
    return this.prepared;
  }

  private async loadOnce(onProgress?: (fraction: number) => void): Promise<void> {
    const epoch = this.epoch;
    const file = await loadModelFile(this.modelUrl, {
      io: this.io,
      kind: this.kind,
      expectedShapes: (meta) => this.expectedShapes(meta),
      onProgress: onProgress && (({ loaded, total }) => onProgress(total > 0 ? loaded / total : 1)),
    });
    const made: tf.Tensor[] = [];
    let prepared: Prepared;
    try {
      prepared = { meta: file.meta, ...this.prepare(file, made) } as Prepared;
    } catch (err) {
      tf.dispose(made); // a half-built model must not leak what it already uploaded
      throw err;
    }
    if (epoch !== this.epoch) {
      tf.dispose(made);
      throw new Error(`${this.kind} ${this.modelUrl} was disposed while loading`);
    }
    this.prepared = prepared;
  }
}

/** The tensor `name` of a checked model file, or a ModelFileError naming the file. */
export function requireTensor(file: ModelFile, name: string): RawTensor {
  const raw = file.tensors.get(name);
  if (!raw) throw new ModelFileError(`${file.url}: tensor '${name}' is missing`);
  return raw;
}

/** The model's tag vocabulary, checked against the number of condition inputs it expects. */
export function modelVocabulary(file: ModelFile, cDim: number, what: string): TagVocabulary {
  let vocab: TagVocabulary;
  try {
    vocab = TagVocabulary.fromJson(file.meta.tags);
  } catch (err) {
    throw new ModelFileError(`${file.url}: tags: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (vocab.dim !== cDim) throw new ModelFileError(`${file.url}: vocabulary has ${vocab.dim} tags but the ${what} expects c_dim=${cDim}`);
  return vocab;
}

/** Construct-and-load for lazy getters: a failed load (or warm-up) frees what it made. */
export async function loadReady<M extends ModelHandle<PreparedModel>>(model: M, warmUp?: (model: M) => Promise<void>): Promise<M> {
  try {
    await model.load();
    await warmUp?.(model);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}
