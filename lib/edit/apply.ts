/**
 * Replay a recipe's pixel edits (lib/recipe/editOps.ts) on an image, in order. Pure: the input is
 * never modified, so the original stays available for undo and re-editing.
 *
 * The list is validated first (values and crop bounds), so a bad recipe fails before any work
 * with a message naming the op, instead of half-applying.
 */

import type { PixelImage } from "./pixels";
import type { EditOp } from "@/lib/recipe/editOps";
import { crop, flip, rotate, scale } from "./geometry";
import { brightness, contrast, hue, saturation } from "./color";
import { sharpen } from "./sharpen";
import { assertImage } from "./image";
import { editedSize, validateEdit } from "./validate";

export function applyEdit(image: PixelImage, edit: EditOp): PixelImage {
  switch (edit.op) {
    case "crop":
      return crop(image, edit);
    case "scale":
      return scale(image, edit.width, edit.height);
    case "rotate":
      return rotate(image, edit.quarterTurns);
    case "flip":
      return flip(image, edit.axis);
    case "saturation":
      return saturation(image, edit.amount);
    case "brightness":
      return brightness(image, edit.amount);
    case "contrast":
      return contrast(image, edit.amount);
    case "hue":
      return hue(image, edit.degrees);
    case "sharpen":
      return sharpen(image, edit.amount);
  }
}

export function applyEdits(image: PixelImage, edits: readonly EditOp[]): PixelImage {
  assertImage(image);
  edits.forEach((edit, i) => validateEdit(edit, `edits[${i}]`));
  editedSize(image.width, image.height, edits);
  return edits.reduce(applyEdit, image);
}
