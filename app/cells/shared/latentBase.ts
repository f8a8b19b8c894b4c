/**
 * The avatar an exploration cell starts from (interpolation, directions, mixing): stored in the
 * cell's own params, so the notebook reproduces the cell without the cells above it. "Use the
 * avatar from above" copies the incoming recipe's seed, tags and truncation here.
 */

import type { AvatarRecipe, TruncationCentre } from "@/lib/recipe/recipe";
import { SEED_MAX } from "@/lib/latent/seed";
import { readChoice, readNumber, readObject, readStringList } from "@/lib/notebook/fields";

export interface BaseAvatar {
  seed: number;
  tags: string[];
  psi: number;
  truncation: TruncationCentre;
}

export const SEED_RANGE = { min: 0, max: SEED_MAX, integer: true } as const;

export function defaultBase(): BaseAvatar {
  return { seed: 0, tags: ["blonde hair", "blue eyes"], psi: 0.7, truncation: "condition" };
}

export function readBase(raw: unknown, path: string): BaseAvatar {
  const obj = readObject(raw, path);
  return {
    seed: readNumber(obj.seed, `${path}.seed`, SEED_RANGE),
    tags: readStringList(obj.tags, `${path}.tags`),
    psi: readNumber(obj.psi, `${path}.psi`, { min: 0, max: 2 }),
    truncation: readChoice(obj.truncation, `${path}.truncation`, ["global", "condition"] as const),
  };
}

/** The base avatar of a recipe (its latent and pixel edits are not carried over). */
export function baseFromRecipe(recipe: AvatarRecipe): BaseAvatar {
  return { seed: recipe.seed, tags: [...recipe.tags], psi: recipe.psi, truncation: recipe.truncation };
}

/** null, or an integer index >= 0. */
export function readSelection(value: unknown, path: string): number | null {
  return value === undefined || value === null ? null : readNumber(value, path, { min: 0, integer: true });
}
