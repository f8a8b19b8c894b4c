/**
 * Small field parsers for untrusted JSON (a notebook file, an imported recipe, a cell's
 * params). Each takes the path of the value it reads, so an error names the exact field:
 * "cells[2].params.psi must be a number between 0 and 2, got \"high\"". A parser per field,
 * never mass assignment: unknown fields are dropped, missing ones are errors unless a default
 * is given.
 */

export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotebookFormatError";
  }
}

export type JsonObject = Record<string, unknown>;

export function fail(path: string, expected: string, got: unknown): never {
  throw new NotebookFormatError(`${path} must be ${expected}, got ${describe(got)}`);
}

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  // JSON.parse turns 1e999 into Infinity, which JSON.stringify would show as "null".
  if (typeof value === "number" && !Number.isFinite(value)) return `${value} (beyond what a number can hold)`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readObject(value: unknown, path: string): JsonObject {
  if (!isObject(value)) fail(path, "an object", value);
  return value;
}

export function readArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, "an array", value);
  return value;
}

export interface NumberRange {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function readNumber(value: unknown, path: string, range: NumberRange = {}): number {
  const { min = -Infinity, max = Infinity, integer = false } = range;
  const ok = typeof value === "number" && Number.isFinite(value) && value >= min && value <= max
    && (!integer || Number.isInteger(value));
  if (!ok) fail(path, numberExpectation(range), value);
  return value as number;
}

function numberExpectation({ min, max, integer }: NumberRange): string {
  const kind = integer ? "an integer" : "a number";
  if (min !== undefined && max !== undefined) return `${kind} between ${min} and ${max}`;
  if (min !== undefined) return `${kind} >= ${min}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}

export function readString(value: unknown, path: string, options: { maxLength?: number } = {}): string {
  if (typeof value !== "string") fail(path, "a string", value);
  if (options.maxLength !== undefined && value.length > options.maxLength) {
    fail(path, `a string of at most ${options.maxLength} characters`, `${value.length} characters`);
  }
  return value;
}

export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") fail(path, "true or false", value);
  return value;
}

export function readChoice<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
  if (typeof value !== "string" || !choices.includes(value as T)) {
    fail(path, `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`, value);
  }
  return value as T;
}

export function readStringList(value: unknown, path: string): string[] {
  return readArray(value, path).map((item, i) => readString(item, `${path}[${i}]`));
}

/** Record<string, string>, e.g. tag-group choices. */
export function readStringMap(value: unknown, path: string): Record<string, string> {
  const obj = readObject(value, path);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(obj)) out[key] = readString(item, `${path}.${key}`);
  return out;
}

/** `obj[key]` parsed by `parse`, or `fallback` when the field is absent (not when it is wrong). */
export function optional<T>(obj: JsonObject, key: string, fallback: T, parse: (value: unknown) => T): T {
  return obj[key] === undefined ? fallback : parse(obj[key]);
}
