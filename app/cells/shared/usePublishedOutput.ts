import { useEffect, useRef } from "react";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

/**
 * Publish a cell's output recipe to the cells below (CellProps.onOutput) when it changes by
 * value. onOutput changes identity with every parent render and the recipe is rebuilt on every
 * render of the cell, so the JSON of the recipe alone says when the output changed. `settled`
 * false holds the old output back while a grid is still rendering.
 */
export function usePublishedOutput(onOutput: (recipe: AvatarRecipe | null) => void, output: AvatarRecipe | null, settled = true): void {
  const publish = useRef(onOutput);
  useEffect(() => {
    publish.current = onOutput;
  });
  const outputKey = output ? JSON.stringify(output) : "";
  useEffect(() => {
    if (settled) publish.current(outputKey ? (JSON.parse(outputKey) as AvatarRecipe) : null);
  }, [outputKey, settled]);
}
