/**
 * Edits of a notebook's cell list: pure functions that return a new notebook and leave the
 * old one untouched, so React state, undo and autosave see whole, consistent documents.
 */

import { cellKindSpec } from "@/app/cells/registry";
import { NOTEBOOK_FORMAT, NOTEBOOK_VERSION, type ModelRef, type Notebook, type NotebookCell } from "./schema";

/** A fresh notebook: one sample cell and the favourites tray. */
export function newNotebook(model: ModelRef | null, title = "Untitled notebook"): Notebook {
  const empty: Notebook = { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, title, description: "", model, cells: [], favourites: [] };
  return addCell(addCell(empty, "favourites"), "sample", 0);
}

/** An id not used by any cell of the notebook: "<kind>-<n>". */
export function freshCellId(notebook: Notebook, kind: string): string {
  const used = new Set(notebook.cells.map((c) => c.id));
  let n = 1;
  while (used.has(`${kind}-${n}`)) n++;
  return `${kind}-${n}`;
}

/** Insert a new cell of `kind` with its default params at `index` (default: the end). */
export function addCell(notebook: Notebook, kind: string, index = notebook.cells.length): Notebook {
  const spec = cellKindSpec(kind);
  if (!spec) throw new Error(`unknown cell kind "${kind}"`);
  const cell: NotebookCell = { id: freshCellId(notebook, kind), kind, title: spec.title, collapsed: false, params: spec.defaults() };
  const cells = [...notebook.cells];
  cells.splice(Math.max(0, Math.min(index, cells.length)), 0, cell);
  return { ...notebook, cells };
}

export function removeCell(notebook: Notebook, id: string): Notebook {
  return { ...notebook, cells: notebook.cells.filter((c) => c.id !== id) };
}

/** Move a cell up (-1) or down (+1); a move past either end does nothing. */
export function moveCell(notebook: Notebook, id: string, delta: -1 | 1): Notebook {
  const from = notebook.cells.findIndex((c) => c.id === id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= notebook.cells.length) return notebook;
  const cells = [...notebook.cells];
  [cells[from], cells[to]] = [cells[to], cells[from]];
  return { ...notebook, cells };
}

export function updateCell(notebook: Notebook, id: string, change: Partial<Omit<NotebookCell, "id" | "kind">>): Notebook {
  return { ...notebook, cells: notebook.cells.map((c) => (c.id === id ? { ...c, ...change } : c)) };
}
