/**
 * Re-import an exported avatar (its .json, or a PNG carrying the recipe chunk) as a recipe.
 * The recipe is validated field by field; the caller renders it through lib/gan/render.ts,
 * which gives the exported pixels again.
 */

import { unzipSync } from "fflate";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { recipeTextFromFile } from "@/lib/edit/export";
import { parseRecipe } from "./recipeJson";

/** Bounds on what a ZIP may make this read: a favourites export holds one small .json per avatar. */
const MAX_ZIP_RECIPES = 1000;
const MAX_RECIPE_BYTES = 1 << 20;

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

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The recipes of one chosen file: a .json or .png avatar, or a favourites ZIP (every avatar's
 * .json in it; its notebook.json is a notebook, opened with Open…). Avatars that fail are named
 * in `notes`; a file with none at all throws with the reason.
 */
export function importAvatarFiles(fileName: string, bytes: Uint8Array): { recipes: AvatarRecipe[]; notes: string[] } {
  if (!isZip(bytes)) return { recipes: [importAvatarFile(fileName, bytes)], notes: [] };
  let entries: Record<string, Uint8Array>;
  try {
    let count = 0;
    entries = unzipSync(bytes, {
      filter: (file) => file.name.endsWith(".json") && file.name !== "notebook.json" && file.originalSize <= MAX_RECIPE_BYTES && ++count <= MAX_ZIP_RECIPES,
    });
  } catch (err) {
    throw new Error(`${fileName}: not a readable ZIP (${err instanceof Error ? err.message : String(err)})`);
  }
  const recipes: AvatarRecipe[] = [];
  const notes: string[] = [];
  for (const name of Object.keys(entries).sort()) {
    try {
      recipes.push(importAvatarFile(`${fileName}/${name}`, entries[name]));
    } catch (err) {
      notes.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (recipes.length === 0 && notes.length === 0) {
    throw new Error(`${fileName}: this ZIP holds no avatar recipes (.json files); a favourites export does`);
  }
  return { recipes, notes };
}
