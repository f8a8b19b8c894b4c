"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Pane } from "tweakpane";
import AvatarGrid from "@/app/components/AvatarGrid";
import Lightbox from "@/app/components/Lightbox";
import { shownAvatars } from "@/app/components/runState";
import { useRenderRun } from "@/app/components/useRenderRun";
import { useTweakpane } from "@/app/components/useTweakpane";
import { layerResolutions, STYLE_BANDS, styleBands } from "@/lib/latent/mixing";
import { mixingRecipes, type MixingParams } from "./spec";
import BaseAvatarPicker from "@/app/cells/shared/BaseAvatarPicker";
import type { CellProps } from "@/app/cells/types";
import layout from "../shared/layout.module.css";
import styles from "./StyleMixingCell.module.css";
import { usePublishedOutput } from "@/app/cells/shared/usePublishedOutput";

type RangeValues = { start: number; end: number };

const COLUMN_TITLES = ["donor", "+ coarse", "+ middle", "+ fine", "+ custom"];

/**
 * Style mixing: per donor seed, the donor and the base avatar with the donor's coarse, middle
 * or fine styles (or the custom layer range) mixed in. The bands come from the model's
 * resolution (lib/latent/mixing.ts); the custom range is any [start, end) of its layers.
 */
export default function StyleMixingCell({ params, onParamsChange, engine, favourites, input, onOutput }: CellProps<MixingParams>) {
  const { state, run } = useRenderRun(engine);
  const [zoomed, setZoomed] = useState<number | null>(null);
  const [donorsDraft, setDonorsDraft] = useState(params.donorsText);
  const paneHost = useRef<HTMLDivElement>(null);
  useEffect(() => setDonorsDraft(params.donorsText), [params.donorsText]);
  const model = engine.modelRef;
  const resolution = engine.resolution;
  const bands = useMemo(() => styleBands(resolution), [resolution]);
  const layerRes = useMemo(() => layerResolutions(resolution), [resolution]);
  const numWs = layerRes.length;

  const { selected, ...gridParams } = params;
  const gridKey = JSON.stringify(gridParams);
  useEffect(() => {
    void run(() => mixingRecipes(JSON.parse(gridKey) as MixingParams, model, resolution));
  }, [gridKey, model, resolution, run]);

  const avatars = shownAvatars(state);
  const output = state.state === "ready" && selected !== null ? avatars[selected]?.recipe ?? null : null;
  usePublishedOutput(onOutput, output, state.state === "ready" || state.state === "error");

  const set = (patch: Partial<MixingParams>) => onParamsChange({ ...params, ...patch, selected: null });
  const buildPane = useCallback((pane: Pane, target: RangeValues) => {
    pane.addBinding(target, "start", { label: "from layer", min: 0, max: numWs, step: 1 });
    pane.addBinding(target, "end", { label: "to (excl.)", min: 0, max: numWs, step: 1 });
  }, [numWs]);
  // The grid re-renders when a slider is released, not at every step of the drag.
  const range: RangeValues = { start: params.custom.start, end: params.custom.end };
  useTweakpane(paneHost, range, buildPane, (next, last) => {
    if (!last) return;
    const [start, end] = [Math.round(next.start), Math.round(next.end)];
    set({ custom: { start: Math.min(start, end), end: Math.max(start, end) } });
  }, String(numWs));

  return (
    <div className={layout.layout} data-testid="mixing-cell">
      <div className={layout.controls} data-panel="controls" data-testid="mixing-controls">
        <BaseAvatarPicker base={params.base} onChange={(base) => set({ base })} input={input} vocab={engine.vocab} testId="mix-base" />
        <label className="field">
          <span className="field-label">Donor seeds</span>
          <input type="text" data-testid="mix-donors" value={donorsDraft} onChange={(e) => setDonorsDraft(e.target.value)}
            onBlur={() => set({ donorsText: donorsDraft })} onKeyDown={(e) => e.key === "Enter" && set({ donorsText: donorsDraft })} />
          <span className="field-hint">Up to 8, e.g. 1-3,7</span>
        </label>
        <table className={styles.bands}>
          <thead>
            <tr>
              <th>band</th>
              <th>layers</th>
              <th>resolution</th>
            </tr>
          </thead>
          <tbody>
            {STYLE_BANDS.map((band) => (
              <tr key={band}>
                <td>{band}</td>
                <td>{bands[band].end > bands[band].start ? `${bands[band].start}–${bands[band].end - 1}` : "—"}</td>
                <td>{bands[band].end > bands[band].start ? `${layerRes[bands[band].start]}–${layerRes[bands[band].end - 1]} px` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <span className="field-label">Custom layer range</span>
        <div ref={paneHost} data-testid="mix-pane" />
      </div>
      <div className={`${layout.results} ${styles.results}`}>
        <div className={styles.header} aria-hidden>
          {COLUMN_TITLES.map((t) => (
            <span key={t}>{t === "+ custom" ? `+ layers ${params.custom.start}–${params.custom.end - 1}` : t}</span>
          ))}
        </div>
        <AvatarGrid run={state} selected={selected} title={`Base seed ${params.base.seed} mixed with each donor`} testId="mixing-grid"
          onSelect={(index) => onParamsChange({ ...params, selected: index === selected ? null : index })} onZoom={setZoomed} favourites={favourites} />
      </div>
      {zoomed !== null && avatars[zoomed] && (
        <Lightbox avatar={avatars[zoomed]} position={zoomed} total={avatars.length} onNavigate={setZoomed} onClose={() => setZoomed(null)} />
      )}
    </div>
  );
}
