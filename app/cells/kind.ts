/**
 * A cell kind as the workbench registers it: the saved-document part (its spec: name, title,
 * default parameters, parser; lib/notebook/cellKind.ts), what it loads on first use beyond the
 * generator, and its React component, loaded on demand.
 *
 * Each kind lives in its own folder, app/cells/<kind>/:
 *   spec.ts         parameters, defaults and parser (no React, no tf.js: the notebook loader
 *                   validates whole files with it before anything renders)
 *   <Kind>Cell.tsx  the view, with its .module.css and the hooks and helpers only it uses
 *   index.ts        this record, listed once in ./registry.ts
 */

import type { ComponentType } from "react";
import type { CellKindSpec } from "@/lib/notebook/cellKind";
import type { CellProps } from "./types";

/** What a cell loads on first use beyond the generator (prefetched when a notebook opens). */
export type CellNeed = "tagger" | "upscaler" | "charts";

export interface CellKind<P> {
  readonly spec: CellKindSpec<P>;
  readonly needs: readonly CellNeed[];
  /** Its output is its input passed on (upscaled, edited): see lib/notebook/inputFlow.ts. */
  readonly pipeline?: boolean;
  /** The view, as a dynamic import: each cell pulls in its own heavy libraries (tweakpane, d3). */
  readonly component: () => Promise<{ default: ComponentType<CellProps<P>> }>;
}

/**
 * The type-erased form the registry holds. `CellProps<never>` accepts any `CellProps<P>`
 * component; the notebook hands each component the params its own spec validated.
 */
export interface AnyCellKind {
  readonly spec: CellKindSpec<unknown>;
  readonly needs: readonly CellNeed[];
  readonly pipeline?: boolean;
  readonly component: () => Promise<{ default: ComponentType<CellProps<never>> }>;
}

/** Erase a kind's parameter type for the registry (the one cast, in one place). */
export function registered<P>(kind: CellKind<P>): AnyCellKind {
  return kind as unknown as AnyCellKind;
}
