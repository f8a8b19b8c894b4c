/**
 * The favourites list: recipes starred from any cell. Two recipes that give the same pixels
 * (same key) are the same favourite, so starring twice does not duplicate.
 */

import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { recipeKey } from "./recipeJson";
import type { Notebook } from "./schema";

export function isFavourite(notebook: Notebook, recipe: AvatarRecipe): boolean {
  const key = recipeKey(recipe);
  return notebook.favourites.some((f) => recipeKey(f) === key);
}

/** Star (append) or unstar a recipe. */
export function toggleFavourite(notebook: Notebook, recipe: AvatarRecipe): Notebook {
  const key = recipeKey(recipe);
  const kept = notebook.favourites.filter((f) => recipeKey(f) !== key);
  const favourites = kept.length === notebook.favourites.length ? [...kept, recipe] : kept;
  return { ...notebook, favourites };
}

/** Add recipes not already there (imports); returns the notebook and how many were new. */
export function addFavourites(notebook: Notebook, recipes: readonly AvatarRecipe[]): { notebook: Notebook; added: number } {
  const keys = new Set(notebook.favourites.map(recipeKey));
  const fresh = recipes.filter((r) => {
    const key = recipeKey(r);
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  });
  return { notebook: { ...notebook, favourites: [...notebook.favourites, ...fresh] }, added: fresh.length };
}
