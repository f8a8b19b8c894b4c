/**
 * The messages between the engine (../engine.ts) and its worker (./engine.worker.ts). After
 * `init`, the page sends jobs; each has an id, echoed in every message about it, and ends in
 * one `done` (its result) or `failed`.
 */

import type { PixelImage } from "@/lib/edit/pixels";
import type { TagGroup } from "@/lib/latent/vocab";
import type { UpscaleLimits } from "@/lib/gan/upscalerConfig";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { Projection, ProjectionSettings } from "@/app/cells/project/projection";

export type WorkerJob =
  | { type: "render"; recipes: readonly AvatarRecipe[] }
  | { type: "load-tagger" }
  | { type: "tag"; images: readonly PixelImage[] }
  | { type: "load-upscaler"; denoise: number }
  | { type: "project"; target: PixelImage; tags: readonly string[]; settings: ProjectionSettings; previewEvery: number };

/** What each job resolves with. */
export interface WorkerResults {
  render: PixelImage[]; // their buffers transferred, not copied
  "load-tagger": { groups: TagGroup[] };
  tag: Float32Array[];
  "load-upscaler": UpscaleLimits;
  project: Projection;
}

export type ToEngineWorker =
  | { type: "init"; modelUrl: string; backend: string; batchSizes: readonly number[] }
  | { type: "job"; id: number; job: WorkerJob }
  | { type: "cancel"; id: number }; // a render stops between batches, a projection between steps

export type FromEngineWorker =
  | { type: "ready" }
  | { type: "init-failed"; error: string }
  | { type: "progress"; id: number; done: number; total: number } // a render's avatars
  | { type: "step"; id: number; step: number; steps: number; loss: number } // a projection's
  | { type: "preview"; id: number; step: number; image: PixelImage } // what a projection draws so far
  | { type: "done"; id: number; result: WorkerResults[WorkerJob["type"]] }
  | { type: "failed"; id: number; error: string; cancelled: boolean };
