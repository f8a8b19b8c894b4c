/**
 * The tag vocabulary: ordered groups of tags and the condition vector c built from them.
 *
 * Mirrors training/avatargan/vocab.py. An exclusive group (hair colour, eye colour) is one-hot
 * inside c; an independent tag is one bit. Every tag carries a prior (its frequency in the
 * training set) so a UI can draw "Random" per group, as MakeGirlsMoe does. The JSON form
 * travels inside model.json under `tags`.
 */

export interface Tag {
  readonly name: string;
  /** Frequency in the training set (within its group when the group is exclusive). */
  readonly prior: number;
}

export interface TagGroup {
  readonly name: string;
  readonly exclusive: boolean;
  readonly tags: readonly Tag[];
}

/** The JSON layout written by Python's TagVocabulary.to_json. */
export interface TagVocabularyJson {
  groups: { name: string; exclusive: boolean; tags: { name: string; prior: number }[] }[];
}

/** A uniform random source in [0, 1): Math.random, or seededRandom(seed) for reproducible draws. */
export type UniformSource = () => number;

export class TagVocabulary {
  readonly groups: readonly TagGroup[];
  readonly names: readonly string[];
  private readonly indexOf: ReadonlyMap<string, number>;
  private readonly groupOf: ReadonlyMap<string, TagGroup>;

  constructor(groups: readonly TagGroup[]) {
    this.groups = groups.map((g) => Object.freeze({ ...g, tags: Object.freeze(g.tags.map((t) => ({ ...t }))) }));
    this.names = this.groups.flatMap((g) => g.tags.map((t) => t.name));
    if (this.names.length === 0) throw new Error("tag vocabulary is empty");
    const seen = new Set<string>();
    for (const name of this.names) {
      if (seen.has(name)) throw new Error(`tag vocabulary names tag '${name}' twice`);
      seen.add(name);
    }
    this.indexOf = new Map(this.names.map((name, i) => [name, i]));
    this.groupOf = new Map(this.groups.flatMap((g) => g.tags.map((t) => [t.name, g] as const)));
  }

  /** Validate and read the JSON form (model.json `tags`, or test/fixtures/golden/vocab.json). */
  static fromJson(data: unknown): TagVocabulary {
    const fail = (what: string): never => {
      throw new Error(`tag vocabulary JSON is malformed: ${what}`);
    };
    if (!isRecord(data) || !Array.isArray(data.groups)) fail("expected an object with a 'groups' array");
    const groups = (data as { groups: unknown[] }).groups.map((g, gi): TagGroup => {
      if (!isRecord(g)) return fail(`groups[${gi}] is not an object`);
      if (typeof g.name !== "string") fail(`groups[${gi}].name must be a string`);
      if (typeof g.exclusive !== "boolean") fail(`group '${String(g.name)}': 'exclusive' must be true or false`);
      if (!Array.isArray(g.tags)) fail(`group '${String(g.name)}': 'tags' must be an array`);
      const tags = (g.tags as unknown[]).map((t, ti): Tag => {
        if (!isRecord(t) || typeof t.name !== "string") return fail(`group '${String(g.name)}' tags[${ti}] has no name`);
        if (typeof t.prior !== "number" || !Number.isFinite(t.prior) || t.prior < 0 || t.prior > 1) {
          fail(`tag '${t.name}': prior must be a number in [0, 1], got ${JSON.stringify(t.prior)}`);
        }
        return { name: t.name, prior: t.prior as number };
      });
      return { name: g.name as string, exclusive: g.exclusive as boolean, tags };
    });
    return new TagVocabulary(groups);
  }

  toJson(): TagVocabularyJson {
    return {
      groups: this.groups.map((g) => ({
        name: g.name,
        exclusive: g.exclusive,
        tags: g.tags.map((t) => ({ name: t.name, prior: t.prior })),
      })),
    };
  }

  /** Length of c. */
  get dim(): number {
    return this.names.length;
  }

  has(name: string): boolean {
    return this.indexOf.has(name);
  }

  index(name: string): number {
    const i = this.indexOf.get(name);
    if (i === undefined) throw new Error(`tag '${name}' is not in the vocabulary (${this.names.join(", ")})`);
    return i;
  }

