/**
 * Exported avatar files. Each avatar travels with its recipe (lib/recipe/recipe.ts), the JSON
 * that reproduces it exactly:
 *   - one PNG with the recipe in a tEXt chunk keyed "avatargan-recipe";
 *   - a ZIP of favourites: avatar-<seed>.png + avatar-<seed>.json per avatar, and notebook.json.
 * Re-import reads either file back to its recipe (lib/notebook/importAvatar.ts validates it).
 * No DOM: the page turns the bytes into a download.
 */

import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { encodePng, latin1Json, readPngText } from "./png";
import type { PixelImage } from "./pixels";

export const RECIPE_PNG_KEY = "avatargan-recipe";

export interface RenderedAvatar {
  recipe: AvatarRecipe;
  image: PixelImage;
}

/**
 * The recipe as pretty JSON in plain ASCII (other characters as \u escapes), so it fits a
 * Latin-1 tEXt chunk unchanged and reads back identically.
 */
export function recipeJsonText(recipe: AvatarRecipe): string {
  return latin1Json(recipe, 2);
}

/** One PNG with the recipe embedded. */
export function avatarPng({ recipe, image }: RenderedAvatar): Uint8Array {
  return encodePng(image, { [RECIPE_PNG_KEY]: recipeJsonText(recipe), Software: "AvatarGAN Workbench" });
}

/** "avatar-<seed>", with "-2", "-3"... for later avatars of the same seed (other tags or edits). */
export function avatarFileStems(recipes: readonly AvatarRecipe[]): string[] {
  const seen = new Map<number, number>();
  return recipes.map((r) => {
    const n = (seen.get(r.seed) ?? 0) + 1;
    seen.set(r.seed, n);
    return n === 1 ? `avatar-${r.seed}` : `avatar-${r.seed}-${n}`;
  });
}

/** The favourites ZIP: a PNG (with its recipe chunk) and a JSON per avatar, plus the notebook. */
export function favouritesZip(avatars: readonly RenderedAvatar[], notebookJson: string): Uint8Array {
  const stems = avatarFileStems(avatars.map((a) => a.recipe));
  const files: Record<string, Uint8Array> = { "notebook.json": strToU8(notebookJson) };
  avatars.forEach((avatar, i) => {
    // PNGs are already deflated: store them, deflate the text.
    files[`${stems[i]}.png`] = avatarPng(avatar);
    files[`${stems[i]}.json`] = strToU8(`${recipeJsonText(avatar.recipe)}\n`);
  });
  const zippable = Object.fromEntries(
    Object.entries(files).map(([name, bytes]) => [name, [bytes, { level: name.endsWith(".png") ? 0 : 6 }] as const]),
  );
  // A fixed date keeps the archive reproducible (same favourites -> same bytes).
  return zipSync(zippable as Parameters<typeof zipSync>[0], { mtime: new Date(Date.UTC(2024, 0, 1)) });
}

/** Files of a ZIP: name -> bytes. */
export function readZip(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}

/**
 * The recipe JSON text inside an exported file: a .json file's text, or a PNG's
 * "avatargan-recipe" chunk. Throws with the reason when the file carries none.
 */
export function recipeTextFromFile(fileName: string, bytes: Uint8Array): string {
  const isPng = bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (isPng) {
    const text = readPngText(bytes, { only: RECIPE_PNG_KEY })[RECIPE_PNG_KEY];
    if (text === undefined) throw new Error(`${fileName}: this PNG has no "${RECIPE_PNG_KEY}" text chunk (was it exported by the workbench?)`);
    return text;
  }
  if (/\.png$/i.test(fileName)) throw new Error(`${fileName}: not a PNG file (bad signature)`);
  return strFromU8(bytes);
}
