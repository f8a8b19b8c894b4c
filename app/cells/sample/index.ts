import type { CellKind } from "../kind";
import { sampleCell, type SampleParams } from "./spec";

export const sampleKind: CellKind<SampleParams> = {
  spec: sampleCell,
  needs: [],
  component: () => import("./SampleCell"),
};
