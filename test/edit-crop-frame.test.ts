/** The crop frame's drag geometry: moves and resizes stay inside the image; the square lock holds. */
import { describe, expect, it } from "vitest";
import { dragFrame, initialFrame, squareFrame } from "@/lib/edit/cropFrame";

const IMAGE = { width: 10, height: 8 };

describe("crop frame", () => {
  it("starts as the whole image, or the centred largest square", () => {
    expect(initialFrame(10, 8, false)).toEqual({ x: 0, y: 0, width: 10, height: 8 });
    expect(initialFrame(10, 8, true)).toEqual({ x: 1, y: 0, width: 8, height: 8 });
  });

  it("moves by whole pixels and stops at the edges", () => {
    const start = { x: 2, y: 2, width: 4, height: 4 };
    expect(dragFrame(start, "move", 1.4, -0.6, IMAGE, false)).toEqual({ x: 3, y: 1, width: 4, height: 4 });
    expect(dragFrame(start, "move", 50, 50, IMAGE, false)).toEqual({ x: 6, y: 4, width: 4, height: 4 });
    expect(dragFrame(start, "move", -50, -50, IMAGE, false)).toEqual({ x: 0, y: 0, width: 4, height: 4 });
  });

  it("a corner resizes against the opposite, fixed corner", () => {
    const start = { x: 2, y: 2, width: 4, height: 4 };
    expect(dragFrame(start, "se", 2, 1, IMAGE, false)).toEqual({ x: 2, y: 2, width: 6, height: 5 });
    expect(dragFrame(start, "nw", 1, -2, IMAGE, false)).toEqual({ x: 3, y: 0, width: 3, height: 6 });
    expect(dragFrame(start, "ne", 100, 100, IMAGE, false)).toEqual({ x: 2, y: 5, width: 8, height: 1 });
    expect(dragFrame(start, "sw", -100, -100, IMAGE, false)).toEqual({ x: 0, y: 2, width: 6, height: 1 });
  });

  it("with the square lock, both sides follow the larger drag and fit the image", () => {
    const start = { x: 2, y: 2, width: 4, height: 4 };
    // wants 7 wide, but only 6 rows lie below y = 2
    expect(dragFrame(start, "se", 3, 1, IMAGE, true)).toEqual({ x: 2, y: 2, width: 6, height: 6 });
    expect(dragFrame(start, "nw", -1, -5, IMAGE, true)).toEqual({ x: 0, y: 0, width: 6, height: 6 });
    expect(dragFrame(start, "se", -10, 0, IMAGE, true)).toEqual({ x: 2, y: 2, width: 1, height: 1 });
  });

  it("turning the lock on squares the frame about its centre", () => {
    expect(squareFrame({ x: 0, y: 2, width: 10, height: 4 }, 10, 8)).toEqual({ x: 3, y: 2, width: 4, height: 4 });
    expect(squareFrame({ x: 8, y: 0, width: 2, height: 8 }, 10, 8)).toEqual({ x: 8, y: 3, width: 2, height: 2 });
  });
});
