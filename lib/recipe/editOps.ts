/**
 * Pixel edits stored in an avatar recipe (./recipe.ts) and applied in order by
 * lib/edit/apply.ts. Plain JSON, non-destructive: the original is kept and this list replayed.
 *
 * Each op acts on the output of the one before it, so coordinates and sizes are in pixels of
 * the image as it is at that point in the list (after the upscaler, if the recipe upscales).
 * Ranges are enforced by lib/edit/validate.ts; the limits live here so the UI and the
 * validator read the same numbers.
 *
 * Units:
 *   - crop: x, y (top-left corner), width, height: whole pixels; the rectangle must lie
 *     inside the image.
 *   - scale: the output width and height in whole pixels (bilinear resampling, see geometry.ts).
 *   - rotate: quarter turns clockwise.
 *   - flip: "horizontal" mirrors left <-> right, "vertical" mirrors top <-> bottom.
 *   - saturation, brightness, contrast: `amount` in [-1, 1], 0 = unchanged (see color.ts).
 *   - hue: `degrees` in [-180, 180], 0 = unchanged (rotation of the HSV hue).
 *   - sharpen: `amount` in [0, 5], 0 = unchanged (unsharp mask, see sharpen.ts).
 */

export type EditOp =
  | { op: "crop"; x: number; y: number; width: number; height: number }
  | { op: "scale"; width: number; height: number }
  | { op: "rotate"; quarterTurns: 1 | 2 | 3 }
  | { op: "flip"; axis: "horizontal" | "vertical" }
  | { op: "saturation"; amount: number }
  | { op: "brightness"; amount: number }
  | { op: "contrast"; amount: number }
  | { op: "hue"; degrees: number }
  | { op: "sharpen"; amount: number };

export type EditOpName = EditOp["op"];

/** The colour adjustments: one number each, identity at 0 (what the editor's sliders set). */
export type AdjustmentOp = Extract<EditOp, { op: "saturation" | "brightness" | "contrast" | "hue" | "sharpen" }>;
export type AdjustmentName = AdjustmentOp["op"];

export const EDIT_OP_NAMES: readonly EditOpName[] = [
  "crop", "scale", "rotate", "flip", "saturation", "brightness", "contrast", "hue", "sharpen",
];

/**
 * Largest width or height any edit may produce. 4096 px is 64x the shipped 64 px avatar and
 * keeps one RGBA image under 64 MiB, which a browser tab can always allocate.
 */
export const MAX_IMAGE_SIDE = 4096;
/** Bounds on the work a list of edits from a file can cause: its length, and the pixels all its
 *  steps produce together (20 alternating scales to 4096 px froze the page for 22 s). */
export const MAX_EDITS = 64;
export const MAX_EDIT_WORK_PIXELS = 100_000_000;

/** Slider ranges of the adjustments: [min, max]; 0 is the identity for every one of them. */
export const ADJUSTMENT_RANGES: Readonly<Record<AdjustmentName, readonly [number, number]>> = {
  saturation: [-1, 1],
  brightness: [-1, 1],
  contrast: [-1, 1],
  hue: [-180, 180],
  sharpen: [0, 5],
};

export const ADJUSTMENT_NAMES = Object.keys(ADJUSTMENT_RANGES) as AdjustmentName[];

/** The value an adjustment op carries (hue stores degrees, the others an amount). */
export function adjustmentValue(op: AdjustmentOp): number {
  return op.op === "hue" ? op.degrees : op.amount;
}

/** Build the adjustment op `name` with `value`. */
export function adjustmentOp(name: AdjustmentName, value: number): AdjustmentOp {
  return name === "hue" ? { op: "hue", degrees: value } : { op: name, amount: value };
}

export function isAdjustment(op: EditOp): op is AdjustmentOp {
  return op.op in ADJUSTMENT_RANGES;
}
