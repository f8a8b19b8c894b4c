/**
 * The workbench's one owner of tf.js objects: picks the backend, loads and warms up the
 * generator, and turns UI settings into avatars. tf.js touches `window`, so lib/gan is only
 * ever reached through dynamic import() from the browser, never during server rendering.
 */

import type { BackendReport } from "@/lib/gan/backend";
import type { AvatarGenerator } from "@/lib/gan/generator";
import type { PixelImage } from "@/lib/edit/pixels";
import { parseSeeds } from "@/lib/latent/seed";
import { tagsForSeed, type GroupChoices } from "@/lib/latent/randomTags";
import type { TagVocabulary } from "@/lib/latent/vocab";

/**
 * Batch sizes run during the loading screen; generation uses only these. A GPU gains from big
 * batches (and compiles shaders per size); WASM and the CPU backend run on the page's thread
 * at a near-constant cost per avatar, so small batches let the page breathe between them.
 */
export function batchSizesFor(backend: BackendReport["name"]): readonly number[] {
  return backend === "webgpu" || backend === "webgl" ? [1, 16] : [1, 4];
}

/** Most seeds one Generate may ask for: a software WebGPU adapter takes ~seconds per 16. */
export const MAX_SEEDS = 256;

export { NONE, RANDOM, tagsForSeed, type GroupChoices } from "@/lib/latent/randomTags";

export interface LoadProgress {
  stage: string;
  /** 0..1 over the whole load (backend, download, warm-up). */
  fraction: number;
}

export interface Engine {
  generator: AvatarGenerator;
  vocab: TagVocabulary;
  backend: BackendReport;
  /** The warmed-up batch sizes, ascending. */
  batchSizes: readonly number[];
  modelName: string;
  resolution: number;
}

export interface Avatar {
  seed: number;
  tags: string[];
  psi: number;
  image: PixelImage;
}


export class WeightsUnavailableError extends Error {
  constructor(
    message: string,
    readonly modelUrl: string,
    readonly missing: boolean,
  ) {
    super(message);
    this.name = "WeightsUnavailableError";
  }
}

/**
 * Choose the backend (forced by `?backend=webgpu|wasm|webgl|cpu` in `search`, else the best
 * available), load the model, warm it up.
 */
export function loadEngine(
  modelUrl: string,
  search: string,
  onProgress: (p: LoadProgress) => void,
): Promise<Engine> {
  // Loads run one after another: React's strict mode mounts twice in development, and two
  // concurrent tf.setBackend() calls would race.
  const next = previousLoad.then(() => loadEngineNow(modelUrl, search, onProgress));
  previousLoad = next.catch(() => undefined);
  return next;
}

let previousLoad: Promise<unknown> = Promise.resolve();

async function loadEngineNow(
  modelUrl: string,
  search: string,
  onProgress: (p: LoadProgress) => void,
): Promise<Engine> {
  onProgress({ stage: "Starting TensorFlow.js", fraction: 0.02 });
  const [{ chooseBackend, parseBackendParam }, { AvatarGenerator }] = await Promise.all([
    import("@/lib/gan/backend"),
    import("@/lib/gan/generator"),
  ]);
  const forced = parseBackendParam(search);
  onProgress({ stage: forced ? `Starting the ${forced} backend` : "Choosing a backend", fraction: 0.05 });
  const backend = await chooseBackend(forced);

  const generator = new AvatarGenerator(modelUrl);
  try {
    await generator.load((fraction) =>
      onProgress({ stage: "Downloading weights", fraction: 0.1 + 0.6 * clamp01(fraction) }),
    );
  } catch (err) {
    generator.dispose();
    throw await explainLoadFailure(modelUrl, err);
  }
  // The first run on WebGPU compiles shaders and can freeze the page for seconds: do it here,
  // behind the loading screen, for every batch size generation will use.
  onProgress({ stage: "Warming up (compiling shaders)", fraction: 0.75 });
  const batchSizes = batchSizesFor(backend.name);
  await generator.warmUp(batchSizes);
  onProgress({ stage: "Ready", fraction: 1 });

  return {
    generator,
    vocab: generator.vocab,
    backend,
    batchSizes,
    modelName: generator.meta.name,
    resolution: generator.config.resolution,
  };
}

/** Tell "no model there" (404) from "a model that does not load", for the help screen. */
async function explainLoadFailure(modelUrl: string, err: unknown): Promise<WeightsUnavailableError> {
  const reason = err instanceof Error ? err.message : String(err);
  let missing = false;
  try {
    const response = await fetch(modelUrl, { method: "HEAD", cache: "no-store" });
    missing = response.status === 404;
  } catch {
    missing = true;
  }
  const message = missing ? `No model at ${modelUrl}.` : `The model at ${modelUrl} failed to load: ${reason}`;
  return new WeightsUnavailableError(message, modelUrl, missing);
}

/**
 * Tags for one seed. "Random" groups are drawn from the tag priors with uniforms that continue
 * the seed's stream after the ones z uses, so the draw is reproducible from the seed and
 * independent of z. Every group is drawn, then fixed groups are overwritten: fixing hair
 * must not change the eye colour a seed draws.
 */
export interface GenerateSettings {
  seedsText: string;
  choices: GroupChoices;
  psi: number;
}

/** Parse seeds and tags, or say what is wrong with the seed field. */
export function planAvatars(engine: Engine, settings: GenerateSettings): { seeds: number[]; tags: string[][] } {
  const seeds = parseSeeds(settings.seedsText, MAX_SEEDS);
  const zDim = engine.generator.config.z_dim;
  return { seeds, tags: seeds.map((seed) => tagsForSeed(engine.vocab, settings.choices, seed, zDim)) };
}

/**
 * Generate avatars in batches of the warmed-up sizes only: a new batch size means new shaders
 * on WebGPU (a freeze of seconds), so a short last batch is padded with copies of its last seed
 * and the copies dropped (an avatar does not depend on its batch). Yields to the page between
 * batches. Pixels come back as plain arrays: the caller owns no tensor.
 */
export async function generateAvatars(
  engine: Engine,
  seeds: number[],
  tags: string[][],
  psi: number,
  onProgress?: (done: number) => void,
): Promise<Avatar[]> {
  const sizes = engine.batchSizes;
  const largest = sizes[sizes.length - 1];
  const avatars: Avatar[] = [];
  for (let start = 0; start < seeds.length; start += largest) {
    const chunkSeeds = seeds.slice(start, start + largest);
    const chunkTags = tags.slice(start, start + largest);
    const size = sizes.find((n) => n >= chunkSeeds.length) ?? largest;
    const pad = (i: number) => Math.min(i, chunkSeeds.length - 1);
    const batchSeeds = Array.from({ length: size }, (_, i) => chunkSeeds[pad(i)]);
    const conditions = Array.from({ length: size }, (_, i) => engine.vocab.encode(chunkTags[pad(i)]));
    const images = await engine.generator.generateImages({ seeds: batchSeeds, conditions, psi });
    chunkSeeds.forEach((seed, i) => avatars.push({ seed, tags: chunkTags[i], psi, image: images[i] }));
    onProgress?.(avatars.length);
    if (start + largest < seeds.length) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return avatars;
}

export function disposeEngine(engine: Engine | null): void {
  engine?.generator.dispose();
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
