/**
 * A "Condition & sample" cell's params -> the recipes of its grid. Pure: the same params and
 * model give the same recipes, which is what makes a saved notebook reproduce its grids.
 */

import { makeRecipe, type AvatarRecipe } from "@/lib/recipe/recipe";
import { tagsForSeed } from "@/lib/latent/randomTags";
import { parseSeeds } from "@/lib/latent/seed";
import type { TagVocabulary } from "@/lib/latent/vocab";
import type { SampleParams } from "./spec";
import type { ModelRef } from "@/lib/notebook/schema";

/** Most avatars one grid may hold: a software WebGPU adapter takes seconds per 16. */
export const MAX_GRID = 256;

export interface SampleModel {
  ref: ModelRef;
  vocab: TagVocabulary;
  zDim: number;
}

/** Throws (with the seed parser's message) when the seed list is invalid. */
export function sampleRecipes(params: SampleParams, model: SampleModel): AvatarRecipe[] {
  const seeds = parseSeeds(params.seedsText, MAX_GRID);
  const recipe = (seed: number, tags: string[], latent: AvatarRecipe["latent"] = {}): AvatarRecipe =>
    makeRecipe(model.ref, { seed, tags, psi: params.psi, truncation: params.truncation }, latent);
  const tagsOf = (seed: number) => tagsForSeed(model.vocab, params.choices, seed, model.zDim);
  switch (params.mode) {
    case "seeds":
      return seeds.map((seed) => recipe(seed, tagsOf(seed)));
    case "vary-conditions":
      // Same z (baseSeed) for all; each seed of the list draws the Random groups.
      return seeds.map((seed) => recipe(params.baseSeed, tagsOf(seed)));
    case "perturb": {
      const tags = tagsOf(params.baseSeed);
      return seeds.map((seed) => recipe(params.baseSeed, tags, { perturb: { seed, amount: params.perturbAmount } }));
    }
  }
}
