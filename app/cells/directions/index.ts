import type { CellKind } from "../kind";
import { directionsCell, type DirectionsParams } from "./spec";

export const directionsKind: CellKind<DirectionsParams> = {
  spec: directionsCell,
  needs: ["tagger", "charts"],
  component: () => import("./DirectionsCell"),
};
