"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from "react";
import type { CellProps, FavouritesAccess } from "@/app/cells/types";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { writeDraft } from "@/lib/notebook/autosave";
import { CELL_KINDS, prefetchForCells } from "@/app/cells/registry";
import { addCell, moveCell, removeCell, updateCell } from "@/lib/notebook/cells";
import { addFavourites, isFavourite, toggleFavourite } from "@/lib/notebook/favourites";
import { notebookFileName, parseNotebookText, serializeNotebook } from "@/lib/notebook/io";
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
  onClose(): void;
}

/**
 * The notebook page: a toolbar, the cells in order, the status bar. The notebook is plain
 * JSON in React state; every change is autosaved to localStorage, so a reload loses nothing.
 * Avatars flow down the notebook: each cell's `input` is the last avatar selected above it.
 */
export default function NotebookView({ engine, initial, notices: openNotices, onClose }: NotebookViewProps) {
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

  const inputs = useMemo(() => {
    let flowing: AvatarRecipe | null = null;
    return notebook.cells.map((cell) => {
      const input = flowing;
      flowing = outputs[cell.id] ?? flowing;
      return input;
    });
  }, [notebook.cells, outputs]);

  const save = () => downloadBytes(new TextEncoder().encode(serializeNotebook(notebook)), notebookFileName(notebook), "application/json");
  const openFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    try {
      const loaded = parseNotebookText(await file.text());
      setOutputs({});
      setNotebook(loaded.notebook);
      setNotices([`Opened ${file.name}.`]);
    } catch (err) {
      setNotices([`${file.name} could not be opened (nothing was changed): ${err instanceof Error ? err.message : String(err)}`]);
    }
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
                onChange={(e) => e.target.value && setNotebook((nb) => addCell(nb, e.target.value))}
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
            <input ref={openInput} type="file" accept=".json,application/json" hidden onChange={openFile} />
            <button type="button" className="primary" onClick={() => presentation.start(0)} disabled={notebook.cells.length === 0} data-testid="present">
              Present
            </button>
            <button type="button" className="secondary" onClick={onClose} data-testid="close-notebook" title="Back to the start page">
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
              input: inputs[index],
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
