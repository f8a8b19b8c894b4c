"use client";

import { useEffect, useMemo, useState } from "react";
import { prefetchForCells } from "@/app/cells/registry";
import type { CellProps, FavouritesAccess } from "@/app/cells/types";
import { writeDraft } from "@/lib/notebook/autosave";
import { addCell, moveCell, removeCell, updateCell } from "@/lib/notebook/cells";
import { addFavourites, isFavourite, toggleFavourite } from "@/lib/notebook/favourites";
import type { LoadedNotebook } from "@/lib/notebook/io";
import type { Notebook } from "@/lib/notebook/schema";
import CellFrame from "./CellFrame";
import type { Engine } from "./engine";
import NoGpuNotice from "./NoGpuNotice";
import NotebookToolbar from "./NotebookToolbar";
import { NotebookContext } from "./notebookContext";
import StatusBar from "./StatusBar";
import { useInputFlow } from "./useInputFlow";
import { useNotebookFile } from "./useNotebookFile";
import { usePresentation } from "./usePresentation";

interface NotebookViewProps {
  engine: Engine;
  initial: Notebook;
  /** Said once when the notebook opens (migrated from an older version, another model...). */
  notices: string[];
  /** Whether `initial` is as its file has it (opened from a file or shipped), not a restored draft. */
  initialSaved: boolean;
  /** Leave for the start page; the notebook is handed over to be kept in the recent list. */
  onClose(current: Notebook): void;
  /** Another notebook was opened from a file: the Workbench checks it as the start page does. */
  onOpen(loaded: LoadedNotebook, source: string, current: Notebook): void;
}

/**
 * The notebook page: a toolbar, the cells in order, the status bar. The notebook is plain
 * JSON in React state; every change is autosaved to localStorage, so a reload loses nothing.
 * Avatars flow down the notebook: each cell's `input` is the last avatar selected above it.
 */
export default function NotebookView({ engine, initial, notices: openNotices, initialSaved, onClose, onOpen }: NotebookViewProps) {
  const [notebook, setNotebook] = useState(initial);
  const [notices, setNotices] = useState(openNotices);
  const [saved, setSaved] = useState("");
  const presentation = usePresentation(notebook.cells.length);
  const { flows, setOutput, touch } = useInputFlow(notebook.cells);
  const file = useNotebookFile(notebook, initialSaved ? initial : null, (loaded, source) => onOpen(loaded, source, notebook),
    (message) => setNotices([message]));

  const cellKinds = [...new Set(notebook.cells.map((cell) => cell.kind))].sort().join(",");
  useEffect(() => {
    // After the first renders have had the network to themselves.
    const timer = window.setTimeout(() => prefetchForCells(engine, cellKinds.split(",")), 1500);
    return () => window.clearTimeout(timer);
  }, [engine, cellKinds]);

  useEffect(() => {
    const result = writeDraft(window.localStorage, notebook);
    setSaved(result.ok ? "Autosaved in this browser" : `Autosave failed (${result.reason}): save the notebook to a file to keep your changes`);
  }, [notebook]);

  const favourites: FavouritesAccess = useMemo(
    () => ({
      all: notebook.favourites,
      isStarred: (recipe) => isFavourite(notebook, recipe),
      toggle: (recipe) => setNotebook((nb) => toggleFavourite(nb, recipe)),
      add: (recipes) => {
        // Counted against the notebook this render sees; the update itself is functional.
        const { added } = addFavourites(notebook, recipes);
        setNotebook((nb) => addFavourites(nb, recipes).notebook);
        return added;
      },
    }),
    [notebook],
  );

  // A new cell lands at the end, usually below the fold: scroll to it and put the caret in its title.
  const [added, setAdded] = useState<string | null>(null);
  const addCellAndShow = (kind: string) => {
    const next = addCell(notebook, kind);
    setNotebook(next);
    setAdded(next.cells[next.cells.length - 1].id);
  };
  useEffect(() => {
    if (!added) return;
    const cell = document.querySelector<HTMLElement>(`[data-cell-id="${CSS.escape(added)}"]`);
    cell?.scrollIntoView({ behavior: "smooth", block: "start" });
    cell?.querySelector<HTMLElement>('[data-testid="cell-title"]')?.focus({ preventScroll: true });
    setAdded(null);
  }, [added]);

  const { presenting, slide } = presentation;
  return (
    <NotebookContext.Provider value={notebook}>
      <div className={`notebook${presenting ? " presenting" : ""}`} data-testid="notebook" data-presenting={presenting}>
        {!presenting && (
          <NotebookToolbar
            title={notebook.title}
            onRename={(title) => setNotebook((nb) => ({ ...nb, title }))}
            onAddCell={addCellAndShow}
            onSave={file.save}
            onOpenFile={file.openFile}
            canPresent={notebook.cells.length > 0}
            onPresent={() => presentation.start(0)}
            onClose={() => file.mayDiscard("Close it") && onClose(notebook)}
          />
        )}
        {!presenting && notebook.description && <p className="notebook-description">{notebook.description}</p>}
        {!presenting && <NoGpuNotice engine={engine} />}
        {!presenting &&
          notices.map((text, i) => (
            <div className="notice" role="status" key={i} data-testid="notebook-notice">
              <span>{text}</span>
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotices((n) => n.filter((_, j) => j !== i))}>
                ✕
              </button>
            </div>
          ))}
        {presenting && slide !== null && (
          <div className="presentation-bar" data-testid="presentation-bar">
            <strong>{notebook.title}</strong>
            <span className="muted" data-testid="presentation-slide">
              {slide + 1} / {notebook.cells.length}
            </span>
            <span className="spacer" />
            <span className="muted">← → to move · N notes · Esc to leave</span>
            <button type="button" className="secondary" onClick={presentation.stop} data-testid="present-exit">
              Exit
            </button>
          </div>
        )}
        <div className="cells">
          {notebook.cells.map((cell, index) => {
            const cellProps: Omit<CellProps<unknown>, "params" | "onParamsChange"> = {
              engine,
              favourites,
              ...flows[index],
              onOutput: (recipe) => setOutput(cell.id, recipe),
            };
            return (
              <CellFrame
                key={cell.id}
                cell={cell}
                index={index}
                count={notebook.cells.length}
                cellProps={cellProps}
                presenting={presenting}
                hidden={presenting && slide !== index}
                onParamsChange={(params) => setNotebook((nb) => updateCell(nb, cell.id, { params }))}
                onRename={(title) => setNotebook((nb) => updateCell(nb, cell.id, { title }))}
                onNotesChange={(notes) => setNotebook((nb) => updateCell(nb, cell.id, { notes: notes || undefined }))}
                showNotes={presentation.showNotes}
                onToggleCollapsed={() => setNotebook((nb) => updateCell(nb, cell.id, { collapsed: !cell.collapsed }))}
                onMove={(delta) => setNotebook((nb) => moveCell(nb, cell.id, delta))}
                onRemove={() => setNotebook((nb) => removeCell(nb, cell.id))}
                onTouch={() => touch(cell.id)}
              />
            );
          })}
          {notebook.cells.length === 0 && <p className="muted empty-notebook">This notebook has no cells: add one with “+ Add cell…”.</p>}
        </div>
      </div>
      {!presenting && <StatusBar engine={engine} saved={saved} />}
    </NotebookContext.Provider>
  );
}
