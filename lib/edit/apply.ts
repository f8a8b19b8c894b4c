/**
 * Replay a recipe's pixel edits (lib/edit/ops.ts) on an image, in order. Pure: the input is
 * never modified, so the original stays available for undo and re-editing.
 */

import type { PixelImage } from "./pixels";
import type { EditOp } from "./ops";

export function applyEdits(image: PixelImage, edits: readonly EditOp[]): PixelImage {
  if (edits.length > 0) throw new Error(`pixel edits are not available in this build (${edits.map((e) => e.op).join(", ")})`);
  return image;
}
