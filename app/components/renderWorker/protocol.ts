/**
 * The messages between the engine (../engine.ts) and its render worker (./render.worker.ts).
 * A render has an id, echoed in every message about it.
 */

import type { PixelImage } from "@/lib/edit/pixels";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

export type ToRenderWorker =
  | { type: "init"; modelUrl: string; backend: string; batchSizes: readonly number[] }
  | { type: "render"; id: number; recipes: readonly AvatarRecipe[] }
  | { type: "cancel"; id: number };

export type FromRenderWorker =
  | { type: "ready" }
  | { type: "init-failed"; error: string }
  | { type: "progress"; id: number; done: number; total: number }
  | { type: "done"; id: number; images: PixelImage[] } // their buffers transferred, not copied
  | { type: "failed"; id: number; error: string; cancelled: boolean };
