"use client";

import { useRef, type ChangeEvent } from "react";
import { CELL_KINDS } from "@/app/cells/registry";
import TitleField from "./TitleField";

interface NotebookToolbarProps {
  title: string;
  onRename(title: string): void;
  onAddCell(kind: string): void;
  onSave(): void;
  onOpenFile(event: ChangeEvent<HTMLInputElement>): void;
  canPresent: boolean;
  onPresent(): void;
  onClose(): void;
}

/** The notebook's toolbar: its title, + Add cell…, Save, Open…, Present, Close. */
export default function NotebookToolbar({ title, onRename, onAddCell, onSave, onOpenFile, canPresent, onPresent, onClose }: NotebookToolbarProps) {
  const openInput = useRef<HTMLInputElement>(null);
  return (
    <div className="notebook-toolbar card">
      <TitleField className="notebook-title" value={title} onChange={onRename} label="Notebook title" testId="notebook-title" />
      <span className="spacer" />
      <label className="add-cell">
        <span className="sr-only">Add a cell</span>
        <select value="" onChange={(e) => e.target.value && onAddCell(e.target.value)} data-testid="add-cell">
          <option value="">+ Add cell…</option>
          {CELL_KINDS.map(({ spec }) => (
            <option key={spec.kind} value={spec.kind}>
              {spec.title}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="secondary" onClick={onSave} data-testid="save-notebook">
        Save
      </button>
      <button type="button" className="secondary" onClick={() => openInput.current?.click()} data-testid="open-notebook">
        Open…
      </button>
      <input ref={openInput} type="file" accept=".json,application/json" hidden onChange={onOpenFile} data-testid="open-notebook-file" />
      <button type="button" className="primary" onClick={onPresent} disabled={!canPresent} data-testid="present">
        Present
      </button>
      <button type="button" className="secondary" onClick={onClose} data-testid="close-notebook" title="Back to the start page">
        Close
      </button>
    </div>
  );
}
