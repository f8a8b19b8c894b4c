/**
 * The workbench's one owner of tf.js objects: picks the backend, loads and warms up the
 * generator, loads the extra models on demand, and renders recipes into avatars through
 * lib/gan/render.ts. tf.js touches `window`, so lib/gan is only ever reached through dynamic
 * import() from the browser, never during server rendering.
 *
 * The heavy work runs in the engine's worker (./engineWorker/), with its own copy of the
 * generator on the same backend: every render, the tagger's readings and Find my character's
 * search, so a grid never blocks the page. Where no worker starts, all of it runs on the page's
 * thread. Either way every render goes through the same place, so a recipe always gives the
 * same pixels. The page's generator serves what needs its tensors here: latent statistics and
 * the effects cell's per-layer maths.
 */

import type { BackendReport } from "@/lib/gan/backend";
import type { AvatarGenerator } from "@/lib/gan/generator";
import type { PixelImage } from "@/lib/edit/pixels";
import type { AvatarRecipe, RecipeModel } from "@/lib/recipe/recipe";
import type { ImageUpscaler, RenderOptions } from "@/lib/gan/render";
import type { TagVocabulary } from "@/lib/latent/vocab";
import type { Upscaler } from "@/lib/gan/upscaler";
import type { ImageTagger } from "@/lib/gan/tagger";
import type { Projection, ProjectionHooks, ProjectionSettings } from "@/app/cells/project/projection";
import { LazyModels } from "./lazyModels";
import type { EngineWorker, UpscalerLimits } from "./engineWorker/client";
import { upscalerFolder, upscalerUrl, WEIGHTS_ROOT } from "./weightsPaths";

/**
 * Batch sizes run during the loading screen; generation uses only these. A GPU gains from big
 * batches (and compiles shaders per size), and so does WASM (16 avatars in one batch cost
 * about 20 % less each than four batches of 4) as long as it runs in the engine's worker. On the
 * page's thread WASM and the CPU backend keep batches of 4, so the page breathes between them.
 */
export function batchSizesFor(backend: BackendReport["name"], where: "worker" | "page" = "worker"): readonly number[] {
  return backend === "webgpu" || backend === "webgl" || where === "worker" ? [1, 16] : [1, 4];
}

export { upscalerFolder, WEIGHTS_ROOT } from "./weightsPaths";

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
  /** Where renders, tagging and projection run: the engine's worker, or the page's thread when no worker could start. */
  renderWhere: "worker" | "page";
  /** Extra models, loaded on first use and disposed with the engine. Disposes nothing else. */
  models: LazyModels;
  /**
   * The super-resolution net of a denoise level (public/weights/upscaler for 0,
   * upscaler-denoise<N> for N), loaded where renders run on first use; says what it can run.
   * The upscale itself is a recipe's render.
   */
  upscaler(denoise?: number): Promise<UpscalerLimits>;
  /** The tagger (public/weights/tagger): per-group tag probabilities of images, loaded where renders run on first use. */
  tagger(): Promise<ImageTagger>;
  /**
   * Find my character's search (app/cells/project/projection.ts) for `target` under `tags`,
   * where renders run; stopping through hooks.signal keeps the w found so far.
   */
  project(target: PixelImage, tags: readonly string[], settings: ProjectionSettings, hooks?: ProjectionHooks): Promise<Projection>;
  /** Ends the engine's worker (disposeEngine calls it). */
  stopWorker(): void;
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
  // behind the loading screen, for every batch size generation will use, where the renders
  // will run: in the engine's worker, or on the page when no worker starts.
  onProgress({ stage: "Warming up (compiling shaders)", fraction: 0.75 });
  const { startEngineWorker } = await import("./engineWorker/client");
  const worker: EngineWorker | null = await startEngineWorker(generator.modelUrl, backend.name, batchSizesFor(backend.name, "worker"));
  const batchSizes = batchSizesFor(backend.name, worker ? "worker" : "page");
  if (!worker) await generator.warmUp(batchSizes);
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
    render: (recipes, options) => (worker ? worker.render(recipes, options) : renderWithEngine(engine, recipes, options)),
    renderWhere: worker ? "worker" : "page",
    stopWorker: () => worker?.terminate(),
    upscaler: (denoise = 0) => (worker ? models.get(upscalerFolder(denoise), () => worker.loadUpscaler(denoise)) : pageUpscaler(models, denoise)),
    tagger: () =>
      models.get("tagger", async () => (worker ? worker.loadTagger() : (await import("@/lib/gan/tagger")).loadTagger(`${WEIGHTS_ROOT}/tagger`))),
    project: async (target, tags, settings, hooks) => {
      if (worker) return worker.project(target, tags, settings, hooks);
      const { projectFace } = await import("@/app/cells/project/projection");
      return projectFace(generator, target, tags, settings, hooks);
    },
  };
  return engine;
}

/** Where no worker runs: the upscaler of a denoise level on the page's thread, loaded on first use. */
function pageUpscaler(models: LazyModels, denoise: number): Promise<Upscaler> {
  return models.get(upscalerFolder(denoise), async () => (await import("@/lib/gan/upscaler")).loadUpscaler(upscalerUrl(denoise)));
}

async function renderWithEngine(engine: Engine, recipes: readonly AvatarRecipe[], options?: RenderOptions): Promise<PixelImage[]> {
  const { renderRecipes } = await import("@/lib/gan/render");
  // An upscaler downloads only when a recipe asks for it: each recipe gets its denoise level's model.
  const upscaler: ImageUpscaler = {
    upscale: async (image, settings) => (await pageUpscaler(engine.models, settings.denoise)).upscale(image, settings),
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
  engine?.stopWorker();
  engine?.models.dispose();
  engine?.generator.dispose();
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

