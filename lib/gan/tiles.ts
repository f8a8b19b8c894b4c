/**
 * Tiling plans for convolutional image nets: cut a large input into overlapping windows so
 * each run stays small, then keep only each window's core, where the net saw full context.
 *
 * With an overlap of at least the net's receptive radius the stitched output equals the
 * untiled one: a core pixel sees the same neighbours in its window as in the whole image,
 * and windows are shifted inward at the borders (never padded), so the image border is the
 * only zero padding either way. Every window has the same size, which keeps WebGPU to one
 * compiled shader set per size.
 */

export interface Tile1D {
  /** The input span the net runs on: [windowStart, windowStart + windowSize). */
  windowStart: number;
  windowSize: number;
  /** The span of the input this window is responsible for: [coreStart, coreEnd). */
  coreStart: number;
  coreEnd: number;
}

/** Windows along one axis of length `length`, cores of `tile` pixels, `overlap` context per side. */
export function planAxis(length: number, tile: number, overlap: number): Tile1D[] {
  if (!Number.isInteger(length) || length < 1) throw new Error(`tiling: length must be a positive integer, got ${length}`);
  if (!Number.isInteger(tile) || tile < 1) throw new Error(`tiling: tile size must be a positive integer, got ${tile}`);
  if (!Number.isInteger(overlap) || overlap < 0) throw new Error(`tiling: overlap must be an integer >= 0, got ${overlap}`);
  if (length <= tile) return [{ windowStart: 0, windowSize: length, coreStart: 0, coreEnd: length }];
  const windowSize = Math.min(length, tile + 2 * overlap);
  const tiles: Tile1D[] = [];
  for (let coreStart = 0; coreStart < length; coreStart += tile) {
    const coreEnd = Math.min(length, coreStart + tile);
    // Shift the window inside the image rather than padding it: padding would invent context.
    const windowStart = Math.max(0, Math.min(coreStart - overlap, length - windowSize));
    tiles.push({ windowStart, windowSize, coreStart, coreEnd });
  }
  return tiles;
}

export interface Tile2D {
  rows: Tile1D;
  cols: Tile1D;
}

/** Row-major grid of windows over a height x width image. */
export function planTiles(height: number, width: number, tile: number, overlap: number): Tile2D[][] {
  const cols = planAxis(width, tile, overlap);
  return planAxis(height, tile, overlap).map((rows) => cols.map((c) => ({ rows, cols: c })));
}
