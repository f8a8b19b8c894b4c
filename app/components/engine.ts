/**
 * The workbench's one owner of tf.js objects: picks the backend, loads and warms up the
 * generator, loads the extra models on demand, and renders recipes into avatars through
 * lib/gan/render.ts. tf.js touches `window`, so lib/gan is only ever reached through dynamic
 * import() from the browser, never during server rendering.
 */

import type { BackendReport } from "@/lib/gan/backend";
import type { AvatarGenerator } from "@/lib/gan/generator";
import type { PixelImage } from "@/lib/edit/pixels";
import type { AvatarRecipe, RecipeModel } from "@/lib/recipe/recipe";
import type { ImageUpscaler, RenderOptions } from "@/lib/gan/render";
import type { TagVocabulary } from "@/lib/latent/vocab";
import type { Upscaler } from "@/lib/gan/upscaler";
import type { AvatarTagger } from "@/lib/gan/tagger";
import { LazyModels } from "./lazyModels";

/**
 * Batch sizes run during the loading screen; generation uses only these. A GPU gains from big
 * batches (and compiles shaders per size); WASM and the CPU backend run on the page's thread
 * at a near-constant cost per avatar, so small batches let the page breathe between them.
 */
export function batchSizesFor(backend: BackendReport["name"]): readonly number[] {
  return backend === "webgpu" || backend === "webgl" ? [1, 16] : [1, 4];
}

/** Where the extra models live (lazy getters below). */
export const WEIGHTS_ROOT = "/weights";

/** The folder under WEIGHTS_ROOT of the upscaler trained for a denoise level. */
export function upscalerFolder(denoise: number): string {
  return denoise === 0 ? "upscaler" : `upscaler-denoise${denoise}`;
}

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
  /** The generator as recipes and notebooks record it. */
  modelRef: RecipeModel;
  resolution: number;
  /**
   * Recipes -> pixels through lib/gan/render.ts with the warmed-up batch sizes, loading the
   * upscaler on first need. Every cell renders through this, so a recipe gives the same pixels
   * everywhere.
   */
  render(recipes: readonly AvatarRecipe[], options?: RenderOptions): Promise<PixelImage[]>;
  /** Extra models, loaded on first use and disposed with the engine. Disposes nothing else. */
  models: LazyModels;
  /**
   * The super-resolution net of a denoise level (public/weights/upscaler for 0,
   * upscaler-denoise<N> for N), loaded and warmed up on first use.
   */
  upscaler(denoise?: number): Promise<Upscaler>;
  /** The tagger (public/weights/tagger): per-group tag probabilities of images, loaded on first use. */
  tagger(): Promise<AvatarTagger>;
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

  const models = new LazyModels();
  const engine: Engine = {
    generator,
    vocab: generator.vocab,
    backend,
    batchSizes,
    modelName: generator.meta.name,
    modelRef: generator.recipeModel,
    resolution: generator.config.resolution,
    models,
    render: (recipes, options) => renderWithEngine(engine, recipes, options),
    upscaler: (denoise = 0) => {
      const folder = upscalerFolder(denoise);
      return models.get(folder, async () => (await import("@/lib/gan/upscaler")).loadUpscaler(`${WEIGHTS_ROOT}/${folder}`));
    },
    tagger: () => models.get("tagger", async () => (await import("@/lib/gan/tagger")).loadTagger(`${WEIGHTS_ROOT}/tagger`)),
  };
  return engine;
}

async function renderWithEngine(engine: Engine, recipes: readonly AvatarRecipe[], options?: RenderOptions): Promise<PixelImage[]> {
  const { renderRecipes } = await import("@/lib/gan/render");
  // An upscaler downloads only when a recipe asks for it: each recipe gets its denoise level's model.
  const upscaler: ImageUpscaler = {
    upscale: async (image, settings) => (await engine.upscaler(settings.denoise)).upscale(image, settings),
  };
  return renderRecipes({ generator: engine.generator, upscaler }, recipes, engine.batchSizes, options);
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

export function disposeEngine(engine: Engine | null): void {
  engine?.models.dispose();
  engine?.generator.dispose();
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

