/** The Upscale cell's saved parameters and its input check (app/cells/upscale/spec.ts). */
import { describe, expect, it } from "vitest";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { inputProblem, upscaleCell } from "@/app/cells/upscale/spec";

const RECIPE: AvatarRecipe = {
  version: 1,
  model: { name: "generator", sha256: "0".repeat(64) },
  seed: 3,
  tags: ["blonde hair"],
  psi: 0.7,
  truncation: "global",
  latent: {},
  upscale: null,
  edits: [],
};

describe("upscale cell params", () => {
  it("defaults to x4 with the light denoise level against bicubic, and round-trips", () => {
    const defaults = upscaleCell.defaults();
    expect(defaults).toEqual({ factor: 4, denoise: 0, compare: "bicubic" });
    expect(upscaleCell.validate(JSON.parse(JSON.stringify(defaults)))).toEqual(defaults);
    expect(upscaleCell.validate({})).toEqual(defaults);
    expect(upscaleCell.validate({ factor: 2, denoise: 1, extra: true })).toEqual({ factor: 2, denoise: 1, compare: "bicubic" });
    expect(upscaleCell.validate({ compare: "nearest" }).compare).toBe("nearest");
    expect(() => upscaleCell.validate({ compare: "lanczos" })).toThrow(/params\.compare/);
  });

  it("names the bad field", () => {
    expect(() => upscaleCell.validate({ factor: 3 })).toThrow(/params\.factor must be 2 or 4, got 3/);
    expect(() => upscaleCell.validate({ factor: "4" })).toThrow(/params\.factor/);
    expect(() => upscaleCell.validate({ denoise: -1 })).toThrow(/params\.denoise must be an integer between 0 and 1, got -1/);
    expect(() => upscaleCell.validate({ denoise: 0.5 })).toThrow(/params\.denoise/);
    expect(() => upscaleCell.validate(null)).toThrow(/params/);
  });
});

describe("inputProblem", () => {
  it("accepts a plain avatar, even one already upscaled (the cell replaces the setting)", () => {
    expect(inputProblem(RECIPE)).toBeNull();
    expect(inputProblem({ ...RECIPE, upscale: { factor: 2, denoise: 0 } })).toBeNull();
  });

  it("refuses an avatar with pixel edits, saying where the cell belongs", () => {
    const edited: AvatarRecipe = { ...RECIPE, edits: [{ op: "flip", axis: "horizontal" }] };
    expect(inputProblem(edited)).toMatch(/already has 1 pixel edit, .*put the Upscale cell above the Edit cell/);
  });
});
