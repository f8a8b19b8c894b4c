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

/** Set (small, so it fits when the draft no longer does) while the stored draft is older than the
 *  notebook the user last saw; a reload then says so instead of silently going back in time. */
export const STALE_KEY = "avatargan.notebook.draft-stale";

export interface StaleDraft {
  /** When autosave first failed after the stored draft was written (ISO time). */
  since: string;
  reason: string;
}

export type DraftResult =
  | { state: "none" }
  | { state: "ok"; loaded: LoadedNotebook; stale: StaleDraft | null }
  | { state: "corrupt"; reason: string };

export function readDraft(storage: DraftStorage): DraftResult {
  const text = storage.getItem(AUTOSAVE_KEY);
  if (text === null) return { state: "none" };
  try {
    return { state: "ok", loaded: parseNotebookText(text), stale: readStale(storage) };
  } catch (err) {
    return { state: "corrupt", reason: err instanceof Error ? err.message : String(err) };
  }
}

function readStale(storage: DraftStorage): StaleDraft | null {
  try {
    const raw = JSON.parse(storage.getItem(STALE_KEY) ?? "null") as Partial<StaleDraft> | null;
    return raw && typeof raw.since === "string" ? { since: raw.since, reason: String(raw.reason ?? "") } : null;
  } catch {
    return null;
  }
}

/** Save the draft; false (with the reason) when the storage refuses, e.g. over quota. On a refusal
 *  the older draft stays, marked stale (once, with the time the notebook moved past it). */
export function writeDraft(storage: DraftStorage, notebook: Notebook, now: () => Date = () => new Date()): { ok: true } | { ok: false; reason: string } {
  try {
    storage.setItem(AUTOSAVE_KEY, serializeNotebook(notebook));
    storage.removeItem(STALE_KEY);
    return { ok: true };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (readStale(storage) === null) {
      try {
        storage.setItem(STALE_KEY, JSON.stringify({ since: now().toISOString(), reason }));
      } catch {
        // Nothing at all fits: the on-screen warning is all that can be done.
      }
    }
    return { ok: false, reason };
  }
}

export function clearDraft(storage: DraftStorage): void {
  storage.removeItem(AUTOSAVE_KEY);
  storage.removeItem(STALE_KEY);
}

/** The notice to show when a reload restored a stale draft. */
export function staleDraftNotice(stale: StaleDraft): string {
  return `Autosave stopped working at ${new Date(stale.since).toLocaleString()} (${stale.reason}): this is the last draft that fit in the browser's storage, and changes made after that time are not in it. Save the notebook to a file to keep your work.`;
}
