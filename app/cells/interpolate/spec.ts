/**
 * "Interpolate": walks between two seeds (slerp in z or lerp in w), between two conditions
 * (lerp of c), or a two-axis grid (seed down the rows, condition across the columns), with an
 * animation mode. Every frame is a recipe (lib/latent/interpolate.ts), so any of them can be
 * starred, exported or passed down.
 */

import { makeRecipe } from "@/lib/recipe/recipe";
import type { CellKindSpec } from "@/lib/notebook/cellKind";
import { gridRecipes, walkRecipes, type GridAxis } from "@/lib/latent/interpolate";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { fail, optional, readBoolean, readChoice, readNumber, readObject, readStringList } from "@/lib/notebook/fields";
import type { ModelRef } from "@/lib/notebook/schema";
import { defaultBase, readBase, readSelection, SEED_RANGE, type BaseAvatar } from "@/app/cells/shared/latentBase";
import { EXPORT_SCALES, type ExportScale } from "./gridExport";

export const INTERPOLATION_MODES = ["seeds", "conditions", "grid"] as const;
export type InterpolationMode = (typeof INTERPOLATION_MODES)[number];

export interface InterpolateParams {
  base: BaseAvatar;
  mode: InterpolationMode;
  /** The seed walked toward ("seeds" and "grid"). */
  toSeed: number;
  space: "z" | "w";
  /** The condition walked toward ("conditions" and "grid"). */
  toTags: string[];
  /** Frames of a walk, or columns of the grid (2..16). */
  steps: number;
  /** Rows of the grid (2..8). */
  rows: number;
  /** Play the walk as an animation (0 -> 1 -> 0) instead of showing a strip. */
  animate: boolean;
  fps: number;
  /** Exports enlarge each avatar pixel this many times (1, 2, 4 or 8): a view setting. */
  exportScale: ExportScale;
  selected: number | null;
}

export const interpolateCell: CellKindSpec<InterpolateParams> = {
  kind: "interpolate",
  title: "Interpolate",
  defaults: () => ({
    base: defaultBase(),
    mode: "seeds",
    toSeed: 1,
    space: "z",
    toTags: ["pink hair", "green eyes"],
    steps: 8,
    rows: 4,
    animate: false,
    fps: 8,
    exportScale: 4,
    selected: null,
  }),
  namesUsed: (p) => ({ tags: [...p.base.tags, ...p.toTags], groups: [] }),
  validate(raw: unknown): InterpolateParams {
    const obj = readObject(raw, "params");
    const d = interpolateCell.defaults();
    return {
      base: readBase(obj.base, "params.base"),
      mode: readChoice(obj.mode, "params.mode", INTERPOLATION_MODES),
      toSeed: readNumber(obj.toSeed, "params.toSeed", SEED_RANGE),
      space: readChoice(obj.space, "params.space", ["z", "w"] as const),
      toTags: readStringList(obj.toTags, "params.toTags"),
      steps: readNumber(obj.steps, "params.steps", { min: 2, max: 16, integer: true }),
      rows: optional(obj, "rows", d.rows, (v) => readNumber(v, "params.rows", { min: 2, max: 8, integer: true })),
      animate: optional(obj, "animate", d.animate, (v) => readBoolean(v, "params.animate")),
      fps: optional(obj, "fps", d.fps, (v) => readNumber(v, "params.fps", { min: 1, max: 30 })),
      exportScale: optional(obj, "exportScale", d.exportScale, (v) => {
        if (!EXPORT_SCALES.includes(v as ExportScale)) fail("params.exportScale", `one of ${EXPORT_SCALES.join(", ")}`, v);
        return v as ExportScale;
      }),
      selected: readSelection(obj.selected, "params.selected"),
    };
  },
};

/** The recipes the cell shows, row-major; `columns` is how many per row. Pure. */
export function interpolationRecipes(params: InterpolateParams, model: ModelRef): { recipes: AvatarRecipe[]; columns: number } {
  const base = makeRecipe(model, params.base);
  const seedAxis = (steps: number): GridAxis => ({ kind: "seed", toSeed: params.toSeed, space: params.space, steps });
  const conditionAxis = (steps: number): GridAxis => ({ kind: "condition", toTags: params.toTags, steps });
  switch (params.mode) {
    case "seeds":
      return { recipes: walkRecipes(base, seedAxis(params.steps)), columns: params.steps };
    case "conditions":
      return { recipes: walkRecipes(base, conditionAxis(params.steps)), columns: params.steps };
    case "grid":
      return { recipes: gridRecipes(base, seedAxis(params.rows), conditionAxis(params.steps)), columns: params.steps };
  }
}

/** Axis labels for an exported grid or walk: a title line, one label per column and per row. */
export interface GridLabels {
  title: string;
  columns: string[];
  rows: string[];
}

/** What the exported picture's axes say: the walk's ends and each step's share of the way. */
export function interpolationLabels(params: InterpolateParams): GridLabels {
  const share = (steps: number) => Array.from({ length: steps }, (_, i) => `${Math.round((100 * i) / (steps - 1))} %`);
  const seedWalk = `seed #${params.base.seed} → #${params.toSeed} (${params.space})`;
  const tagWalk = `${params.base.tags.join(", ") || "no tags"} → ${params.toTags.join(", ") || "no tags"}`;
  switch (params.mode) {
    case "seeds":
      return { title: seedWalk, columns: share(params.steps), rows: [] };
    case "conditions":
      return { title: tagWalk, columns: share(params.steps), rows: [] };
    case "grid":
      return { title: `rows: ${seedWalk} · columns: ${tagWalk}`, columns: share(params.steps), rows: share(params.rows) };
  }
}
