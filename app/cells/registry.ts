/**
 * The registry of cell kinds: one entry per folder of app/cells (see ./kind.ts for what a
 * folder holds). To add a kind: add its folder and one line here. The order here is the order
 * of the "Add cell" menu.
 *
 * lib/notebook reads the specs from here to validate and edit documents; importing this file
 * loads no React and no tf.js (components are dynamic imports, called only by the notebook view).
 */

import type { Engine } from "@/app/components/engine";
import { registered, type AnyCellKind } from "./kind";
import { directionsKind } from "./directions";
import { editKind } from "./edit";
import { effectsKind } from "./effects";
import { favouritesKind } from "./favourites";
import { interpolateKind } from "./interpolate";
import { mixingKind } from "./mixing";
import { projectKind } from "./project";
import { sampleKind } from "./sample";
import { upscaleKind } from "./upscale";

export const CELL_KINDS: readonly AnyCellKind[] = [
  registered(sampleKind),
  registered(projectKind),
  registered(favouritesKind),
  registered(upscaleKind),
  registered(editKind),
  registered(interpolateKind),
  registered(directionsKind),
  registered(mixingKind),
  registered(effectsKind),
];

/** The registered kind named `kind`, or null when this build does not know it. */
export function cellKind(kind: string): AnyCellKind | null {
  return CELL_KINDS.find((entry) => entry.spec.kind === kind) ?? null;
}

/** The parameter spec of a stored kind, or null when this build does not know it. */
export function cellKindSpec(kind: string): AnyCellKind["spec"] | null {
  return cellKind(kind)?.spec ?? null;
}

/**
 * Loads ahead what the notebook's cells would fetch on first use (the tagger, the upscaler,
 * d3), so that once a notebook has opened nothing more comes from the network: a defense
 * presented offline can still run an effects cell. Failures are left for the cell to report.
 */
export function prefetchForCells(engine: Engine, kinds: readonly string[]): void {
  const needs = new Set(kinds.flatMap((kind) => cellKind(kind)?.needs ?? []));
  if (needs.has("tagger")) engine.tagger().catch(() => undefined);
  if (needs.has("upscaler")) engine.upscaler().catch(() => undefined);
  if (needs.has("charts")) import("d3").catch(() => undefined);
}
