"use client";
/**
 * The upscale cell: the avatar flowing in, next to its x2 or x4 super-resolution, with a
 * before/after wipe and the time the upscale took. It saves only {factor, denoise}; the
 * avatar it publishes below is the input recipe with those upscale settings, so the Edit cell,
 * favourites and the export render the same pixels (lib/gan/render.ts).
 */

import { useMemo } from "react";
import AvatarCanvas from "@/app/components/AvatarCanvas";
import type { CellProps } from "@/app/cells/types";
import { DENOISE_LEVELS, type AvatarRecipe } from "@/lib/recipe/recipe";
import { UPSCALE_CELL_FACTORS, type UpscaleBaseline, type UpscaleParams } from "./spec";
import CompareStage from "./CompareStage";
import { useUpscaled } from "./useUpscaled";
import layout from "../shared/layout.module.css";
import styles from "./UpscaleCell.module.css";
import { usePublishedOutput } from "@/app/cells/shared/usePublishedOutput";
import InputSource from "../shared/InputSource";

const DENOISE_NAMES: Record<(typeof DENOISE_LEVELS)[number], string> = {
  0: "light (mild JPEG)",
  1: "strong (heavy JPEG, grain)",
};

export default function UpscaleCell({ params, onParamsChange, engine, favourites, input, inputFrom, onOutput }: CellProps<UpscaleParams>) {
  const state = useUpscaled(engine, input, params);
  const output: AvatarRecipe | null = useMemo(
    () => (input && state.status === "done" ? { ...input, upscale: { factor: params.factor, denoise: params.denoise } } : null),
    [input, state.status, params.factor, params.denoise],
  );
  usePublishedOutput(onOutput, output);

  const before = state.status === "pending" || state.status === "refused" || state.status === "done" ? state.before : null;
  const starred = output ? favourites.isStarred(output) : false;

  return (
    <section className={styles.cell} data-testid="upscale-cell" data-state={state.status}
      data-ms={state.status === "done" ? state.ms.toFixed(1) : undefined}>
      <div className={styles.toolbar} data-panel="controls">
        <div className={styles.group} role="group" aria-label="Upscale factor">
          {UPSCALE_CELL_FACTORS.map((factor) => (
            <button key={factor} type="button" className={params.factor === factor ? "primary" : "secondary"}
              aria-pressed={params.factor === factor} onClick={() => onParamsChange({ ...params, factor })}
              data-testid={`upscale-x${factor}`}>
              ×{factor}
            </button>
          ))}
        </div>
        <label className={styles.field}>
          Denoise
          <select value={params.denoise} onChange={(e) => onParamsChange({ ...params, denoise: Number(e.target.value) })}
            data-testid="upscale-denoise">
            {DENOISE_LEVELS.map((level) => (
              <option key={level} value={level}>
                {level}: {DENOISE_NAMES[level]}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          Compare with
          <select value={params.compare} onChange={(e) => onParamsChange({ ...params, compare: e.target.value as UpscaleBaseline })}
            data-testid="upscale-compare">
            <option value="bicubic">bicubic</option>
            <option value="nearest">input pixels</option>
          </select>
        </label>
        <button type="button" className={starred ? "primary" : "secondary"} onClick={() => output && favourites.toggle(output)}
          disabled={!output} aria-pressed={starred} data-testid="upscale-star">{starred ? "★ Starred" : "☆ Star"}</button>
      </div>

      <InputSource input={input} from={inputFrom} />
      {state.status === "empty" && <p className={styles.hint}>Select an avatar in a cell above to upscale it here.</p>}
      {state.status === "failed" && <p className={styles.error} role="alert" data-testid="upscale-error">{state.error}</p>}
      {state.status === "refused" && <p className={styles.error} role="alert" data-testid="upscale-refused">Not upscaled: {state.reason}.</p>}

      {before && (
        <div className={`${layout.layout} ${styles.layout}`}>
          <figure className={styles.input}>
            <div className={styles.native} style={{ width: before.width, maxWidth: "100%" }}>
              <AvatarCanvas image={before} label="The input avatar at its own size" testId="upscale-input" />
            </div>
            <figcaption className={styles.caption}>input · {before.width} × {before.height} px</figcaption>
          </figure>
          <figure className={styles.result}>
            {state.status === "done" ? (
              <CompareStage before={before} after={state.after} baseline={params.compare} />
            ) : (
              <div className={styles.placeholder}>{state.status === "pending" ? `${state.stage}…` : "—"}</div>
            )}
            <figcaption className={styles.caption} data-testid="upscale-info">
              {state.status === "done"
                ? `×${state.factor} · ${state.after.width} × ${state.after.height} px · ${formatMs(state.ms)} on ${engine.backend.name}`
                : `×${params.factor}`}
            </figcaption>
          </figure>
        </div>
      )}
    </section>
  );
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
