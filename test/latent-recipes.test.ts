/**
 * recipeWs with latent edits on the tiny fixture generator: the no-edit path is unchanged,
 * truncation per condition agrees with PyTorch (condition_mean.json), and every edit does what
 * lib/recipe/latentEdits.ts says, whatever the batch.
 */
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { recipeWs } from "@/lib/gan/latents";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { LatentEdits } from "@/lib/recipe/latentEdits";
import { seedsToZ } from "@/lib/latent/seed";
import { loadedGenerator } from "./helpers/tf";
import { expectFloatsClose, manifestAccumulation, maxAbsDiff } from "./helpers/tolerance";

const FOLDER = "test/fixtures/tiny-generator";
const generator = loadedGenerator(FOLDER);

function recipe(seed: number, tags: string[], latent: LatentEdits = {}, psi = 0.7, truncation: "global" | "condition" = "global"): AvatarRecipe {
  return { version: 1, model: { name: "tiny", sha256: "" }, seed, tags, psi, truncation, latent, upscale: null, edits: [] };
}

async function wsOf(recipes: AvatarRecipe[]): Promise<Float32Array> {
  const ws = recipeWs(generator, recipes);
  const values = (await ws.data()) as Float32Array;
  ws.dispose();
  return values;
}

/** Row i, layer l of ws [N, numWs, w_dim]. */
function layer(ws: Float32Array, i: number, l: number): Float32Array {
  const wDim = generator.config.w_dim;
  const start = (i * generator.numWs + l) * wDim;
  return ws.slice(start, start + wDim);
}


describe("recipeWs without edits", () => {
  it("is mapping + global truncation, tiled over the layers, bit for bit", async () => {
    const recipes = [recipe(0, ["red hair", "blue eyes"]), recipe(7, ["blonde hair", "smile"], {}, 1)];
    const expected = tf.tidy(() => {
      const z = tf.tensor2d(seedsToZ([0, 7], 8), [2, 8]);
      const c = tf.tensor2d([...generator.vocab.encode(recipes[0].tags), ...generator.vocab.encode(recipes[1].tags)], [2, 6]);
      const w = generator.map(z, c);
      const t = tf.add(generator.latent.wAvg, tf.mul(tf.sub(w, generator.latent.wAvg), tf.tensor2d([0.7, 1], [2, 1])));
      return tf.tile(tf.expandDims(t, 1), [1, generator.numWs, 1]);
    });
    expect(Array.from(await wsOf(recipes))).toEqual(Array.from(await expected.data()));
    expected.dispose();
  });

  it("identity edits give exactly the unedited ws", async () => {
    const plain = await wsOf([recipe(3, ["black hair"])]);
    const identities: LatentEdits[] = [
      { perturb: { seed: 9, amount: 0 } },
      { toward: { seed: 9, t: 0, space: "z" } },
      { toward: { seed: 9, t: 0, space: "w" } },
      { conditionToward: { tags: ["red hair"], t: 0 } },
      { directions: [{ tag: "smile", amount: 0 }, { tag: "red hair", amount: 0, space: "c" }] },
      { mix: { seed: 9, start: 2, end: 2 } },
    ];
    for (const latent of identities) expect(maxAbsDiff(await wsOf([recipe(3, ["black hair"], latent)]), plain)).toBe(0);
  });
});

describe("truncation per condition", () => {
  const { cases } = JSON.parse(readFileSync(`${FOLDER}/condition_mean.json`, "utf8")) as {
    cases: { seed: number; tags: string[]; psi: number; mean_w: number[]; image_nhwc: number[] }[];
  };

  it("the condition's mean w and the truncated images match PyTorch", async () => {
    for (const c of cases) {
      const mean = generator.latent.conditionMean(generator.vocab.encode(c.tags));
      expectFloatsClose(await mean.data(), c.mean_w, manifestAccumulation(FOLDER, "mapping."), "mean w");
      const image = tf.tidy(() => generator.synthesize(recipeWs(generator, [recipe(c.seed, c.tags, {}, c.psi, "condition")])));
      const diff = expectFloatsClose(await image.data(), c.image_nhwc, manifestAccumulation(FOLDER), `seed ${c.seed}`);
      image.dispose();
      console.log(`per-condition truncation, seed ${c.seed} psi ${c.psi}: max abs diff ${diff.toExponential(2)}`);
    }
  });

  it("psi 0 lands on the condition's mean, not on w_avg", async () => {
    const tags = ["red hair", "green eyes"];
    const ws = await wsOf([recipe(5, tags, {}, 0, "condition")]);
    const mean = await generator.latent.conditionMean(generator.vocab.encode(tags)).data();
    expect(maxAbsDiff(layer(ws, 0, 0), mean)).toBeLessThan(1e-6);
    expect(maxAbsDiff(layer(ws, 0, 0), await generator.latent.wAvg.data())).toBeGreaterThan(1e-3);
  });
});

