/**
 * Clear limits for pixel edits: parse untrusted JSON (a re-imported recipe, a notebook file,
 * a UI value) into EditOps, rejecting nonsense with a message that names the field, the value
 * and the allowed range. A parser per op and per field, never mass assignment: unknown fields
 * are rejected too, so a typo ("ammount") does not silently become "no edit".
 *
 * Whether a crop fits depends on the image it meets, so `editedSize` walks a list over a
 * starting size and names the first op that does not fit.
 */

import { assertCropInside } from "./geometry";
import {
  ADJUSTMENT_RANGES,
  EDIT_OP_NAMES,
  MAX_EDIT_WORK_PIXELS,
  MAX_EDITS,
  MAX_IMAGE_SIDE,
  type AdjustmentName,
  type EditOp,
} from "@/lib/recipe/editOps";

type Fields = Record<string, unknown>;

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return value === undefined ? "nothing" : typeof value;
}

function onlyFields(raw: Fields, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) fail(`${where}.${key}`, `unknown field for a ${raw.op} edit (allowed: ${allowed.join(", ")})`);
  }
}

function numberIn(raw: Fields, field: string, [min, max]: readonly [number, number], where: string): number {
  const value = raw[field];
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    fail(`${where}.${field}`, `must be a number in [${min}, ${max}], got ${show(value)}`);
  }
  return value;
}

function wholeIn(raw: Fields, field: string, min: number, max: number, where: string): number {
  const value = raw[field];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(`${where}.${field}`, `must be a whole number of pixels in [${min}, ${max}], got ${show(value)}`);
  }
  return value;
}

function oneOf<T extends string | number>(raw: Fields, field: string, choices: readonly T[], where: string): T {
  const value = raw[field];
  if (!choices.includes(value as T)) fail(`${where}.${field}`, `must be one of ${choices.map(show).join(", ")}, got ${show(value)}`);
  return value as T;
}

function adjustment(raw: Fields, name: AdjustmentName, where: string): EditOp {
  const field = name === "hue" ? "degrees" : "amount";
  onlyFields(raw, ["op", field], where);
  const value = numberIn(raw, field, ADJUSTMENT_RANGES[name], where);
  return name === "hue" ? { op: "hue", degrees: value } : { op: name, amount: value };
}

/** One edit from untrusted JSON; `where` prefixes the error message (e.g. "edits[2]"). */
export function validateEdit(raw: unknown, where = "edit"): EditOp {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(where, `must be an object with an "op", got ${show(raw)}`);
  const fields = raw as Fields;
  const op = oneOf(fields, "op", EDIT_OP_NAMES, where);
  switch (op) {
    case "crop": {
      onlyFields(fields, ["op", "x", "y", "width", "height"], where);
      return {
        op,
        x: wholeIn(fields, "x", 0, MAX_IMAGE_SIDE - 1, where),
        y: wholeIn(fields, "y", 0, MAX_IMAGE_SIDE - 1, where),
        width: wholeIn(fields, "width", 1, MAX_IMAGE_SIDE, where),
        height: wholeIn(fields, "height", 1, MAX_IMAGE_SIDE, where),
      };
    }
    case "scale":
      onlyFields(fields, ["op", "width", "height"], where);
      return { op, width: wholeIn(fields, "width", 1, MAX_IMAGE_SIDE, where), height: wholeIn(fields, "height", 1, MAX_IMAGE_SIDE, where) };
    case "rotate":
      onlyFields(fields, ["op", "quarterTurns"], where);
      return { op, quarterTurns: oneOf(fields, "quarterTurns", [1, 2, 3] as const, where) };
    case "flip":
      onlyFields(fields, ["op", "axis"], where);
      return { op, axis: oneOf(fields, "axis", ["horizontal", "vertical"] as const, where) };
    default:
      return adjustment(fields, op, where);
  }
}

/** A list of edits from untrusted JSON; errors name the index, e.g. "edits[1].amount: ...". */
export function validateEdits(raw: unknown, where = "edits"): EditOp[] {
  if (!Array.isArray(raw)) fail(where, `must be a list of edits, got ${show(raw)}`);
  checkEditCount(raw.length, where);
  return raw.map((item, i) => validateEdit(item, `${where}[${i}]`));
}

export function checkEditCount(count: number, where = "edits"): void {
  if (count > MAX_EDITS) fail(where, `holds ${count} edits; at most ${MAX_EDITS} are allowed`);
}

/**
 * The size an edit list produces from a width x height image, checking on the way that every
 * crop fits the image it meets. Throws naming the op's index, e.g. "edits[2] (crop): ...".
 */
export function editedSize(width: number, height: number, edits: readonly EditOp[], where = "edits"): { width: number; height: number } {
  checkEditCount(edits.length, where);
  let size = { width, height };
  let work = 0;
  edits.forEach((edit, i) => {
    if (edit.op === "crop") {
      try {
        assertCropInside(edit, size.width, size.height);
      } catch (err) {
        fail(`${where}[${i}] (crop)`, `${(err as Error).message.replace(/^crop: /, "")}; crop inside ${size.width}x${size.height}`);
      }
      size = { width: edit.width, height: edit.height };
    } else if (edit.op === "scale") {
      size = { width: edit.width, height: edit.height };
    } else if (edit.op === "rotate" && edit.quarterTurns !== 2) {
      size = { width: size.height, height: size.width };
    }
    work += size.width * size.height;
    if (work > MAX_EDIT_WORK_PIXELS) {
      fail(`${where}[${i}] (${edit.op})`, `the edits up to here make ${(work / 1e6).toFixed(0)} million pixels; at most ${MAX_EDIT_WORK_PIXELS / 1e6} million are allowed in one list`);
    }
  });
  return size;
}
