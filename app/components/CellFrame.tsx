"use client";

import { Suspense, useState } from "react";
import { MAX_NOTES_LENGTH, type NotebookCell } from "@/lib/notebook/schema";
import type { CellProps } from "@/app/cells/types";
import CellErrorBoundary from "./CellErrorBoundary";
import { cellComponent } from "./cellComponents";
import TitleField from "./TitleField";
import { useSlideFit } from "./useSlideFit";

interface CellFrameProps {
  cell: NotebookCell;
  index: number;
  count: number;
  cellProps: Omit<CellProps<unknown>, "params" | "onParamsChange">;
  onParamsChange(params: unknown): void;
  onRename(title: string): void;
  onNotesChange(notes: string): void;
  /** While presenting: show this slide's speaker notes (toggled with N). */
  showNotes: boolean;
  onToggleCollapsed(): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
  /** A pointer or key interaction inside the cell (the avatar picked last flows down). */
  onTouch(): void;
  /** Presentation mode: no editing chrome. */
  presenting: boolean;
  hidden: boolean;
}

/** A cell's chrome (title, collapse, move, remove) around its lazily loaded component. */
export default function CellFrame({ cell, index, count, cellProps, onParamsChange, onRename, onToggleCollapsed, onMove, onRemove, onTouch, onNotesChange, showNotes, presenting, hidden }: CellFrameProps) {
  const Component = cellComponent(cell.kind);
  const showBody = presenting || !cell.collapsed;
  const fit = useSlideFit(presenting && !hidden);
  const [editingNotes, setEditingNotes] = useState(false);
  const notes = cell.notes ?? "";
  return (
    <section
      className={`cell card${presenting ? " is-presenting" : ""}`}
      hidden={hidden}
      data-testid="cell"
      data-kind={cell.kind}
      data-cell-id={cell.id}
      aria-label={cell.title}
      onPointerDownCapture={onTouch}
      onKeyDownCapture={onTouch}
    >
      <header className="cell-header">
        {!presenting && (
          <button type="button" className="icon-button" onClick={onToggleCollapsed} aria-expanded={!cell.collapsed} aria-label={cell.collapsed ? "Expand cell" : "Collapse cell"} data-testid="cell-collapse">
            {cell.collapsed ? "▸" : "▾"}
          </button>
        )}
        <span className="cell-index muted">[{index + 1}]</span>
        {presenting ? (
          <h2 className="cell-title">{cell.title}</h2>
        ) : (
          <TitleField className="cell-title-input" value={cell.title} onChange={onRename} label="Cell title" testId="cell-title" />
        )}
        {!presenting && (
          <div className="cell-tools">
            <button type="button" className={`icon-button${notes ? " is-on" : ""}`} onClick={() => setEditingNotes((open) => !open)}
              aria-expanded={editingNotes} aria-label="Speaker notes" title="Speaker notes (shown with N while presenting)" data-testid="cell-notes-toggle">
              ✎
            </button>
            <button type="button" className="icon-button" onClick={() => onMove(-1)} disabled={index === 0} aria-label="Move cell up" data-testid="cell-up">
              ↑
            </button>
            <button type="button" className="icon-button" onClick={() => onMove(1)} disabled={index === count - 1} aria-label="Move cell down" data-testid="cell-down">
              ↓
            </button>
            <button type="button" className="icon-button danger" onClick={onRemove} aria-label="Remove cell" data-testid="cell-remove">
              ✕
            </button>
          </div>
        )}
      </header>
      {!presenting && (editingNotes || notes) && (
        <textarea className="cell-notes" value={notes} placeholder="Speaker notes: what to say on this slide (press N while presenting to show them)"
          onChange={(e) => onNotesChange(e.target.value)} maxLength={MAX_NOTES_LENGTH} rows={2} aria-label="Speaker notes" data-testid="cell-notes" />
      )}
      {presenting && showNotes && notes && <aside className="speaker-notes" data-testid="speaker-notes">{notes}</aside>}
      {/* A collapsed cell stays mounted (hidden), so its results and pane survive. */}
      <div className="cell-body" hidden={!showBody} ref={fit.outer} style={fit.outerStyle} data-slide-scale={presenting ? fit.scale.toFixed(3) : undefined}>
        <div ref={fit.inner} style={fit.innerStyle}>
          {Component ? (
            <CellErrorBoundary resetKey={cell.kind}>
              <Suspense fallback={<p className="muted">Loading cell…</p>}>
                <Component {...(cellProps as CellProps<never>)} params={cell.params as never} onParamsChange={onParamsChange} />
              </Suspense>
            </CellErrorBoundary>
          ) : (
            <p className="error-text">This build has no component for cells of kind “{cell.kind}”.</p>
          )}
        </div>
      </div>
    </section>
  );
}
