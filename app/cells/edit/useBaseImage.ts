"use client";
/**
 * The avatar flowing into the edit cell, rendered through the engine (lib/gan/render.ts: the
 * same path as every cell and the export). Re-renders only when the input recipe changes; a
 * result that arrives after the input changed again is dropped (version counter).
 */

import { useEffect, useRef, useState } from "react";
import type { Engine } from "@/app/components/engine";
import type { PixelImage } from "@/lib/edit/pixels";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

export type BaseImageState =
  | { status: "empty" }
  | { status: "pending" }
  | { status: "done"; image: PixelImage }
  | { status: "failed"; error: string };

export function useBaseImage(engine: Engine, input: AvatarRecipe | null): BaseImageState {
  const [state, setState] = useState<BaseImageState>({ status: "empty" });
  const version = useRef(0);
  const key = input ? JSON.stringify(input) : "";

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
