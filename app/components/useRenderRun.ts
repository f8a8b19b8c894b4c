"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { Engine } from "./engine";
import { shownAvatars, type RunState } from "./runState";

/**
 * Render a list of recipes through the engine and track it as a RunState. A result that
 * arrives after a newer request is dropped (a version counter) and the older render stops at
 * its next batch; `version` in the "ready" state counts accepted grids (tests wait on it).
 *
 * `plan` makes the recipes (it may throw: its message becomes the error state). Calling
 * `run(plan)` renders now; cells call it when their params change or on "Generate".
 */
export function useRenderRun(engine: Engine) {
  const [state, setState] = useState<RunState>({ state: "idle" });
  const requested = useRef(0);
  const accepted = useRef(0);
  useEffect(() => () => {
    requested.current++; // unmounted: drop whatever is in flight
  }, []);

  const run = useCallback(
    async (plan: () => AvatarRecipe[]) => {
      const version = ++requested.current;
      let recipes: AvatarRecipe[];
      try {
        recipes = plan();
      } catch (err) {
        setState({ state: "error", message: err instanceof Error ? err.message : String(err) });
        return;
      }
      const stale = () => version !== requested.current;
      setState((last) => ({ state: "rendering", count: recipes.length, done: 0, previous: shownAvatars(last) }));
      try {
        const started = performance.now();
        const images = await engine.render(recipes, {
          isCancelled: stale,
          onProgress: (done) => {
            if (!stale()) setState((last) => (last.state === "rendering" ? { ...last, done } : last));
          },
        });
        const ms = performance.now() - started;
        if (stale()) return;
        console.info(`[avatargan] ${images.length} avatars in ${ms.toFixed(1)} ms on ${engine.backend.name}`);
        setState({ state: "ready", avatars: recipes.map((recipe, i) => ({ recipe, image: images[i] })), ms, version: ++accepted.current });
      } catch (err) {
        if (stale()) return;
        setState({ state: "error", message: err instanceof Error ? err.message : String(err) });
      }
    },
    [engine],
  );
  return { state, run };
}
