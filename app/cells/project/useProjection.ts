"use client";
/**
 * Runs a projection for the cell and reports it as it goes: the step, the losses so far and a
 * preview of what the current w draws (every few steps). One at a time; Stop aborts it, keeping
 * the w found so far; removing the cell aborts it and drops the result.
 *
 * The search runs in a worker (./projection.worker.ts) on the page's backend, so the page's
 * thread stays free; where a worker cannot start, it runs on the page's thread, yielding
 * between steps. `where` says which.
 */

import { useCallback, useEffect, useRef, useState } from "react";
import type { Engine } from "@/app/components/engine";
import type { PixelImage } from "@/lib/edit/pixels";
import { projectFace, type Projection, type ProjectionHooks, type ProjectionSettings } from "./projection";
import { projectInWorker, startProjectionWorker, WorkerUnavailableError } from "./workerClient";

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
  const worker = useRef<Worker | null | "unavailable">(null); // started on the first search

  useEffect(() => {
    unmounted.current = false;
    return () => {
      unmounted.current = true;
      controller.current?.abort();
      if (worker.current && worker.current !== "unavailable") worker.current.terminate();
      worker.current = null;
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
      let where: "worker" | "page" = "worker";
      setRun({ status: "running", step: 0, steps: settings.steps, losses: [], preview: null, startedAt, where });
      try {
        const found = await searchWhereItCan(worker, engine, target, tags, settings, {
          signal: mine.signal,
          previewEvery: PREVIEW_EVERY,
          onStep: ({ step, steps, loss }) => {
            losses.push(loss);
            if (controller.current === mine) setRun({ status: "running", step, steps, losses: [...losses], preview, startedAt, where });
          },
          onPreview: (image) => {
            preview = image;
          },
        }, (w) => {
          where = w;
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

type WorkerSlot = { current: Worker | null | "unavailable" };

/** In the cell's worker (started on first use) when one runs, else on the page's thread. */
async function searchWhereItCan(worker: WorkerSlot, engine: Engine, target: PixelImage, tags: readonly string[],
                                settings: ProjectionSettings, hooks: ProjectionHooks,
                                onWhere: (where: "worker" | "page") => void): Promise<Projection> {
  if (worker.current === null) worker.current = startProjectionWorker() ?? "unavailable";
  if (worker.current !== "unavailable") {
    onWhere("worker");
    try {
      return await projectInWorker(worker.current, { modelUrl: engine.generator.modelUrl, backend: engine.backend.name, target, tags, settings }, hooks);
    } catch (err) {
      if (!(err instanceof WorkerUnavailableError)) throw err;
      console.warn(`[avatargan] Find my character runs on the page's thread: ${err.message}`);
      worker.current.terminate();
      worker.current = "unavailable";
    }
  }
  onWhere("page");
  return projectFace(engine.generator, target, tags, settings, hooks);
}
