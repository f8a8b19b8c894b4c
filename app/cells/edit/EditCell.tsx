"use client";
/**
 * The editor cell: crop (live frame, square lock), scale, rotate/flip, colour sliders and
 * sharpen on the avatar flowing in (usually the upscaler's output). Non-destructive: the input
 * is rendered once and this cell's edit list replayed on it (lib/edit/apply.ts); the avatar
 * published below is the input recipe with the edits appended, so favourites and the export
 * carry them. Undo/redo with the buttons or Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) while the cell has
 * focus.
 */

import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from "react";
import AvatarCanvas from "@/app/components/AvatarCanvas";
import type { CellProps } from "@/app/cells/types";
import type { EditParams } from "./spec";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { CropRect } from "@/lib/edit/geometry";
import { applyEdits } from "@/lib/edit/apply";
import { initialFrame, squareFrame } from "@/lib/edit/cropFrame";
import { adjustmentIn, appendFlip, appendRotate, describeEdit, setAdjustment } from "@/lib/edit/editList";
import { ADJUSTMENT_NAMES, type AdjustmentName, type EditOp } from "@/lib/recipe/editOps";
import { validateEdit } from "@/lib/edit/validate";
import AdjustmentPane, { type AdjustmentValues } from "./AdjustmentPane";
import CropOverlay from "../shared/CropOverlay";
import ScaleForm from "./ScaleForm";
import { useRenderedRecipe } from "../shared/useRenderedRecipe";
import { useEditHistory } from "./useEditHistory";
import styles from "./EditCell.module.css";
import { usePublishedOutput } from "@/app/cells/shared/usePublishedOutput";
import InputSource from "../shared/InputSource";

