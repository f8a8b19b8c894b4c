/** Bicubic resampling (lib/edit/resample.ts) against Pillow's, the upscaler benchmark's baseline. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rgbaToRgb } from "@/lib/edit/pixels";
import { bicubic } from "@/lib/edit/resample";

function rgba(rgb: number[], width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2], 255], p * 4);
  return { width, height, data };
}

describe("bicubic", () => {
  it("matches Pillow's BICUBIC x4 within one level", () => {
    const fixture = JSON.parse(readFileSync("test/fixtures/bicubic-pillow.json", "utf8")) as { input: number[]; output: number[] };
    const out = rgbaToRgb(bicubic(rgba(fixture.input, 4, 5), 16, 20).data);
    let worst = 0;
    out.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - fixture.output[i]))));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("keeps a flat image flat and refuses a size of zero", () => {
    const flat = rgba(new Array(3 * 3 * 3).fill(77), 3, 3);
    expect(new Set(rgbaToRgb(bicubic(flat, 7, 5).data))).toEqual(new Set([77]));
    expect(() => bicubic(flat, 0, 5)).toThrow("positive whole pixels");
  });
});
