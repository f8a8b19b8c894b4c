/**
 * The props every cell component receives (app/cells/<kind>/<Kind>Cell.tsx, default export).
 *
 * A cell renders its own parameters (params, saved in the notebook JSON) and sends changes
 * back with onParamsChange; it never keeps state the notebook should save. Avatars flow
 * down the notebook as recipes: `input` is the avatar last selected in the cells above,
 * and a cell publishes its own selection with onOutput for the cells below.
 */

import type { Engine } from "@/app/components/engine";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

export interface FavouritesAccess {
  isStarred(recipe: AvatarRecipe): boolean;
  toggle(recipe: AvatarRecipe): void;
  /** Every favourite, in the order they were starred. */
  readonly all: readonly AvatarRecipe[];
  /** Add recipes not already starred (imports); returns how many were new. */
  add(recipes: readonly AvatarRecipe[]): number;
}

export interface CellProps<P> {
  params: P;
  onParamsChange(next: P): void;
  engine: Engine;
  favourites: FavouritesAccess;
  /** The avatar flowing in from the cells above: the one picked last there (lib/notebook/inputFlow.ts). */
  input: AvatarRecipe | null;
  /** The cell it comes from, for the "Input:" line a consuming cell shows; null with no input. */
  inputFrom: { index: number; title: string } | null;
  /** Publish the avatar this cell selected/produced (null: none), for pipeline cells below. */
  onOutput(recipe: AvatarRecipe | null): void;
}
