/**
 * An avatar recipe: everything that reproduces one avatar exactly, as plain JSON.
 *
 * This is the contract between the cells that make avatars (sample, explore, upscale, edit),
 * the favourites tray, the export (one JSON per avatar, or a PNG text chunk) and re-import.
 * Same recipe + same model (name and sha256) = same pixels, in the browser and in the CLI.
 *
 * This folder is the neutral ground every other one imports and none it imports back: the
 * stored shapes of each stage live beside this file,
 *   - latent edits (interpolation, directions, mixing, perturbation, projection): ./latentEdits.ts
 *     (the maths that applies them: lib/latent, lib/gan/latents.ts)
 *   - upscale settings: UpscaleSettings below (the model: lib/gan/upscaler.ts)
 *   - pixel edits: ./editOps.ts (applied by lib/edit/apply.ts)
 * A stage that is absent is the identity: `latent: {}`, `upscale: null`, `edits: []`.
 * makeRecipe is the one constructor; parsing untrusted JSON is lib/notebook/recipeJson.ts.
 */

import type { EditOp } from "./editOps";
import type { LatentEdits } from "./latentEdits";

export const RECIPE_VERSION = 1;

/** Where truncation pulls w: the global mean, or the mean w of the recipe's own condition. */
export type TruncationCentre = "global" | "condition";

/**
 * Denoise levels, one upscaler model each (as waifu2x ships one per noise level): 0 cleans the
 * mild JPEG of ordinary pictures while it enlarges, 1 is trained on heavy JPEG and noise.
 */
export const DENOISE_LEVELS = [0, 1] as const;

export interface UpscaleSettings {
  /** Output size = factor x input size. 4 may run as 2 x 2. */
  factor: 2 | 4;
  /** Denoise level the upscaler model was trained for (0 = none). */
  denoise: number;
}

/** The generator that made an avatar: its name and the sha256 of its weights (ModelMeta.sha256). */
export interface RecipeModel {
  name: string;
  sha256: string;
}

export interface AvatarRecipe {
  version: typeof RECIPE_VERSION;
  model: RecipeModel;
  /** seed -> z by the shared PRNG (lib/latent/seed.ts). */
  seed: number;
  /** Resolved tags (Danbooru spelling); c = vocab.encode(tags). "Random" choices are resolved before. */
  tags: string[];
  /** Truncation psi: 1 = none. */
  psi: number;
  truncation: TruncationCentre;
  latent: LatentEdits;
  upscale: UpscaleSettings | null;
  edits: EditOp[];
}

/** What picks an avatar before any edit: seed, tags and truncation. */
export interface RecipeBase {
  seed: number;
  tags: readonly string[];
  psi: number;
  truncation: TruncationCentre;
}

/** The one way to build a recipe: a base avatar of `model`, with latent edits when given. */
export function makeRecipe(model: RecipeModel, base: RecipeBase, latent: LatentEdits = {}): AvatarRecipe {
  return {
    version: RECIPE_VERSION,
    model: { name: model.name, sha256: model.sha256 },
    seed: base.seed,
    tags: [...base.tags],
    psi: base.psi,
    truncation: base.truncation,
    latent,
    upscale: null,
    edits: [],
  };
}
