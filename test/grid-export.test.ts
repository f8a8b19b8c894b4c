/** Grid exports sized for slides and papers (app/cells/interpolate/gridExport.ts, spec.ts). */
import { describe, expect, it } from "vitest";
import { interpolateCell, interpolationLabels, interpolationRecipes } from "@/app/cells/interpolate/spec";
import { gridManifest, gridPng, upscaleNearest } from "@/app/cells/interpolate/gridExport";
import { decodePng, readPngText } from "@/lib/edit/png";

const model = { name: "m", sha256: "" };
const tile = (value: number) => ({ width: 2, height: 2, data: new Uint8ClampedArray(16).fill(value) });

describe("grid exports", () => {
  it("enlarges pixel by pixel", () => {
    const image = { width: 2, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255, 9, 8, 7, 255]) };
    const big = upscaleNearest(image, 3);
    expect([big.width, big.height]).toEqual([6, 3]);
    expect(Array.from(big.data.subarray(0, 4))).toEqual([1, 2, 3, 255]);
    expect(Array.from(big.data.subarray(5 * 4, 6 * 4))).toEqual([9, 8, 7, 255]);
  });

  it("a grid PNG at x4 is four times the size, gaps included, and carries a manifest of every avatar", () => {
    const params = { ...interpolateCell.defaults(), mode: "grid" as const, steps: 3, rows: 2 };
    const { recipes, columns } = interpolationRecipes(params, model);
    const bytes = gridPng(recipes.map((_, i) => tile(i * 10)), columns, recipes, 4);
    const png = decodePng(bytes);
    expect([png.width, png.height]).toEqual([3 * 8 + 2 * 8, 2 * 8 + 8]);
    const { avatars } = JSON.parse(readPngText(bytes)["avatargan-grid"]) as { avatars: ReturnType<typeof gridManifest> };
    expect(avatars).toHaveLength(6);
    expect(avatars[4]).toMatchObject({ index: 4, row: 1, column: 1 });
    expect(avatars[4].caption).toContain("#0");
    expect(new Set(avatars.map((a) => a.caption)).size).toBe(6); // every tile is told apart
  });

  it("labels name both axes of a seed x condition grid", () => {
    const params = { ...interpolateCell.defaults(), mode: "grid" as const, steps: 5, rows: 3, toSeed: 9 };
    const labels = interpolationLabels(params);
    expect(labels.columns).toEqual(["0 %", "25 %", "50 %", "75 %", "100 %"]);
    expect(labels.rows).toEqual(["0 %", "50 %", "100 %"]);
    expect(labels.title).toContain("seed #0 → #9");
    expect(interpolationLabels({ ...params, mode: "seeds" }).rows).toEqual([]);
  });

  it("an export size that is not offered is refused with its field named", () => {
    expect(() => interpolateCell.validate({ ...interpolateCell.defaults(), exportScale: 3 })).toThrow(/params\.exportScale/);
  });
});
