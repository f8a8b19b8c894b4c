/** Clear limits: nonsense edits are rejected with a message naming the field; JSON round trips. */
import { describe, expect, it } from "vitest";
import { applyEdits } from "@/lib/edit/apply";
import type { EditOp } from "@/lib/recipe/editOps";
import { editedSize, validateEdit, validateEdits } from "@/lib/edit/validate";
import { RECIPE_VERSION, type AvatarRecipe } from "@/lib/recipe/recipe";
import { image, pixelsOf } from "./helpers/pixels";

const EVERY_OP: EditOp[] = [
  { op: "scale", width: 8, height: 6 },
  { op: "crop", x: 1, y: 1, width: 5, height: 4 },
  { op: "rotate", quarterTurns: 3 },
  { op: "flip", axis: "vertical" },
  { op: "saturation", amount: -0.25 },
  { op: "brightness", amount: 0.1 },
  { op: "contrast", amount: 0.3 },
  { op: "hue", degrees: -45 },
  { op: "sharpen", amount: 1.5 },
];

describe("validateEdit rejects nonsense, naming the field and value", () => {
  const cases: [unknown, string][] = [
    [{ op: "saturation", amount: 3 }, "edit.amount: must be a number in [-1, 1], got 3"],
    [{ op: "brightness", amount: Number.NaN }, "edit.amount: must be a number in [-1, 1], got NaN"],
    [{ op: "contrast", amount: "0.5" }, 'edit.amount: must be a number in [-1, 1], got "0.5"'],
    [{ op: "contrast" }, "edit.amount: must be a number in [-1, 1], got nothing"],
    [{ op: "hue", degrees: 200 }, "edit.degrees: must be a number in [-180, 180], got 200"],
    [{ op: "sharpen", amount: -1 }, "edit.amount: must be a number in [0, 5], got -1"],
    [{ op: "rotate", quarterTurns: 4 }, "edit.quarterTurns: must be one of 1, 2, 3, got 4"],
    [{ op: "flip", axis: "diagonal" }, 'edit.axis: must be one of "horizontal", "vertical", got "diagonal"'],
    [{ op: "crop", x: 0, y: 0, width: 0, height: 4 }, "edit.width: must be a whole number of pixels in [1, 4096], got 0"],
    [{ op: "crop", x: 1.5, y: 0, width: 2, height: 2 }, "edit.x: must be a whole number of pixels in [0, 4095], got 1.5"],
    [{ op: "crop", x: -1, y: 0, width: 2, height: 2 }, "edit.x: must be a whole number of pixels in [0, 4095], got -1"],
    [{ op: "scale", width: 5000, height: 64 }, "edit.width: must be a whole number of pixels in [1, 4096], got 5000"],
    [{ op: "blur", radius: 2 }, 'edit.op: must be one of "crop", "scale"'],
    [{ op: "saturation", ammount: 0.5 }, "edit.ammount: unknown field for a saturation edit (allowed: op, amount)"],
    [null, 'edit: must be an object with an "op", got null'],
    [[1, 2], 'edit: must be an object with an "op", got object'],
  ];
  it.each(cases)("%j", (raw, message) => {
    expect(() => validateEdit(raw)).toThrow(message);
  });

  it("accepts every op at its documented limits", () => {
    for (const edit of EVERY_OP) expect(validateEdit(edit)).toEqual(edit);
    expect(validateEdit({ op: "saturation", amount: -1 })).toEqual({ op: "saturation", amount: -1 });
    expect(validateEdit({ op: "hue", degrees: 180 })).toEqual({ op: "hue", degrees: 180 });
    expect(validateEdit({ op: "sharpen", amount: 5 })).toEqual({ op: "sharpen", amount: 5 });
    expect(validateEdit({ op: "scale", width: 4096, height: 1 })).toEqual({ op: "scale", width: 4096, height: 1 });
  });

  it("a list names the index of the bad edit", () => {
    expect(() => validateEdits([{ op: "flip", axis: "horizontal" }, { op: "hue", degrees: -999 }])).toThrow(
      "edits[1].degrees: must be a number in [-180, 180], got -999",
    );
    expect(() => validateEdits({ op: "flip" })).toThrow("edits: must be a list of edits, got object");
  });

  it("applyEdits refuses an invalid op before doing any work", () => {
    const bad = [{ op: "brightness", amount: 0.1 }, { op: "contrast", amount: 7 }] as EditOp[];
    expect(() => applyEdits(image(1, 1, [0]), bad)).toThrow("edits[1].amount: must be a number in [-1, 1], got 7");
  });
});

describe("editedSize", () => {
  it("follows crops, scales and quarter turns", () => {
    expect(editedSize(4, 4, EVERY_OP)).toEqual({ width: 4, height: 5 });
    expect(editedSize(64, 32, [{ op: "rotate", quarterTurns: 2 }])).toEqual({ width: 64, height: 32 });
  });
  it("names a crop that does not fit the image it meets", () => {
    expect(() => editedSize(4, 4, [{ op: "scale", width: 2, height: 2 }, { op: "crop", x: 1, y: 1, width: 2, height: 1 }])).toThrow(
      "edits[1] (crop): x + width = 3 is past the image's right edge (width 2); crop inside 2x2",
    );
  });
});

describe("export round trip", () => {
  it("a recipe's edits survive JSON and give the same pixels", () => {
    const recipe: AvatarRecipe = {
      version: RECIPE_VERSION,
      model: { name: "generator", sha256: "0".repeat(64) },
      seed: 7,
      tags: ["blonde hair", "blue eyes"],
      psi: 0.7,
      truncation: "global",
      latent: {},
      upscale: { factor: 4, denoise: 0 },
      edits: EVERY_OP,
    };
    const reimported = JSON.parse(JSON.stringify(recipe)) as { edits: unknown };
    const edits = validateEdits(reimported.edits);
    expect(edits).toEqual(recipe.edits);
    const source = image(4, 3, Array.from({ length: 12 }, (_, i) => [i * 20, 255 - i * 15, (i * 37) % 256] as const));
    expect(pixelsOf(applyEdits(source, edits))).toEqual(pixelsOf(applyEdits(source, recipe.edits)));
  });
});

describe("bounded work from a file (issue 17)", () => {
  it("refuses lists longer than 64 edits", () => {
    const flips = Array.from({ length: 65 }, () => ({ op: "flip", axis: "horizontal" }));
    expect(() => validateEdits(flips)).toThrow("edits: holds 65 edits; at most 64 are allowed");
  });

  it("refuses a list whose steps make too many pixels, before any is made", () => {
    const seesaw: EditOp[] = Array.from({ length: 20 }, (_, i) =>
      i % 2 ? { op: "scale", width: 64, height: 64 } : { op: "scale", width: 4096, height: 4096 },
    );
    expect(() => editedSize(64, 64, seesaw)).toThrow(/edits\[10\] \(scale\): the edits up to here make 101 million pixels/);
    const started = performance.now();
    expect(() => applyEdits(image(64, 64, new Array(64 * 64).fill(7)), seesaw)).toThrow(/million pixels/);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
