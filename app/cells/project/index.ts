import type { CellKind } from "../kind";
import { projectCell, type ProjectParams } from "./spec";

export const projectKind: CellKind<ProjectParams> = {
  spec: projectCell,
  needs: ["tagger"],
  component: () => import("./ProjectCell"),
};
