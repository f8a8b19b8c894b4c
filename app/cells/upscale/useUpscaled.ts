"use client";
/**
 * The upscale cell's work: render the avatar flowing in (lib/gan/render.ts, as everywhere),
 * load the upscaler on first use, refuse settings it cannot run (size limit, missing denoise
 * level) with its message, and render the upscaled recipe, timed (the avatar's own render is
 * a few ms of it). A result that arrives after
 * the input or the settings changed again is dropped (version counter).
 */

import { useEffect, useRef, useState } from "react";
import { upscalerFolder, type Engine } from "@/app/components/engine";
import type { PixelImage } from "@/lib/edit/pixels";
import type { AvatarRecipe, UpscaleSettings } from "@/lib/recipe/recipe";
import { inputProblem } from "./spec";

export type UpscaleState =
  | { status: "empty" }
  | { status: "pending"; stage: string; before: PixelImage | null }
  | { status: "done"; before: PixelImage; after: PixelImage; ms: number; factor: UpscaleSettings["factor"] } // the factor it was made with
  | { status: "refused"; before: PixelImage | null; reason: string }
  | { status: "failed"; error: string };

export function useUpscaled(engine: Engine, input: AvatarRecipe | null, settings: UpscaleSettings): UpscaleState {
  const [state, setState] = useState<UpscaleState>({ status: "empty" });
  const version = useRef(0);
  const inputKey = input ? JSON.stringify({ ...input, upscale: null }) : "";
  const { factor, denoise } = settings;

  useEffect(() => {
    const mine = ++version.current;
    const current = () => version.current === mine;
    if (!inputKey) {
      setState({ status: "empty" });
      return;
    }
    const base = JSON.parse(inputKey) as AvatarRecipe;
    const run = async () => {
      setState({ status: "pending", stage: "Rendering the avatar", before: null });
      const [before] = await engine.render([base]);
      if (!current()) return;
      const problem = inputProblem(base);
      if (problem) {
        setState({ status: "refused", before, reason: problem });
        return;
      }
      setState({ status: "pending", stage: "Loading the upscaler", before });
      const upscaler = await engine.upscaler(denoise).catch((err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        throw new Error(`no upscaler for denoise level ${denoise} could be loaded from /weights/${upscalerFolder(denoise)} (${why}); ` +
          `train one with \`python -m avatargan train-sr --denoise ${denoise}\` and export it there`);
      });
      if (!current()) return;
      const reason = upscaler.refusal(before.width, before.height, { factor, denoise });
      if (reason) {
        setState({ status: "refused", before, reason });
        return;
      }
      setState({ status: "pending", stage: `Upscaling x${factor}`, before });
      // The upscaled recipe through the engine's render, as the favourites and the export
      // render it (in the engine's worker, off the page's thread): the same pixels everywhere.
      const started = performance.now();
      const [after] = await engine.render([{ ...base, upscale: { factor, denoise } }]);
      const ms = performance.now() - started;
      if (current()) setState({ status: "done", before, after, ms, factor });
    };
    run().catch((err: unknown) => {
      if (current()) setState({ status: "failed", error: err instanceof Error ? err.message : String(err) });
    });
  }, [engine, inputKey, factor, denoise]);

  return state;
}
