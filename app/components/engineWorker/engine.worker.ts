/// <reference lib="webworker" />
/**
 * The engine's worker: its own tf.js on the page's backend, holding the models the page would
 * otherwise run on its own thread. The generator is loaded and warmed up for the engine's batch
 * sizes at `init`; the tagger, the upscalers and the projection's code load on their first job.
 *
 * - render: recipes -> pixels through lib/gan/render.ts, the same front door as the page, so
 *   every avatar the app shows, stars and exports comes from here.
 * - tag: the tagger's probabilities for images (the effects charts, Find my character's guess).
 * - project: Find my character's search (app/cells/project/projection.ts), one at a time; it
 *   yields between steps, so renders asked meanwhile run between them.
 *
 * The page's thread stays free while any of them runs. Messages: ./protocol.ts.
 */

import { chooseBackend, type BackendName } from "@/lib/gan/backend";
import { AvatarGenerator } from "@/lib/gan/generator";
import { RenderCancelledError, renderRecipes, type ImageUpscaler } from "@/lib/gan/render";
import { loadTagger } from "@/lib/gan/tagger";
import { loadUpscaler } from "@/lib/gan/upscaler";
import { LazyModels } from "../lazyModels";
import { upscalerFolder, upscalerUrl, WEIGHTS_ROOT } from "../weightsPaths";
import type { FromEngineWorker, ToEngineWorker, WorkerJob, WorkerResults } from "./protocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;
let generator: AvatarGenerator | null = null;
let batchSizes: readonly number[] = [1];
const models = new LazyModels(); // the tagger and the upscalers (one per denoise level), loaded on first use
const cancelled = new Set<number>();
let projecting: { id: number; controller: AbortController } | null = null;

function post(message: FromEngineWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

const tagger = () => models.get("tagger", () => loadTagger(`${WEIGHTS_ROOT}/tagger`));
const upscalerOf = (denoise: number) => models.get(upscalerFolder(denoise), () => loadUpscaler(upscalerUrl(denoise)));
const upscaler: ImageUpscaler = {
  upscale: async (image, settings) => (await upscalerOf(settings.denoise)).upscale(image, settings),
};

async function init(modelUrl: string, backend: string, sizes: readonly number[]): Promise<void> {
  // The backend the page chose, and no other: the worker's pixels must be the page's.
  const report = await chooseBackend(backend as BackendName);
  if (report.name !== backend) throw new Error(`the ${backend} backend did not start in a worker (it got ${report.name})`);
  const model = new AvatarGenerator(modelUrl);
  await model.load();
  await model.warmUp(sizes);
  generator = model;
  batchSizes = sizes;
}

function model(): AvatarGenerator {
  if (!generator) throw new Error("the engine's worker has no model");
  return generator;
}

/** One job, to its result and the buffers that travel with it. */
async function run(id: number, job: WorkerJob): Promise<[WorkerResults[WorkerJob["type"]], Transferable[]]> {
  switch (job.type) {
    case "render": {
      const images = await renderRecipes({ generator: model(), upscaler }, job.recipes, batchSizes, {
        onProgress: (done, total) => post({ type: "progress", id, done, total }),
        isCancelled: () => cancelled.has(id),
      });
      return [images, images.map((image) => image.data.buffer)];
    }
    case "load-tagger":
      return [{ groups: [...(await tagger()).vocab.groups] }, []];
    case "tag": {
      const rows = await (await tagger()).tagImages(job.images);
      return [rows, rows.map((row) => row.buffer)];
    }
    case "load-upscaler":
      return [(await upscalerOf(job.denoise)).limits, []];
    case "project":
      return [await project(id, job), []];
  }
}

async function project(id: number, job: WorkerJob & { type: "project" }): Promise<WorkerResults["project"]> {
  projecting?.controller.abort(); // one search at a time: a new one ends the old
  const mine = { id, controller: new AbortController() };
  projecting = mine;
  try {
    // Loaded with the first search: the gradients it registers are of no use to anything else.
    const { projectFace } = await import("@/app/cells/project/projection");
    return await projectFace(model(), job.target, job.tags, job.settings, {
      signal: mine.controller.signal,
      previewEvery: job.previewEvery,
      onStep: (progress) => post({ type: "step", id, ...progress }),
      onPreview: (image, step) => post({ type: "preview", id, step, image }, [image.data.buffer]),
    });
  } finally {
    if (projecting === mine) projecting = null;
  }
}

scope.onmessage = (event: MessageEvent<ToEngineWorker>) => {
  const message = event.data;
  if (message.type === "init") {
    init(message.modelUrl, message.backend, message.batchSizes).then(
      () => post({ type: "ready" }),
      (err: unknown) => post({ type: "init-failed", error: err instanceof Error ? err.message : String(err) }),
    );
  } else if (message.type === "job") {
    const { id, job } = message;
    run(id, job).then(
      ([result, transfer]) => post({ type: "done", id, result }, transfer),
      (err: unknown) => post({ type: "failed", id, error: err instanceof Error ? err.message : String(err), cancelled: err instanceof RenderCancelledError }),
    ).finally(() => cancelled.delete(id));
  } else {
    cancelled.add(message.id);
    if (projecting?.id === message.id) projecting.controller.abort();
  }
};
