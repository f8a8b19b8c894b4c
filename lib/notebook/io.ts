/**
 * Notebook files: text -> Notebook (migrating older versions, validating everything) and
 * Notebook -> text. No DOM here: the page turns a File into text and text into a download.
 */

import { NotebookFormatError } from "./fields";
import { documentVersion, migrateNotebook } from "./migrate";
import { NOTEBOOK_VERSION, type Notebook } from "./schema";
import { validateNotebook } from "./validate";

export interface LoadedNotebook {
  notebook: Notebook;
  /** The version the file was written in, when it had to be migrated. */
  migratedFrom: number | null;
}

/** Parse a notebook file's text; throws NotebookFormatError with the reason. */
export function parseNotebookText(text: string): LoadedNotebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new NotebookFormatError(`the file is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseNotebookJson(raw);
}

export function parseNotebookJson(raw: unknown): LoadedNotebook {
  const version = documentVersion(raw);
  const migrated = migrateNotebook(raw);
  if (!migrated.ok) throw new NotebookFormatError(migrated.reason);
  return {
    notebook: validateNotebook(migrated.value),
    migratedFrom: version !== null && version < NOTEBOOK_VERSION ? version : null,
  };
}

export function serializeNotebook(notebook: Notebook): string {
  return `${JSON.stringify(notebook, null, 2)}\n`;
}

/** "My study" -> "my-study.avatargan.json". */
export function notebookFileName(notebook: Notebook): string {
  const slug = notebook.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  return `${slug || "notebook"}.avatargan.json`;
}
