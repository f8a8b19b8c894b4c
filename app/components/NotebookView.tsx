"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from "react";
import type { CellProps, FavouritesAccess } from "@/app/cells/types";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { writeDraft } from "@/lib/notebook/autosave";
import { CELL_KINDS, cellKind, prefetchForCells } from "@/app/cells/registry";
import { inputSources } from "@/lib/notebook/inputFlow";
import { addCell, moveCell, removeCell, updateCell } from "@/lib/notebook/cells";
import { addFavourites, isFavourite, toggleFavourite } from "@/lib/notebook/favourites";
import { notebookFileName, parseNotebookText, serializeNotebook, type LoadedNotebook } from "@/lib/notebook/io";
import type { Notebook } from "@/lib/notebook/schema";
import CellFrame from "./CellFrame";
import { downloadBytes } from "./download";
import type { Engine } from "./engine";
import NoGpuNotice from "./NoGpuNotice";
import { NotebookContext } from "./notebookContext";
import StatusBar from "./StatusBar";
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
  const [outputs, setOutputs] = useState<Record<string, AvatarRecipe | null>>({});
  const [notices, setNotices] = useState(openNotices);
  const [saved, setSaved] = useState("");
  const openInput = useRef<HTMLInputElement>(null);
  const presentation = usePresentation(notebook.cells.length);

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

  const setOutput = useCallback((id: string, recipe: AvatarRecipe | null) => {
    setOutputs((last) => (last[id] === recipe || (last[id] == null && recipe == null) ? last : { ...last, [id]: recipe }));
  }, []);

  // Stamps of the last pointer or key interaction per cell: the avatar picked last flows down.
  const [touched, setTouched] = useState<Record<string, number>>({});
  const touchCounter = useRef(0);
  const touch = useCallback((id: string) => {
    setTouched((last) => (last[id] === touchCounter.current ? last : { ...last, [id]: ++touchCounter.current }));
  }, []);
  const sources = useMemo(
    () => inputSources(notebook.cells.map((cell) => ({ id: cell.id, pipeline: cellKind(cell.kind)?.pipeline ?? false })),
                       (id) => outputs[id] != null, touched),
    [notebook.cells, outputs, touched],
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
    cell?.querySelector<HTMLInputElement>('[data-testid="cell-title"]')?.focus({ preventScroll: true });
    setAdded(null);
  }, [added]);

  // Unsaved: changed since it was opened from (or saved to) a file; a restored draft never was.
  const [savedText, setSavedText] = useState(() => (initialSaved ? serializeNotebook(initial) : null));
  const unsaved = savedText !== serializeNotebook(notebook);
  const mayDiscard = (what: string) =>
    !unsaved || window.confirm(`“${notebook.title}” has changes that are not saved to a file. ${what} anyway? ` +
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
      setNotices([`${file.name} could not be opened (nothing was changed): ${err instanceof Error ? err.message : String(err)}`]);
      return;
    }
    if (mayDiscard(`Open ${file.name}`)) onOpen(loaded, file.name, notebook);
  };

  const { presenting, slide } = presentation;
  return (
    <NotebookContext.Provider value={notebook}>
      <div className={`notebook${presenting ? " presenting" : ""}`} data-testid="notebook" data-presenting={presenting}>
        {!presenting && (
          <div className="notebook-toolbar card">
            <input
              className="notebook-title"
              value={notebook.title}
              onChange={(e) => setNotebook((nb) => ({ ...nb, title: e.target.value }))}
              aria-label="Notebook title"
              data-testid="notebook-title"
            />
            <span className="spacer" />
            <label className="add-cell">
              <span className="sr-only">Add a cell</span>
              <select
                value=""
                onChange={(e) => e.target.value && addCellAndShow(e.target.value)}
                data-testid="add-cell"
              >
                <option value="">+ Add cell…</option>
                {CELL_KINDS.map(({ spec }) => (
                  <option key={spec.kind} value={spec.kind}>
                    {spec.title}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="secondary" onClick={save} data-testid="save-notebook">
              Save
            </button>
            <button type="button" className="secondary" onClick={() => openInput.current?.click()} data-testid="open-notebook">
              Open…
            </button>
            <input ref={openInput} type="file" accept=".json,application/json" hidden onChange={openFile} data-testid="open-notebook-file" />
            <button type="button" className="primary" onClick={() => presentation.start(0)} disabled={notebook.cells.length === 0} data-testid="present">
              Present
            </button>
            <button type="button" className="secondary" onClick={() => mayDiscard("Close it") && onClose(notebook)} data-testid="close-notebook" title="Back to the start page">
              Close
            </button>
          </div>
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
            <span className="muted">← → to move · Esc to leave</span>
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
              input: sources[index].from === null ? null : outputs[notebook.cells[sources[index].from!].id] ?? null,
              inputFrom: sources[index].from === null ? null : { index: sources[index].from!, title: notebook.cells[sources[index].from!].title },
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
