/** Crop, scale, rotate and flip against hand-computed pixels on tiny images. */
import { describe, expect, it } from "vitest";
import { applyEdits } from "@/lib/edit/apply";
import { crop, flip, rotate, scale } from "@/lib/edit/geometry";
import { image, pixelsOf, redOf } from "./helpers/pixels";

// 3x2, each pixel a distinct grey:  10 20 30
//                                   40 50 60
const A = image(3, 2, [10, 20, 30, 40, 50, 60]);

describe("crop", () => {
  it("keeps the rectangle, row by row", () => {
    const out = crop(A, { x: 1, y: 0, width: 2, height: 2 });
    expect([out.width, out.height]).toEqual([2, 2]);
    expect(redOf(out)).toEqual([20, 30, 50, 60]);
  });

  it("a one-pixel crop at the far corner", () => {
    expect(redOf(crop(A, { x: 2, y: 1, width: 1, height: 1 }))).toEqual([60]);
  });

  it("names the edge a rectangle crosses", () => {
    expect(() => crop(A, { x: 2, y: 0, width: 2, height: 1 })).toThrow("x + width = 4 is past the image's right edge (width 3)");
    expect(() => crop(A, { x: 0, y: 1, width: 1, height: 2 })).toThrow("y + height = 3 is past the image's bottom edge (height 2)");
  });
});

describe("rotate (clockwise quarter turns)", () => {
  it("1 turn: the left column becomes the top row, read bottom-up", () => {
    const out = rotate(A, 1);
    expect([out.width, out.height]).toEqual([2, 3]);
    expect(redOf(out)).toEqual([40, 10, 50, 20, 60, 30]);
  });

  it("2 turns: upside down", () => {
    const out = rotate(A, 2);
    expect([out.width, out.height]).toEqual([3, 2]);
    expect(redOf(out)).toEqual([60, 50, 40, 30, 20, 10]);
  });

  it("3 turns: the right column becomes the top row", () => {
    const out = rotate(A, 3);
    expect([out.width, out.height]).toEqual([2, 3]);
    expect(redOf(out)).toEqual([30, 60, 20, 50, 10, 40]);
  });

  it("four quarter turns give the original back", () => {
    expect(pixelsOf(rotate(rotate(rotate(rotate(A, 1), 1), 1), 1))).toEqual(pixelsOf(A));
  });
});

describe("flip", () => {
  it("horizontal mirrors left and right", () => {
    expect(redOf(flip(A, "horizontal"))).toEqual([30, 20, 10, 60, 50, 40]);
  });
  it("vertical mirrors top and bottom", () => {
    expect(redOf(flip(A, "vertical"))).toEqual([40, 50, 60, 10, 20, 30]);
  });
});

describe("scale (bilinear, half-pixel centres)", () => {
  it("2 -> 4 wide: samples at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped)", () => {
    const out = scale(image(2, 1, [0, 100]), 4, 1);
    expect(redOf(out)).toEqual([0, 25, 75, 100]);
  });

  it("2x2 -> 1x1 is the mean of the four, alpha included, rounded half up", () => {
    const src = image(2, 2, [[0, 0, 0, 255], [100, 100, 100, 0], [50, 50, 50, 255], [10, 10, 10, 0]]);
    expect(pixelsOf(scale(src, 1, 1))).toEqual([[40, 40, 40, 128]]);
  });

  it("3 -> 2 wide: samples at 0.25 and 1.75", () => {
    // (0.75*10 + 0.25*20) = 12.5 -> 13; (0.25*20 + 0.75*30) = 27.5 -> 28
    expect(redOf(scale(image(3, 1, [10, 20, 30]), 2, 1))).toEqual([13, 28]);
  });

  it("the same size is the identity", () => {
    expect(pixelsOf(scale(A, 3, 2))).toEqual(pixelsOf(A));
  });
});

describe("composition order", () => {
  it("crop then rotate differs from rotate then crop, each as computed by hand", () => {
    const cropFirst = applyEdits(A, [{ op: "crop", x: 0, y: 0, width: 2, height: 1 }, { op: "rotate", quarterTurns: 1 }]);
    expect([cropFirst.width, cropFirst.height]).toEqual([1, 2]);
    expect(redOf(cropFirst)).toEqual([10, 20]);
    const rotateFirst = applyEdits(A, [{ op: "rotate", quarterTurns: 1 }, { op: "crop", x: 0, y: 0, width: 2, height: 1 }]);
    expect([rotateFirst.width, rotateFirst.height]).toEqual([2, 1]);
    expect(redOf(rotateFirst)).toEqual([40, 10]);
  });

  it("a crop is checked against the image it meets, after earlier ops", () => {
    expect(() => applyEdits(A, [{ op: "rotate", quarterTurns: 1 }, { op: "crop", x: 0, y: 0, width: 3, height: 1 }])).toThrow(
      "edits[1] (crop): x + width = 3 is past the image's right edge (width 2); crop inside 2x3",
    );
  });

  it("never modifies its input; no edits give the same pixels", () => {
    const before = pixelsOf(A);
    applyEdits(A, [{ op: "flip", axis: "horizontal" }, { op: "brightness", amount: 0.5 }]);
    expect(pixelsOf(A)).toEqual(before);
    expect(pixelsOf(applyEdits(A, []))).toEqual(before);
  });
});
