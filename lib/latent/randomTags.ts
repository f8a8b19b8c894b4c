/**
 * "Random" tags per group, reproducible from the seed: a shared definition with Python's
 * TagVocabulary.tags_for_seed (golden values in test/fixtures/golden/random_tags.json).
 *
 * The draw reads the seed's uniform stream *after* the numbers z uses (z_dim rounded up to
 * even), so tags do not simply follow z. Every group is drawn first (one uniform per exclusive
 * group, one per independent tag, from the priors), then fixed choices replace their group, so
 * fixing hair does not change a seed's eyes.
 */

import { seededRandom } from "./seed";
import type { TagVocabulary } from "./vocab";

/** A group's choice: RANDOM, NONE (no tag; independent groups), or one tag name of the group. */
export const RANDOM = "__random__";
export const NONE = "";

/** Group name -> RANDOM, NONE, or a tag name of that group. Missing groups mean RANDOM. */
export type GroupChoices = Record<string, string>;

export function tagsForSeed(vocab: TagVocabulary, choices: GroupChoices, seed: number, zDim: number): string[] {
  const random = seededRandom(seed);
  for (let i = 0; i < zDim + (zDim % 2); i++) random();
  const drawn = vocab.sampleTags(random);
  const tags: string[] = [];
  for (const group of vocab.groups) {
    const choice = choices[group.name] ?? RANDOM;
    if (choice === RANDOM) tags.push(...drawn.filter((tag) => vocab.groupOfTag(tag) === group));
    else if (choice !== NONE) tags.push(choice);
  }
  return tags;
}
