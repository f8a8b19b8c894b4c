/**
 * seed -> z: the counter-based PRNG shared bit-for-bit with training/avatargan/seeds.py.
 *
 * An avatar must be a pure function of its seed in PyTorch, in the browser and whatever the
 * batch, so both halves implement this small documented generator instead of their own RNGs:
 *
 *     mix(x)         = lowbias32 integer hash (Chris Wellons), uint32 -> uint32
 *     key(seed)      = mix(seed XOR 0x9E3779B9)
 *     bits(seed, i)  = mix((key(seed) + i) mod 2^32)
 *     uniform(s, i)  = (bits(s, i) + 0.5) / 2^32          // in (0, 1), exact in float64
 *     z[2j], z[2j+1] = Box-Muller of (uniform(s, 2j), uniform(s, 2j+1)) in float64,
 *                      each rounded once to float32 at the end.
 *
 * uint32 arithmetic uses Math.imul and `>>> 0`, because plain JS multiplication of two
 * 32-bit values loses low bits in float64. Golden values: test/fixtures/golden/seeds.json.
 */

export const SEED_MAX = 0xffffffff;

/** The limit parseSeeds applies unless told otherwise (as Python's parse_seeds). */
export const DEFAULT_SEED_LIMIT = 10000;

/** lowbias32: a well-mixed 32-bit integer hash, uint32 -> uint32. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** Throws unless `seed` is an integer in 0..2^32-1; returns it. */
export function checkSeed(seed: number): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) {
    throw new RangeError(`seed ${String(seed)} is not an integer in 0..${SEED_MAX}`);
  }
  return seed;
}

/** The uint32 stream for `seed`: bits(seed, 0..count-1). */
export function uniformBits(seed: number, count: number): Uint32Array {
  const key = mix32((checkSeed(seed) ^ 0x9e3779b9) >>> 0);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = mix32((key + i) >>> 0);
  return out;
}

/** `count` float64 uniforms in (0, 1) for `seed`: the stream every draw is made from. */
export function uniforms(seed: number, count: number): Float64Array {
  const bits = uniformBits(seed, count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = (bits[i] + 0.5) / 4294967296;
  return out;
}

/** The latent z for `seed`: `dim` standard normals as float32. */
export function seedToZ(seed: number, dim: number): Float32Array {
  if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`z dim ${dim} must be a non-negative integer`);
  const u = uniforms(seed, dim + (dim % 2));
  const z = new Float32Array(dim);
  for (let j = 0; j < u.length; j += 2) {
    const radius = Math.sqrt(-2 * Math.log(u[j]));
    const angle = 2 * Math.PI * u[j + 1];
    z[j] = radius * Math.cos(angle); // Float32Array stores round once, as numpy's astype(float32)
    if (j + 1 < dim) z[j + 1] = radius * Math.sin(angle);
  }
  return z;
}

/** z for several seeds, row-major [seeds.length, dim]. Row i depends only on seeds[i]. */
export function seedsToZ(seeds: readonly number[], dim: number): Float32Array {
  const out = new Float32Array(seeds.length * dim);
  seeds.forEach((seed, i) => out.set(seedToZ(seed, dim), i * dim));
  return out;
}

/**
 * A deterministic uniform source in [0, 1) drawn from seed's stream: pass it to
 * TagVocabulary.sampleTags so "Random tags" is reproducible from a seed. Each call advances
 * the counter; streams are the same as uniforms(seed, n).
 */
export function seededRandom(seed: number): () => number {
  const key = mix32((checkSeed(seed) ^ 0x9e3779b9) >>> 0);
  let counter = 0;
  return () => (mix32((key + counter++) >>> 0) + 0.5) / 4294967296;
}

const RANGE = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/;

/**
 * Parse a seed list such as "0-7,12" (ranges inclusive) into seeds, with the same rules and
 * messages as Python's parse_seeds: empty parts are skipped, ranges must run forwards,
 * at most `limit` seeds, and at least one.
 */
export function parseSeeds(text: string, limit: number = DEFAULT_SEED_LIMIT): number[] {
  const seeds: number[] = [];
  const quoted = JSON.stringify(String(text));
  for (const part of String(text).split(",")) {
    if (!part.trim()) continue;
    const match = RANGE.exec(part);
    if (!match) {
      throw new SyntaxError(`seed list ${quoted}: cannot read ${JSON.stringify(part.trim())}; write seeds like '0-7,12'`);
    }
    const start = checkSeed(Number(match[1]));
    const end = match[2] !== undefined ? checkSeed(Number(match[2])) : start;
    if (end < start) throw new RangeError(`seed list ${quoted}: range ${start}-${end} runs backwards`);
    if (seeds.length + (end - start + 1) > limit) {
      throw new RangeError(`seed list ${quoted} names more than ${limit} seeds`);
    }
    for (let s = start; s <= end; s++) seeds.push(s);
  }
  if (seeds.length === 0) throw new SyntaxError(`seed list ${quoted} names no seed`);
  return seeds;
}
