/**
 * The browser upscaler: parity with PyTorch on the tiny fixture (written by
 * `python -m avatargan export --fixtures test/fixtures`), tiled == untiled, output sizes,
 * the size limit, and no leaked tensors.
 */
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PixelImage } from "@/lib/edit/pixels";
import { fileIO } from "@/lib/gan/fileIO";
import { planAxis } from "@/lib/gan/tiles";
import { UpscaleLimitError, Upscaler } from "@/lib/gan/upscaler";
import { upscaleRefusal } from "@/lib/gan/upscalerConfig";
import { pixelsToTensor } from "@/lib/edit/pixels";
import { useCpuBackend } from "./helpers/tf";
import { expectFloatsClose, manifestAccumulation, maxAbsDiff } from "./helpers/tolerance";

const FOLDER = "test/fixtures/tiny-upscaler";

interface UpscalerParity {
  input_uint8_nhwc: number[];
  height: number;
  width: number;
  x2_nhwc: number[];
  x4_nhwc: number[];
}

const parity = JSON.parse(readFileSync(`${FOLDER}/parity.json`, "utf8")) as UpscalerParity;

function rgbaOf(rgb: ArrayLike<number>, width: number, height: number): PixelImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    data.set([rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2], 255], p * 4);
  }
  return { width, height, data };
}

function noiseImage(width: number, height: number, seed: number): PixelImage {
  const data = new Uint8ClampedArray(width * height * 4);
  let state = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = i % 4 === 3 ? 255 : state >>> 24;
  }
  return { width, height, data };
}

describe("planAxis", () => {
  it("covers every pixel once with equal windows inside the image", () => {
    for (const [length, tile, overlap] of [[13, 4, 3], [64, 16, 10], [100, 64, 10], [5, 8, 2], [17, 1, 0]]) {
      const tiles = planAxis(length, tile, overlap);
      let next = 0;
      for (const t of tiles) {
        expect(t.coreStart).toBe(next);
        next = t.coreEnd;
        expect(t.windowStart).toBeGreaterThanOrEqual(0);
        expect(t.windowStart + t.windowSize).toBeLessThanOrEqual(length);
        expect(t.windowStart).toBeLessThanOrEqual(t.coreStart);
        expect(t.windowStart + t.windowSize).toBeGreaterThanOrEqual(t.coreEnd);
        // Full context, or the image border, on both sides of the core.
        expect(t.coreStart - t.windowStart >= overlap || t.windowStart === 0).toBe(true);
        expect(t.windowStart + t.windowSize - t.coreEnd >= overlap || t.windowStart + t.windowSize === length).toBe(true);
        expect(t.windowSize).toBe(tiles[0].windowSize);
      }
      expect(next).toBe(length);
    }
  });

  it("rejects nonsense sizes", () => {
    expect(() => planAxis(0, 4, 1)).toThrow(/length/);
    expect(() => planAxis(8, 0, 1)).toThrow(/tile size/);
    expect(() => planAxis(8, 4, -1)).toThrow(/overlap/);
  });
});

describe("upscaleRefusal (what the page asks of an upscaler loaded in the engine's worker)", () => {
  const limits = { denoiseLevels: [1], maxOutputPixels: 256 * 256 };
  it("accepts what fits and names what does not: factor, denoise level, output size", () => {
    expect(upscaleRefusal(64, 64, { factor: 4, denoise: 1 }, limits)).toBeNull();
    expect(upscaleRefusal(64, 64, { factor: 3 as 2, denoise: 1 }, limits)).toMatch(/factor 3 is not supported; choose 2 or 4/);
    expect(upscaleRefusal(64, 64, { factor: 2, denoise: 0 }, limits)).toMatch(/denoise level 0 is not available .*\(it has 1\)/);
    expect(upscaleRefusal(65, 64, { factor: 4, denoise: 1 }, limits)).toMatch(/260x256 = 66560 pixels, over the limit of 65536/);
  });
});

