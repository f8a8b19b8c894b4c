/**
 * The notebook document: plain, versioned JSON that the page renders and saves.
 *
 *   { format: "avatargan-notebook", version: 1, title, description, model: {name, sha256} | null,
 *     cells: [{ id, kind, title, collapsed, params, notes? }], favourites: AvatarRecipe[] }
 *
 * `model` records the generator the notebook was made with, so opening it with another model
 * can say so. Cell params are validated by each kind's spec (app/cells/registry.ts).
 */

import type { AvatarRecipe } from "@/lib/recipe/recipe";

export const NOTEBOOK_FORMAT = "avatargan-notebook";
export const NOTEBOOK_VERSION = 1;

export interface NotebookCell<P = unknown> {
  /** Unique inside the notebook; stable across saves (React keys, links). */
  id: string;
  kind: string;
  title: string;
  collapsed: boolean;
  params: P;
  /** Speaker notes: shown under the cell while editing, on request (N) while presenting. */
  notes?: string;
}

/** Longest speaker notes a cell may carry. */
export const MAX_NOTES_LENGTH = 4000;

export interface ModelRef {
  name: string;
  sha256: string;
}

export interface Notebook {
  format: typeof NOTEBOOK_FORMAT;
  version: typeof NOTEBOOK_VERSION;
  title: string;
  /** Free text shown under the title (and on a presentation's first slide). */
  description: string;
  model: ModelRef | null;
  cells: NotebookCell[];
  favourites: AvatarRecipe[];
}

/** Most cells one notebook may hold; a guard against absurd files, not a design limit. */
export const MAX_CELLS = 200;
/** Most favourites one notebook may hold. */
export const MAX_FAVOURITES = 2000;
