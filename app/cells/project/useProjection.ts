"use client";
/**
 * Runs a projection for the cell and reports it as it goes: the step, the losses so far and a
 * preview of what the current w draws (every few steps). One at a time; Stop aborts it, keeping
 * the w found so far; removing the cell aborts it and drops the result.
 *
 * The search runs where the engine runs its models: in its worker, so the page's thread stays
 * free, or, where no worker started, on the page's thread, yielding between steps. `where`
 * says which.
 */

import { useCallback, useEffect, useRef, useState } from "react";
import type { Engine } from "@/app/components/engine";
import type { PixelImage } from "@/lib/edit/pixels";
import type { Projection, ProjectionSettings } from "./projection";

export type ProjectionRun =
  | { status: "idle"; losses: number[]; lastSteps: number } // the last run's losses, for the chart
  | { status: "running"; step: number; steps: number; losses: number[]; preview: PixelImage | null; startedAt: number; where: "worker" | "page" }
  | { status: "failed"; error: string };

/** A preview every this many steps: often enough to watch, rarely enough to cost little. */
const PREVIEW_EVERY = 10;

export function useProjection() {
  const [run, setRun] = useState<ProjectionRun>({ status: "idle", losses: [], lastSteps: 0 });
  const controller = useRef<AbortController | null>(null);
  const unmounted = useRef(false);

  useEffect(() => {
    unmounted.current = false;
    return () => {
      unmounted.current = true;
      controller.current?.abort();
    };
  }, []);

  const start = useCallback(
    async (engine: Engine, target: PixelImage, tags: readonly string[], settings: ProjectionSettings): Promise<Projection | null> => {
      controller.current?.abort();
      const mine = new AbortController();
      controller.current = mine;
      const startedAt = performance.now();
      const losses: number[] = [];
      let preview: PixelImage | null = null;
      const where = engine.renderWhere;
      setRun({ status: "running", step: 0, steps: settings.steps, losses: [], preview: null, startedAt, where });
      try {
        const found = await engine.project(target, tags, settings, {
          signal: mine.signal,
          previewEvery: PREVIEW_EVERY,
          onStep: ({ step, steps, loss }) => {
            losses.push(loss);
            if (controller.current === mine) setRun({ status: "running", step, steps, losses: [...losses], preview, startedAt, where });
          },
          onPreview: (image) => {
            preview = image;
          },
        });
        if (controller.current === mine) setRun({ status: "idle", losses, lastSteps: settings.steps });
        return unmounted.current ? null : found;
      } catch (err) {
        if (controller.current === mine) setRun({ status: "failed", error: err instanceof Error ? err.message : String(err) });
        return null;
      } finally {
        if (controller.current === mine) controller.current = null;
      }
    },
    [],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  return { run, start, stop };
}
