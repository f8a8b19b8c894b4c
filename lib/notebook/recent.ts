/**
 * Recent notebooks: the last few notebooks closed or replaced in this browser, kept in
 * localStorage so that closing or opening another notebook never loses work. The start page
 * lists them. Same storage interface as the autosave (no DOM here).
 */

import type { DraftStorage } from "./autosave";
import { serializeNotebook } from "./io";
import type { Notebook } from "./schema";

export const RECENT_KEY = "avatargan.notebook.recent";
/** How many notebooks the list keeps, newest first. */
export const MAX_RECENT = 5;

export interface RecentNotebook {
  title: string;
  /** When it was closed or replaced (ISO time). */
  closedAt: string;
  cells: number;
  favourites: number;
  /** The notebook file, as Save would write it. */
  text: string;
}

export function recentNotebooks(storage: DraftStorage): RecentNotebook[] {
  try {
    const raw = JSON.parse(storage.getItem(RECENT_KEY) ?? "[]") as unknown;
    return Array.isArray(raw) ? raw.filter(isRecent).slice(0, MAX_RECENT) : [];
  } catch {
    return []; // a damaged list is not worth an error: it only ever holds copies
  }
}

/**
 * Put `notebook` first in the list (replacing an identical copy). When the storage is full the
 * oldest entries go first; returns false if even the notebook alone does not fit.
 */
export function rememberNotebook(storage: DraftStorage, notebook: Notebook, now: () => Date = () => new Date()): boolean {
  const text = serializeNotebook(notebook);
  const entry: RecentNotebook = { title: notebook.title, closedAt: now().toISOString(), cells: notebook.cells.length,
    favourites: notebook.favourites.length, text };
  let list = [entry, ...recentNotebooks(storage).filter((r) => r.text !== text)].slice(0, MAX_RECENT);
  while (list.length > 0) {
    try {
      storage.setItem(RECENT_KEY, JSON.stringify(list));
      return true;
    } catch {
      list = list.slice(0, -1);
    }
  }
  return false;
}

export function forgetRecent(storage: DraftStorage, index: number): void {
  const list = recentNotebooks(storage);
  list.splice(index, 1);
  storage.setItem(RECENT_KEY, JSON.stringify(list));
}

function isRecent(value: unknown): value is RecentNotebook {
  const r = value as Partial<RecentNotebook> | null;
  return !!r && typeof r.title === "string" && typeof r.closedAt === "string" && typeof r.text === "string"
    && typeof r.cells === "number" && typeof r.favourites === "number";
}
