/** The messages between Find my character's cell and its worker (./projection.worker.ts). */

import type { PixelImage } from "@/lib/edit/pixels";
import type { Projection, ProjectionSettings, ProjectionStep } from "./projection";

export type ToProjectionWorker =
  | { type: "start"; modelUrl: string; backend: string; target: PixelImage; tags: string[]; settings: ProjectionSettings; previewEvery: number }
  | { type: "stop" };

export type FromProjectionWorker =
  | ({ type: "step" } & ProjectionStep)
  | { type: "preview"; step: number; width: number; height: number; data: Uint8ClampedArray }
  | { type: "done"; projection: Projection }
  | { type: "failed"; error: string };