describe("Upscaler (tiny fixture)", () => {
  const upscaler = new Upscaler(FOLDER, fileIO, { tileSize: 4 });

  beforeAll(async () => {
    await useCpuBackend();
    await upscaler.load();
  });
  afterAll(() => upscaler.dispose());

  it("matches PyTorch at x2 and x4, tiled", async () => {
    const { width, height } = parity;
    const input = tf.tidy(() => pixelsToTensor([rgbaOf(parity.input_uint8_nhwc, width, height)]));
    for (const factor of [2, 4] as const) {
      const out = await upscaler.upscaleTensor(input, factor);
      expect(out.shape).toEqual([1, height * factor, width * factor, 3]);
      // x4 is two x2 passes: twice the accumulation.
      const accumulation = factor * manifestAccumulation(FOLDER) / 2;
      const diff = expectFloatsClose(await out.data(), factor === 2 ? parity.x2_nhwc : parity.x4_nhwc, accumulation, `x${factor}`);
      out.dispose();
      console.log(`tiny-upscaler x${factor}: parity max abs diff ${diff.toExponential(3)}`);
    }
    input.dispose();
  });

  it("gives the same output tiled and untiled", async () => {
    const input = tf.tidy(() => pixelsToTensor([noiseImage(23, 17, 7)]));
    const whole = await upscaler.upscaleTensor(input, 4, 1000);
    for (const tile of [2, 5, 8]) {
      const tiled = await upscaler.upscaleTensor(input, 4, tile);
      expect(maxAbsDiff(await tiled.data(), await whole.data())).toBeLessThanOrEqual(1e-5);
      tiled.dispose();
    }
    whole.dispose();
    input.dispose();
  });

  it("makes pixel images of the requested size", async () => {
    for (const [w, h] of [[10, 13], [16, 16], [7, 3]]) {
      for (const factor of [2, 4] as const) {
        const out = await upscaler.upscale(noiseImage(w, h, w * h), { factor, denoise: 0 });
        expect([out.width, out.height]).toEqual([w * factor, h * factor]);
        expect(out.data.length).toBe(w * h * factor * factor * 4);
      }
    }
  });

  it("refuses outputs over the size limit, and unknown settings, with a message", async () => {
    const small = new Upscaler(FOLDER, fileIO, { maxOutputPixels: 40 * 40 });
    await small.load();
    try {
      await expect(small.upscale(noiseImage(20, 20, 1), { factor: 2, denoise: 0 })).resolves.toMatchObject({ width: 40 });
      const refused = small.upscale(noiseImage(20, 20, 1), { factor: 4, denoise: 0 });
      await expect(refused).rejects.toBeInstanceOf(UpscaleLimitError);
      await expect(small.upscale(noiseImage(20, 20, 1), { factor: 4, denoise: 0 }))
        .rejects.toThrow("upscaling 20x20 by x4 would make 80x80 = 6400 pixels, over the limit of 1600 pixels (about 40x40)");
      await expect(small.upscale(noiseImage(4, 4, 1), { factor: 3 as 2, denoise: 0 })).rejects.toThrow(/factor 3/);
      await expect(small.upscale(noiseImage(4, 4, 1), { factor: 2, denoise: 1 })).rejects.toThrow(/denoise level 1/);
    } finally {
      small.dispose();
    }
  });

  it("leaks no tensors", async () => {
    const before = tf.memory().numTensors;
    await upscaler.upscale(noiseImage(9, 11, 3), { factor: 4, denoise: 0 });
    await expect(upscaler.upscale(noiseImage(9, 11, 3), { factor: 2, denoise: 5 })).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("frees its weights on dispose", async () => {
    const other = new Upscaler(FOLDER, fileIO);
    const before = tf.memory().numTensors;
    await other.load();
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => other.config).toThrow(/not loaded/);
  });
});

describe("the shipped upscaler (public/weights/upscaler)", () => {
  it("loads (float16 shards), refuses only what it should, and keeps a flat image flat", async () => {
    await useCpuBackend();
    const shipped = new Upscaler("public/weights/upscaler", fileIO);
    await shipped.load();
    try {
      expect(shipped.meta.kind).toBe("upscaler");
      expect(shipped.denoiseLevels).toEqual([0]);
      expect(shipped.refusal(64, 64, { factor: 4, denoise: 0 })).toBeNull();
      expect(shipped.refusal(1024, 1024, { factor: 4, denoise: 0 })).toMatch(/4096x4096/);
      const grey = { width: 12, height: 12, data: new Uint8ClampedArray(12 * 12 * 4).fill(140) };
      const out = await shipped.upscale(grey, { factor: 2, denoise: 0 });
      const rgb = out.data.filter((_, i) => i % 4 !== 3);
      // Interior pixels: the borders see zero padding, which a face never has at its edge either.
      const interior = [];
      for (let y = 6; y < 18; y++) for (let x = 6; x < 18; x++) interior.push(...rgb.slice((y * 24 + x) * 3, (y * 24 + x) * 3 + 3));
      expect(Math.max(...interior.map((v) => Math.abs(v - 140)))).toBeLessThanOrEqual(3);
    } finally {
      shipped.dispose();
    }
  });

  it("every denoise level ships its own model, in the folder the workbench loads it from", async () => {
    const { upscalerFolder } = await import("@/app/components/engine");
    const { DENOISE_LEVELS } = await import("@/lib/recipe/recipe");
    await useCpuBackend();
    for (const level of DENOISE_LEVELS) {
      const model = new Upscaler(`public/weights/${upscalerFolder(level)}`, fileIO);
      await model.load();
      try {
        expect(model.denoiseLevels).toEqual([level]);
        expect(model.refusal(64, 64, { factor: 2, denoise: level })).toBeNull();
        expect(model.refusal(64, 64, { factor: 2, denoise: level + 1 })).toMatch(/not available/);
      } finally {
        model.dispose();
      }
    }
  });
});
