/**
 * The tags the shipped tagger reads in a face, as the data pipeline's autotag step reads them
 * (training/avatargan/prepare/autotag.py): in an exclusive group (hair, eyes) the most likely
 * tag when it reaches the threshold, an independent tag at or above it. Only tags the
 * generator knows are kept.
 */

import type { AvatarTagger } from "@/lib/gan/tagger";
import type { PixelImage } from "@/lib/edit/pixels";
import type { TagVocabulary } from "@/lib/latent/vocab";

export const TAG_THRESHOLD = 0.25;

export async function guessTags(tagger: AvatarTagger, face: PixelImage, generatorVocab: TagVocabulary, threshold = TAG_THRESHOLD): Promise<string[]> {
  const [row] = await tagger.tagImages([face]); // the tagger resizes to its own resolution
  const out: string[] = [];
  for (const group of tagger.groupScores(row)) {
    if (group.exclusive) {
      const best = group.scores.reduce((a, b) => (b.probability > a.probability ? b : a));
      if (best.probability >= threshold) out.push(best.tag);
    } else {
      out.push(...group.scores.filter((s) => s.probability >= threshold).map((s) => s.tag));
    }
  }
  return generatorVocab.names.filter((name) => out.includes(name));
}
