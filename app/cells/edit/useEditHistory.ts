"use client";
/**
 * The edit cell's undo/redo state. The saved truth is `params.edits` (the notebook stores it);
 * the history of earlier lists lives for the session only. A change of `params.edits` from
 * outside (a notebook loaded, another tab's autosave) starts a fresh history.
 */

import { useCallback, useEffect, useState } from "react";
import type { EditOp } from "@/lib/recipe/editOps";
import { canRedo, canUndo, commit, createHistory, preview, redo, undo, type EditHistory } from "@/lib/edit/history";

export interface EditHistoryControls {
  /** The list to show now (includes an uncommitted slider preview). */
  edits: readonly EditOp[];
  /** The list last committed: what the cell publishes and saves. */
  committed: readonly EditOp[];
  canUndo: boolean;
  canRedo: boolean;
  preview(next: readonly EditOp[]): void;
  commit(next: readonly EditOp[]): void;
  undo(): void;
  redo(): void;
}

export function useEditHistory(saved: readonly EditOp[], save: (edits: EditOp[]) => void): EditHistoryControls {
  const [history, setHistory] = useState<EditHistory>(() => createHistory(saved));

  const savedKey = JSON.stringify(saved);
  useEffect(() => {
    setHistory((h) => (JSON.stringify(h.committed) === savedKey ? h : createHistory(JSON.parse(savedKey) as EditOp[])));
  }, [savedKey]);

  const move = useCallback(
    (next: EditHistory) => {
      setHistory(next);
      if (JSON.stringify(next.committed) !== savedKey) save([...next.committed]);
    },
    [save, savedKey],
  );

  return {
    edits: history.present,
    committed: history.committed,
    canUndo: canUndo(history),
    canRedo: canRedo(history),
    preview: (next) => setHistory(preview(history, next)),
    commit: (next) => move(commit(history, next)),
    undo: () => move(undo(history)),
    redo: () => move(redo(history)),
  };
}
