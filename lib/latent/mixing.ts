/**
 * Style mixing layer ranges. Synthesis takes numWs = 2 log2(R) - 2 vectors w; index i drives
 * the layer that first works at resolution resOf(i): 0 -> 4 px; 1, 2 -> 8; 3, 4 -> 16; ...; the
 * last one is the final toRGB. Like StyleGAN, "coarse" styles act at 4-8 px (pose, face shape,
 * hair silhouette), "middle" at 16-32 px (features, hair style), "fine" at 64 px and above
 * (colour scheme, texture). A model smaller than 64 px has no fine layers of that size, so its
 * top level counts as fine.
 */

export type StyleBand = "coarse" | "middle" | "fine";

export const STYLE_BANDS: readonly StyleBand[] = ["coarse", "middle", "fine"];

/** A half-open range [start, end) of w indices. */
export interface LayerRange {
  start: number;
  end: number;
}

/** numWs for a square output of `resolution` px (a power of two >= 4). */
export function numWsFor(resolution: number): number {
  const log = Math.log2(resolution);
  if (!Number.isInteger(log) || log < 2) throw new RangeError(`resolution ${resolution} is not a power of two >= 4`);
  return 2 * log - 2;
}

/** The resolution each w index works at. */
export function layerResolutions(resolution: number): number[] {
  return Array.from({ length: numWsFor(resolution) }, (_, i) => Math.min(resolution, 4 * 2 ** Math.ceil(i / 2)));
}

/** [start, end) of each band for a model of `resolution` px; bands tile 0..numWs without gaps. */
export function styleBands(resolution: number): Record<StyleBand, LayerRange> {
  const res = layerResolutions(resolution);
  const fineFrom = Math.min(64, resolution);
  const bandOf = (r: number): StyleBand => (r <= 8 ? "coarse" : r >= fineFrom ? "fine" : "middle");
  const out = {} as Record<StyleBand, LayerRange>;
  for (const band of STYLE_BANDS) {
    const indices = res.map((r, i) => (bandOf(r) === band ? i : -1)).filter((i) => i >= 0);
    const start = indices.length > 0 ? indices[0] : (band === "coarse" ? 0 : res.length);
    out[band] = { start, end: indices.length > 0 ? indices[indices.length - 1] + 1 : start };
  }
  if (out.middle.end === out.middle.start) out.middle = { start: out.coarse.end, end: out.coarse.end };
  return out;
}

/** Check a mixing range against numWs; the message says what is allowed. */
export function checkLayerRange(range: LayerRange, numWs: number): LayerRange {
  const { start, end } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > numWs || start > end) {
    throw new RangeError(`mixing layers [${start}, ${end}) must satisfy 0 <= start <= end <= ${numWs} (integers)`);
  }
  return range;
}

/** Per w index: true where the mixed-in seed's w is used. */
export function mixMask(range: LayerRange, numWs: number): boolean[] {
  checkLayerRange(range, numWs);
  return Array.from({ length: numWs }, (_, i) => i >= range.start && i < range.end);
}
