/**
 * The Condition & sample cell's plan (app/cells/sample/plan.ts): params -> the recipes of its
 * grid, for each mode. Pure, so a saved notebook reproduces its grid.
 */
import { describe, expect, it } from "vitest";
import { RANDOM, tagsForSeed } from "@/lib/latent/randomTags";
import { TagVocabulary } from "@/lib/latent/vocab";
import { sampleCell } from "@/app/cells/sample/spec";
import { MAX_GRID, sampleRecipes } from "@/app/cells/sample/plan";
import vocabJson from "./fixtures/golden/vocab.json";

const vocab = TagVocabulary.fromJson(vocabJson);
const model = { ref: { name: "m", sha256: "s" }, vocab, zDim: 8 };
const params = (patch: Partial<ReturnType<typeof sampleCell.defaults>>) => ({ ...sampleCell.defaults(), ...patch });
const hair = vocab.groups[0];

describe("sampleRecipes", () => {
  it("one avatar per seed: each seed its own z and its own Random draw, fixed groups kept", () => {
    const fixed = hair.tags[1].name;
    const recipes = sampleRecipes(params({ seedsText: "3-5,42", choices: { [hair.name]: fixed }, psi: 0.6, truncation: "condition" }), model);
    expect(recipes.map((r) => r.seed)).toEqual([3, 4, 5, 42]);
    for (const r of recipes) {
      expect(r.tags).toContain(fixed);
      expect(r.tags).toEqual(tagsForSeed(vocab, { [hair.name]: fixed }, r.seed, 8));
      expect(r).toMatchObject({ psi: 0.6, truncation: "condition", latent: {}, upscale: null, edits: [], model: { name: "m", sha256: "s" } });
    }
  });

  it("fix noise, vary conditions: one z (the base seed), the Random groups drawn per listed seed", () => {
    const recipes = sampleRecipes(params({ mode: "vary-conditions", seedsText: "0-31", baseSeed: 7 }), model);
    expect(new Set(recipes.map((r) => r.seed))).toEqual(new Set([7]));
    recipes.forEach((r, i) => expect(r.tags).toEqual(tagsForSeed(vocab, {}, i, 8)));
    expect(new Set(recipes.map((r) => r.tags.join())).size).toBeGreaterThan(5);
  });

  it("perturb one seed: the base seed's z and tags, nudged toward each listed seed", () => {
    const recipes = sampleRecipes(params({ mode: "perturb", seedsText: "10,11", baseSeed: 2, perturbAmount: 0.3, choices: { [hair.name]: RANDOM } }), model);
    expect(recipes.map((r) => [r.seed, r.latent])).toEqual([
      [2, { perturb: { seed: 10, amount: 0.3 } }],
      [2, { perturb: { seed: 11, amount: 0.3 } }],
    ]);
    expect(recipes[0].tags).toEqual(tagsForSeed(vocab, { [hair.name]: RANDOM }, 2, 8));
    expect(recipes[1].tags).toEqual(recipes[0].tags);
  });

  it("is pure and refuses bad or oversized seed lists with the parser's reason", () => {
    const p = params({ seedsText: "0-15" });
    expect(sampleRecipes(p, model)).toEqual(sampleRecipes(JSON.parse(JSON.stringify(p)), model));
    expect(() => sampleRecipes(params({ seedsText: "3-x" }), model)).toThrow();
    expect(() => sampleRecipes(params({ seedsText: `0-${MAX_GRID}` }), model)).toThrow();
    expect(sampleRecipes(params({ seedsText: `0-${MAX_GRID - 1}` }), model)).toHaveLength(MAX_GRID);
  });
});
