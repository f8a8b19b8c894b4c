/**
 * The editor's live crop frame as pure geometry (the React overlay only converts pointer
 * positions to image pixels and calls these). A frame is a CropRect in whole image pixels
 * that always lies inside the image and is at least one pixel wide; with the square lock its
 * width equals its height.
 */

import type { CropRect } from "./geometry";

/** Which part of the frame a drag holds: the body moves it, a corner resizes it. */
export type FrameHandle = "move" | "nw" | "ne" | "sw" | "se";

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** The starting frame: the whole image, or the largest centred square with the lock. */
export function initialFrame(width: number, height: number, square: boolean): CropRect {
  if (!square) return { x: 0, y: 0, width, height };
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), width: side, height: side };
}

/** Make a frame square (keeping its centre as far as the image allows): for turning the lock on. */
export function squareFrame(frame: CropRect, width: number, height: number): CropRect {
  const side = Math.min(frame.width, frame.height);
  const x = clamp(Math.round(frame.x + (frame.width - side) / 2), 0, width - side);
  const y = clamp(Math.round(frame.y + (frame.height - side) / 2), 0, height - side);
  return { x, y, width: side, height: side };
}

/**
 * The frame after dragging `handle` by (dx, dy) image pixels from `start`. Moves stay inside
 * the image; a corner resize keeps the opposite corner fixed, stops at the image edges and at
 * 1 px, and with `square` takes the larger of the two drag distances for both sides.
 */
export function dragFrame(
  start: CropRect,
  handle: FrameHandle,
  dx: number,
  dy: number,
  image: { width: number; height: number },
  square: boolean,
): CropRect {
  dx = Math.round(dx);
  dy = Math.round(dy);
  if (handle === "move") {
    return {
      ...start,
      x: clamp(start.x + dx, 0, image.width - start.width),
      y: clamp(start.y + dy, 0, image.height - start.height),
    };
  }
  const west = handle === "nw" || handle === "sw";
  const north = handle === "nw" || handle === "ne";
  // The fixed (opposite) corner, and how far the frame may grow from it toward each side.
  const anchorX = west ? start.x + start.width : start.x;
  const anchorY = north ? start.y + start.height : start.y;
  const roomX = west ? anchorX : image.width - anchorX;
  const roomY = north ? anchorY : image.height - anchorY;
  let w = clamp(start.width + (west ? -dx : dx), 1, roomX);
  let h = clamp(start.height + (north ? -dy : dy), 1, roomY);
  if (square) {
    const wanted = Math.abs(dx) >= Math.abs(dy) ? w : h;
    w = h = clamp(wanted, 1, Math.min(roomX, roomY));
  }
  return { x: west ? anchorX - w : anchorX, y: north ? anchorY - h : anchorY, width: w, height: h };
}
