/**
 * The notebook document: the shipped notebooks validate, bad files are rejected with a reason
 * naming the field (and nothing loads), version 0 (the single page's settings) migrates,
 * cell edits, favourites and autosave.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RECIPE_VERSION, type AvatarRecipe } from "@/lib/recipe/recipe";
import { AUTOSAVE_KEY, readDraft, staleDraftNotice, writeDraft, type DraftStorage } from "@/lib/notebook/autosave";
import { CELL_KINDS } from "@/app/cells/registry";
import { addCell, moveCell, newNotebook, removeCell, updateCell } from "@/lib/notebook/cells";
import { addFavourites, isFavourite, toggleFavourite } from "@/lib/notebook/favourites";
import { notebookFileName, parseNotebookJson, parseNotebookText, serializeNotebook } from "@/lib/notebook/io";
import { migrateNotebook } from "@/lib/notebook/migrate";
import { parseRecipe } from "@/lib/notebook/recipeJson";
import type { Notebook } from "@/lib/notebook/schema";

const MODEL = { name: "tiny-generator", sha256: "8d494401f928" };

function recipe(seed: number, extra: Partial<AvatarRecipe> = {}): AvatarRecipe {
  return { version: RECIPE_VERSION, model: MODEL, seed, tags: ["blonde hair"], psi: 0.7, truncation: "global", latent: {}, upscale: null, edits: [], ...extra };
}

function validNotebook(): Notebook {
  return { ...newNotebook(MODEL, "Study"), favourites: [recipe(1), recipe(2, { edits: [{ op: "flip", axis: "horizontal" }] })] };
}

/** The notebook as raw JSON, with `change` applied to a deep copy. */
function withChange(change: (doc: Record<string, any>) => void): unknown {
  const doc = JSON.parse(serializeNotebook(validNotebook()));
  change(doc);
  return doc;
}

