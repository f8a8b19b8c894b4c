/**
 * Parity with PyTorch: the tiny fixture generators (float32 and float16 shards), written by
 * `python -m avatargan export --fixtures test/fixtures`, must reproduce parity.json on tf.js.
 */
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rgbaToRgb } from "@/lib/edit/pixels";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";
import { renderFloats, renderRecipes } from "@/lib/gan/render";
import { makeRecipe } from "@/lib/recipe/recipe";
import { useCpuBackend } from "./helpers/tf";
import { expectFloatsClose, expectPixelsClose, float32Tolerance, manifestAccumulation, maxAbsDiff } from "./helpers/tolerance";
import { readParityCases } from "./helpers/parityCases";

/** The recipe of a plain avatar: what generation means everywhere (lib/gan/render.ts). */
function plainRecipe(generator: AvatarGenerator, seed: number, tags: readonly string[], psi: number) {
  return makeRecipe(generator.recipeModel, { seed, tags, psi, truncation: "global" });
}

/** Raw generator output for plain avatars, read back to numbers. */
async function floatsOf(generator: AvatarGenerator, recipes: ReturnType<typeof plainRecipe>[]): Promise<Float32Array> {
  const images = renderFloats(generator, recipes);
  try {
    return (await images.data()) as Float32Array;
  } finally {
    images.dispose();
  }
}

describe.each(["tiny-generator", "tiny-generator-f16"])("%s", (fixture) => {
  const folder = `test/fixtures/${fixture}`;
  const cases = readParityCases(folder);
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
      const recipe = plainRecipe(generator, c.seed, c.tags, c.psi);
      const values = await floatsOf(generator, [recipe]);
      worst = Math.max(worst, expectFloatsClose(values, c.image_nhwc, accumulation, `seed ${c.seed}`));
      const [pixels] = await renderRecipes({ generator }, [recipe], [1]);
      expectPixelsClose(rgbaToRgb(pixels.data), c.uint8_nhwc, `seed ${c.seed} uint8`);
    }
    console.log(`${fixture}: parity max abs diff ${worst.toExponential(3)}, tolerance ${float32Tolerance(accumulation, 10).toExponential(2)} at magnitude 10`);
  });

  it("the tolerance absorbs rounding, not mistakes: psi off by 0.01 fails it", async () => {
    const c = cases[0];
    const values = await floatsOf(generator, [plainRecipe(generator, c.seed, c.tags, c.psi - 0.01)]);
    expect(() => expectFloatsClose(values, c.image_nhwc, manifestAccumulation(folder), "psi - 0.01")).toThrow(/float32 tolerance/);
  });

  it("a batch of 4 equals the images made one by one", async () => {
    const recipes = cases.map((c) => plainRecipe(generator, c.seed, c.tags, 0.7));
    const batchValues = await floatsOf(generator, recipes);
    const perImage = batchValues.length / cases.length;
    let worst = 0;
    for (let i = 0; i < cases.length; i++) {
      const single = await floatsOf(generator, [recipes[i]]);
      worst = Math.max(worst, maxAbsDiff(single, batchValues.subarray(i * perImage, (i + 1) * perImage)));
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it("rendering floats and pixels leaves no tensor behind", async () => {
    const before = tf.memory().numTensors;
    await floatsOf(generator, [plainRecipe(generator, 1, ["red hair"], 0.5), plainRecipe(generator, 2, ["red hair"], 0.5)]);
    await renderRecipes({ generator }, [plainRecipe(generator, 3, ["blue eyes"], 1)], [1]);
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
    expect(() => tf.tidy(() => generator.map(tf.zeros([1, 8]), tf.zeros([1, 5])))).toThrow("c has shape [1, 5], expected [1, 6]");
    expect(() => tf.tidy(() => generator.map(tf.zeros([2, 8]), tf.zeros([1, 6])))).toThrow("c has shape [1, 6], expected [2, 6]");
    generator.dispose();
  });
});
