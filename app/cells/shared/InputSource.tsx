import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { describeRecipe } from "@/lib/recipe/describe";

/**
 * The line a consuming cell (Upscale, Edit) shows above its work: which avatar it works on and
 * which cell it comes from, so nobody upscales an avatar they did not pick.
 */
export default function InputSource({ input, from }: { input: AvatarRecipe | null; from: { index: number; title: string } | null }) {
  if (!input || !from) return null;
  return (
    <p className="input-source" data-testid="input-source" data-from={from.index}>
      <span className="muted">Input from [{from.index + 1}] {from.title}:</span> <strong>{describeRecipe(input)}</strong>
      <span className="muted"> · select another avatar in any cell above to switch</span>
    </p>
  );
}
