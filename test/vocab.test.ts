/** The tag vocabulary reads Python's JSON and builds the same c. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { seededRandom } from "@/lib/latent/seed";
import { TagVocabulary } from "@/lib/latent/vocab";

const json: unknown = JSON.parse(readFileSync("test/fixtures/golden/vocab.json", "utf8"));
const vocab = TagVocabulary.fromJson(json);

describe("TagVocabulary", () => {
  it("reads the golden vocabulary and writes it back unchanged", () => {
    expect(vocab.names).toEqual(["black hair", "blonde hair", "red hair", "blue eyes", "green eyes", "smile"]);
    expect(vocab.dim).toBe(6);
    expect(vocab.groups.map((g) => [g.name, g.exclusive])).toEqual([["hair", true], ["eyes", true], ["tags", false]]);
    expect(vocab.toJson()).toEqual(json);
    expect(vocab.index("green eyes")).toBe(4);
    expect(vocab.groupSlices().map(({ start, end }) => [start, end])).toEqual([[0, 3], [3, 5], [5, 6]]);
  });

  it("encodes as Python does (the parity cases' c)", () => {
    expect(Array.from(vocab.encode(["red hair", "blue eyes"]))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(vocab.encode(["blonde hair", "green eyes", "smile"]))).toEqual([0, 1, 0, 0, 1, 1]);
    expect(Array.from(vocab.encode(["red hair", "red hair"]))).toEqual([0, 0, 1, 0, 0, 0]);
    expect(Array.from(vocab.encode(["cat ears", "smile"], false))).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it("names unknown tags and exclusivity clashes", () => {
    expect(() => vocab.encode(["cat ears"])).toThrow("tag 'cat ears' is not in the vocabulary (black hair, ");
    expect(() => vocab.encode(["red hair", "black hair"])).toThrow("tags 'red hair' and 'black hair' are both in exclusive group 'hair'");
    expect(() => vocab.group("mouth")).toThrow("no tag group 'mouth'; groups are hair, eyes, tags");
  });

  it("decodes argmax per exclusive group and thresholds independent tags", () => {
    expect(vocab.decode([0.1, 0.7, 0.2, 0, 0, 0.6])).toEqual(["blonde hair", "smile"]);
    expect(vocab.decode(vocab.encode(["black hair", "green eyes"]))).toEqual(["black hair", "green eyes"]);
    expect(() => vocab.decode([1, 0])).toThrow("condition has 2 values, the vocabulary has 6 tags");
    // Tagger probabilities read as the autotag step reads them (Find my character's guess):
    // an exclusive group's best tag only when it reaches the threshold too.
    expect(vocab.decode([0.1, 0.2, 0.15, 0.3, 0.25, 0.24], 0.25, 0.25)).toEqual(["blue eyes"]);
    expect(vocab.decode([0.1, 0.2, 0.15, 0.3, 0.25, 0.24], 0.25)).toEqual(["blonde hair", "blue eyes"]);
  });

  it("samples from the priors, reproducibly from a seed, keeping fixed groups", () => {
    expect(vocab.sampleTags(seededRandom(3))).toEqual(vocab.sampleTags(seededRandom(3)));
    const counts = new Map<string, number>();
    const random = seededRandom(11);
    let malformed = 0;
    for (let i = 0; i < 4000; i++) {
      const tags = vocab.sampleTags(random, { eyes: "green eyes" });
      if (!tags.includes("green eyes") || tags.filter((t) => t.endsWith("hair")).length !== 1) malformed++;
      for (const t of tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    expect(malformed).toBe(0);
    expect((counts.get("black hair") ?? 0) / 4000).toBeCloseTo(0.5, 1);
    expect((counts.get("red hair") ?? 0) / 4000).toBeCloseTo(0.2, 1);
    expect((counts.get("smile") ?? 0) / 4000).toBeCloseTo(0.25, 1);
    expect(counts.has("blue eyes")).toBe(false);
    expect(vocab.sampleTags(() => 0.99, { tags: "" })).toEqual(["red hair", "green eyes"]);
    expect(() => vocab.sampleTags(Math.random, { hair: "blue eyes" })).toThrow("tag 'blue eyes' is not in group 'hair'");
  });

  it("rejects malformed JSON with the field named", () => {
    expect(() => TagVocabulary.fromJson({})).toThrow("expected an object with a 'groups' array");
    expect(() => TagVocabulary.fromJson({ groups: [{ name: "hair", tags: [] }] })).toThrow("'exclusive' must be true or false");
    expect(() => TagVocabulary.fromJson({ groups: [{ name: "x", exclusive: false, tags: [{ name: "a", prior: 2 }] }] })).toThrow("prior must be a number in [0, 1]");
    expect(() => TagVocabulary.fromJson({ groups: [{ name: "x", exclusive: false, tags: [{ name: "a", prior: 0.1 }, { name: "a", prior: 0.1 }] }] })).toThrow("names tag 'a' twice");
    expect(() => TagVocabulary.fromJson({ groups: [] })).toThrow("tag vocabulary is empty");
  });
});
