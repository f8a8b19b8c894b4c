/**
 * "Import avatar…": exported .json/.png/.zip files back into the tray. Each recipe is checked
 * against the loaded model (a tag it lacks is refused with the reason; another model is said,
 * since the same recipe then looks different). No React: the cell shows the returned message.
 */

import { fileBytes } from "@/app/components/download";
import { importAvatarFiles } from "@/lib/notebook/importAvatar";
import { recipeVocabularyProblem } from "@/lib/notebook/vocabularyCheck";
import type { TagVocabulary } from "@/lib/latent/vocab";
import type { AvatarRecipe, RecipeModel } from "@/lib/recipe/recipe";

export interface ImportResult {
  text: string;
  /** Something offered was not imported. */
  error: boolean;
}

export async function importFavourites(files: readonly File[], model: { vocab: TagVocabulary; ref: RecipeModel },
                                       add: (recipes: readonly AvatarRecipe[]) => number): Promise<ImportResult> {
  const notes: string[] = [];
  const recipes: AvatarRecipe[] = [];
  let offered = 0;
  for (const file of files) {
    try {
      const found = importAvatarFiles(file.name, await fileBytes(file));
      notes.push(...found.notes);
      offered += found.recipes.length + found.notes.length;
      for (const recipe of found.recipes) {
        const problem = recipeVocabularyProblem(recipe, model.vocab);
        if (problem) {
          notes.push(`${file.name} (seed ${recipe.seed}) was not imported: ${problem}.`);
          continue;
        }
        if (recipe.model.sha256 !== model.ref.sha256) {
          notes.push(`${file.name} was made with model ${recipe.model.name} (${recipe.model.sha256.slice(0, 8)}); this one is ${model.ref.name} (${model.ref.sha256.slice(0, 8)}), so it will look different.`);
        }
        recipes.push(recipe);
      }
    } catch (err) {
      offered += 1;
      notes.push(err instanceof Error ? err.message : String(err));
    }
  }
  const added = recipes.length > 0 ? add(recipes) : 0;
  const summary = `Imported ${added} avatar${added === 1 ? "" : "s"}${recipes.length > added ? ` (${recipes.length - added} already here)` : ""}.`;
  return { text: [summary, ...notes].join(" "), error: recipes.length < offered };
}
