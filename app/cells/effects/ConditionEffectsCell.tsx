"use client";

import { useEffect, useRef, useState } from "react";
import D3Chart from "@/app/charts/D3Chart";
import { drawBars } from "@/app/charts/bars";
import { drawHeatmap } from "@/app/charts/heatmap";
import { drawScatter } from "@/app/charts/scatter";
import type { AdherenceMatrix } from "./adherence";
import { EFFECT_VIEWS, type EffectsParams, type EffectView } from "./spec";
import { runAdherence, runLayerEffect, runPca, type LayerEffectResult, type PcaResultView } from "./runs";
import type { CellProps } from "@/app/cells/types";
import layout from "../shared/layout.module.css";
import styles from "./ConditionEffectsCell.module.css";

const VIEW_TITLES: Record<EffectView, string> = { adherence: "Adherence", layers: "Per layer", pca: "PCA of w" };
const VIEW_HINTS: Record<EffectView, string> = {
  adherence: "Requested tag vs. the tag the tagger detects",
  layers: "How much each synthesis layer changes when a tag is switched",
  pca: "2-D projection of w, coloured by a tag group",
};

type Result =
  | { view: "adherence"; data: AdherenceMatrix }
  | { view: "layers"; data: LayerEffectResult }
  | { view: "pca"; data: PcaResultView };

type Status = { state: "idle" } | { state: "running"; done: number; total: number } | { state: "done"; key: string; ms: number; result: Result } | { state: "error"; message: string };

/**
 * Condition effects, as d3 charts: the adherence matrix (requested tag vs. the tag the tagger
 * detects, over N samples per tag), the per-layer effect of switching a tag, and a PCA map of
 * w coloured by a tag group with avatar previews on hover (click passes the avatar down).
 * The settings are saved; "Run" recomputes the view from them.
 */
