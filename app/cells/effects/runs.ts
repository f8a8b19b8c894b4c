/**
 * The three condition-effect computations of the effects cell, from its saved settings to
 * chart data (browser only: they render through the engine and load the tagger).
 */

import type { Engine } from "@/app/components/engine";
import type { PixelImage } from "@/lib/edit/pixels";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { adherenceMatrix, adherenceRecipes, pcaRecipes, switchPairs, tagInGroup, type AdherenceMatrix, type ModelContext, type SampleSettings } from "./adherence";
import { layerResolutions, styleBands, STYLE_BANDS } from "@/lib/latent/mixing";
import { pca } from "./pca";
import type { EffectsParams } from "./spec";
import { renderAndTag } from "@/app/cells/shared/taggerSweep";

export interface RunControl {
  isCancelled(): boolean;
  onProgress(done: number, total: number): void;
}

export function modelContext(engine: Engine): ModelContext {
  return { ref: engine.modelRef, vocab: engine.vocab, zDim: engine.generator.config.z_dim };
}

function settings(params: EffectsParams, samples: number): SampleSettings {
  return { psi: params.psi, truncation: params.truncation, firstSeed: params.firstSeed, samples };
}

export async function runAdherence(engine: Engine, params: EffectsParams, control: RunControl): Promise<AdherenceMatrix> {
  const { group, samplesPerTag } = params.adherence;
  const recipes = adherenceRecipes(modelContext(engine), group, settings(params, samplesPerTag));
  const { probabilities } = await renderAndTag(engine, recipes, control.isCancelled, control.onProgress);
  const tagger = await engine.tagger();
  const slice = tagger.vocab.groupSlices().find((s) => s.group.name === group);
  if (!slice) throw new Error(`the tagger has no group '${group}'; its groups are ${tagger.vocab.groups.map((g) => g.name).join(", ")}`);
  const tags = engine.vocab.group(group).tags.map((t) => t.name);
  const taggerTags = slice.group.tags.map((t) => t.name);
  if (tags.join(",") !== taggerTags.join(",")) throw new Error(`the tagger's '${group}' tags differ from the generator's; export both from the same vocabulary`);
  return adherenceMatrix(tags, slice.start, samplesPerTag, probabilities);
}

export interface LayerEffectResult {
  labels: string[];
  values: number[];
  categories: string[];
  details: string[];
  total: number;
}

export async function runLayerEffect(engine: Engine, params: EffectsParams, control: RunControl): Promise<LayerEffectResult> {
  const { fromTag, toTag, samples } = params.layers;
  const { off, on } = switchPairs(modelContext(engine), fromTag, toTag, settings(params, samples));
  const { layerEffect } = await import("./layerEffect");
  control.onProgress(0, 1);
  const effect = await layerEffect(engine.generator, off, on);
  if (control.isCancelled()) throw new Error("cancelled");
  const res = layerResolutions(engine.resolution);
  const bands = styleBands(engine.resolution);
  const categories = res.map((_, i) => STYLE_BANDS.find((b) => i >= bands[b].start && i < bands[b].end) ?? "fine");
  return {
    labels: res.map((_, i) => `w${i}`),
    values: effect.perLayer,
    categories,
    details: res.map((r, i) => `${r} px${i === res.length - 1 ? " (final toRGB)" : ""}`),
    total: effect.total,
  };
}

export interface PcaResultView {
  recipes: AvatarRecipe[];
  images: PixelImage[];
  points: { x: number; y: number; group: string; label: string }[];
  explained: number[];
}

export async function runPca(engine: Engine, params: EffectsParams, control: RunControl): Promise<PcaResultView> {
  const { samples, colourGroup } = params.pca;
  engine.vocab.group(colourGroup); // an unknown group fails here, naming the groups
  const recipes = pcaRecipes(modelContext(engine), settings(params, samples));
  const images = await engine.render(recipes, { isCancelled: control.isCancelled, onProgress: control.onProgress });
  const [tf, { recipeWs }] = await Promise.all([import("@tensorflow/tfjs-core"), import("@/lib/gan/latents")]);
  // Every layer has the same w unless a recipe mixes styles; these recipes do not, so layer 0 is w.
  const w = tf.tidy(() => tf.squeeze(tf.slice(recipeWs(engine.generator, recipes), [0, 0, 0], [-1, 1, -1]), [1]));
  const values = (await w.data()) as Float32Array;
  const wDim = w.shape[1] as number;
  w.dispose();
  const rows = recipes.map((_, i) => values.subarray(i * wDim, (i + 1) * wDim));
  const result = pca(rows, 2);
  return {
    recipes,
    images,
    points: result.projections.map(([x, y], i) => ({
      x, y, group: tagInGroup(engine.vocab, recipes[i], colourGroup), label: `#${recipes[i].seed}: ${recipes[i].tags.join(", ")}`,
    })),
    explained: result.explained,
  };
}
