/**
 * Autosave: the open notebook is kept in the browser's localStorage on every change, so a
 * reload loses nothing. The storage is passed in (no DOM here); the draft goes through the
 * same parser as a file, so a draft written by an older build is migrated, and a corrupt one
 * is reported rather than half-loaded.
 */

import { parseNotebookText, serializeNotebook, type LoadedNotebook } from "./io";
import type { Notebook } from "./schema";

export const AUTOSAVE_KEY = "avatargan.notebook.draft";

/** The part of the Web Storage API autosave uses. */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type DraftResult = { state: "none" } | { state: "ok"; loaded: LoadedNotebook } | { state: "corrupt"; reason: string };

export function readDraft(storage: DraftStorage): DraftResult {
  const text = storage.getItem(AUTOSAVE_KEY);
  if (text === null) return { state: "none" };
  try {
    return { state: "ok", loaded: parseNotebookText(text) };
  } catch (err) {
    return { state: "corrupt", reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Save the draft; false (with the reason) when the storage refuses, e.g. over quota. */
export function writeDraft(storage: DraftStorage, notebook: Notebook): { ok: true } | { ok: false; reason: string } {
  try {
    storage.setItem(AUTOSAVE_KEY, serializeNotebook(notebook));
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export function clearDraft(storage: DraftStorage): void {
  storage.removeItem(AUTOSAVE_KEY);
}