function rejection(raw: unknown): string {
  try {
    parseNotebookJson(raw);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the notebook to be rejected");
}

describe("valid notebooks", () => {
  it("round-trips through text unchanged", () => {
    const notebook = validNotebook();
    const { notebook: back, migratedFrom } = parseNotebookText(serializeNotebook(notebook));
    expect(back).toEqual(notebook);
    expect(migratedFrom).toBeNull();
  });

  it.each(readdirSync("notebooks").filter((f) => f.endsWith(".json")))("shipped %s validates", (file) => {
    const { notebook } = parseNotebookText(readFileSync(`notebooks/${file}`, "utf8"));
    expect(notebook.cells.length).toBeGreaterThan(0);
  });

  it("the tour walks through every registered cell kind", () => {
    const { notebook } = parseNotebookText(readFileSync("notebooks/tour.json", "utf8"));
    const kinds = new Set(notebook.cells.map((c) => c.kind));
    expect(CELL_KINDS.map((k) => k.spec.kind).filter((k) => !kinds.has(k))).toEqual([]);
  });

  it("fills optional fields with defaults", () => {
    const raw = withChange((doc) => {
      delete doc.description;
      delete doc.cells[0].collapsed;
      delete doc.cells[0].params.mode;
    });
    const { notebook } = parseNotebookJson(raw);
    expect(notebook.description).toBe("");
    expect(notebook.cells[0].collapsed).toBe(false);
    expect((notebook.cells[0].params as { mode: string }).mode).toBe("seeds");
  });

  it("every cell kind's defaults pass its own validation", () => {
    for (const { spec } of CELL_KINDS) expect(spec.validate(spec.defaults())).toEqual(spec.defaults());
  });
});

describe("invalid notebooks are rejected with the reason", () => {
  const cases: [string, (doc: Record<string, any>) => void, RegExp][] = [
    ["wrong format", (d) => (d.format = "jupyter"), /not an AvatarGAN notebook/],
    ["newer version", (d) => (d.version = 99), /version 99 is newer than this app/],
    ["no title", (d) => delete d.title, /notebook\.title must be a string, got nothing/],
    ["cells not an array", (d) => (d.cells = {}), /notebook\.cells must be an array/],
    ["unknown cell kind", (d) => (d.cells[0].kind = "teleport"), /cells\[0\]\.kind "teleport" is not a cell kind this app knows/],
    ["bad psi", (d) => (d.cells[0].params.psi = "high"), /cells\[0\] \(sample\): params\.psi must be a number between 0 and 2, got "high"/],
    ["bad sample mode", (d) => (d.cells[0].params.mode = "dream"), /params\.mode must be one of "seeds"/],
    ["duplicate ids", (d) => (d.cells[1].id = d.cells[0].id), /cells\[1\]\.id "sample-1" is used by an earlier cell/],
    ["collapsed not boolean", (d) => (d.cells[1].collapsed = "yes"), /cells\[1\]\.collapsed must be true or false/],
    ["favourite seed negative", (d) => (d.favourites[1].seed = -3), /favourites\[1\]\.seed must be an integer between 0 and 4294967295, got -3/],
    ["favourite edit unknown", (d) => (d.favourites[1].edits[0].op = "blur"), /favourites\[1\]\.edits\[0\]\.op: must be one of/],
    ["favourite upscale factor", (d) => (d.favourites[0].upscale = { factor: 3, denoise: 0 }), /favourites\[0\]\.upscale\.factor must be 2 or 4, got 3/],
    ["favourite recipe version", (d) => (d.favourites[0].version = 7), /favourites\[0\]\.version is 7/],
    ["no version at all", (d) => delete d.version, /no version/],
  ];
  it.each(cases)("%s", (_name, change, reason) => {
    expect(rejection(withChange(change))).toMatch(reason);
  });

  it("rejects text that is not JSON", () => {
    expect(() => parseNotebookText("{ nope")).toThrow(/not valid JSON/);
  });
});

describe("migration", () => {
  const v0 = JSON.parse(readFileSync("test/fixtures/notebooks/v0-settings.json", "utf8"));

  it("turns the single page's settings (version 0) into a notebook with its sample cell", () => {
    const { notebook, migratedFrom } = parseNotebookJson(v0);
    expect(migratedFrom).toBe(0);
    expect(notebook.version).toBe(1);
    expect(notebook.cells.map((c) => c.kind)).toEqual(["sample", "favourites"]);
    expect(notebook.cells[0].params).toMatchObject({ mode: "seeds", seedsText: "3-5,42", psi: 0.65, choices: { hair: "blonde hair", eyes: "__random__" } });
  });

  it("never mutates its input", () => {
    const before = JSON.stringify(v0);
    const result = migrateNotebook(v0);
    expect(result.ok).toBe(true);
    expect(JSON.stringify(v0)).toBe(before);
    if (result.ok) (result.value.cells as { params: { choices: Record<string, string> } }[])[0].params.choices.hair = "x";
    expect(JSON.stringify(v0)).toBe(before);
  });

  it("reports why a version 0 document cannot migrate", () => {
    expect(rejection({ seedsText: "0-3", psi: "big" })).toMatch(/migrating version 0 to 1: psi must be a number/);
  });
});

describe("cell edits", () => {
  it("adds, moves, renames, collapses and removes cells without touching the old notebook", () => {
    const start = newNotebook(MODEL);
    const added = addCell(start, "sample");
    expect(added.cells.map((c) => c.id)).toEqual(["sample-1", "favourites-1", "sample-2"]);
    expect(start.cells).toHaveLength(2);
    const moved = moveCell(added, "sample-2", -1);
    expect(moved.cells.map((c) => c.id)).toEqual(["sample-1", "sample-2", "favourites-1"]);
    expect(moveCell(moved, "sample-1", -1)).toBe(moved);
    const renamed = updateCell(moved, "sample-2", { title: "Second", collapsed: true });
    expect(renamed.cells[1]).toMatchObject({ title: "Second", collapsed: true });
    expect(removeCell(renamed, "sample-1").cells.map((c) => c.id)).toEqual(["sample-2", "favourites-1"]);
    expect(() => addCell(start, "nope")).toThrow(/unknown cell kind/);
  });

  it("names files after the title", () => {
    expect(notebookFileName({ ...newNotebook(MODEL), title: "My Thesis: Demo!" })).toBe("my-thesis-demo.avatargan.json");
  });
});

describe("favourites", () => {
  it("stars and unstars by recipe content, never duplicating", () => {
    let nb = newNotebook(MODEL);
    nb = toggleFavourite(nb, recipe(5));
    expect(isFavourite(nb, { ...recipe(5) })).toBe(true);
    expect(isFavourite(nb, recipe(5, { psi: 0.5 }))).toBe(false);
    const { notebook, added } = addFavourites(nb, [recipe(5), recipe(6), recipe(6)]);
    expect(added).toBe(1);
    expect(notebook.favourites.map((r) => r.seed)).toEqual([5, 6]);
    expect(toggleFavourite(notebook, recipe(5)).favourites.map((r) => r.seed)).toEqual([6]);
  });

  it("parses a recipe with every latent edit", () => {
    const full = recipe(9, {
      latent: { perturb: { seed: 3, amount: 0.1 }, toward: { seed: 4, t: 0.5, space: "w" }, conditionToward: { tags: ["red eyes"], t: 0.3 }, directions: [{ tag: "smile", amount: 1.5 }], mix: { seed: 8, start: 2, end: 5 } },
      upscale: { factor: 4, denoise: 1 },
      edits: [{ op: "crop", x: 1, y: 2, width: 10, height: 12 }, { op: "hue", degrees: 30 }, { op: "rotate", quarterTurns: 2 }],
    });
    expect(parseRecipe(JSON.parse(JSON.stringify(full)))).toEqual(full);
  });
});

describe("autosave", () => {
  function memoryStorage(): DraftStorage & { items: Map<string, string> } {
    const items = new Map<string, string>();
    return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
  }

  it("restores exactly what was saved", () => {
    const storage = memoryStorage();
    expect(readDraft(storage)).toEqual({ state: "none" });
    const notebook = validNotebook();
    expect(writeDraft(storage, notebook)).toEqual({ ok: true });
    const draft = readDraft(storage);
    expect(draft.state === "ok" && draft.loaded.notebook).toEqual(notebook);
  });

  it("reports a corrupt draft instead of loading part of it", () => {
    const storage = memoryStorage();
    storage.setItem(AUTOSAVE_KEY, serializeNotebook(validNotebook()).replace('"psi": 0.7', '"psi": "x"'));
    const draft = readDraft(storage);
    expect(draft.state).toBe("corrupt");
    expect(draft.state === "corrupt" && draft.reason).toMatch(/psi must be a number/);
  });

  it("says why when the storage refuses", () => {
    const full: DraftStorage = { getItem: () => null, removeItem: () => undefined, setItem: () => { throw new Error("QuotaExceededError"); } };
    expect(writeDraft(full, validNotebook())).toEqual({ ok: false, reason: "QuotaExceededError" });
  });

  it("marks an older draft stale when a newer one does not fit, so a reload says so (issue 17)", () => {
    const storage = memoryStorage();
    const first = validNotebook();
    expect(writeDraft(storage, first)).toEqual({ ok: true });
    const quota = 200; // the first draft fits; a grown notebook does not, the small marker does
    const limited: DraftStorage = {
      getItem: storage.getItem,
      removeItem: storage.removeItem,
      setItem: (k, v) => {
        if (v.length > quota && k === AUTOSAVE_KEY) throw new Error("QuotaExceededError");
        storage.setItem(k, v);
      },
    };
    const grown = { ...first, title: "x".repeat(500) };
    const at = new Date("2026-12-02T10:00:00Z");
    expect(writeDraft(limited, grown, () => at).ok).toBe(false);
    expect(writeDraft(limited, grown, () => new Date("2026-12-02T11:00:00Z")).ok).toBe(false); // the first failure's time stays
    const draft = readDraft(storage);
    expect(draft.state === "ok" && draft.loaded.notebook).toEqual(first);
    expect(draft.state === "ok" && draft.stale).toEqual({ since: at.toISOString(), reason: "QuotaExceededError" });
    expect(staleDraftNotice({ since: at.toISOString(), reason: "QuotaExceededError" })).toMatch(/changes made after that time are not in it/);
    expect(writeDraft(storage, first)).toEqual({ ok: true });
    expect(readDraft(storage).state === "ok" && (readDraft(storage) as { stale: unknown }).stale).toBeNull();
  });

  it("names a number too large to hold instead of calling it null", () => {
    const text = serializeNotebook(validNotebook()).replace('"psi": 0.7', '"psi": 1e999');
    expect(() => parseNotebookText(text)).toThrow(/psi must be a number between 0 and 2, got Infinity \(beyond what a number can hold\)/);
  });
});

describe("vocabulary check", () => {
  it("names the cells and favourites whose tags or groups the model lacks, and nothing for shipped notebooks", async () => {
    const { namesMissingFrom, describeMissingNames } = await import("@/lib/notebook/vocabularyCheck");
    const { TagVocabulary } = await import("@/lib/latent/vocab");
    const shippedVocab = TagVocabulary.fromJson(JSON.parse(readFileSync("public/weights/generator/model.json", "utf8")).tags);
    for (const name of ["tour", "thesis-defense"]) {
      const { notebook } = parseNotebookText(readFileSync(`notebooks/${name}.json`, "utf8"));
      expect(namesMissingFrom(notebook, shippedVocab)).toEqual([]);
    }
    const { notebook } = parseNotebookText(readFileSync("notebooks/tour.json", "utf8"));
    const other = TagVocabulary.fromJson({
      groups: [{ name: "hair", exclusive: true, tags: [{ name: "silver hair", prior: 1 }] }],
    });
    const missing = namesMissingFrom(notebook, other);
    expect(missing.length).toBeGreaterThan(2);
    expect(missing.every((m) => m.groups.every((g) => g !== "hair"))).toBe(true);   // "hair" is a group of both
    expect(missing.flatMap((m) => m.tags)).toContain("red hair");
    expect(describeMissingNames(missing)).toMatch(/does not know .*“red hair”/);
    expect(describeMissingNames([])).toBeNull();
  });

  it("says why a favourite cannot render with a vocabulary (issue 17: one such entry emptied the tray)", async () => {
    const { recipeVocabularyProblem } = await import("@/lib/notebook/vocabularyCheck");
    const { TagVocabulary } = await import("@/lib/latent/vocab");
    const vocab = TagVocabulary.fromJson({ groups: [{ name: "hair", exclusive: true, tags: [{ name: "red hair", prior: 1 }] }] });
    expect(recipeVocabularyProblem({ tags: ["red hair"] }, vocab)).toBeNull();
    expect(recipeVocabularyProblem({ tags: ["red hair", "plaid hair", "plaid hair"] }, vocab)).toBe("this model has no “plaid hair”");
    // A tag named only by a latent edit counts too: one such favourite must not break the tray's render.
    expect(recipeVocabularyProblem({ tags: ["red hair"], latent: { directions: [{ tag: "plaid hair", amount: 1 }] } }, vocab)).toBe("this model has no “plaid hair”");
    expect(recipeVocabularyProblem({ tags: ["red hair"], latent: { conditionToward: { tags: ["tartan eyes"], t: 0.5 } } }, vocab)).toBe("this model has no “tartan eyes”");
  });
});

describe("speaker notes", () => {
  const model = { name: "m", sha256: "" };
  const withNotes = (notes: unknown) => {
    const notebook = newNotebook(model, "notes") as unknown as { cells: Record<string, unknown>[] };
    notebook.cells[0].notes = notes;
    return JSON.stringify(notebook);
  };

  it("are kept when there are some, and absent otherwise", () => {
    expect(parseNotebookText(withNotes("Say hello")).notebook.cells[0].notes).toBe("Say hello");
    expect("notes" in parseNotebookText(withNotes("")).notebook.cells[0]).toBe(false);
  });

  it("that are not text, or too long, are refused with the cell named", () => {
    expect(() => parseNotebookText(withNotes(42))).toThrow(/cells\[0\]\.notes/);
    expect(() => parseNotebookText(withNotes("x".repeat(4001)))).toThrow(/cells\[0\]\.notes/);
  });
});
