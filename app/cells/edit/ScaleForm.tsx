"use client";
/**
 * Scale to a size in pixels (bilinear, lib/edit/geometry.ts), with the aspect ratio kept
 * unless unlocked. Values are checked by the editor's validator when applied, so an empty or
 * out-of-range size shows the reason instead of being clamped silently.
 */

import { useEffect, useState } from "react";
import styles from "./EditCell.module.css";

interface Props {
  width: number;
  height: number;
  onScale(width: number, height: number): void;
}

export default function ScaleForm({ width, height, onScale }: Props) {
  const [w, setW] = useState(String(width));
  const [h, setH] = useState(String(height));
  const [keepAspect, setKeepAspect] = useState(true);
  useEffect(() => {
    setW(String(width));
    setH(String(height));
  }, [width, height]);

  const changeWidth = (text: string) => {
    setW(text);
    if (keepAspect && Number(text) > 0) setH(String(Math.max(1, Math.round((Number(text) * height) / width))));
  };
  const changeHeight = (text: string) => {
    setH(text);
    if (keepAspect && Number(text) > 0) setW(String(Math.max(1, Math.round((Number(text) * width) / height))));
  };

  return (
    <form className={styles.row} onSubmit={(e) => { e.preventDefault(); onScale(Number(w), Number(h)); }}>
      <label className={styles.sizeField}>
        W <input type="number" value={w} onChange={(e) => changeWidth(e.target.value)} data-testid="edit-scale-width" />
      </label>
      <label className={styles.sizeField}>
        H <input type="number" value={h} onChange={(e) => changeHeight(e.target.value)} data-testid="edit-scale-height" />
      </label>
      <label className={styles.check}>
        <input type="checkbox" checked={keepAspect} onChange={() => setKeepAspect(!keepAspect)} /> keep ratio
      </label>
      <button type="submit" className="secondary" data-testid="edit-scale">Scale</button>
    </form>
  );
}
