/// <reference lib="webworker" />
/**
 * Find my character's search, off the page's thread: this worker runs its own tf.js on the
 * backend the page chose, loads the generator once, and runs ./projection.ts, posting each
 * step, a preview every few steps and the result (messages: ./workerProtocol.ts). The page
 * stays free for input while it runs, even on WASM and CPU, which would otherwise compute on
 * the page's thread.
 */

import { loadGeneratorOn } from "@/app/components/workerGenerator";
import type { AvatarGenerator } from "@/lib/gan/generator";
import { projectFace } from "./projection";
import type { FromProjectionWorker, ToProjectionWorker } from "./workerProtocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;
let generator: AvatarGenerator | null = null;
let running: { id: number; controller: AbortController } | null = null;

function post(message: FromProjectionWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

/** The generator at `modelUrl` on `backend`, loaded once per worker. */
async function ready(modelUrl: string, backend: string): Promise<AvatarGenerator> {
  if (generator?.modelUrl === modelUrl) return generator;
  generator?.dispose();
  generator = await loadGeneratorOn(backend, modelUrl);
  return generator;
}

scope.onmessage = async (event: MessageEvent<ToProjectionWorker>) => {
  const message = event.data;
  if (message.type === "stop") {
    if (running?.id === message.id) running.controller.abort();
    return;
  }
  running?.controller.abort(); // one search at a time: a new one ends the old
  const { id } = message;
  const mine = { id, controller: new AbortController() };
  running = mine;
  try {
    const model = await ready(message.modelUrl, message.backend);
    const found = await projectFace(model, message.target, message.tags, message.settings, {
      signal: mine.controller.signal,
      previewEvery: message.previewEvery,
      onStep: (progress) => post({ id, type: "step", ...progress }),
      onPreview: (image, step) => post({ id, type: "preview", step, image }, [image.data.buffer]),
    });
    post({ id, type: "done", projection: found });
  } catch (err) {
    post({ id, type: "failed", error: err instanceof Error ? err.message : String(err) });
  } finally {
    if (running === mine) running = null;
  }
};
