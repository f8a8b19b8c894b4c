/** The workbench's "Random" tags: reproducible from the seed, and fixing one group leaves the others alone. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NONE, RANDOM, tagsForSeed } from "@/lib/latent/randomTags";
import { TagVocabulary } from "@/lib/latent/vocab";

const vocab = TagVocabulary.fromJson(JSON.parse(readFileSync("test/fixtures/golden/vocab.json", "utf8")));
const Z_DIM = 8;
const seeds = Array.from({ length: 64 }, (_, i) => i);
const groupTag = (tags: string[], group: string) => tags.filter((t) => vocab.groupOfTag(t).name === group);

describe("tagsForSeed", () => {
  it("gives the same tags for the same seed and one tag per exclusive group", () => {
    for (const seed of seeds) {
      const tags = tagsForSeed(vocab, {}, seed, Z_DIM);
      expect(tagsForSeed(vocab, {}, seed, Z_DIM)).toEqual(tags);
      expect(groupTag(tags, "hair")).toHaveLength(1);
      expect(groupTag(tags, "eyes")).toHaveLength(1);
    }
  });

  it("draws different tags for different seeds", () => {
    const hair = new Set(seeds.map((seed) => groupTag(tagsForSeed(vocab, {}, seed, Z_DIM), "hair")[0]));
    expect(hair.size).toBe(3);
  });

  it("keeps a fixed group and leaves the other groups' draws unchanged", () => {
    for (const seed of seeds) {
      const free = tagsForSeed(vocab, {}, seed, Z_DIM);
      const fixed = tagsForSeed(vocab, { hair: "red hair", tags: NONE }, seed, Z_DIM);
      expect(groupTag(fixed, "hair")).toEqual(["red hair"]);
      expect(groupTag(fixed, "eyes")).toEqual(groupTag(free, "eyes"));
      expect(groupTag(fixed, "tags")).toEqual([]);
      expect(tagsForSeed(vocab, { eyes: RANDOM }, seed, Z_DIM)).toEqual(free);
    }
  });
});

describe("tagsForSeed golden values (shared with Python's TagVocabulary.tags_for_seed)", () => {
  const golden = JSON.parse(readFileSync("test/fixtures/golden/random_tags.json", "utf8")) as {
    vocab: unknown;
    cases: { seed: number; z_dim: number; choices: Record<string, string>; tags: string[] }[];
  };
  const goldenVocab = TagVocabulary.fromJson(golden.vocab);
  it("reproduces every committed case", () => {
    for (const c of golden.cases) expect(tagsForSeed(goldenVocab, c.choices, c.seed, c.z_dim)).toEqual(c.tags);
  });
});
