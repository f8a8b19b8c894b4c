/// <reference lib="webworker" />
/**
 * The engine's render worker: its own tf.js on the page's backend, the generator loaded and
 * warmed up for the engine's batch sizes, and the upscalers loaded when a recipe first asks
 * for one. It renders recipes through lib/gan/render.ts, the same front door as the page, so
 * every avatar the app shows, stars and exports comes from here and the page's thread stays
 * free while a grid renders.
 */

import type { AvatarGenerator } from "@/lib/gan/generator";
import { RenderCancelledError, renderRecipes, type ImageUpscaler } from "@/lib/gan/render";
import { loadUpscaler } from "@/lib/gan/upscaler";
import { LazyModels } from "../lazyModels";
import { loadGeneratorOn } from "../workerGenerator";
import { upscalerFolder, upscalerUrl } from "../weightsPaths";
import type { FromRenderWorker, ToRenderWorker } from "./protocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;
let generator: AvatarGenerator | null = null;
let batchSizes: readonly number[] = [1];
const models = new LazyModels(); // the upscalers, one per denoise level, loaded on first use
const cancelled = new Set<number>();

function post(message: FromRenderWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

const upscaler: ImageUpscaler = {
  upscale: async (image, settings) =>
    (await models.get(upscalerFolder(settings.denoise), () => loadUpscaler(upscalerUrl(settings.denoise)))).upscale(image, settings),
};

async function init(modelUrl: string, backend: string, sizes: readonly number[]): Promise<void> {
  const model = await loadGeneratorOn(backend, modelUrl);
  await model.warmUp(sizes);
  generator = model;
  batchSizes = sizes;
}

async function render(id: number, recipes: ToRenderWorker & { type: "render" }): Promise<void> {
  try {
    if (!generator) throw new Error("the render worker has no model");
    const images = await renderRecipes({ generator, upscaler }, recipes.recipes, batchSizes, {
      onProgress: (done, total) => post({ type: "progress", id, done, total }),
      isCancelled: () => cancelled.has(id),
    });
    post({ type: "done", id, images }, images.map((image) => image.data.buffer));
  } catch (err) {
    post({ type: "failed", id, error: err instanceof Error ? err.message : String(err), cancelled: err instanceof RenderCancelledError });
  } finally {
    cancelled.delete(id);
  }
}

scope.onmessage = (event: MessageEvent<ToRenderWorker>) => {
  const message = event.data;
  if (message.type === "init") {
    init(message.modelUrl, message.backend, message.batchSizes).then(
      () => post({ type: "ready" }),
      (err: unknown) => post({ type: "init-failed", error: err instanceof Error ? err.message : String(err) }),
    );
  } else if (message.type === "render") {
    void render(message.id, message);
  } else {
    cancelled.add(message.id);
  }
};
