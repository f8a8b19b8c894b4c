import type { CellKind } from "../kind";
import { interpolateCell, type InterpolateParams } from "./spec";

export const interpolateKind: CellKind<InterpolateParams> = {
  spec: interpolateCell,
  needs: [],
  component: () => import("./InterpolationCell"),
};
