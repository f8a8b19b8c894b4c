"use client";
/**
 * The live crop frame drawn over an image (the editor's, Find my character's picture): drag the
 * body to move it, a corner to resize it (square when locked). Pointer positions become image
 * pixels through the displayed size of the image; the geometry itself is lib/edit/cropFrame.ts.
 * The parent is the positioned box the image fills.
 */

import { useRef, type PointerEvent as ReactPointerEvent } from "react";
import type { CropRect } from "@/lib/edit/geometry";
import { dragFrame, type FrameHandle } from "@/lib/edit/cropFrame";
import styles from "./CropOverlay.module.css";

interface Props {
  frame: CropRect;
  image: { width: number; height: number };
  square: boolean;
  onChange(frame: CropRect): void;
}

interface Drag {
  handle: FrameHandle;
  start: CropRect;
  clientX: number;
  clientY: number;
  /** Image pixels per CSS pixel of the displayed image. */
  scale: number;
}

const CORNERS: Exclude<FrameHandle, "move">[] = ["nw", "ne", "sw", "se"];

export default function CropOverlay({ frame, image, square, onChange }: Props) {
  const layer = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);

  const begin = (handle: FrameHandle) => (event: ReactPointerEvent<HTMLDivElement>) => {
    const box = layer.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    event.preventDefault();
    event.stopPropagation();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { handle, start: frame, clientX: event.clientX, clientY: event.clientY, scale: image.width / box.width };
  };
  const move = (event: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = (event.clientX - d.clientX) * d.scale;
    const dy = (event.clientY - d.clientY) * d.scale;
    onChange(dragFrame(d.start, d.handle, dx, dy, image, square));
  };
  const end = () => {
    drag.current = null;
  };

  const percent = (v: number, of: number) => `${(v / of) * 100}%`;
  return (
    <div ref={layer} className={styles.cropLayer}>
      <div
        className={styles.cropFrame}
        data-testid="edit-crop-frame"
        data-frame={`${frame.x},${frame.y},${frame.width},${frame.height}`}
        style={{
          left: percent(frame.x, image.width),
          top: percent(frame.y, image.height),
          width: percent(frame.width, image.width),
          height: percent(frame.height, image.height),
        }}
        onPointerDown={begin("move")}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
      >
        {CORNERS.map((corner) => (
          <div
            key={corner}
            className={`${styles.cropHandle} ${styles[corner]}`}
            data-testid={`edit-crop-${corner}`}
            onPointerDown={begin(corner)}
            onPointerMove={move}
            onPointerUp={end}
            onPointerCancel={end}
          />
        ))}
        <span className={styles.cropSize}>{frame.width} × {frame.height}</span>
      </div>
    </div>
  );
}
