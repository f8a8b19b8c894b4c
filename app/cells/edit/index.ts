import type { CellKind } from "../kind";
import { editCell, type EditParams } from "./spec";

export const editKind: CellKind<EditParams> = {
  spec: editCell,
  pipeline: true,
  needs: [],
  component: () => import("./EditCell"),
};
