/**
 * Which tags and tag groups a notebook names that a model's vocabulary lacks: a notebook made
 * for another model opens, and says up front which cells (and favourites) will not render,
 * rather than failing cell by cell.
 */

import type { TagVocabulary } from "@/lib/latent/vocab";
import { cellKindSpec } from "@/app/cells/registry";
import type { Notebook } from "./schema";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { LatentEdits } from "@/lib/recipe/latentEdits";

export interface MissingNames {
  /** The cell's title, or "Favourites" for the tray's recipes. */
  where: string;
  tags: string[];
  groups: string[];
}

export function namesMissingFrom(notebook: Notebook, vocab: TagVocabulary): MissingNames[] {
  const knownTags = new Set(vocab.names);
  const knownGroups = new Set(vocab.groups.map((g) => g.name));
  const missing = (where: string, tags: readonly string[], groups: readonly string[]): MissingNames | null => {
    const out = {
      where,
      tags: [...new Set(tags.filter((t) => !knownTags.has(t)))],
      groups: [...new Set(groups.filter((g) => !knownGroups.has(g)))],
    };
    return out.tags.length || out.groups.length ? out : null;
  };
  const found: (MissingNames | null)[] = notebook.cells.map((cell) => {
    const used = cellKindSpec(cell.kind)?.namesUsed?.(cell.params);
    return used ? missing(cell.title, used.tags, used.groups) : null;
  });
  found.push(missing("Favourites", notebook.favourites.flatMap((r) => r.tags), []));
  return found.filter((m): m is MissingNames => m !== null);
}

/** One sentence for the notebook's notices, or null when the vocabulary has every name. */
export function describeMissingNames(missing: readonly MissingNames[]): string | null {
  if (missing.length === 0) return null;
  const parts = missing.map((m) => `${m.where}: ${[...m.tags.map((t) => `“${t}”`), ...m.groups.map((g) => `group “${g}”`)].join(", ")}`);
  return `The loaded model does not know some names this notebook uses, so those cells will not render until you choose others (${parts.join("; ")}).`;
}

/** Why a recipe cannot render with this vocabulary (the tags it lacks), or null when it can. */
export function recipeVocabularyProblem(recipe: Pick<AvatarRecipe, "tags"> & { latent?: LatentEdits }, vocab: TagVocabulary): string | null {
  const known = new Set(vocab.names);
  // Every tag the recipe names: its own, and those its latent edits move toward or along.
  const named = [...recipe.tags, ...(recipe.latent?.conditionToward?.tags ?? []), ...(recipe.latent?.directions ?? []).map((d) => d.tag)];
  const unknown = [...new Set(named.filter((t) => !known.has(t)))];
  if (unknown.length === 0) return null;
  return `this model has no ${unknown.map((t) => `“${t}”`).join(", ")}`;
}
