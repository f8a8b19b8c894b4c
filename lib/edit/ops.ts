/**
 * Pixel edits stored in an avatar recipe (lib/gan/recipe.ts) and applied in order by
 * lib/edit/apply.ts. Plain JSON, non-destructive: the original is kept and this list replayed.
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
