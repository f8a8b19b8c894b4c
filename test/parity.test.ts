/**
 * Parity with PyTorch: the tiny fixture generators (float32 and float16 shards), written by
 * `python -m avatargan export --fixtures test/fixtures`, must reproduce parity.json on tf.js.
 */
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rgbaToRgb } from "@/lib/edit/pixels";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";
import { useCpuBackend } from "./helpers/tf";
import { expectFloatsClose, expectPixelsClose, float32Tolerance, manifestAccumulation } from "./helpers/tolerance";

interface ParityCase {
  seed: number;
  tags: string[];
  psi: number;
  c: number[];
  image_nhwc: number[];
  uint8_nhwc: number[];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe.each(["tiny-generator", "tiny-generator-f16"])("%s", (fixture) => {
  const folder = `test/fixtures/${fixture}`;
  const { cases } = JSON.parse(readFileSync(`${folder}/parity.json`, "utf8")) as { cases: ParityCase[] };
  const generator = new AvatarGenerator(folder, fileIO);

  beforeAll(async () => {
    await useCpuBackend();
    await generator.load();
  });
  afterAll(() => generator.dispose());

  it("matches PyTorch on every case", async () => {
    const accumulation = manifestAccumulation(folder);
    let worst = 0;
    for (const c of cases) {
      const condition = generator.vocab.encode(c.tags);
      expect(Array.from(condition)).toEqual(c.c);
      const image = await generator.generate({ seeds: [c.seed], conditions: condition, psi: c.psi });
      const values = await image.data();
      image.dispose();
      worst = Math.max(worst, expectFloatsClose(values, c.image_nhwc, accumulation, `seed ${c.seed}`));
      const [pixels] = await generator.generateImages({ seeds: [c.seed], conditions: [condition], psi: c.psi });
      expectPixelsClose(rgbaToRgb(pixels.data), c.uint8_nhwc, `seed ${c.seed} uint8`);
    }
    console.log(`${fixture}: parity max abs diff ${worst.toExponential(3)}, tolerance ${float32Tolerance(accumulation, 10).toExponential(2)} at magnitude 10`);
  });

  it("the tolerance absorbs rounding, not mistakes: psi off by 0.01 fails it", async () => {
    const c = cases[0];
    const image = await generator.generate({ seeds: [c.seed], conditions: new Float32Array(c.c), psi: c.psi - 0.01 });
    const values = await image.data();
    image.dispose();
    expect(() => expectFloatsClose(values, c.image_nhwc, manifestAccumulation(folder), "psi - 0.01")).toThrow(/float32 tolerance/);
  });

  it("a batch of 4 equals the images made one by one", async () => {
    const request = { seeds: cases.map((c) => c.seed), conditions: cases.map((c) => new Float32Array(c.c)) };
    const batch = await generator.generate({ ...request, psi: 0.7 });
    const batchValues = await batch.data();
    const perImage = batchValues.length / cases.length;
    batch.dispose();
    let worst = 0;
    for (let i = 0; i < cases.length; i++) {
      const single = await generator.generate({ seeds: [request.seeds[i]], conditions: request.conditions[i], psi: 0.7 });
      worst = Math.max(worst, maxAbsDiff(await single.data(), batchValues.subarray(i * perImage, (i + 1) * perImage)));
      single.dispose();
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it("generate and generateImages leave no tensor behind", async () => {
    const before = tf.memory().numTensors;
    const images = await generator.generate({ seeds: [1, 2], conditions: generator.vocab.encode(["red hair"]), psi: 0.5 });
    images.dispose();
    await generator.generateImages({ seeds: [3], conditions: generator.vocab.encode(["blue eyes"]) });
    await generator.warmUp([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("AvatarGenerator lifecycle", () => {
  beforeAll(useCpuBackend);

  it("load + dispose leaves no tensor behind, and a disposed generator says so", async () => {
    const before = tf.memory().numTensors;
    const generator = new AvatarGenerator("test/fixtures/tiny-generator/model.json", fileIO);
    expect(generator.isLoaded()).toBe(false);
    const fractions: number[] = [];
    await generator.load((f) => fractions.push(f));
    expect(generator.isLoaded()).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(generator.config.resolution).toBe(16);
    expect(generator.numWs).toBe(6);
    generator.dispose();
    expect(generator.isLoaded()).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => generator.config).toThrow(/not loaded; await load\(\) first/);
  });

  it("synthesize accepts per-layer ws equal to the broadcast w", async () => {
    const generator = new AvatarGenerator("test/fixtures/tiny-generator", fileIO);
    await generator.load();
    const [a, b] = tf.tidy(() => {
      const w = generator.map(tf.randomNormal([2, 8], 0, 1, "float32", 1) as tf.Tensor2D, tf.ones([2, 6]), 0.6);
      const ws = tf.tile(tf.expandDims(w, 1), [1, generator.numWs, 1]) as tf.Tensor3D;
      return [generator.synthesize(w), generator.synthesize(ws)];
    });
    expect(maxAbsDiff(await a.data(), await b.data())).toBe(0);
    tf.dispose([a, b]);
    generator.dispose();
  });

  it("rejects conditions of the wrong length", async () => {
    const generator = new AvatarGenerator("test/fixtures/tiny-generator", fileIO);
    await generator.load();
    await expect(generator.generate({ seeds: [0], conditions: new Float32Array(5) })).rejects.toThrow("c_dim=6");
    await expect(generator.generate({ seeds: [0, 1], conditions: [new Float32Array(6)] })).rejects.toThrow("2 seeds but 1 conditions");
    generator.dispose();
  });
});
