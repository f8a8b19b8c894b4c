import type { CellKind } from "../kind";
import { mixingCell, type MixingParams } from "./spec";

export const mixingKind: CellKind<MixingParams> = {
  spec: mixingCell,
  needs: [],
  component: () => import("./StyleMixingCell"),
};
