"use client";

import { useState, type ChangeEvent } from "react";
import { notebookFileName, parseNotebookText, serializeNotebook, type LoadedNotebook } from "@/lib/notebook/io";
import type { Notebook } from "@/lib/notebook/schema";
import { downloadBytes } from "./download";

/**
 * The notebook and its file: Save downloads it, Open… parses a file and hands it to `onOpen`
 * (a bad file is reported through `report` and nothing changes), and `mayDiscard` asks before
 * leaving changes that are not saved to a file. A restored draft counts as never saved.
 */
export function useNotebookFile(notebook: Notebook, savedAtOpen: Notebook | null, onOpen: (loaded: LoadedNotebook, source: string) => void,
                                report: (message: string) => void) {
  const [savedText, setSavedText] = useState(() => (savedAtOpen ? serializeNotebook(savedAtOpen) : null));
  // Serialised only when asked (a notebook may hold thousands of favourites), not per render.
  const mayDiscard = (what: string) =>
    savedText === serializeNotebook(notebook) || window.confirm(`“${notebook.title}” has changes that are not saved to a file. ${what} anyway? ` +
      "It stays under Recent notebooks on the start page.");

  const save = () => {
    const text = serializeNotebook(notebook);
    downloadBytes(new TextEncoder().encode(text), notebookFileName(notebook), "application/json");
    setSavedText(text);
  };

  const openFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    let loaded: LoadedNotebook;
    try {
      loaded = parseNotebookText(await file.text());
    } catch (err) {
      report(`${file.name} could not be opened (nothing was changed): ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (mayDiscard(`Open ${file.name}`)) onOpen(loaded, file.name);
  };

  return { save, openFile, mayDiscard };
}
