/**
 * "Condition effects": d3 views of what the condition does (./adherence.ts,
 * ./layerEffect.ts): the adherence matrix (requested vs. detected by the tagger), the
 * per-layer effect of switching a tag, and a PCA map of w coloured by a tag group. Only the
 * settings are saved; the views are recomputed from them, so the notebook reproduces them.
 */

import type { CellKindSpec } from "@/lib/notebook/cellKind";
import type { TruncationCentre } from "@/lib/recipe/recipe";
import { optional, readChoice, readNumber, readObject, readString } from "@/lib/notebook/fields";
import { SEED_RANGE } from "@/app/cells/shared/latentBase";

export const EFFECT_VIEWS = ["adherence", "layers", "pca"] as const;
export type EffectView = (typeof EFFECT_VIEWS)[number];

export interface EffectsParams {
  view: EffectView;
  psi: number;
  truncation: TruncationCentre;
  firstSeed: number;
  adherence: { group: string; samplesPerTag: number };
  layers: { fromTag: string; toTag: string; samples: number };
  pca: { samples: number; colourGroup: string };
}

export const effectsCell: CellKindSpec<EffectsParams> = {
  kind: "effects",
  title: "Condition effects",
  defaults: () => ({
    view: "adherence",
    psi: 0.7,
    truncation: "condition",
    firstSeed: 0,
    adherence: { group: "hair", samplesPerTag: 4 },
    layers: { fromTag: "black hair", toTag: "red hair", samples: 4 },
    pca: { samples: 96, colourGroup: "hair" },
  }),
  namesUsed: (p) => ({ tags: [p.layers.fromTag, p.layers.toTag], groups: [p.adherence.group, p.pca.colourGroup] }),
  validate(raw: unknown): EffectsParams {
    const obj = readObject(raw, "params");
    const d = effectsCell.defaults();
    const adherence = readObject(obj.adherence, "params.adherence");
    const layers = readObject(obj.layers, "params.layers");
    const pca = readObject(obj.pca, "params.pca");
    return {
      view: readChoice(obj.view, "params.view", EFFECT_VIEWS),
      psi: readNumber(obj.psi, "params.psi", { min: 0, max: 2 }),
      truncation: optional(obj, "truncation", d.truncation, (v) => readChoice(v, "params.truncation", ["global", "condition"] as const)),
      firstSeed: optional(obj, "firstSeed", d.firstSeed, (v) => readNumber(v, "params.firstSeed", SEED_RANGE)),
      adherence: {
        group: readString(adherence.group, "params.adherence.group"),
        samplesPerTag: readNumber(adherence.samplesPerTag, "params.adherence.samplesPerTag", { min: 1, max: 64, integer: true }),
      },
      layers: {
        fromTag: readString(layers.fromTag, "params.layers.fromTag"),
        toTag: readString(layers.toTag, "params.layers.toTag"),
        samples: readNumber(layers.samples, "params.layers.samples", { min: 1, max: 32, integer: true }),
      },
      pca: {
        samples: readNumber(pca.samples, "params.pca.samples", { min: 3, max: 512, integer: true }),
        colourGroup: readString(pca.colourGroup, "params.pca.colourGroup"),
      },
    };
  },
};