export default function ConditionEffectsCell({ params, onParamsChange, engine, onOutput }: CellProps<EffectsParams>) {
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const version = useRef(0);
  useEffect(() => () => void version.current++, []);
  const settingsKey = JSON.stringify(params);
  const set = (patch: Partial<EffectsParams>) => onParamsChange({ ...params, ...patch });

  const start = async () => {
    const mine = ++version.current;
    const control = {
      isCancelled: () => mine !== version.current,
      onProgress: (done: number, total: number) => mine === version.current && setStatus({ state: "running", done, total }),
    };
    setStatus({ state: "running", done: 0, total: 0 });
    const started = performance.now();
    try {
      const result: Result =
        params.view === "adherence" ? { view: "adherence", data: await runAdherence(engine, params, control) }
        : params.view === "layers" ? { view: "layers", data: await runLayerEffect(engine, params, control) }
        : { view: "pca", data: await runPca(engine, params, control) };
      if (control.isCancelled()) return;
      setStatus({ state: "done", key: settingsKey, ms: performance.now() - started, result });
    } catch (err) {
      if (!control.isCancelled()) setStatus({ state: "error", message: err instanceof Error ? err.message : String(err) });
    }
  };

  // A notebook opens with its charts drawn (a defense is not the time to press Run): compute once
  // on mount, after the grids above have had the engine first. Later changes wait for Run.
  const startOnOpen = useRef(start);
  useEffect(() => {
    const timer = window.setTimeout(() => void startOnOpen.current(), 400);
    return () => window.clearTimeout(timer);
  }, []);

  const groups = engine.vocab.groups.map((g) => g.name);
  const tagOptions = engine.vocab.names.map((name) => <option key={name} value={name}>{name}</option>);
  const result = status.state === "done" && status.result.view === params.view ? status.result : null;
  const outdated = status.state === "done" && status.key !== settingsKey;

  return (
    <div className={layout.layout} data-testid="effects-cell">
      <div className={layout.controls} data-panel="controls" data-testid="effects-controls">
        <div className={styles.tabs} role="group" aria-label="View">
          {EFFECT_VIEWS.map((view) => (
            <button key={view} type="button" className="secondary" aria-pressed={params.view === view} title={VIEW_HINTS[view]} data-testid={`effects-view-${view}`} onClick={() => set({ view })}>
              {VIEW_TITLES[view]}
            </button>
          ))}
        </div>
        <label className="field">
          <span className="field-label">Truncation ψ <span className="value">{params.psi.toFixed(2)}</span></span>
          <input type="range" min={0} max={1.2} step={0.05} value={params.psi} onChange={(e) => set({ psi: Number(e.target.value) })} />
        </label>
        <label className="field">
          <span className="field-label">Truncate toward</span>
          <select value={params.truncation} onChange={(e) => set({ truncation: e.target.value as EffectsParams["truncation"] })}>
            <option value="condition">the condition&apos;s mean w</option>
            <option value="global">the global mean w</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">First seed</span>
          <input type="number" min={0} value={params.firstSeed} onChange={(e) => Number.isInteger(Number(e.target.value)) && Number(e.target.value) >= 0 && set({ firstSeed: Number(e.target.value) })} />
        </label>
        {params.view === "adherence" && (
          <>
            <label className="field">
              <span className="field-label">Tag group</span>
              <select value={params.adherence.group} data-testid="adherence-group" onChange={(e) => set({ adherence: { ...params.adherence, group: e.target.value } })}>
                {groups.map((g) => <option key={g} value={g}>{g}</option>)}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Samples per tag</span>
              <input type="number" min={1} max={64} value={params.adherence.samplesPerTag} data-testid="adherence-samples"
                onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1 && n <= 64) set({ adherence: { ...params.adherence, samplesPerTag: n } }); }} />
            </label>
          </>
        )}
        {params.view === "layers" && (
          <>
            <label className="field">
              <span className="field-label">Switch from</span>
              <select value={params.layers.fromTag} onChange={(e) => set({ layers: { ...params.layers, fromTag: e.target.value } })}>{tagOptions}</select>
            </label>
            <label className="field">
              <span className="field-label">…to</span>
              <select value={params.layers.toTag} onChange={(e) => set({ layers: { ...params.layers, toTag: e.target.value } })}>{tagOptions}</select>
            </label>
            <label className="field">
              <span className="field-label">Samples</span>
              <input type="number" min={1} max={32} value={params.layers.samples}
                onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1 && n <= 32) set({ layers: { ...params.layers, samples: n } }); }} />
            </label>
          </>
        )}
        {params.view === "pca" && (
          <>
            <label className="field">
              <span className="field-label">Colour by</span>
              <select value={params.pca.colourGroup} onChange={(e) => set({ pca: { ...params.pca, colourGroup: e.target.value } })}>
                {groups.map((g) => <option key={g} value={g}>{g}</option>)}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Avatars</span>
              <input type="number" min={3} max={512} value={params.pca.samples}
                onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 3 && n <= 512) set({ pca: { ...params.pca, samples: n } }); }} />
            </label>
          </>
        )}
        <button type="button" className="primary" data-testid="effects-run" disabled={status.state === "running"} onClick={() => void start()}>
          {status.state === "running" ? `Running… ${status.total > 0 ? `${status.done}/${status.total}` : ""}` : "Run"}
        </button>
      </div>
      <div className={layout.results} data-testid="effects-results" data-state={status.state}>
        {status.state === "idle" && <p className="muted">Choose a view and press Run.</p>}
        {status.state === "error" && <p className="error-text" role="alert" data-testid="effects-error">{status.message}</p>}
        {outdated && <p className="muted">The settings changed since this was computed: press Run to update.</p>}
        {result?.view === "adherence" && <AdherenceView matrix={result.data} ms={status.state === "done" ? status.ms : 0} group={params.adherence.group} />}
        {result?.view === "layers" && (
          <D3Chart testId="layers-chart" fileName={`layer-effect-${params.layers.fromTag}-to-${params.layers.toTag}`.replace(/\s+/g, "-")}
            drawKey={JSON.stringify(result.data)}
            draw={(d3, svg, tooltip) => drawBars(d3, svg, {
              title: `Effect of "${params.layers.fromTag}" → "${params.layers.toTag}" per synthesis layer`,
              labels: result.data.labels, values: result.data.values, categories: result.data.categories, details: result.data.details,
              reference: { value: result.data.total, label: `all layers: ${result.data.total.toFixed(3)}` },
              xLabel: "w index (layer), coloured by style band", yLabel: "mean |Δ image| (units of [-1, 1])",
            }, tooltip)} />
        )}
        {result?.view === "pca" && (
          <>
            <p className={styles.summary}>
              PC1 explains {(100 * result.data.explained[0]).toFixed(1)}% and PC2 {(100 * result.data.explained[1]).toFixed(1)}% of the variance of w. Click a dot to pass that avatar down.
            </p>
            <D3Chart testId="pca-chart" fileName={`pca-w-by-${params.pca.colourGroup}`} drawKey={JSON.stringify(result.data.points)}
              draw={(d3, svg, tooltip) => drawScatter(d3, svg, {
                title: `w of ${result.data.points.length} avatars, coloured by ${params.pca.colourGroup}`,
                points: result.data.points, xLabel: "PC1", yLabel: "PC2",
              }, tooltip, (i) => result.data.images[i] ?? null, (i) => onOutput(result.data.recipes[i]))} />
          </>
        )}
      </div>
    </div>
  );
}

function AdherenceView({ matrix, ms, group }: { matrix: AdherenceMatrix; ms: number; group: string }) {
  const k = matrix.tags.length;
  const diagonal = matrix.meanProbability.reduce((s, row, i) => s + row[i], 0) / k;
  const offDiagonalMax = Math.max(...matrix.meanProbability.flatMap((row, i) => row.filter((_, j) => j !== i)));
  return (
    <>
      <p className={styles.summary} data-testid="adherence-summary" data-accuracy={matrix.accuracy.toFixed(4)} data-dominant-rows={matrix.dominantRows}
        data-rows={k} data-diagonal-mean={diagonal.toFixed(4)} data-offdiagonal-max={offDiagonalMax.toFixed(4)} data-ms={ms.toFixed(0)}>
        Top pick = requested tag for {(100 * matrix.accuracy).toFixed(1)}% of {k * matrix.samplesPerTag} avatars; the diagonal dominates {matrix.dominantRows} of {k} rows
        (mean diagonal probability {diagonal.toFixed(2)}). {(ms / 1000).toFixed(1)} s.
      </p>
      <D3Chart testId="adherence-chart" fileName={`adherence-${group}`} drawKey={JSON.stringify(matrix)}
        draw={(d3, svg, tooltip) => drawHeatmap(d3, svg, {
          title: `Adherence: requested vs. detected ${group} (${matrix.samplesPerTag} per tag)`,
          rows: matrix.tags, columns: matrix.tags, values: matrix.meanProbability, counts: matrix.topPick, countLabel: "top pick",
          xLabel: "detected by the tagger", yLabel: "requested",
        }, tooltip)} />
    </>
  );
}
