/**
 * "Style mixing": the base avatar takes its coarse, middle or fine styles (or any layer range)
 * from donor seeds. Shows, per donor, the donor and the base with each band mixed in, plus the
 * custom range; lib/latent/mixing.ts defines the bands from the model's resolution.
 */

import { makeRecipe } from "@/lib/recipe/recipe";
import type { CellKindSpec } from "@/lib/notebook/cellKind";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { STYLE_BANDS, styleBands, type LayerRange, type StyleBand } from "@/lib/latent/mixing";
import { parseSeeds } from "@/lib/latent/seed";
import { readNumber, readObject, readString } from "@/lib/notebook/fields";
import type { ModelRef } from "@/lib/notebook/schema";
import { defaultBase, readBase, readSelection, type BaseAvatar } from "@/app/cells/shared/latentBase";

export const MAX_DONORS = 8;

export interface MixingParams {
  base: BaseAvatar;
  /** Donor seeds, "1-3,7". */
  donorsText: string;
  /** The adjustable range [start, end) shown in the last column. */
  custom: LayerRange;
  selected: number | null;
}

export const mixingCell: CellKindSpec<MixingParams> = {
  kind: "mixing",
  title: "Style mixing",
  defaults: () => ({ base: defaultBase(), donorsText: "1-3", custom: { start: 0, end: 3 }, selected: null }),
  namesUsed: (p) => ({ tags: p.base.tags, groups: [] }),
  validate(raw: unknown): MixingParams {
    const obj = readObject(raw, "params");
    const custom = readObject(obj.custom, "params.custom");
    const start = readNumber(custom.start, "params.custom.start", { min: 0, max: 64, integer: true });
    const end = readNumber(custom.end, "params.custom.end", { min: 0, max: 64, integer: true });
    if (end < start) throw new Error(`params.custom must have start <= end, got [${start}, ${end})`);
    return {
      base: readBase(obj.base, "params.base"),
      donorsText: readString(obj.donorsText, "params.donorsText", { maxLength: 200 }),
      custom: { start, end },
      selected: readSelection(obj.selected, "params.selected"),
    };
  },
};

export const MIXING_COLUMNS = ["donor", ...STYLE_BANDS, "custom"] as const;
export type MixingColumn = (typeof MIXING_COLUMNS)[number];

/**
 * Rows of [donor, base + coarse, base + middle, base + fine, base + custom], one per donor,
 * preceded by nothing: the base itself is shown apart (baseRecipe). Throws on a bad donor list
 * or a custom range beyond the model's layers.
 */
export function mixingRecipes(params: MixingParams, model: ModelRef, resolution: number): AvatarRecipe[] {
  const donors = parseSeeds(params.donorsText, MAX_DONORS);
  const bands = styleBands(resolution);
  const ranges: Record<StyleBand | "custom", LayerRange> = { ...bands, custom: params.custom };
  const numWs = bands.fine.end;
  if (params.custom.end > numWs) throw new Error(`the custom range [${params.custom.start}, ${params.custom.end}) goes past this model's ${numWs} layers`);
  return donors.flatMap((seed) => [
    makeRecipe(model, { ...params.base, seed }),
    ...(["coarse", "middle", "fine", "custom"] as const).map((band) =>
      makeRecipe(model, params.base, { mix: { seed, start: ranges[band].start, end: ranges[band].end } }),
    ),
  ]);
}
