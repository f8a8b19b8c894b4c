/**
 * "Find my character": start from a picture of one's own character. The cell keeps the face
 * it was given (the square crop at the generator's resolution, a few kB), the tags, the search
 * settings and, once found, the projected w. The avatar it publishes is an ordinary recipe
 * with `latent.projected`, so favourites, tag directions, style mixing, upscale, edit and
 * export all work on it, and re-importing it reproduces it.
 */

import type { CellKindSpec } from "@/lib/notebook/cellKind";
import { fail, optional, readBoolean, readNumber, readObject, readString, readStringList } from "@/lib/notebook/fields";
import { parseLatentEdits } from "@/lib/notebook/recipeJson";
import type { LatentEdits } from "@/lib/recipe/latentEdits";
import { makeRecipe, type AvatarRecipe, type RecipeModel } from "@/lib/recipe/recipe";

/** The face to find: RGB bytes (base64), size x size, as the generator draws them. */
export interface ProjectTarget {
  name: string;
  size: number;
  rgb: string;
}

export interface ProjectResult {
  /** The generator the w belongs to: another model's w means nothing. */
  model: RecipeModel;
  tags: string[];
  projected: NonNullable<LatentEdits["projected"]>;
  /** Of the rendered projection against the target, in dB. */
  psnr: number;
  stepsDone: number;
  stopped: boolean;
}

export interface ProjectParams {
  target: ProjectTarget | null;
  tags: string[];
  steps: number;
  wplus: boolean;
  result: ProjectResult | null;
}

/** The search lengths offered; 200 runs in well under a minute on WASM at 64 px. */
export const PROJECTION_STEP_CHOICES = [100, 200, 500, 1000] as const;
export const MAX_STEPS = 2000;
/** The largest face a notebook may carry (the generator's resolution is at most this). */
export const MAX_TARGET_SIZE = 512;

export const projectCell: CellKindSpec<ProjectParams> = {
  kind: "project",
  title: "Find my character",
  defaults: () => ({ target: null, tags: [], steps: 200, wplus: false, result: null }),
  validate(raw: unknown): ProjectParams {
    const obj = readObject(raw, "params");
    const target = optional(obj, "target", null, (v) => (v === null ? null : parseTarget(v)));
    const tags = optional(obj, "tags", [], (v) => readStringList(v, "params.tags"));
    const steps = optional(obj, "steps", 200, (v) => readNumber(v, "params.steps", { min: 1, max: MAX_STEPS, integer: true }));
    const wplus = optional(obj, "wplus", false, (v) => readBoolean(v, "params.wplus"));
    const result = optional(obj, "result", null, (v) => (v === null ? null : parseResult(v)));
    return { target, tags, steps, wplus, result };
  },
  namesUsed: (params) => ({ tags: [...params.tags, ...(params.result?.tags ?? [])], groups: [] }),
};

function parseTarget(raw: unknown): ProjectTarget {
  const obj = readObject(raw, "params.target");
  const name = readString(obj.name, "params.target.name", { maxLength: 300 });
  const size = readNumber(obj.size, "params.target.size", { min: 4, max: MAX_TARGET_SIZE, integer: true });
  const rgb = readString(obj.rgb, "params.target.rgb", { maxLength: base64Length(MAX_TARGET_SIZE ** 2 * 3) });
  if (rgb.length !== base64Length(size * size * 3) || !/^[A-Za-z0-9+/]*={0,2}$/.test(rgb)) {
    fail("params.target.rgb", `base64 of ${size}x${size} RGB bytes`, `${rgb.length} characters`);
  }
  return { name, size, rgb };
}

function parseResult(raw: unknown): ProjectResult {
  const obj = readObject(raw, "params.result");
  const model = readObject(obj.model, "params.result.model");
  const projected = parseLatentEdits({ projected: obj.projected }, "params.result").projected;
  if (!projected) fail("params.result.projected", "a projected w", obj.projected);
  return {
    model: { name: readString(model.name, "params.result.model.name", { maxLength: 300 }), sha256: readString(model.sha256, "params.result.model.sha256", { maxLength: 128 }) },
    tags: readStringList(obj.tags, "params.result.tags"),
    projected,
    psnr: readNumber(obj.psnr, "params.result.psnr", { min: 0, max: 200 }),
    stepsDone: readNumber(obj.stepsDone, "params.result.stepsDone", { min: 0, max: MAX_STEPS, integer: true }),
    stopped: readBoolean(obj.stopped, "params.result.stopped"),
  };
}

function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** The avatar a result stands for: the projected w under its tags, drawn as found (psi 1). */
export function resultRecipe(result: ProjectResult): AvatarRecipe {
  return makeRecipe(result.model, { seed: 0, tags: result.tags, psi: 1, truncation: "global" }, { projected: result.projected });
}
