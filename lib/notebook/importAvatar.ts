/**
 * Re-import an exported avatar (its .json, or a PNG carrying the recipe chunk) as a recipe.
 * The recipe is validated field by field; the caller renders it through lib/gan/render.ts,
 * which gives the exported pixels again.
 */

import type { AvatarRecipe } from "@/lib/gan/recipe";
import { recipeTextFromFile } from "@/lib/edit/export";
import { parseRecipe } from "./recipeJson";

export function importAvatarFile(fileName: string, bytes: Uint8Array): AvatarRecipe {
  const text = recipeTextFromFile(fileName, bytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${fileName}: the recipe is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return parseRecipe(raw);
  } catch (err) {
    throw new Error(`${fileName}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
