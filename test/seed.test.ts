/** seed -> z must equal Python's avatargan.seeds bit for bit (golden file + literal values). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mix32, parseSeeds, seededRandom, seedsToZ, seedToZ, uniformBits, uniforms } from "@/lib/latent/seed";

interface GoldenCase {
  seed: number;
  uniform_bits: number[];
  uniforms: number[];
  z: number[];
  z_bits: number[];
}
const golden = JSON.parse(readFileSync("test/fixtures/golden/seeds.json", "utf8")) as { cases: GoldenCase[] };

describe("seed -> z", () => {
  it.each(golden.cases)("reproduces Python for seed $seed", (c) => {
    expect(Array.from(uniformBits(c.seed, 4))).toEqual(c.uniform_bits);
    expect(Array.from(uniforms(c.seed, 4))).toEqual(c.uniforms);
    const z = seedToZ(c.seed, c.z.length);
    expect(Array.from(new Uint32Array(z.buffer))).toEqual(c.z_bits);
    expect(Array.from(z)).toEqual(c.z);
  });

  it("matches literal values (in case the golden file is regenerated wrongly)", () => {
    expect(mix32(0)).toBe(0);
    expect(uniformBits(0, 2)).toEqual(new Uint32Array([2926543089, 2692512407]));
    expect(Array.from(new Uint32Array(seedToZ(0, 3).buffer))).toEqual([3206326241, 3206574261, 1027840244]);
    expect(seedToZ(4294967295, 1)[0]).toBe(Math.fround(seedToZ(4294967295, 2)[0]));
  });

  it("odd dims are a prefix of the next even dim, and batches are row-independent", () => {
    expect(Array.from(seedToZ(42, 9))).toEqual(Array.from(seedToZ(42, 10).subarray(0, 9)));
    const batch = seedsToZ([5, 42, 5], 8);
    expect(Array.from(batch.subarray(8, 16))).toEqual(Array.from(seedToZ(42, 8)));
    expect(Array.from(batch.subarray(16, 24))).toEqual(Array.from(seedToZ(5, 8)));
  });

  it("rejects seeds outside uint32", () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => seedToZ(bad, 4)).toThrow(/is not an integer in 0\.\.4294967295/);
  });

  it("seededRandom follows the same stream as uniforms", () => {
    const next = seededRandom(7);
    expect([next(), next(), next()]).toEqual(Array.from(uniforms(7, 3)));
  });
});

describe("parseSeeds", () => {
  it("reads ranges and lists", () => {
    expect(parseSeeds("0-3,12")).toEqual([0, 1, 2, 3, 12]);
    expect(parseSeeds(" 5 , 7 - 8 ,,")).toEqual([5, 7, 8]);
    expect(parseSeeds("4294967295")).toEqual([4294967295]);
  });

  it("names what is wrong", () => {
    expect(() => parseSeeds("1,x")).toThrow(`cannot read "x"; write seeds like '0-7,12'`);
    expect(() => parseSeeds("9-3")).toThrow("range 9-3 runs backwards");
    expect(() => parseSeeds("0-20", 10)).toThrow("names more than 10 seeds");
    expect(() => parseSeeds(" , ")).toThrow("names no seed");
    expect(() => parseSeeds("4294967296")).toThrow("is not an integer in 0..4294967295");
    expect(() => parseSeeds("-3")).toThrow("cannot read");
  });
});
