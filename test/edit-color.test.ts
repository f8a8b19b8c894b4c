/** Saturation, brightness, contrast, hue and sharpen against hand-computed pixels. */
import { describe, expect, it } from "vitest";
import { applyEdits } from "@/lib/edit/apply";
import { brightness, contrast, hue, saturation } from "@/lib/edit/color";
import { sharpen } from "@/lib/edit/sharpen";
import { image, pixelsOf, redOf } from "./helpers/pixels";

// One orange-brown pixel with a see-through alpha, which colour edits must keep.
const P = image(1, 1, [[200, 100, 50, 77]]);

describe("saturation (Rec. 709 luma on sRGB values)", () => {
  // L = 0.2126*200 + 0.7152*100 + 0.0722*50 = 117.65
  it("-1 gives the luma grey", () => {
    expect(pixelsOf(saturation(P, -1))).toEqual([[118, 118, 118, 77]]);
  });
  it("+0.5 pushes each channel 1.5x away from the luma", () => {
    // 117.65 + 1.5 * (200 - 117.65) = 241.175; 117.65 - 1.5 * 17.65 = 91.175; 117.65 - 1.5 * 67.65 = 16.175
    expect(pixelsOf(saturation(P, 0.5))).toEqual([[241, 91, 16, 77]]);
  });
  it("0 is the identity", () => {
    expect(pixelsOf(saturation(P, 0))).toEqual(pixelsOf(P));
  });
});

describe("brightness (a shift of 255 * amount)", () => {
  it("+0.2 adds 51", () => {
    expect(pixelsOf(brightness(P, 0.2))).toEqual([[251, 151, 101, 77]]);
  });
  it("+0.5 adds 127.5: clamps at 255 and rounds halves up", () => {
    expect(pixelsOf(brightness(P, 0.5))).toEqual([[255, 228, 178, 77]]);
  });
  it("-1 is black", () => {
    expect(pixelsOf(brightness(P, -1))).toEqual([[0, 0, 0, 77]]);
  });
});

describe("contrast (about 127.5)", () => {
  it("+0.5 stretches by 1.5", () => {
    // 127.5 + 1.5 * 72.5 = 236.25; 127.5 - 1.5 * 27.5 = 86.25; 127.5 - 1.5 * 77.5 = 11.25
    expect(pixelsOf(contrast(P, 0.5))).toEqual([[236, 86, 11, 77]]);
  });
  it("-1 is flat mid-grey (127.5 rounds up to 128)", () => {
    expect(pixelsOf(contrast(P, -1))).toEqual([[128, 128, 128, 77]]);
  });
});

describe("hue (HSV rotation)", () => {
  it("primaries move a third of a turn", () => {
    const red = image(1, 1, [[255, 0, 0]]);
    expect(pixelsOf(hue(red, 120))).toEqual([[0, 255, 0, 255]]);
    expect(pixelsOf(hue(red, -120))).toEqual([[0, 0, 255, 255]]);
  });
  it("180 degrees gives the complement max + min - c", () => {
    expect(pixelsOf(hue(P, 180))).toEqual([[50, 150, 200, 77]]);
  });
  it("orange (hue 30.1) + 60 degrees: red falls to 255 - 255 * 0.502 = 127", () => {
    expect(pixelsOf(hue(image(1, 1, [[255, 128, 0]]), 60))).toEqual([[127, 255, 0, 255]]);
  });
  it("grey has no hue and stays put", () => {
    expect(redOf(hue(image(1, 1, [90]), 77))).toEqual([90]);
  });
  it("+360 and -360 are the identity", () => {
    expect(pixelsOf(hue(P, 360))).toEqual(pixelsOf(P));
    expect(pixelsOf(hue(P, -360))).toEqual(pixelsOf(P));
  });
});

describe("sharpen (unsharp mask, 3x3 binomial blur, edges repeated)", () => {
  // 50 everywhere but a 100 in the middle, whose alpha is 200.
  const dot = image(3, 3, [50, 50, 50, 50, [100, 100, 100, 200], 50, 50, 50, 50]);
  it("amount 1 on a bright dot: centre, edge and corner by hand", () => {
    // centre: blur = (12*50 + 4*100)/16 = 62.5 -> 100 + 37.5 = 137.5 -> 138
    // edge:   blur = (14*50 + 2*100)/16 = 56.25 -> 50 - 6.25 = 43.75 -> 44
    // corner: blur = (15*50 + 1*100)/16 = 53.125 -> 50 - 3.125 = 46.875 -> 47
    const out = sharpen(dot, 1);
    expect(redOf(out)).toEqual([47, 44, 47, 44, 138, 44, 47, 44, 47]);
    expect(pixelsOf(out)[4][3]).toBe(200);
  });
  it("amount 2 doubles the correction", () => {
    expect(redOf(sharpen(dot, 2))).toEqual([44, 38, 44, 38, 175, 38, 44, 38, 44]);
  });
  it("a flat image is unchanged (edge pixels repeat past the border)", () => {
    const flat = image(2, 2, [[9, 99, 199], [9, 99, 199], [9, 99, 199], [9, 99, 199]]);
    expect(pixelsOf(sharpen(flat, 5))).toEqual(pixelsOf(flat));
  });
});

describe("composition order of colour edits", () => {
  const grey = image(1, 1, [100]);
  it("brightness then contrast: (100 + 51) -> 127.5 + 1.5 * 23.5 = 162.75", () => {
    expect(redOf(applyEdits(grey, [{ op: "brightness", amount: 0.2 }, { op: "contrast", amount: 0.5 }]))).toEqual([163]);
  });
  it("contrast then brightness: 86.25 -> 86, + 51 = 137", () => {
    expect(redOf(applyEdits(grey, [{ op: "contrast", amount: 0.5 }, { op: "brightness", amount: 0.2 }]))).toEqual([137]);
  });
});
