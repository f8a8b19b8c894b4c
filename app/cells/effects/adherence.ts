/**
 * Condition effects, the maths behind the charts of the "Condition effects" cell (no tf.js):
 *
 * - adherence: for every tag of a group, N avatars requested with that tag (the other groups
 *   Random, drawn from each seed); the tagger reads them back. The matrix holds, per requested
 *   tag (row), the mean probability the tagger gives each tag of the group (columns), and how
 *   often each one is the tagger's top pick. A good conditional generator has a dominant diagonal.
 * - the PCA map: N avatars with Random tags, their w, and the tag each has in a chosen group.
 */

import { makeRecipe, type AvatarRecipe } from "@/lib/recipe/recipe";
import { tagsForSeed } from "@/lib/latent/randomTags";
import type { TagVocabulary } from "@/lib/latent/vocab";

export interface SampleSettings {
  psi: number;
  truncation: AvatarRecipe["truncation"];
  /** Seeds firstSeed .. firstSeed + samples - 1 are used for every tag. */
  firstSeed: number;
  samples: number;
}

export interface ModelContext {
  ref: AvatarRecipe["model"];
  vocab: TagVocabulary;
  zDim: number;
}

function recipeOf(model: ModelContext, seed: number, tags: string[], s: SampleSettings): AvatarRecipe {
  return makeRecipe(model.ref, { seed, tags, psi: s.psi, truncation: s.truncation });
}

function seedsOf(s: SampleSettings): number[] {
  return Array.from({ length: s.samples }, (_, i) => s.firstSeed + i);
}

/** Recipes for the adherence matrix, tag-major: tag k's samples are [k * samples, (k + 1) * samples). */
export function adherenceRecipes(model: ModelContext, group: string, s: SampleSettings): AvatarRecipe[] {
  const tags = model.vocab.group(group).tags.map((t) => t.name);
  return tags.flatMap((tag) => seedsOf(s).map((seed) => recipeOf(model, seed, tagsForSeed(model.vocab, { [group]: tag }, seed, model.zDim), s)));
}

export interface AdherenceMatrix {
  tags: string[];
  /** meanProbability[requested][detected]. */
  meanProbability: number[][];
  /** topPick[requested][detected]: how many samples the tagger ranked `detected` first. */
  topPick: number[][];
  samplesPerTag: number;
  /** Fraction of samples whose top pick is the requested tag. */
  accuracy: number;
  /** Rows whose largest mean probability is on the diagonal. */
  dominantRows: number;
}

/**
 * `probabilities` are the tagger's rows [c_dim] for adherenceRecipes(...) in the same order;
 * `groupStart` is the group's first slot in c.
 */
export function adherenceMatrix(tags: readonly string[], groupStart: number, samplesPerTag: number, probabilities: readonly ArrayLike<number>[]): AdherenceMatrix {
  const k = tags.length;
  if (probabilities.length !== k * samplesPerTag) {
    throw new Error(`adherence: expected ${k * samplesPerTag} tagger rows (${k} tags x ${samplesPerTag}), got ${probabilities.length}`);
  }
  const meanProbability = tags.map(() => new Array<number>(k).fill(0));
  const topPick = tags.map(() => new Array<number>(k).fill(0));
  let hits = 0;
  probabilities.forEach((row, n) => {
    const requested = Math.floor(n / samplesPerTag);
    let best = 0;
    for (let j = 0; j < k; j++) {
      meanProbability[requested][j] += row[groupStart + j] / samplesPerTag;
      if (row[groupStart + j] > row[groupStart + best]) best = j;
    }
    topPick[requested][best]++;
    if (best === requested) hits++;
  });
  const dominantRows = meanProbability.filter((row, i) => row.every((p, j) => j === i || p < row[i])).length;
  return { tags: [...tags], meanProbability, topPick, samplesPerTag, accuracy: hits / probabilities.length, dominantRows };
}

/** Recipes for the PCA map: seeds with every group Random. */
export function pcaRecipes(model: ModelContext, s: SampleSettings): AvatarRecipe[] {
  return seedsOf(s).map((seed) => recipeOf(model, seed, tagsForSeed(model.vocab, {}, seed, model.zDim), s));
}

/** The tag each recipe has in `group` ("none" when it has none: independent groups). */
export function tagInGroup(vocab: TagVocabulary, recipe: AvatarRecipe, group: string): string {
  return recipe.tags.find((t) => vocab.has(t) && vocab.groupOfTag(t).name === group) ?? "none";
}

/**
 * Pairs for the per-layer effect: the same seed with `fromTag` and with `toTag` (same group,
 * other groups Random from the seed). Returns [off, on] recipe lists.
 */
export function switchPairs(model: ModelContext, fromTag: string, toTag: string, s: SampleSettings): { off: AvatarRecipe[]; on: AvatarRecipe[] } {
  const group = model.vocab.groupOfTag(toTag);
  if (model.vocab.groupOfTag(fromTag) !== group) {
    throw new Error(`'${fromTag}' and '${toTag}' are in different groups; switch a tag to another of its own group`);
  }
  const seeds = seedsOf(s);
  const tagsWith = (tag: string, seed: number) => tagsForSeed(model.vocab, { [group.name]: tag }, seed, model.zDim);
  return {
    off: seeds.map((seed) => recipeOf(model, seed, tagsWith(fromTag, seed), s)),
    on: seeds.map((seed) => recipeOf(model, seed, tagsWith(toTag, seed), s)),
  };
}
