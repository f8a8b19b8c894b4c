/**
 * Undo/redo over edit lists. The history is an immutable value (React state can hold it as
 * is): each entry is a whole edit list, since lists are short and whole snapshots make undo
 * trivially correct. `preview` changes the present without an undo step (a slider being
 * dragged); `commit` records one (the slider released, a button pressed).
 */

import type { EditOp } from "@/lib/recipe/editOps";

export interface EditHistory {
  readonly past: readonly (readonly EditOp[])[];
  readonly present: readonly EditOp[];
  readonly future: readonly (readonly EditOp[])[];
  /** The present as it was at the last commit: what an undo step starts from. */
  readonly committed: readonly EditOp[];
}

/** Oldest steps are dropped past this many, so a long session does not grow without bound. */
export const HISTORY_LIMIT = 200;

export function createHistory(initial: readonly EditOp[] = []): EditHistory {
  return { past: [], present: initial, future: [], committed: initial };
}

function sameEdits(a: readonly EditOp[], b: readonly EditOp[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

/** Show `edits` now without recording an undo step (e.g. while a slider moves). */
export function preview(history: EditHistory, edits: readonly EditOp[]): EditHistory {
  return { ...history, present: edits };
}

/**
 * Record `edits` (default: the present, after previews) as one undo step from the last
 * committed list. Committing what is already committed changes nothing; redo is cleared.
 */
export function commit(history: EditHistory, edits: readonly EditOp[] = history.present): EditHistory {
  if (sameEdits(edits, history.committed)) return { ...history, present: history.committed };
  const past = [...history.past, history.committed].slice(-HISTORY_LIMIT);
  return { past, present: edits, future: [], committed: edits };
}

export function canUndo(history: EditHistory): boolean {
  return history.past.length > 0;
}

export function canRedo(history: EditHistory): boolean {
  return history.future.length > 0;
}

export function undo(history: EditHistory): EditHistory {
  if (!canUndo(history)) return history;
  const previous = history.past[history.past.length - 1];
  return { past: history.past.slice(0, -1), present: previous, future: [history.committed, ...history.future], committed: previous };
}

export function redo(history: EditHistory): EditHistory {
  if (!canRedo(history)) return history;
  const [next, ...rest] = history.future;
  return { past: [...history.past, history.committed], present: next, future: rest, committed: next };
}
