/**
 * "Tag directions": one slider per tag (several at once) that moves an avatar toward or away
 * from the tag while keeping its identity, in w (the averaged direction) or in c (the
 * condition itself); see lib/latent/directions.ts. A chart of the tagger's confidence along
 * one slider (`probe`) shows what a direction really does.
 */

import { makeRecipe } from "@/lib/recipe/recipe";
import type { CellKindSpec } from "@/lib/notebook/cellKind";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { TagDirection } from "@/lib/recipe/latentEdits";
import { interpolationSteps } from "@/lib/latent/interpolate";
import { optional, readArray, readChoice, readNumber, readObject, readString } from "@/lib/notebook/fields";
import type { ModelRef } from "@/lib/notebook/schema";
import { defaultBase, readBase, type BaseAvatar } from "@/app/cells/shared/latentBase";

export const DIRECTION_AMOUNT_LIMIT = 3;

export interface DirectionsParams {
  base: BaseAvatar;
  /** Active sliders, in order; a tag appears at most once per space. */
  sliders: Required<TagDirection>[];
  /** The tagger-confidence chart: which tag's slider is swept, over [-range, range] in `steps`. */
  probe: { tag: string; space: "w" | "c"; range: number; steps: number } | null;
}

export const directionsCell: CellKindSpec<DirectionsParams> = {
  kind: "directions",
  title: "Tag directions",
  defaults: () => ({
    base: defaultBase(),
    sliders: [{ tag: "red hair", amount: 0, space: "w" }],
    probe: { tag: "red hair", space: "w", range: 2, steps: 9 },
  }),
  namesUsed: (p) => ({ tags: [...p.base.tags, ...p.sliders.map((s) => s.tag), ...(p.probe ? [p.probe.tag] : [])], groups: [] }),
  validate(raw: unknown): DirectionsParams {
    const obj = readObject(raw, "params");
    const sliders = readArray(obj.sliders, "params.sliders").map((s, i) => {
      const at = `params.sliders[${i}]`;
      const o = readObject(s, at);
      return {
        tag: readString(o.tag, `${at}.tag`),
        amount: readNumber(o.amount, `${at}.amount`, { min: -DIRECTION_AMOUNT_LIMIT, max: DIRECTION_AMOUNT_LIMIT }),
        space: optional(o, "space", "w" as const, (v) => readChoice(v, `${at}.space`, ["w", "c"] as const)),
      };
    });
    const seen = new Set<string>();
    sliders.forEach((s, i) => {
      const key = `${s.space}:${s.tag}`;
      if (seen.has(key)) throw new Error(`params.sliders[${i}] repeats the ${s.space} slider for '${s.tag}'; keep one`);
      seen.add(key);
    });
    let probe: DirectionsParams["probe"] = null;
    if (obj.probe !== undefined && obj.probe !== null) {
      const p = readObject(obj.probe, "params.probe");
      probe = {
        tag: readString(p.tag, "params.probe.tag"),
        space: readChoice(p.space, "params.probe.space", ["w", "c"] as const),
        range: readNumber(p.range, "params.probe.range", { min: 0.1, max: DIRECTION_AMOUNT_LIMIT }),
        steps: readNumber(p.steps, "params.probe.steps", { min: 3, max: 21, integer: true }),
      };
    }
    return { base: readBase(obj.base, "params.base"), sliders, probe };
  },
};

/** The edited avatar (the sliders applied to the base). Sliders at 0 are left out of the recipe. */
export function directionsRecipe(params: DirectionsParams, model: ModelRef): AvatarRecipe {
  const directions = params.sliders.filter((s) => s.amount !== 0).map((s) => ({ ...s }));
  return makeRecipe(model, params.base, directions.length > 0 ? { directions } : {});
}

/** The probe sweep: the edited avatar with the probed slider set to each amount in [-range, range]. */
export function probeRecipes(params: DirectionsParams, model: ModelRef): { amounts: number[]; recipes: AvatarRecipe[] } {
  const probe = params.probe;
  if (!probe) return { amounts: [], recipes: [] };
  const amounts = interpolationSteps(probe.steps).map((t) => +(-probe.range + 2 * probe.range * t).toFixed(6));
  const others = params.sliders.filter((s) => !(s.tag === probe.tag && s.space === probe.space) && s.amount !== 0);
  const recipes = amounts.map((amount) =>
    makeRecipe(model, params.base, { directions: [...others.map((s) => ({ ...s })), { tag: probe.tag, amount, space: probe.space }] }),
  );
  return { amounts, recipes };
}
