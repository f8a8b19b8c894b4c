/**
 * Cell kind -> its React component, loaded on demand (each cell pulls in its own heavy
 * libraries: tweakpane, d3). To add a kind: one line, `kind: () => import("./KindCell"),`.
 * The parameter schema of each kind is registered separately in lib/notebook/cellKinds.ts.
 */

import type { ComponentType } from "react";
import type { CellProps } from "./types";

/**
 * `CellProps<never>` is the type-erased form: any `CellProps<P>` component fits it, and the
 * notebook hands each component the params its own spec validated.
 */
export type CellComponentLoader = () => Promise<{ default: ComponentType<CellProps<never>> }>;

export const CELL_COMPONENTS: Readonly<Record<string, CellComponentLoader>> = {
  sample: () => import("./SampleCell"),
  favourites: () => import("./FavouritesCell"),
  edit: () => import("./EditCell"),
  upscale: () => import("./UpscaleCell"),
  interpolate: () => import("./InterpolationCell"),
  directions: () => import("./DirectionsCell"),
  mixing: () => import("./StyleMixingCell"),
  effects: () => import("./ConditionEffectsCell"),
};
