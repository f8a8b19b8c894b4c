"use client";

import { createContext, useContext } from "react";
import type { Notebook } from "@/lib/notebook/schema";

/**
 * The open notebook, for the few parts of the page that need the whole document rather than
 * their own cell (the favourites export writes notebook.json into its ZIP).
 */
export const NotebookContext = createContext<Notebook | null>(null);

export function useNotebook(): Notebook {
  const notebook = useContext(NotebookContext);
  if (!notebook) throw new Error("useNotebook: no notebook is open (missing NotebookContext provider)");
  return notebook;
}
