/**
 * "Upscale": super-resolution (x2 or x4) of the avatar flowing in from the cells above. The
 * cell saves only its settings; the avatar it publishes is the input recipe with
 * `upscale: {factor, denoise}` set, so favourites, the export and re-import reproduce the
 * upscaled pixels through lib/gan/render.ts.
 */

import type { CellKindSpec } from "@/lib/notebook/cellKind";
import { DENOISE_LEVELS, type AvatarRecipe, type UpscaleSettings } from "@/lib/recipe/recipe";
import { fail, optional, readChoice, readNumber, readObject } from "@/lib/notebook/fields";

/** What the before/after slider sets the result against: the input's own pixels, or Pillow's bicubic. */
export const UPSCALE_BASELINES = ["bicubic", "nearest"] as const;
export type UpscaleBaseline = (typeof UPSCALE_BASELINES)[number];

export interface UpscaleParams extends UpscaleSettings {
  /** A view setting only: the recipe published below carries factor and denoise. */
  compare: UpscaleBaseline;
}

export const UPSCALE_CELL_FACTORS: readonly UpscaleSettings["factor"][] = [2, 4];

export const upscaleCell: CellKindSpec<UpscaleParams> = {
  kind: "upscale",
  title: "Upscale",
  defaults: () => ({ factor: 4, denoise: 0, compare: "bicubic" }),
  validate(raw: unknown): UpscaleParams {
    const obj = readObject(raw, "params");
    const factor = optional(obj, "factor", 4, (v) => {
      if (v !== 2 && v !== 4) fail("params.factor", "2 or 4", v);
      return v as UpscaleSettings["factor"];
    });
    // One upscaler model per level; the cell says so when a level's weights are missing.
    const denoise = optional(obj, "denoise", 0, (v) => readNumber(v, "params.denoise", { min: 0, max: Math.max(...DENOISE_LEVELS), integer: true }));
    const compare = optional(obj, "compare", "bicubic", (v) => readChoice(v, "params.compare", UPSCALE_BASELINES));
    return { factor, denoise, compare };
  },
};

/** Why `input` should not be upscaled here, or null. Pixel edits run after upscaling in a recipe. */
export function inputProblem(input: AvatarRecipe): string | null {
  if (input.edits.length > 0) {
    return `this avatar already has ${input.edits.length} pixel edit${input.edits.length === 1 ? "" : "s"}, which a recipe ` +
      "applies after upscaling (a crop would land in the wrong place); put the Upscale cell above the Edit cell";
  }
  return null;
}
