/** Floats become pixels exactly as Python's images.to_uint8 (float32 arithmetic). */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { floatsToRgba, rgbaToRgb, toImageData, toUint8 } from "@/lib/edit/pixels";
import { useCpuBackend } from "./helpers/tf";

beforeAll(useCpuBackend);

describe("toUint8", () => {
  it("maps the range ends and the middle", () => {
    expect([-1, 0, 1].map(toUint8)).toEqual([0, 128, 255]);
    expect([-5, 5, Number.NaN, -Infinity, Infinity].map(toUint8)).toEqual([0, 255, 0, 0, 255]);
  });

  it("rounds in float32 like numpy (float64 arithmetic would give the second value)", () => {
    // numpy: floor(float32(x) * float32(127.5) + float32(128)) for these float32 inputs.
    expect(toUint8(-0.9960784316062927)).toBe(1);
    expect(toUint8(-0.9882352948188782)).toBe(2);
    expect(Math.floor(-0.9960784316062927 * 127.5 + 128)).toBe(0);
  });
});

describe("images", () => {
  it("NHWC tensor -> RGBA per image, opaque, and leaves the tensor alone", async () => {
    const images = tf.tensor4d([-1, 0, 1, 1, 1, 1, /* image 2 */ 0.5, -0.5, 0, -1, -1, -1], [2, 1, 2, 3]);
    const before = tf.memory().numTensors;
    const [a, b] = await toImageData(images);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.width).toBe(2);
    expect(a.height).toBe(1);
    expect(Array.from(a.data)).toEqual([0, 128, 255, 255, 255, 255, 255, 255]);
    expect(Array.from(rgbaToRgb(b.data))).toEqual([191, 64, 128, 0, 0, 0]);
    expect(images.isDisposed).toBe(false);
    images.dispose();
  });

  it("grey images fill R, G and B; wrong channel counts are named", () => {
    expect(Array.from(floatsToRgba([0], 1, 1, 1))).toEqual([128, 128, 128, 255]);
    expect(() => floatsToRgba([0, 0], 1, 1, 2)).toThrow("1, 3 or 4 channels, got 2");
    expect(() => floatsToRgba([0, 0], 1, 1, 3)).toThrow("expected 3 values");
  });

  it("rejects tensors that are not images", async () => {
    const t = tf.zeros([4]);
    await expect(toImageData(t)).rejects.toThrow("expected images [N, H, W, C]");
    t.dispose();
  });
});