export default function EditCell({ params, onParamsChange, engine, favourites, input, inputFrom, onOutput }: CellProps<EditParams>) {
  const save = useCallback((edits: EditOp[]) => onParamsChange({ ...params, edits }), [onParamsChange, params]);
  const history = useEditHistory(params.edits, save);
  const base = useRenderedRecipe(engine, input);
  const [frame, setFrame] = useState<CropRect | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const edited = useMemo(() => {
    if (base.status !== "done") return null;
    try {
      return { image: applyEdits(base.image, history.edits), error: null };
    } catch (err) {
      return { image: base.image, error: err instanceof Error ? err.message : String(err) };
    }
  }, [base, history.edits]);

  const output: AvatarRecipe | null = useMemo(
    () => (input ? { ...input, edits: [...input.edits, ...history.committed] } : null),
    [input, history.committed],
  );
  usePublishedOutput(onOutput, output);

  /** Commit `next` if every op is valid, else say why (the editor rejects nonsense values). */
  const tryCommit = (next: readonly EditOp[]) => {
    try {
      next.forEach((edit, i) => validateEdit(edit, `edit ${i + 1}`));
      setProblem(null);
      history.commit(next);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    }
  };

  const adjustments = useMemo(
    () => Object.fromEntries(ADJUSTMENT_NAMES.map((n) => [n, adjustmentIn(history.edits, n)])) as AdjustmentValues,
    [history.edits],
  );
  const previewAdjustment = (name: AdjustmentName, value: number) => history.preview(setAdjustment(history.edits, name, value));
  const commitAdjustment = (name: AdjustmentName, value: number) => tryCommit(setAdjustment(history.committed, name, value));

  const size = edited?.image ?? null;
  // A frame belongs to the image it was drawn on: drop it when an edit changes the size.
  const sizeKey = size ? `${size.width}x${size.height}` : "";
  useEffect(() => setFrame(null), [sizeKey]);
  const startCrop = () => size && setFrame(initialFrame(size.width, size.height, params.squareCrop));
  const applyCrop = () => {
    if (!frame) return;
    tryCommit([...history.committed, { op: "crop", ...frame }]);
    setFrame(null);
  };
  const toggleSquare = () => {
    const square = !params.squareCrop;
    onParamsChange({ ...params, squareCrop: square });
    if (square && frame && size) setFrame(squareFrame(frame, size.width, size.height));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!(event.ctrlKey || event.metaKey) || event.target instanceof HTMLInputElement) return;
    const key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) history.undo();
    else if ((key === "z" && event.shiftKey) || key === "y") history.redo();
    else return;
    event.preventDefault();
    setFrame(null);
  };

  const starred = output ? favourites.isStarred(output) : false;
  const error = problem ?? edited?.error ?? (base.status === "failed" ? base.error : null);

  return (
    <section className={styles.cell} tabIndex={0} onKeyDown={onKeyDown} data-testid="edit-cell"
      data-state={base.status} data-edits={JSON.stringify(history.committed)}>
      <InputSource input={input} from={inputFrom} />
      {base.status === "empty" && <p className={styles.hint}>Select an avatar in a cell above (or upscale one) to edit it here.</p>}
      {base.status === "pending" && <p className={styles.hint}>Rendering the avatar…</p>}
      {edited && (
        <div className={styles.layout}>
          <div className={styles.stageColumn}>
            <div className={styles.stage} style={{ aspectRatio: `${edited.image.width} / ${edited.image.height}` }}>
              <AvatarCanvas image={edited.image} label="The edited avatar" testId="edit-canvas" />
              {frame && <CropOverlay frame={frame} image={edited.image} square={params.squareCrop} onChange={setFrame} />}
            </div>
            <p className={styles.caption} data-testid="edit-size">
              {edited.image.width} × {edited.image.height} px · {history.committed.length} edit{history.committed.length === 1 ? "" : "s"}
            </p>
            {history.committed.length > 0 && (
              <ol className={styles.editList} data-testid="edit-list" aria-label="Edits, applied in order">
                {history.committed.map((edit, i) => <li key={i}>{describeEdit(edit)}</li>)}
              </ol>
            )}
          </div>
          <div className={styles.controls} data-panel="controls">
            <div className={styles.row}>
              <button type="button" className="secondary" onClick={history.undo} disabled={!history.canUndo} data-testid="edit-undo" title="Undo (Ctrl+Z)">Undo</button>
              <button type="button" className="secondary" onClick={history.redo} disabled={!history.canRedo} data-testid="edit-redo" title="Redo (Ctrl+Shift+Z)">Redo</button>
              <button type="button" className="secondary" onClick={() => tryCommit([])} disabled={history.committed.length === 0} data-testid="edit-reset">Reset</button>
              <button type="button" className={starred ? "primary" : "secondary"} onClick={() => output && favourites.toggle(output)}
                disabled={!output} aria-pressed={starred} data-testid="edit-star">{starred ? "★ Starred" : "☆ Star"}</button>
            </div>
            <div className={styles.row}>
              <button type="button" className="secondary" onClick={() => tryCommit(appendRotate(history.committed, 3))} data-testid="edit-rotate-ccw" title="Rotate 90° counter-clockwise">⟲ 90°</button>
              <button type="button" className="secondary" onClick={() => tryCommit(appendRotate(history.committed, 1))} data-testid="edit-rotate-cw" title="Rotate 90° clockwise">⟳ 90°</button>
              <button type="button" className="secondary" onClick={() => tryCommit(appendFlip(history.committed, "horizontal"))} data-testid="edit-flip-h">Flip ↔</button>
              <button type="button" className="secondary" onClick={() => tryCommit(appendFlip(history.committed, "vertical"))} data-testid="edit-flip-v">Flip ↕</button>
            </div>
            <div className={styles.row}>
              {frame ? (
                <>
                  <button type="button" className="primary" onClick={applyCrop} data-testid="edit-crop-apply">Apply crop</button>
                  <button type="button" className="secondary" onClick={() => setFrame(null)} data-testid="edit-crop-cancel">Cancel</button>
                </>
              ) : (
                <button type="button" className="secondary" onClick={startCrop} data-testid="edit-crop">Crop…</button>
              )}
              <label className={styles.check}>
                <input type="checkbox" checked={params.squareCrop} onChange={toggleSquare} data-testid="edit-crop-square" /> square
              </label>
            </div>
            <ScaleForm width={edited.image.width} height={edited.image.height}
              onScale={(width, height) => tryCommit([...history.committed, { op: "scale", width, height }])} />
            <AdjustmentPane values={adjustments} onPreview={previewAdjustment} onCommit={commitAdjustment} />
          </div>
        </div>
      )}
      {error && <p className={styles.error} role="alert" data-testid="edit-error">{error}</p>}
    </section>
  );
}
