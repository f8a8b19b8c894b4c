import type { CellKind } from "../kind";
import { upscaleCell, type UpscaleParams } from "./spec";

export const upscaleKind: CellKind<UpscaleParams> = {
  spec: upscaleCell,
  pipeline: true,
  needs: ["upscaler"],
  component: () => import("./UpscaleCell"),
};
