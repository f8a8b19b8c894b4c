/**
 * The engine's side of the render worker (./render.worker.ts): start it (resolving once its
 * model is loaded and warmed up, or null when no worker can run here, e.g. no Worker, a
 * backend that does not start in one), then render recipes in it with the same options as
 * lib/gan/render.ts (progress, cancellation).
 */

import { RenderCancelledError, type RenderOptions } from "@/lib/gan/render";
import type { PixelImage } from "@/lib/edit/pixels";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { FromRenderWorker, ToRenderWorker } from "./protocol";

export interface RenderWorker {
  render(recipes: readonly AvatarRecipe[], options?: RenderOptions): Promise<PixelImage[]>;
  terminate(): void;
}

export async function startRenderWorker(modelUrl: string, backend: string, batchSizes: readonly number[]): Promise<RenderWorker | null> {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./render.worker.ts", import.meta.url), { type: "module", name: "render" });
  } catch (err) {
    console.warn("[avatargan] no render worker, rendering on the page's thread:", err);
    return null;
  }
  const send = (message: ToRenderWorker) => worker.postMessage(message);
  const ready = await new Promise<boolean>((resolve) => {
    const onMessage = (event: MessageEvent<FromRenderWorker>) => {
      if (event.data.type !== "ready" && event.data.type !== "init-failed") return;
      if (event.data.type === "init-failed") console.warn(`[avatargan] render worker: ${event.data.error}; rendering on the page's thread`);
      finish(event.data.type === "ready");
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      console.warn(`[avatargan] render worker did not start (${event.message}); rendering on the page's thread`);
      finish(false);
    };
    const finish = (ok: boolean) => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      resolve(ok);
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
    send({ type: "init", modelUrl, backend, batchSizes: [...batchSizes] });
  });
  if (!ready) {
    worker.terminate();
    return null;
  }

  let nextId = 1;
  const pending = new Map<number, { resolve(images: PixelImage[]): void; reject(err: Error): void; options?: RenderOptions }>();
  worker.addEventListener("message", (event: MessageEvent<FromRenderWorker>) => {
    const message = event.data;
    if (!("id" in message)) return;
    const job = pending.get(message.id);
    if (!job) return;
    if (message.type === "progress") {
      job.options?.onProgress?.(message.done, message.total);
      // Cancellation is asked for on the page; the worker checks between batches.
      if (job.options?.isCancelled?.()) send({ type: "cancel", id: message.id });
      return;
    }
    pending.delete(message.id);
    if (message.type === "done") job.resolve(message.images);
    else job.reject(message.cancelled ? new RenderCancelledError() : new Error(message.error));
  });
  worker.addEventListener("error", (event) => {
    const error = new Error(`the render worker stopped: ${event.message}`);
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  });

  return {
    render(recipes, options) {
      if (recipes.length === 0) return Promise.resolve([]);
      if (options?.isCancelled?.()) return Promise.reject(new RenderCancelledError());
      const id = nextId++;
      return new Promise<PixelImage[]>((resolve, reject) => {
        pending.set(id, { resolve, reject, options });
        send({ type: "render", id, recipes: [...recipes] });
      });
    },
    terminate() {
      worker.terminate();
      for (const job of pending.values()) job.reject(new Error("the render worker was stopped"));
      pending.clear();
    },
  };
}
