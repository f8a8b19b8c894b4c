/**
 * The registry of cell kinds a notebook may contain. To add a kind: one import line and one
 * entry in CELL_KINDS. The order here is the order of the "Add cell" menu.
 */

import type { AnyCellKindSpec } from "./cellKind";
import { sampleCell } from "./cells/sample";
import { favouritesCell } from "./cells/favourites";
import { editCell } from "./cells/edit";
import { upscaleCell } from "./cells/upscale";
import { interpolateCell } from "./cells/interpolate";
import { directionsCell } from "./cells/directions";
import { mixingCell } from "./cells/mixing";
import { effectsCell } from "./cells/effects";

export const CELL_KINDS: readonly AnyCellKindSpec[] = [
  sampleCell,
  favouritesCell,
  upscaleCell,
  editCell,
  interpolateCell,
  directionsCell,
  mixingCell,
  effectsCell,
];

/** The spec for a stored kind, or null when this build does not know it. */
export function cellKindSpec(kind: string): AnyCellKindSpec | null {
  return CELL_KINDS.find((spec) => spec.kind === kind) ?? null;
}
