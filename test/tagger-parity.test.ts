/**
 * Parity with PyTorch for the tagger: the tiny fixture tagger (test/fixtures/tiny-tagger,
 * written by `python -m avatargan export --fixtures test/fixtures`) must reproduce its logits
 * and probabilities on tf.js, at the native size and through the antialiased resize (larger and
 * smaller inputs).
 */
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PixelImage } from "@/lib/edit/pixels";
import { fileIO } from "@/lib/gan/fileIO";
import { antialiasWeights } from "@/lib/gan/antialiasResize";
import { AvatarTagger } from "@/lib/gan/tagger";
import { pixelsToTensor } from "@/lib/edit/pixels";
import { useCpuBackend } from "./helpers/tf";
import { expectFloatsClose, manifestAccumulation } from "./helpers/tolerance";

interface TaggerCase {
  size: number;
  pixels_nhwc: number[];
  logits: number[];
  probabilities: number[];
}

const FOLDER = "test/fixtures/tiny-tagger";
const { cases } = JSON.parse(readFileSync(`${FOLDER}/parity.json`, "utf8")) as { cases: TaggerCase[] };

function pixelImages(c: TaggerCase): PixelImage[] {
  const per = c.size * c.size * 3;
  const count = c.pixels_nhwc.length / per;
  return Array.from({ length: count }, (_, n) => {
    const data = new Uint8ClampedArray(c.size * c.size * 4);
    for (let p = 0; p < c.size * c.size; p++) {
      for (let k = 0; k < 3; k++) data[p * 4 + k] = c.pixels_nhwc[n * per + p * 3 + k];
      data[p * 4 + 3] = 255;
    }
    return { width: c.size, height: c.size, data };
  });
}

describe("tiny-tagger parity", () => {
  const tagger = new AvatarTagger(FOLDER, fileIO);
  beforeAll(async () => {
    await useCpuBackend();
    await tagger.load();
  });
  afterAll(() => tagger.dispose());

  it.each(cases.map((c) => [c.size, c] as const))("matches PyTorch for %i px inputs", async (_size, c) => {
    const logits = tf.tidy(() => tagger.logits(pixelsToTensor(pixelImages(c))));
    const accumulation = manifestAccumulation(FOLDER);
    const logitDiff = expectFloatsClose(await logits.data(), c.logits, accumulation, "logits");
    logits.dispose();
    const rows = await tagger.tagImages(pixelImages(c));
    const probDiff = expectFloatsClose(rows.flatMap((r) => Array.from(r)), c.probabilities, accumulation, "probabilities");
    console.log(`tiny-tagger ${c.size}px: logits max abs diff ${logitDiff.toExponential(2)}, probabilities ${probDiff.toExponential(2)}`);
  });

  it("groups probabilities by the vocabulary, each exclusive group summing to 1", async () => {
    const [row] = await tagger.tagImages(pixelImages(cases[0]).slice(0, 1));
    const groups = tagger.groupScores(row);
    expect(groups.map((g) => g.group)).toEqual(["hair", "eyes", "tags"]);
    for (const g of groups.filter((g) => g.exclusive)) {
      expect(g.scores.reduce((s, t) => s + t.probability, 0)).toBeCloseTo(1, 5);
    }
  });

  it("tagging leaves no tensor behind, and load + dispose frees every weight", async () => {
    const before = tf.memory().numTensors;
    await tagger.tagImages(pixelImages(cases[1]));
    expect(tf.memory().numTensors).toBe(before);
    const other = new AvatarTagger(FOLDER, fileIO);
    await other.load();
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => other.config).toThrow(/not loaded/);
  });

  it("rejects a generator folder with a message naming the kind", async () => {
    const wrong = new AvatarTagger("test/fixtures/tiny-generator", fileIO);
    await expect(wrong.load()).rejects.toThrow(/tagger/);
  });
});

describe("antialiasWeights", () => {
  it("rows sum to 1 and the identity size is the identity", () => {
    const same = antialiasWeights(5, 5);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(same[i * 5 + j]).toBe(i === j ? 1 : 0);
    const down = antialiasWeights(64, 16);
    for (let i = 0; i < 16; i++) {
      let s = 0;
      for (let j = 0; j < 64; j++) s += down[i * 64 + j];
      expect(s).toBeCloseTo(1, 6);
    }
  });
});
