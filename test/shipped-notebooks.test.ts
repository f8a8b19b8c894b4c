/**
 * The notebooks that ship with the app (notebooks/*.json) open with results everywhere: they
 * parse, no favourites tray opens empty (the tour's shows what starring gives; the thesis
 * notebook's is its last slide), and favourites name the generator that ships beside them and
 * render with it (a new model must come with its notebooks' favourites updated).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNotebookText } from "@/lib/notebook/io";
import { recipeVocabularyProblem } from "@/lib/notebook/vocabularyCheck";
import { TagVocabulary } from "@/lib/latent/vocab";

const shippedModel = JSON.parse(readFileSync("public/weights/generator/model.json", "utf8")) as { name: string; sha256: string; tags: unknown };
const shippedVocab = TagVocabulary.fromJson(shippedModel.tags);
const files = readdirSync("notebooks").filter((f) => f.endsWith(".json"));

describe.each(files)("notebooks/%s", (file) => {
  const { notebook, migratedFrom } = parseNotebookText(readFileSync(`notebooks/${file}`, "utf8"));

  it("is current, and its favourites are made with the shipped generator", () => {
    expect(migratedFrom).toBeNull();
    expect(notebook.favourites.length).toBeGreaterThan(0);
    for (const recipe of notebook.favourites) {
      expect(recipe.model).toEqual({ name: shippedModel.name, sha256: shippedModel.sha256 });
      expect(recipeVocabularyProblem(recipe, shippedVocab), `seed ${recipe.seed}`).toBeNull();
    }
  });

  it("has no edit that changes nothing (a slide whose frames would be identical)", () => {
    for (const cell of notebook.cells) {
      const params = cell.params as { mode?: string; perturbAmount?: number; sliders?: { amount: number }[] };
      if (params.mode === "perturb") expect(params.perturbAmount, cell.title).toBeGreaterThanOrEqual(0.25);
      if (params.sliders) expect(params.sliders.some((s) => s.amount !== 0), cell.title).toBe(true);
    }
  });
});
