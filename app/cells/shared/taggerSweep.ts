/**
 * Render recipes and read them back with the tagger: the shared step of the tagger-confidence
 * chart (directions cell) and the adherence matrix (effects cell). Browser only (engine).
 */

import type { Engine } from "@/app/components/engine";
import type { PixelImage } from "@/lib/edit/pixels";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

export interface TaggedRender {
  images: PixelImage[];
  /** One row [c_dim] of per-group probabilities per recipe. */
  probabilities: Float32Array[];
}

export async function renderAndTag(engine: Engine, recipes: readonly AvatarRecipe[], isCancelled: () => boolean,
                                   onProgress?: (done: number, total: number) => void): Promise<TaggedRender> {
  const tagger = await engine.tagger();
  const images = await engine.render(recipes, { isCancelled, onProgress });
  const probabilities = await tagger.tagImages(images);
  return { images, probabilities };
}

/** The series worth drawing for a group: the probed tag first, then tags that ever reach `floor`. */
export function groupSeries(engine: Engine, tag: string, probabilities: readonly Float32Array[], floor = 0.15): { name: string; values: number[] }[] {
  const group = engine.vocab.groupOfTag(tag);
  const slice = engine.vocab.groupSlices().find((s) => s.group === group)!;
  const series = group.tags.map((t, k) => ({ name: t.name, values: probabilities.map((row) => row[slice.start + k]) }));
  const probed = series.find((s) => s.name === tag)!;
  const others = series.filter((s) => s.name !== tag && Math.max(...s.values) >= floor).sort((a, b) => Math.max(...b.values) - Math.max(...a.values));
  return [probed, ...others.slice(0, 5)];
}
