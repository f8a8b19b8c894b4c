/**
 * The tags the shipped tagger reads in a face, as the data pipeline's autotag step reads them
 * (training/avatargan/prepare/autotag.py): in an exclusive group (hair, eyes) the most likely
 * tag when it reaches the threshold, an independent tag at or above it. Only tags the
 * generator knows are kept.
 */

import type { ImageTagger } from "@/lib/gan/tagger";
import type { PixelImage } from "@/lib/edit/pixels";
import type { TagVocabulary } from "@/lib/latent/vocab";

export const TAG_THRESHOLD = 0.25;

export async function guessTags(tagger: ImageTagger, face: PixelImage, generatorVocab: TagVocabulary, threshold = TAG_THRESHOLD): Promise<string[]> {
  const [row] = await tagger.tagImages([face]); // the tagger resizes to its own resolution
  const read = tagger.vocab.decode(row, threshold, threshold);
  return generatorVocab.names.filter((name) => read.includes(name));
}
