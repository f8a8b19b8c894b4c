/**
 * "Edit": pixel edits (crop, scale, rotate, flip, colour, sharpen) on the avatar flowing in
 * from the cells above, usually the upscaler's output. Non-destructive: the cell saves only
 * its list of edits; the avatar below is the input recipe with these edits appended, so the
 * export carries them and re-rendering the recipe gives the edited pixels.
 */

import type { CellKindSpec } from "@/lib/notebook/cellKind";
import type { EditOp } from "@/lib/recipe/editOps";
import { validateEdits } from "@/lib/edit/validate";
import { optional, readBoolean, readObject } from "@/lib/notebook/fields";

export interface EditParams {
  /** This cell's edits, applied in order after the input recipe's own edits. */
  edits: EditOp[];
  /** Crop frame locked to a square. */
  squareCrop: boolean;
}

export const editCell: CellKindSpec<EditParams> = {
  kind: "edit",
  title: "Edit",
  defaults: () => ({ edits: [], squareCrop: true }),
  validate(raw: unknown): EditParams {
    const obj = readObject(raw, "params");
    return {
      edits: validateEdits(obj.edits ?? [], "params.edits"),
      squareCrop: optional(obj, "squareCrop", true, (v) => readBoolean(v, "params.squareCrop")),
    };
  },
};
