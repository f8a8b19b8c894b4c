/**
 * An avatar recipe: everything that reproduces one avatar exactly, as plain JSON.
 *
 * This is the contract between the cells that make avatars (sample, explore, upscale, edit),
 * the favourites tray, the export (one JSON per avatar, or a PNG text chunk) and re-import.
 * Same recipe + same model (name and sha256) = same pixels, in the browser and in the CLI.
 *
 * Each stage owns the shape of its own part:
 *   - latent edits (interpolation, directions, mixing, perturbation): lib/latent/latentEdits.ts
 *   - upscale settings: lib/gan/upscaler.ts (UpscaleSettings below is the stored shape)
 *   - pixel edits: lib/edit/ops.ts
 * A stage that is absent is the identity: `latent: {}`, `upscale: null`, `edits: []`.
 */

import type { LatentEdits } from "@/lib/latent/latentEdits";
import type { EditOp } from "@/lib/edit/ops";

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

export interface AvatarRecipe {
  version: typeof RECIPE_VERSION;
  /** The generator that made it; sha256 of its model.json weights (ModelMeta.sha256). */
  model: { name: string; sha256: string };
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
