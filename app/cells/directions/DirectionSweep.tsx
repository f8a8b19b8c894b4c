"use client";
/**
 * "Tagger confidence along a slider": render the avatar at evenly spaced amounts of one
 * direction, tag each with the shipped tagger, and chart the tag group's probabilities, with
 * the slider's current amount marked. Owns its run (a newer sweep drops an older one).
 */

import { useEffect, useRef, useState, type CSSProperties } from "react";
import AvatarGrid from "@/app/components/AvatarGrid";
import type { Engine } from "@/app/components/engine";
import type { RunState } from "@/app/components/runState";
import D3Chart from "@/app/charts/D3Chart";
import { drawLines } from "@/app/charts/lines";
import { groupSeries, renderAndTag } from "@/app/cells/shared/taggerSweep";
import type { FavouritesAccess } from "@/app/cells/types";
import { DIRECTION_AMOUNT_LIMIT, probeRecipes, type DirectionsParams } from "./spec";
import styles from "./DirectionsCell.module.css";

interface SweepResult {
  key: string;
  amounts: number[];
  series: { name: string; values: number[] }[];
  run: RunState;
}

interface DirectionSweepProps {
  params: DirectionsParams;
  engine: Engine;
  favourites: FavouritesAccess;
  /** The probed slider's current amount, marked on the chart. */
  probedAmount: number;
  onProbeChange(probe: DirectionsParams["probe"]): void;
}

export default function DirectionSweep({ params, engine, favourites, probedAmount, onProbeChange }: DirectionSweepProps) {
  const [sweep, setSweep] = useState<SweepResult | null>(null);
  const sweepVersion = useRef(0);
  useEffect(() => () => void sweepVersion.current++, []);
  const model = engine.modelRef;
  const probe = params.probe;

  const runSweep = async () => {
    const version = ++sweepVersion.current;
    const stale = () => version !== sweepVersion.current;
    const { amounts, recipes } = probeRecipes(params, model);
    const key = JSON.stringify({ base: params.base, sliders: params.sliders, probe: params.probe });
    setSweep({ key, amounts, series: [], run: { state: "rendering", count: recipes.length, done: 0, previous: [] } });
    const started = performance.now();
    try {
      const { images, probabilities } = await renderAndTag(engine, recipes, stale, (done) => {
        if (!stale()) setSweep((s) => (s && s.run.state === "rendering" ? { ...s, run: { ...s.run, done } } : s));
      });
      if (stale() || !params.probe) return;
      setSweep({
        key, amounts, series: groupSeries(engine, params.probe.tag, probabilities),
        run: { state: "ready", avatars: recipes.map((recipe, i) => ({ recipe, image: images[i] })), ms: performance.now() - started, version },
      });
    } catch (err) {
      if (!stale()) setSweep({ key, amounts, series: [], run: { state: "error", message: err instanceof Error ? err.message : String(err) } });
    }
  };

  return (
  <fieldset style={{ border: 0, padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: 8 }}>
    <legend className="panel-title">Tagger confidence along a slider</legend>
    <div className="row" style={{ gap: 6, flexWrap: "wrap" }}>
      <select aria-label="Probe tag" value={probe?.tag ?? ""} data-testid="probe-tag"
        onChange={(e) => onProbeChange(e.target.value ? { tag: e.target.value, space: probe?.space ?? "w", range: probe?.range ?? 2, steps: probe?.steps ?? 9 } : null)}>
        <option value="">(off)</option>
        {engine.vocab.names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      {probe && (
        <>
          <select aria-label="Probe space" value={probe.space} onChange={(e) => onProbeChange({ ...probe, space: e.target.value as "w" | "c" })}>
            <option value="w">in w</option>
            <option value="c">in c</option>
          </select>
          <label className="row" style={{ gap: 4 }}>
            ±
            <input type="number" min={0.1} max={DIRECTION_AMOUNT_LIMIT} step={0.5} value={probe.range} style={{ width: 60 }}
              onChange={(e) => {
                const range = Number(e.target.value);
                if (range >= 0.1 && range <= DIRECTION_AMOUNT_LIMIT) onProbeChange({ ...probe, range });
              }} />
          </label>
          <button type="button" className="primary" onClick={() => void runSweep()} data-testid="probe-run"
            disabled={sweep?.run.state === "rendering"}>
            {sweep?.run.state === "rendering" ? "Sweeping…" : "Sweep"}
          </button>
        </>
      )}
    </div>
    {sweep && (
      <div className={styles.sweep} style={{ "--columns": sweep.amounts.length } as CSSProperties}>
        <AvatarGrid run={sweep.run} selected={null} title="Sweep" testId="probe-strip" onSelect={() => undefined} onZoom={() => undefined} favourites={favourites} />
        {sweep.run.state === "ready" && probe && (
          <D3Chart testId="probe-chart" fileName={`tagger-confidence-${probe.tag.replace(/\s+/g, "-")}`} drawKey={`${sweep.key}:${probedAmount}`}
            draw={(d3, svg, tooltip) => drawLines(d3, svg, {
              title: `Tagger confidence along "${probe.tag}" (${probe.space})`,
              x: sweep.amounts, series: sweep.series, marker: probedAmount,
              xLabel: `slider amount (${probe.space})`, yLabel: "tagger probability",
            }, tooltip)} />
        )}
      </div>
    )}
  </fieldset>
  );
}
