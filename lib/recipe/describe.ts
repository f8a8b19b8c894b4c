/**
 * A recipe in words, for captions and "Input:" lines: what makes this avatar differ from its
 * neighbours. "#5 · aqua hair · blue eyes", then each edit it carries: "→ #9 50 % (w)",
 * "+0.8 blonde hair", "mix #12 layers 4–6", "×4", "2 pixel edits".
 */

import type { AvatarRecipe } from "./recipe";

const percent = (t: number) => `${Math.round(t * 100)} %`;
const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2).replace(/\.?0+$/, "")}`;

/** The edits a recipe carries beyond seed and tags, one short phrase each (none for a plain avatar). */
export function describeEdits(recipe: AvatarRecipe): string[] {
  const { perturb, toward, conditionToward, directions, mix, projected } = recipe.latent;
  const parts: string[] = [];
  if (projected) parts.push(`projected (${projected.space})`);
  if (perturb && perturb.amount !== 0) parts.push(`perturbed by #${perturb.seed} ${signed(perturb.amount)}`);
  if (toward && toward.t !== 0) parts.push(`→ #${toward.seed} ${percent(toward.t)} (${toward.space})`);
  if (conditionToward && conditionToward.t !== 0) parts.push(`→ ${conditionToward.tags.join(", ") || "no tags"} ${percent(conditionToward.t)}`);
  for (const d of directions ?? []) if (d.amount !== 0) parts.push(`${signed(d.amount)} ${d.tag}${d.space === "c" ? " (c)" : ""}`);
  if (mix && mix.start < mix.end) parts.push(`mix #${mix.seed} layers ${mix.start}–${mix.end - 1}`);
  if (recipe.upscale) parts.push(`×${recipe.upscale.factor}`);
  if (recipe.edits.length > 0) parts.push(`${recipe.edits.length} pixel edit${recipe.edits.length === 1 ? "" : "s"}`);
  return parts;
}

/** "#5 · aqua hair · blue eyes · +0.8 blonde hair": the seed, the tags, then the edits. */
export function describeRecipe(recipe: AvatarRecipe): string {
  return [`#${recipe.seed}`, ...recipe.tags, ...describeEdits(recipe)].join(" · ");
}

/**
 * Captions for a list of avatars that tell every one apart: describeRecipe, plus truncation
 * (ψ and its centre) where two would read the same, plus "(2)", "(3)"... for true twins.
 */
export function distinctCaptions(recipes: readonly AvatarRecipe[]): string[] {
  const count = (captions: string[]) => captions.reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>());
  const plain = recipes.map(describeRecipe);
  const plainCounts = count(plain);
  const withPsi = plain.map((caption, i) =>
    plainCounts.get(caption)! > 1 ? `${caption} · ψ ${recipes[i].psi} (${recipes[i].truncation})` : caption);
  const counts = count(withPsi);
  const seen = new Map<string, number>();
  return withPsi.map((caption) => {
    if (counts.get(caption)! === 1) return caption;
    const n = (seen.get(caption) ?? 0) + 1;
    seen.set(caption, n);
    return n === 1 ? caption : `${caption} (${n})`;
  });
}
