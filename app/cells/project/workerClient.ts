/**
 * The page's side of Find my character's worker: start it, run one projection in it with the
 * same hooks as ./projection.ts's projectFace (steps, previews, an AbortSignal), and tell a
 * worker that could not start (the caller then searches on the page's thread).
 */

import type { PixelImage } from "@/lib/edit/pixels";
import type { Projection, ProjectionHooks, ProjectionSettings } from "./projection";
import type { FromProjectionWorker, ToProjectionWorker } from "./workerProtocol";

/** The worker did not start or crashed (not: the projection failed): run on the page instead. */
export class WorkerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerUnavailableError";
  }
}

export function startProjectionWorker(): Worker | null {
  try {
    return new Worker(new URL("./projection.worker.ts", import.meta.url), { type: "module", name: "find-my-character" });
  } catch {
    return null;
  }
}

export interface WorkerRequest {
  modelUrl: string;
  backend: string;
  target: PixelImage;
  tags: readonly string[];
  settings: ProjectionSettings;
}

let nextId = 1;

export function projectInWorker(worker: Worker, request: WorkerRequest, hooks: ProjectionHooks = {}): Promise<Projection> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const send = (message: ToProjectionWorker) => worker.postMessage(message);
    const stop = () => send({ type: "stop", id });
    const finish = () => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      hooks.signal?.removeEventListener("abort", stop);
    };
    const onMessage = (event: MessageEvent<FromProjectionWorker>) => {
      const message = event.data;
      if (message.id !== id) return;
      if (message.type === "step") hooks.onStep?.({ step: message.step, steps: message.steps, loss: message.loss });
      else if (message.type === "preview") hooks.onPreview?.(message.image, message.step);
      else {
        finish();
        if (message.type === "done") resolve(message.projection);
        else reject(new Error(message.error));
      }
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      finish();
      reject(new WorkerUnavailableError(event.message || "the projection worker could not start"));
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
    hooks.signal?.addEventListener("abort", stop);
    if (hooks.signal?.aborted) stop();
    send({ type: "start", id, modelUrl: request.modelUrl, backend: request.backend, target: request.target, tags: [...request.tags],
      settings: request.settings, previewEvery: hooks.previewEvery ?? 0 });
  });
}
