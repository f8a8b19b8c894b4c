/**
 * Find my character's saved parameters: a target and a result survive the notebook's JSON
 * round trip exactly, and a file that lies about them is refused with the field named.
 */
import { describe, expect, it } from "vitest";
import { projectCell, resultRecipe, type ProjectParams } from "@/app/cells/project/spec";
import { cropTarget, decodeTarget, encodeTarget } from "@/app/cells/project/target";
import type { PixelImage } from "@/lib/edit/pixels";

function picture(width: number, height: number): PixelImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? 255 : (i * 37) % 256;
  return { width, height, data };
}

describe("Find my character parameters", () => {
  const face = cropTarget(picture(40, 30), { x: 5, y: 2, width: 24, height: 24 }, 16);
  const params: ProjectParams = {
    target: encodeTarget("me.png", face),
    tags: ["red hair"],
    steps: 200,
    wplus: true,
    result: {
      model: { name: "tiny", sha256: "ab" },
      tags: ["red hair"],
      projected: { space: "w+", ws: [[0.5, -1.25], [2, 0]] },
      psnr: 23.4,
      stepsDone: 120,
      stopped: true,
    },
  };

  it("round-trips a target's pixels and a result exactly", () => {
    expect(face.width).toBe(16);
    const back = projectCell.validate(JSON.parse(JSON.stringify(params)));
    expect(back).toEqual(params);
    const pixels = decodeTarget(back.target!);
    for (let i = 0; i < pixels.data.length; i++) expect(pixels.data[i]).toBe(i % 4 === 3 ? 255 : face.data[i]);
    const recipe = resultRecipe(back.result!);
    expect(recipe.latent.projected).toEqual(params.result!.projected);
    expect([recipe.psi, recipe.seed, recipe.tags]).toEqual([1, 0, ["red hair"]]);
  });

  it("crops exactly when the square is already the model's size", () => {
    const image = picture(20, 20);
    const same = cropTarget(image, { x: 2, y: 3, width: 16, height: 16 }, 16);
    expect(same.data[0]).toBe(image.data[(3 * 20 + 2) * 4]);
    expect(() => cropTarget(image, { x: 0, y: 0, width: 10, height: 12 }, 16)).toThrow(/square/);
  });

  it("refuses targets and results that do not add up", () => {
    const bad = (patch: Record<string, unknown>) => () => projectCell.validate({ ...JSON.parse(JSON.stringify(params)), ...patch });
    expect(bad({ target: { ...params.target, size: 17 } })).toThrow(/params\.target\.rgb/);
    expect(bad({ target: { ...params.target, rgb: "!".repeat(params.target!.rgb.length) } })).toThrow(/params\.target\.rgb/);
    expect(bad({ target: { ...params.target, size: 100000 } })).toThrow(/params\.target\.size/);
    expect(bad({ steps: 0 })).toThrow(/params\.steps/);
    expect(bad({ result: { ...params.result, projected: { space: "w", ws: [[1], [2]] } } })).toThrow(/projected/);
    expect(bad({ result: { ...params.result, psnr: "high" } })).toThrow(/params\.result\.psnr/);
    expect(projectCell.validate({})).toEqual(projectCell.defaults());
  });
});
