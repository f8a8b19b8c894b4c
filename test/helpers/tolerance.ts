/**
 * How far two correct float32 evaluations of one network may differ (PyTorch on one CPU against
 * tf.js on another backend), and comparisons that use it. The twin of
 * training/tests/tolerance.py: the same formula, constants and manifest rule, so both halves
 * accept the same differences and reject the same mistakes.
 *
 *   tolerance = SAFETY * eps32 * max(1, magnitude) * sqrt(accumulation) + half the stored last digit
 *
 * Rounding errors of a sum of n terms grow like sqrt(n) * eps, and an output has passed through
 * every layer's sums, so `accumulation` is the summed fan-in of the model's weight tensors, read
 * from its model.json.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";

export const FLOAT32_EPS = 2 ** -23;
export const SAFETY = 4;
export const STORED_DECIMALS = 6; // fixtures round floats to 6 decimals
export const PIXEL_LEVELS_OFF = 1;
export const PIXEL_FRACTION_OFF = 0.02;

interface ManifestEntry {
  name: string;
  shape: number[];
}

/** Summed fan-in (elements / output size) of the weight tensors (rank >= 2) whose names start with prefix. */
export function manifestAccumulation(modelFolder: string, prefix = ""): number {
  const meta = JSON.parse(readFileSync(`${modelFolder}/model.json`, "utf8")) as {
    weightsManifest: { weights: ManifestEntry[] }[];
  };
  let total = 0;
  for (const group of meta.weightsManifest) {
    for (const { name, shape } of group.weights) {
      if (shape.length >= 2 && name.startsWith(prefix)) total += shape.slice(1).reduce((a, b) => a * b, 1);
    }
  }
  return total;
}

export function float32Tolerance(accumulation: number, magnitude: number, storedDecimals: number | null = STORED_DECIMALS): number {
  const computed = SAFETY * FLOAT32_EPS * Math.max(1, magnitude) * Math.sqrt(Math.max(accumulation, 1));
  return computed + (storedDecimals === null ? 0 : 0.5 * 10 ** -storedDecimals);
}

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

/** Fails unless every |actual - expected| is within the tolerance; returns the worst difference. */
export function expectFloatsClose(actual: ArrayLike<number>, expected: ArrayLike<number>, accumulation: number, what: string): number {
  expect(actual.length, `${what}: number of values`).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  const tolerance = float32Tolerance(accumulation, maxAbs(expected));
  expect(worst, `${what}: differs by ${worst.toExponential(2)}, more than the float32 tolerance ${tolerance.toExponential(2)}`).toBeLessThanOrEqual(tolerance);
  return worst;
}

/** uint8 images agree when no value is more than 1 level off and at most 2 % of values are off at all. */
export function expectPixelsClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: number of values`).toBe(expected.length);
  let worst = 0;
  let off = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    worst = Math.max(worst, d);
    if (d > 0) off++;
  }
  expect(worst, `${what}: a value is ${worst} levels off`).toBeLessThanOrEqual(PIXEL_LEVELS_OFF);
  expect(off / Math.max(actual.length, 1), `${what}: fraction of values off by one`).toBeLessThanOrEqual(PIXEL_FRACTION_OFF);
}

/** Largest |a[i] - b[i]|; the arrays must have the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
