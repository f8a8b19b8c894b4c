/**
 * The messages between Find my character's cell and its worker (./projection.worker.ts). Each
 * search has an id, echoed in every message about it, so a reply to an older search (one
 * stopped just as a new one started) is never taken for the new one's.
 */

import type { PixelImage } from "@/lib/edit/pixels";
import type { Projection, ProjectionSettings, ProjectionStep } from "./projection";

export type ToProjectionWorker =
  | { type: "start"; id: number; modelUrl: string; backend: string; target: PixelImage; tags: string[]; settings: ProjectionSettings; previewEvery: number }
  | { type: "stop"; id: number };

export type FromProjectionWorker = { id: number } & (
  | ({ type: "step" } & ProjectionStep)
  | { type: "preview"; step: number; image: PixelImage }
  | { type: "done"; projection: Projection }
  | { type: "failed"; error: string }
);
