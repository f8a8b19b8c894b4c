/**
 * The engine's side of its worker (./engine.worker.ts): start it (resolving once its generator
 * is loaded and warmed up, or null when no worker can run here, e.g. no Worker, a backend that
 * does not start in one), then send it jobs with the same hooks as the page-side calls they
 * stand for: renders as lib/gan/render.ts (progress, cancellation), the tagger and the
 * upscalers as the models the cells ask for, projections as projectFace (steps, previews, an
 * AbortSignal).
 */

import { RenderCancelledError, type RenderOptions } from "@/lib/gan/render";
import type { PixelImage } from "@/lib/edit/pixels";
import type { ImageTagger } from "@/lib/gan/tagger";
import { upscaleRefusal, type UpscaleLimits } from "@/lib/gan/upscalerConfig";
import { TagVocabulary } from "@/lib/latent/vocab";
import type { AvatarRecipe, UpscaleSettings } from "@/lib/recipe/recipe";
import type { Projection, ProjectionHooks, ProjectionSettings } from "@/app/cells/project/projection";
import type { FromEngineWorker, ToEngineWorker, WorkerJob, WorkerResults } from "./protocol";

/** An upscaler as the cells see it: what it can run (the upscale itself is a recipe's render). */
export interface UpscalerLimits {
  refusal(width: number, height: number, settings: UpscaleSettings): string | null;
}

/**
 * A model loaded in the worker, as the page holds it. Disposing it frees nothing: the model
 * lives in the worker and ends with it.
 */
type Remote<T> = T & { dispose(): void };
const keptInWorker = () => undefined;

export interface EngineWorker {
  render(recipes: readonly AvatarRecipe[], options?: RenderOptions): Promise<PixelImage[]>;
  /** Loads the tagger in the worker; reading images sends them there. */
  loadTagger(): Promise<Remote<ImageTagger>>;
  loadUpscaler(denoise: number): Promise<Remote<UpscalerLimits>>;
  project(target: PixelImage, tags: readonly string[], settings: ProjectionSettings, hooks?: ProjectionHooks): Promise<Projection>;
  terminate(): void;
}

/** Hooks for the messages a job sends before its end. */
interface JobHooks {
  onProgress?(done: number, total: number): void;
  onStep?: ProjectionHooks["onStep"];
  onPreview?: ProjectionHooks["onPreview"];
}

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
  hooks: JobHooks;
}

export async function startEngineWorker(modelUrl: string, backend: string, batchSizes: readonly number[]): Promise<EngineWorker | null> {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./engine.worker.ts", import.meta.url), { type: "module", name: "engine" });
  } catch (err) {
    console.warn("[avatargan] no engine worker, the models run on the page's thread:", err);
    return null;
  }
  const send = (message: ToEngineWorker) => worker.postMessage(message);
  if (!(await started(worker, send, { type: "init", modelUrl, backend, batchSizes: [...batchSizes] }))) {
    worker.terminate();
    return null;
  }

  let nextId = 1;
  const pending = new Map<number, Pending>();
  worker.addEventListener("message", (event: MessageEvent<FromEngineWorker>) => {
    const message = event.data;
    if (!("id" in message)) return;
    const job = pending.get(message.id);
    if (!job) return;
    if (message.type === "progress") job.hooks.onProgress?.(message.done, message.total);
    else if (message.type === "step") job.hooks.onStep?.({ step: message.step, steps: message.steps, loss: message.loss });
    else if (message.type === "preview") job.hooks.onPreview?.(message.image, message.step);
    else {
      pending.delete(message.id);
      if (message.type === "done") job.resolve(message.result);
      else job.reject(message.cancelled ? new RenderCancelledError() : new Error(message.error));
    }
  });
  worker.addEventListener("error", (event) => {
    const error = new Error(`the engine's worker stopped: ${event.message}`);
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  });

  /** Send one job; resolves with its result. `cancel` asks the worker to stop it. */
  function submit<K extends WorkerJob["type"]>(job: WorkerJob & { type: K }, hooks: JobHooks = {}): { id: number; result: Promise<WorkerResults[K]> } {
    const id = nextId++;
    const result = new Promise<WorkerResults[K]>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject, hooks });
      send({ type: "job", id, job });
    });
    return { id, result };
  }
  const cancel = (id: number) => send({ type: "cancel", id });

  return {
    render(recipes, options) {
      if (recipes.length === 0) return Promise.resolve([]);
      if (options?.isCancelled?.()) return Promise.reject(new RenderCancelledError());
      const { id, result } = submit({ type: "render", recipes: [...recipes] }, {
        onProgress(done, total) {
          options?.onProgress?.(done, total);
          // Cancellation is asked for on the page; the worker checks between batches.
          if (options?.isCancelled?.()) cancel(id);
        },
      });
      return result;
    },
    async loadTagger() {
      const { groups } = await submit({ type: "load-tagger" }).result;
      const vocab = new TagVocabulary(groups);
      return {
        vocab,
        tagImages: (images: readonly PixelImage[]) =>
          images.length === 0 ? Promise.resolve([]) : submit({ type: "tag", images: [...images] }).result,
        dispose: keptInWorker,
      };
    },
    async loadUpscaler(denoise) {
      const limits: UpscaleLimits = await submit({ type: "load-upscaler", denoise }).result;
      return { refusal: (width, height, settings) => upscaleRefusal(width, height, settings, limits), dispose: keptInWorker };
    },
    project(target, tags, settings, hooks = {}) {
      const { id, result } = submit({ type: "project", target, tags: [...tags], settings, previewEvery: hooks.previewEvery ?? 0 },
        { onStep: hooks.onStep, onPreview: hooks.onPreview });
      // Stopping keeps the w found so far: the worker ends the search and sends it.
      const stop = () => cancel(id);
      hooks.signal?.addEventListener("abort", stop);
      if (hooks.signal?.aborted) stop();
      return result.finally(() => hooks.signal?.removeEventListener("abort", stop));
    },
    terminate() {
      worker.terminate();
      for (const job of pending.values()) job.reject(new Error("the engine's worker was stopped"));
      pending.clear();
    },
  };
}

/** Send `init` and wait for the worker's answer: true once its generator is ready. */
function started(worker: Worker, send: (message: ToEngineWorker) => void, init: ToEngineWorker): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const onMessage = (event: MessageEvent<FromEngineWorker>) => {
      if (event.data.type !== "ready" && event.data.type !== "init-failed") return;
      if (event.data.type === "init-failed") console.warn(`[avatargan] engine worker: ${event.data.error}; the models run on the page's thread`);
      finish(event.data.type === "ready");
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      console.warn(`[avatargan] the engine worker did not start (${event.message}); the models run on the page's thread`);
      finish(false);
    };
    const finish = (ok: boolean) => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      resolve(ok);
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
    send(init);
  });
}
