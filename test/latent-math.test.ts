/** Unit tests for the latent maths: slerp/lerp, grids, style-mixing ranges, PCA, tag directions. */
import { describe, expect, it } from "vitest";
import { gridRecipes, interpolationSteps, lerp, norm, pingPongSteps, slerp, walkRecipes } from "@/lib/latent/interpolate";
import { checkLayerRange, layerResolutions, mixMask, numWsFor, styleBands } from "@/lib/latent/mixing";
import { pca } from "@/app/cells/effects/pca";
import { backgroundConditions, directionPlan, shiftCondition } from "@/lib/latent/directions";
import { conditionKey, conditionMeanSeeds } from "@/lib/latent/conditionMean";
import { seedToZ, seededRandom } from "@/lib/latent/seed";
import { TagVocabulary } from "@/lib/latent/vocab";
import { isIdentityEdit } from "@/lib/recipe/latentEdits";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import vocabJson from "./fixtures/golden/vocab.json";

const vocab = TagVocabulary.fromJson(vocabJson);

describe("slerp and lerp", () => {
  const a = seedToZ(1, 128);
  const b = seedToZ(2, 128);

  it("hit both endpoints exactly", () => {
    expect(Array.from(slerp(a, b, 0))).toEqual(Array.from(a));
    expect(Array.from(slerp(a, b, 1))).toEqual(Array.from(b));
    expect(Array.from(lerp(a, b, 0))).toEqual(Array.from(a));
    expect(Array.from(lerp(a, b, 1))).toEqual(Array.from(b));
  });

  it("keep the norm of equal-norm vectors along the whole path (lerp does not)", () => {
    const bScaled = b.map((v) => (v * norm(a)) / norm(b));
    for (const t of [0.1, 0.25, 0.5, 0.9]) expect(norm(slerp(a, bScaled, t)) / norm(a)).toBeCloseTo(1, 5);
    expect(norm(lerp(a, bScaled, 0.5)) / norm(a)).toBeLessThan(0.9); // the "short vector" slerp avoids
  });

  it("interpolates the angle linearly and the norm smoothly between different norms", () => {
    const third = slerp([1, 0], [0, 1], 1 / 3);
    expect(Math.atan2(third[1], third[0])).toBeCloseTo(Math.PI / 6, 6);
    for (const t of [0.25, 0.5, 0.75]) {
      const n = norm(slerp([1, 0], [0, 2], t));
      expect(n).toBeGreaterThan(1);
      expect(n).toBeLessThan(2);
    }
  });

  it("falls back to lerp for parallel vectors and rejects opposite ones", () => {
    expect(Array.from(slerp([1, 1], [2, 2], 0.5))).toEqual([1.5, 1.5]);
    expect(() => slerp([1, 0], [-1, 0], 0.5)).toThrow(/opposite/);
    expect(() => lerp([1], [1, 2], 0.5)).toThrow(/lengths 1 and 2/);
  });

  it("steps and ping-pong frames", () => {
    expect(interpolationSteps(5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(pingPongSteps(3)).toEqual([0, 0.5, 1, 0.5]);
    expect(() => interpolationSteps(1)).toThrow(/>= 2/);
  });
});

describe("grid recipes", () => {
  const base: AvatarRecipe = {
    version: 1, model: { name: "m", sha256: "x" }, seed: 5, tags: ["red hair"], psi: 0.7, truncation: "global",
    latent: { mix: { seed: 9, start: 0, end: 2 } }, upscale: null, edits: [],
  };

  it("a walk goes from the base (t = 0) to the target (t = 1) and keeps other edits", () => {
    const walk = walkRecipes(base, { kind: "seed", toSeed: 8, space: "z", steps: 3 });
    expect(walk.map((r) => r.latent.toward)).toEqual([
      { seed: 8, t: 0, space: "z" }, { seed: 8, t: 0.5, space: "z" }, { seed: 8, t: 1, space: "z" },
    ]);
    expect(walk.every((r) => r.latent.mix?.seed === 9 && r.seed === 5)).toBe(true);
    expect(base.latent.toward).toBeUndefined(); // the base is not mutated
  });

  it("a two-axis grid is row-major: seed along rows, condition along columns", () => {
    const grid = gridRecipes(base, { kind: "seed", toSeed: 8, space: "w", steps: 2 }, { kind: "condition", toTags: ["blonde hair"], steps: 3 });
    expect(grid).toHaveLength(6);
    expect(grid[1].latent).toMatchObject({ toward: { t: 0 }, conditionToward: { tags: ["blonde hair"], t: 0.5 } });
    expect(grid[3].latent).toMatchObject({ toward: { t: 1 }, conditionToward: { t: 0 } });
    expect(() => gridRecipes(base, { kind: "seed", toSeed: 1, space: "z", steps: 2 }, { kind: "seed", toSeed: 2, space: "z", steps: 2 })).toThrow(/two different axes/);
  });

  it("isIdentityEdit recognises edits that change nothing", () => {
    expect(isIdentityEdit({})).toBe(true);
    expect(isIdentityEdit({ toward: { seed: 1, t: 0, space: "z" }, directions: [{ tag: "smile", amount: 0 }] })).toBe(true);
    expect(isIdentityEdit({ mix: { seed: 1, start: 0, end: 1 } })).toBe(false);
  });
});

describe("style mixing ranges", () => {
  it("numWs and per-layer resolutions follow the synthesis network", () => {
    expect(numWsFor(64)).toBe(10);
    expect(numWsFor(16)).toBe(6); // the tiny parity generator
    expect(layerResolutions(64)).toEqual([4, 8, 8, 16, 16, 32, 32, 64, 64, 64]);
    expect(() => numWsFor(48)).toThrow(/power of two/);
  });

  it("coarse / middle / fine tile the layers in order", () => {
    expect(styleBands(64)).toEqual({ coarse: { start: 0, end: 3 }, middle: { start: 3, end: 7 }, fine: { start: 7, end: 10 } });
    expect(styleBands(1024)).toEqual({ coarse: { start: 0, end: 3 }, middle: { start: 3, end: 7 }, fine: { start: 7, end: 18 } });
    expect(styleBands(16)).toEqual({ coarse: { start: 0, end: 3 }, middle: { start: 3, end: 3 }, fine: { start: 3, end: 6 } });
    for (const res of [16, 32, 64, 128, 256]) {
      const b = styleBands(res);
      expect(b.coarse.start).toBe(0);
      expect(b.middle.start).toBe(b.coarse.end);
      expect(b.fine.start).toBe(b.middle.end);
      expect(b.fine.end).toBe(numWsFor(res));
    }
  });

  it("masks and range checks", () => {
    expect(mixMask({ start: 2, end: 4 }, 6)).toEqual([false, false, true, true, false, false]);
    expect(() => checkLayerRange({ start: 3, end: 11 }, 10)).toThrow(/0 <= start <= end <= 10/);
    expect(() => checkLayerRange({ start: 4, end: 2 }, 10)).toThrow();
  });
});

describe("pca", () => {
  it("recovers the axes of an axis-aligned ellipse cloud and their variances", () => {
    // Points on a grid stretched 3x along y, 1x along x, 0 along z: components are y, then x.
    const rows: number[][] = [];
    for (let i = -2; i <= 2; i++) for (let j = -2; j <= 2; j++) rows.push([j + 10, 3 * i - 4, 7]);
    const result = pca(rows, 2);
    expect(Array.from(result.mean).map((v) => +v.toFixed(9))).toEqual([10, -4, 7]);
    const close = (v: Float64Array, want: number[]) => want.forEach((w, i) => expect(v[i]).toBeCloseTo(w, 6));
    close(result.components[0], [0, 1, 0]);
    close(result.components[1], [1, 0, 0]);
    // var(3i) over 25 points with i in -2..2 (5 each): 9 * 2 * 25 / 24
    expect(result.variances[0]).toBeCloseTo((9 * 50) / 24, 6);
    expect(result.variances[1]).toBeCloseTo(50 / 24, 6);
    expect(result.explained[0] + result.explained[1]).toBeCloseTo(1, 9);
    expect(result.projections[0]).toEqual([expect.closeTo(-6, 6), expect.closeTo(-2, 6)]);
  });

  it("finds a rotated principal axis and is deterministic", () => {
    const angle = 0.6;
    const rows = Array.from({ length: 40 }, (_, k) => {
      const u = (k - 20) / 4;
      const v = ((k * 7) % 5) / 10 - 0.2;
      return [u * Math.cos(angle) - v * Math.sin(angle), u * Math.sin(angle) + v * Math.cos(angle)];
    });
    const a = pca(rows, 1);
    expect(Math.abs(a.components[0][0])).toBeCloseTo(Math.cos(angle), 2);
    expect(Math.abs(a.components[0][1])).toBeCloseTo(Math.sin(angle), 2);
    expect(pca(rows, 1).projections).toEqual(a.projections);
  });

  it("rejects too little data", () => {
    expect(() => pca([[1, 2]], 1)).toThrow(/at least 2/);
    expect(() => pca([[1, 2], [3, 4]], 3)).toThrow(/k must be in 1..2/);
  });
});

describe("tag directions (definitions)", () => {
  it("an exclusive tag is its one-hot minus the mean of the group's other tags", () => {
    const plan = directionPlan(vocab, "red hair", 8);
    const hair = vocab.group("hair");
    expect(plan.conditions).toHaveLength(hair.tags.length);
    expect(plan.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12); // on minus an average of offs
    expect(plan.weights[vocab.index("red hair") - vocab.index(hair.tags[0].name)]).toBe(1);
    const background = backgroundConditions(vocab, 8);
    plan.conditions.forEach((variant, k) => variant.forEach((c, s) => {
      // the tag's group is the k-th one-hot; every other slot is the sample's background
      vocab.names.forEach((name, i) => {
        const inHair = vocab.groupOfTag(name) === hair;
        expect(c[i]).toBe(inHair ? (name === hair.tags[k].name ? 1 : 0) : background[s][i]);
      });
    }));
    expect(directionPlan(vocab, "blonde hair", 8).key).toBe(plan.key); // a group shares its means
  });

  it("an independent tag is on minus off; backgrounds come from the priors, reproducibly", () => {
    const plan = directionPlan(vocab, "smile", 4);
    expect(plan.weights).toEqual([1, -1]);
    expect(plan.conditions[0].every((c) => c[vocab.index("smile")] === 1)).toBe(true);
    expect(plan.conditions[1].every((c) => c[vocab.index("smile")] === 0)).toBe(true);
    expect(backgroundConditions(vocab, 4)).toEqual(backgroundConditions(vocab, 4));
    expect(Array.from(backgroundConditions(vocab, 1)[0])).toEqual(Array.from(vocab.encode(vocab.sampleTags(seededRandom(1_000_000)))));
  });

  it("shiftCondition moves c continuously toward or away from a tag", () => {
    const c = vocab.encode(["black hair", "blue eyes"]);
    const full = shiftCondition(vocab, c, "red hair", 1);
    expect(Array.from(full)).toEqual(Array.from(vocab.encode(["red hair", "blue eyes"])));
    const half = shiftCondition(vocab, c, "red hair", 0.5);
    expect(half[vocab.index("red hair")]).toBe(0.5);
    expect(half[vocab.index("black hair")]).toBe(0.5);
    expect(half[vocab.index("blue eyes")]).toBe(1);
    expect(shiftCondition(vocab, c, "smile", -1)[vocab.index("smile")]).toBe(-1);
    expect(Array.from(shiftCondition(vocab, c, "red hair", 0))).toEqual(Array.from(c));
  });

  it("condition means average seeds 0..255 and key conditions by their bits", () => {
    expect(conditionMeanSeeds()).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(conditionKey(new Float32Array([1, 0]))).toBe(conditionKey(new Float32Array([1, 0])));
    expect(conditionKey(new Float32Array([1, 0]))).not.toBe(conditionKey(new Float32Array([0, 1])));
  });
});