  group(name: string): TagGroup {
    const group = this.groups.find((g) => g.name === name);
    if (!group) throw new Error(`no tag group '${name}'; groups are ${this.groups.map((g) => g.name).join(", ")}`);
    return group;
  }

  /** The group a tag belongs to. */
  groupOfTag(name: string): TagGroup {
    this.index(name);
    return this.groupOf.get(name) as TagGroup;
  }

  /** Each group with its [start, end) slot range inside c. */
  groupSlices(): { group: TagGroup; start: number; end: number }[] {
    let start = 0;
    return this.groups.map((group) => {
      const slice = { group, start, end: start + group.tags.length };
      start = slice.end;
      return slice;
    });
  }

  /** Multi-hot c for tag names. Unknown tags throw (or are skipped when `strict` is false). */
  encode(tags: Iterable<string>, strict = true): Float32Array {
    const c = new Float32Array(this.dim);
    const chosen = new Map<string, string>();
    for (const name of tags) {
      const i = this.indexOf.get(name);
      if (i === undefined) {
        if (strict) this.index(name);
        continue;
      }
      const group = this.groupOf.get(name) as TagGroup;
      const previous = chosen.get(group.name);
      if (group.exclusive && previous !== undefined && previous !== name) {
        throw new Error(`tags '${previous}' and '${name}' are both in exclusive group '${group.name}'; pick one`);
      }
      chosen.set(group.name, name);
      c[i] = 1;
    }
    return c;
  }

  /**
   * Tag names of c: the argmax of each exclusive group (if it is > 0 and at least
   * `exclusiveFloor`), independent tags >= threshold. With both at the tagger's threshold it
   * reads tagger probabilities as the data pipeline's autotag step does.
   */
  decode(c: ArrayLike<number>, threshold = 0.5, exclusiveFloor = 0): string[] {
    if (c.length !== this.dim) throw new Error(`condition has ${c.length} values, the vocabulary has ${this.dim} tags`);
    const out: string[] = [];
    for (const { group, start } of this.groupSlices()) {
      if (group.exclusive) {
        let best = 0;
        for (let k = 1; k < group.tags.length; k++) if (c[start + k] > c[start + best]) best = k;
        if (c[start + best] > 0 && c[start + best] >= exclusiveFloor) out.push(group.tags[best].name);
      } else {
        group.tags.forEach((tag, k) => {
          if (c[start + k] >= threshold) out.push(tag.name);
        });
      }
    }
    return out;
  }

  /**
   * Tags drawn from the priors, group by group; `fixed` maps group name -> tag to keep (an
   * empty string keeps an independent group empty). Exclusive groups take one tag with
   * probability proportional to the priors (uniform if they sum to 0); independent tags are
   * each kept with their prior. Pass seededRandom(seed) as `random` for a reproducible draw.
   */
  sampleTags(random: UniformSource, fixed: Readonly<Record<string, string>> = {}): string[] {
    const out: string[] = [];
    for (const group of this.groups) {
      if (Object.prototype.hasOwnProperty.call(fixed, group.name)) {
        const keep = fixed[group.name];
        if (keep !== "") {
          if (this.groupOf.get(keep) !== group) throw new Error(`tag '${keep}' is not in group '${group.name}'`);
          out.push(keep);
        }
        continue;
      }
      if (group.exclusive) {
        out.push(group.tags[pickIndex(group.tags.map((t) => t.prior), random())].name);
      } else {
        for (const tag of group.tags) if (random() < tag.prior) out.push(tag.name);
      }
    }
    return out;
  }
}

/** Index drawn from weights by inverting the cumulative distribution at u in [0, 1). */
function pickIndex(weights: readonly number[], u: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  const probs = total > 0 ? weights.map((w) => w / total) : weights.map(() => 1 / weights.length);
  let cumulative = 0;
  let lastPossible = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    cumulative += probs[i];
    lastPossible = i;
    if (u < cumulative) return i;
  }
  return lastPossible; // u beyond a cumulative sum that rounded below 1
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
