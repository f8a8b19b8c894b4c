/**
 * How the editor's controls change an edit list, kept out of the UI so it is testable:
 *   - a slider sets "its" adjustment: the last op of that kind is updated in place (0 removes
 *     it), or one is appended; so dragging never piles up ops, and the slider shows the value
 *     the list really holds.
 *   - rotate and flip buttons append, folding into a directly preceding op of the same kind
 *     (two quarter turns become one half turn, four or two flips vanish), so the list stays
 *     what the user meant rather than what they clicked.
 */

import { adjustmentOp, adjustmentValue, isAdjustment, type AdjustmentName, type AdjustmentOp, type EditOp } from "@/lib/recipe/editOps";

function lastIndexOfOp(edits: readonly EditOp[], name: EditOp["op"]): number {
  for (let i = edits.length - 1; i >= 0; i--) if (edits[i].op === name) return i;
  return -1;
}

/** The value of adjustment `name` in the list (its last op), 0 if it has none. */
export function adjustmentIn(edits: readonly EditOp[], name: AdjustmentName): number {
  const i = lastIndexOfOp(edits, name);
  return i < 0 ? 0 : adjustmentValue(edits[i] as AdjustmentOp);
}

export function setAdjustment(edits: readonly EditOp[], name: AdjustmentName, value: number): EditOp[] {
  const i = lastIndexOfOp(edits, name);
  if (i < 0) return value === 0 ? [...edits] : [...edits, adjustmentOp(name, value)];
  if (value === 0) return edits.filter((_, j) => j !== i);
  return edits.map((edit, j) => (j === i && isAdjustment(edit) ? adjustmentOp(name, value) : edit));
}

export function appendRotate(edits: readonly EditOp[], quarterTurns: 1 | 2 | 3): EditOp[] {
  const last = edits[edits.length - 1];
  if (last?.op !== "rotate") return [...edits, { op: "rotate", quarterTurns }];
  const total = (last.quarterTurns + quarterTurns) % 4;
  const rest = edits.slice(0, -1);
  return total === 0 ? rest : [...rest, { op: "rotate", quarterTurns: total as 1 | 2 | 3 }];
}

export function appendFlip(edits: readonly EditOp[], axis: "horizontal" | "vertical"): EditOp[] {
  const last = edits[edits.length - 1];
  if (last?.op === "flip" && last.axis === axis) return edits.slice(0, -1);
  return [...edits, { op: "flip", axis }];
}

const signed = (v: number, digits = 2) => `${v > 0 ? "+" : ""}${v.toFixed(digits)}`;

/** One line per op for the editor's list of edits, e.g. "crop 64x64 at (8, 0)", "hue +30°". */
export function describeEdit(edit: EditOp): string {
  switch (edit.op) {
    case "crop":
      return `crop ${edit.width}×${edit.height} at (${edit.x}, ${edit.y})`;
    case "scale":
      return `scale to ${edit.width}×${edit.height}`;
    case "rotate":
      return `rotate ${edit.quarterTurns * 90}° clockwise`;
    case "flip":
      return `flip ${edit.axis}`;
    case "hue":
      return `hue ${signed(edit.degrees, 0)}°`;
    default:
      return `${edit.op} ${signed(edit.amount)}`;
  }
}
