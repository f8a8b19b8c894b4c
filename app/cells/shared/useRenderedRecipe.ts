"use client";
/**
 * One recipe's pixels, rendered through the engine (lib/gan/render.ts: the same path as every
 * cell and the export): the edit cell's input, Find my character's projection. Re-renders only
 * when the recipe changes by value; a result that arrives after it changed again is dropped
 * (version counter).
 */

import { useEffect, useRef, useState } from "react";
import type { Engine } from "@/app/components/engine";
import type { PixelImage } from "@/lib/edit/pixels";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

export type RenderedRecipe =
  | { status: "empty" }
  | { status: "pending" }
  | { status: "done"; image: PixelImage }
  | { status: "failed"; error: string };

export function useRenderedRecipe(engine: Engine, recipe: AvatarRecipe | null): RenderedRecipe {
  const [state, setState] = useState<RenderedRecipe>({ status: "empty" });
  const version = useRef(0);
  const key = recipe ? JSON.stringify(recipe) : "";

  useEffect(() => {
    const mine = ++version.current;
    if (!key) {
      setState({ status: "empty" });
      return;
    }
    setState({ status: "pending" });
    engine
      .render([JSON.parse(key) as AvatarRecipe])
      .then(([image]) => {
        if (version.current === mine) setState({ status: "done", image });
      })
      .catch((err: unknown) => {
        if (version.current === mine) setState({ status: "failed", error: err instanceof Error ? err.message : String(err) });
      });
  }, [engine, key]);

  return state;
}