describe("latent edits", () => {
  it("toward in z at t = 1 is the other seed; in w it ends on the other seed's w", async () => {
    const target = await wsOf([recipe(9, ["red hair"])]);
    expect(maxAbsDiff(await wsOf([recipe(2, ["red hair"], { toward: { seed: 9, t: 1, space: "z" } })]), target)).toBe(0);
    expect(maxAbsDiff(await wsOf([recipe(2, ["red hair"], { toward: { seed: 9, t: 1, space: "w" } })]), target)).toBeLessThan(1e-6);
    const start = await wsOf([recipe(2, ["red hair"])]);
    const mid = await wsOf([recipe(2, ["red hair"], { toward: { seed: 9, t: 0.5, space: "w" } })]);
    const halfway = start.map((v, i) => (v + target[i]) / 2);
    expect(maxAbsDiff(mid, halfway)).toBeLessThan(1e-5);
  });

  it("conditionToward at t = 1 is the other condition", async () => {
    const target = await wsOf([recipe(4, ["blonde hair", "blue eyes"])]);
    const moved = await wsOf([recipe(4, ["red hair", "blue eyes"], { conditionToward: { tags: ["blonde hair", "blue eyes"], t: 1 } })]);
    expect(maxAbsDiff(moved, target)).toBe(0);
  });

  it("a c-space direction of amount 1 switches the tag", async () => {
    const target = await wsOf([recipe(4, ["blonde hair"])]);
    const moved = await wsOf([recipe(4, ["red hair"], { directions: [{ tag: "blonde hair", amount: 1, space: "c" }] })]);
    expect(maxAbsDiff(moved, target)).toBe(0);
  });

  it("w directions add amount x the averaged difference, several at once", async () => {
    const base = await wsOf([recipe(6, ["black hair"])]);
    const moved = await wsOf([recipe(6, ["black hair"], { directions: [{ tag: "red hair", amount: 1.5 }, { tag: "smile", amount: -0.5 }] })]);
    const red = await generator.latent.tagDirection("red hair").data();
    const smile = await generator.latent.tagDirection("smile").data();
    for (let l = 0; l < generator.numWs; l++) {
      const expected = layer(base, 0, l).map((v, i) => v + 1.5 * red[i] - 0.5 * smile[i]);
      expect(maxAbsDiff(layer(moved, 0, l), expected)).toBeLessThan(1e-5);
    }
    expect(Math.max(...Array.from(red, Math.abs))).toBeGreaterThan(1e-3);
  });

  it("the red-hair direction is mean w(red) minus the mean over the other hair colours", async () => {
    const vocab = generator.vocab;
    const hair = vocab.group("hair").tags.map((t) => t.name);
    const { directionPlan } = await import("@/lib/latent/directions");
    const plan = directionPlan(vocab, "red hair");
    const means = await Promise.all(plan.conditions.map(async (variant) => {
      const m = tf.tidy(() => tf.mean(generator.map(
        tf.tensor2d(seedsToZ(plan.seeds, 8), [plan.seeds.length, 8]),
        tf.tensor2d(variant.flatMap((c) => Array.from(c)), [variant.length, 6]),
      ), 0));
      const values = await m.data();
      m.dispose();
      return values;
    }));
    const red = means[hair.indexOf("red hair")];
    const others = means.filter((_, k) => k !== hair.indexOf("red hair"));
    const expected = red.map((v, i) => v - others.reduce((s, o) => s + o[i], 0) / others.length);
    expect(maxAbsDiff(await generator.latent.tagDirection("red hair").data(), expected)).toBeLessThan(1e-5);
  });

  it("mixing takes layers [start, end) from the other seed and keeps the rest", async () => {
    const own = await wsOf([recipe(1, ["red hair"])]);
    const other = await wsOf([recipe(8, ["red hair"])]);
    const mixed = await wsOf([recipe(1, ["red hair"], { mix: { seed: 8, start: 1, end: 4 } })]);
    for (let l = 0; l < generator.numWs; l++) {
      expect(maxAbsDiff(layer(mixed, 0, l), layer(l >= 1 && l < 4 ? other : own, 0, l))).toBe(0);
    }
    expect(() => recipeWs(generator, [recipe(1, [], { mix: { seed: 8, start: 0, end: 7 } })])).toThrow(/<= 6/);
  });

  it("perturb moves z a little, reproducibly", async () => {
    const plain = await wsOf([recipe(1, ["red hair"])]);
    const a = await wsOf([recipe(1, ["red hair"], { perturb: { seed: 77, amount: 0.2 } })]);
    expect(maxAbsDiff(a, plain)).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(await wsOf([recipe(1, ["red hair"], { perturb: { seed: 77, amount: 0.2 } })]), a)).toBe(0);
  });

  it("each row of a mixed batch equals that recipe alone", async () => {
    const recipes = [
      recipe(1, ["red hair"]),
      recipe(2, ["blonde hair"], { toward: { seed: 5, t: 0.3, space: "w" }, mix: { seed: 3, start: 0, end: 2 } }),
      recipe(3, ["black hair", "smile"], { directions: [{ tag: "smile", amount: 1 }] }, 0.5, "condition"),
      recipe(4, ["red hair"], { conditionToward: { tags: ["black hair"], t: 0.5 }, perturb: { seed: 1, amount: 0.1 } }),
    ];
    const batch = await wsOf(recipes);
    const per = batch.length / recipes.length;
    for (let i = 0; i < recipes.length; i++) {
      expect(maxAbsDiff(await wsOf([recipes[i]]), batch.subarray(i * per, (i + 1) * per))).toBeLessThan(1e-6);
    }
  });

  it("unknown tags fail with the vocabulary in the message; nothing leaks", async () => {
    expect(() => recipeWs(generator, [recipe(1, [], { directions: [{ tag: "cat ears", amount: 1 }] })])).toThrow(/cat ears.*not in the vocabulary/);
    await wsOf([recipe(1, ["red hair"], { directions: [{ tag: "blue eyes", amount: 1 }] }, 0.5, "condition")]); // fill the caches
    const before = tf.memory().numTensors;
    await wsOf([recipe(1, ["red hair"], { directions: [{ tag: "blue eyes", amount: 1 }], mix: { seed: 2, start: 0, end: 3 } }, 0.5, "condition")]);
    expect(tf.memory().numTensors).toBe(before);
    const cached = tf.memory().numTensors;
    generator.latent.clear();
    expect(tf.memory().numTensors).toBeLessThan(cached);
  });
});
