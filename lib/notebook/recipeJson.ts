/**
 * Parse an AvatarRecipe (lib/recipe/recipe.ts) from untrusted JSON: a favourite in a notebook
 * file, an imported avatar-<seed>.json, or the "avatargan-recipe" text chunk of a PNG.
 * Every field is checked and named in the error, so a bad file is rejected with its reason.
 */

import { DENOISE_LEVELS, RECIPE_VERSION, type AvatarRecipe, type UpscaleSettings } from "@/lib/recipe/recipe";
import { MAX_PROJECTED_DIM, MAX_PROJECTED_ROWS, type LatentEdits } from "@/lib/recipe/latentEdits";
import type { EditOp } from "@/lib/recipe/editOps";
import { checkEditCount, validateEdit } from "@/lib/edit/validate";
import { SEED_MAX } from "@/lib/latent/seed";
import {
  NotebookFormatError,
  fail,
  optional,
  readArray,
  readChoice,
  readNumber,
  readObject,
  readString,
  readStringList,
  type JsonObject,
} from "./fields";

const SEED = { min: 0, max: SEED_MAX, integer: true } as const;

export function parseRecipe(raw: unknown, path = "recipe"): AvatarRecipe {
  const obj = readObject(raw, path);
  if (obj.version !== RECIPE_VERSION) {
    throw new NotebookFormatError(
      `${path}.version is ${JSON.stringify(obj.version)}, but this app reads recipe version ${RECIPE_VERSION}`,
    );
  }
  const model = readObject(obj.model, `${path}.model`);
  return {
    version: RECIPE_VERSION,
    model: {
      name: readString(model.name, `${path}.model.name`),
      sha256: readString(model.sha256, `${path}.model.sha256`),
    },
    seed: readNumber(obj.seed, `${path}.seed`, SEED),
    tags: readStringList(obj.tags, `${path}.tags`),
    psi: readNumber(obj.psi, `${path}.psi`, { min: -2, max: 2 }),
    truncation: optional(obj, "truncation", "global", (v) => readChoice(v, `${path}.truncation`, ["global", "condition"] as const)),
    latent: parseLatentEdits(optional(obj, "latent", {}, (v) => v), `${path}.latent`),
    upscale: parseUpscale(obj.upscale ?? null, `${path}.upscale`),
    edits: boundedEdits(readArray(optional(obj, "edits", [], (v) => v), `${path}.edits`), `${path}.edits`).map((op, i) =>
      parseEditOp(op, `${path}.edits[${i}]`),
    ),
  };
}

function parseUpscale(raw: unknown, path: string): UpscaleSettings | null {
  if (raw === null) return null;
  const obj = readObject(raw, path);
  const factor = readNumber(obj.factor, `${path}.factor`, { integer: true });
  if (factor !== 2 && factor !== 4) fail(`${path}.factor`, "2 or 4", factor);
  return { factor, denoise: readNumber(obj.denoise ?? 0, `${path}.denoise`, { min: 0, max: Math.max(...DENOISE_LEVELS), integer: true }) };
}

export function parseLatentEdits(raw: unknown, path: string): LatentEdits {
  const obj = readObject(raw, path);
  const out: LatentEdits = {};
  if (obj.perturb !== undefined) {
    const p = readObject(obj.perturb, `${path}.perturb`);
    out.perturb = { seed: readNumber(p.seed, `${path}.perturb.seed`, SEED), amount: readNumber(p.amount, `${path}.perturb.amount`, { min: -10, max: 10 }) };
  }
  if (obj.toward !== undefined) {
    const t = readObject(obj.toward, `${path}.toward`);
    out.toward = {
      seed: readNumber(t.seed, `${path}.toward.seed`, SEED),
      t: readNumber(t.t, `${path}.toward.t`, { min: -1, max: 2 }),
      space: readChoice(t.space, `${path}.toward.space`, ["z", "w"] as const),
    };
  }
  if (obj.conditionToward !== undefined) {
    const c = readObject(obj.conditionToward, `${path}.conditionToward`);
    out.conditionToward = {
      tags: readStringList(c.tags, `${path}.conditionToward.tags`),
      t: readNumber(c.t, `${path}.conditionToward.t`, { min: -1, max: 2 }),
    };
  }
  if (obj.directions !== undefined) {
    out.directions = readArray(obj.directions, `${path}.directions`).map((d, i) => {
      const at = `${path}.directions[${i}]`;
      const dir = readObject(d, at);
      const direction = { tag: readString(dir.tag, `${at}.tag`), amount: readNumber(dir.amount, `${at}.amount`, { min: -100, max: 100 }) };
      // "space" is optional ("w" when absent); dropping it would re-render a c-space slider as a w one.
      return dir.space === undefined ? direction : { ...direction, space: readChoice(dir.space, `${at}.space`, ["w", "c"] as const) };
    });
  }
  if (obj.mix !== undefined) {
    const m = readObject(obj.mix, `${path}.mix`);
    out.mix = {
      seed: readNumber(m.seed, `${path}.mix.seed`, SEED),
      start: readNumber(m.start, `${path}.mix.start`, { min: 0, integer: true }),
      end: readNumber(m.end, `${path}.mix.end`, { min: 0, integer: true }),
    };
  }
  if (obj.projected !== undefined) out.projected = parseProjected(obj.projected, `${path}.projected`);
  return out;
}

function parseProjected(raw: unknown, path: string): NonNullable<LatentEdits["projected"]> {
  const obj = readObject(raw, path);
  const space = readChoice(obj.space, `${path}.space`, ["w", "w+"] as const);
  const rows = readArray(obj.ws, `${path}.ws`);
  if (rows.length < 1 || rows.length > MAX_PROJECTED_ROWS) fail(`${path}.ws`, `1 to ${MAX_PROJECTED_ROWS} rows`, rows);
  if (space === "w" && rows.length !== 1) fail(`${path}.ws`, "one row for space \"w\"", rows);
  const ws = rows.map((row, i) => {
    const values = readArray(row, `${path}.ws[${i}]`);
    if (values.length < 1 || values.length > MAX_PROJECTED_DIM) fail(`${path}.ws[${i}]`, `1 to ${MAX_PROJECTED_DIM} numbers`, values);
    return values.map((v, k) => readNumber(v, `${path}.ws[${i}][${k}]`, { min: -1e4, max: 1e4 }));
  });
  if (ws.some((row) => row.length !== ws[0].length)) fail(`${path}.ws`, "rows of one length", rows);
  return { space, ws };
}

/** An edit list no longer than the editor allows (its work per list is bounded when it is applied). */
function boundedEdits(list: unknown[], path: string): unknown[] {
  try {
    checkEditCount(list.length, path);
  } catch (err) {
    throw new NotebookFormatError(err instanceof Error ? err.message : String(err));
  }
  return list;
}

/** One pixel edit, with the editor's own limits (lib/edit/validate.ts), so a file cannot carry an edit the editor would refuse. */
export function parseEditOp(raw: unknown, path: string): EditOp {
  try {
    return validateEdit(raw, path);
  } catch (err) {
    throw new NotebookFormatError(err instanceof Error ? err.message : String(err));
  }
}

/** A stable text key for a recipe: two recipes with the same key give the same pixels. */
export function recipeKey(recipe: AvatarRecipe): string {
  return stableStringify(recipe);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const obj = value as JsonObject;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
