import type { CellKind } from "../kind";
import { effectsCell, type EffectsParams } from "./spec";

export const effectsKind: CellKind<EffectsParams> = {
  spec: effectsCell,
  needs: ["tagger", "charts"],
  component: () => import("./ConditionEffectsCell"),
};
