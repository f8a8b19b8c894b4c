"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import type { Pane } from "tweakpane";
import AvatarGrid from "@/app/components/AvatarGrid";
import Lightbox from "@/app/components/Lightbox";
import { shownAvatars } from "@/app/components/runState";
import { useRenderRun } from "@/app/components/useRenderRun";
import { useTweakpane } from "@/app/components/useTweakpane";
import { NONE, RANDOM } from "@/lib/latent/randomTags";
import { SAMPLE_MODES, type SampleMode, type SampleParams } from "./spec";
import { sampleRecipes } from "./plan";
import type { CellProps } from "@/app/cells/types";
import layout from "../shared/layout.module.css";
import styles from "./SampleCell.module.css";
import { usePublishedOutput } from "@/app/cells/shared/usePublishedOutput";

const MODE_LABELS: Record<SampleMode, string> = {
  seeds: "One avatar per seed",
  "vary-conditions": "Fix noise, vary conditions",
  perturb: "Perturb one seed",
};

type TunedValues = Pick<SampleParams, "mode" | "psi" | "truncation" | "baseSeed" | "perturbAmount">;

/**
 * Condition & sample: per tag group Random or Fixed (as MakeGirlsMoe does), seeds and ranges,
 * "fix noise and vary conditions", perturbation of one seed, truncation psi -> a grid.
 * The grid re-renders when a parameter changes (sliders on release); the seed field is
 * committed with Enter or Generate.
 */
export default function SampleCell({ params, onParamsChange, engine, favourites, onOutput }: CellProps<SampleParams>) {
  const { state, run } = useRenderRun(engine);
  const [seedsDraft, setSeedsDraft] = useState(params.seedsText);
  const [zoomed, setZoomed] = useState<number | null>(null);
  const [generation, setGeneration] = useState(0);
  const paneHost = useRef<HTMLDivElement>(null);

  useEffect(() => setSeedsDraft(params.seedsText), [params.seedsText]);

  const model = useMemo(
    () => ({ ref: engine.modelRef, vocab: engine.vocab, zDim: engine.generator.config.z_dim }),
    [engine],
  );
  // What the grid depends on: everything but the selection.
  const { selected, ...gridParams } = params;
  const gridKey = JSON.stringify(gridParams);
  useEffect(() => {
    void run(() => sampleRecipes(JSON.parse(gridKey) as SampleParams, model));
  }, [gridKey, generation, model, run]);

  const avatars = shownAvatars(state);
  const output = state.state === "ready" && selected !== null ? avatars[selected]?.recipe ?? null : null;
  usePublishedOutput(onOutput, output, state.state === "ready" || state.state === "error");

  const tuned: TunedValues = { mode: params.mode, psi: params.psi, truncation: params.truncation, baseSeed: params.baseSeed, perturbAmount: params.perturbAmount };
  const buildPane = useCallback((pane: Pane, target: TunedValues) => {
    pane.addBinding(target, "mode", { label: "mode", options: Object.fromEntries(SAMPLE_MODES.map((m) => [MODE_LABELS[m], m])) });
    pane.addBinding(target, "psi", { label: "truncation ψ", min: 0, max: 1.2, step: 0.05 });
    pane.addBinding(target, "truncation", { label: "toward", options: { "global mean": "global", "condition mean": "condition" } });
    const baseSeed = pane.addBinding(target, "baseSeed", { label: "base seed", min: 0, step: 1, format: (v: number) => v.toFixed(0) });
    const perturbAmount = pane.addBinding(target, "perturbAmount", { label: "perturb by", min: 0, max: 1, step: 0.01 });
    // Show only what the mode uses: the base seed for the fixed-noise modes, the amount for perturb.
    const showForMode = () => {
      baseSeed.hidden = target.mode === "seeds";
      perturbAmount.hidden = target.mode !== "perturb";
    };
    showForMode();
    pane.on("change", showForMode);
  }, []);
  useTweakpane(paneHost, tuned, buildPane, (next, last) => {
    if (last) onParamsChange({ ...params, ...next, baseSeed: Math.max(0, Math.round(next.baseSeed)), selected: null });
  });

  const generate = (event: FormEvent) => {
    event.preventDefault();
    if (seedsDraft === params.seedsText) setGeneration((g) => g + 1);
    else onParamsChange({ ...params, seedsText: seedsDraft, selected: null });
  };
  const newSeeds = () => {
    const count = Math.max(1, Math.min(64, state.state === "ready" ? state.avatars.length : 16));
    const start = Math.floor(Math.random() * 100000);
    onParamsChange({ ...params, seedsText: count === 1 ? `${start}` : `${start}-${start + count - 1}`, selected: null });
  };
  const choose = (group: string, value: string) => onParamsChange({ ...params, choices: { ...params.choices, [group]: value }, selected: null });

  return (
    <div className={layout.layout}>
      <form className={layout.controls} onSubmit={generate} data-panel="controls" data-testid="controls">
        <fieldset className={styles.groups}>
          <legend className="panel-title">Condition</legend>
          {engine.vocab.groups.map((group) => (
            <label className="field" key={group.name}>
              <span className="field-label">{capitalize(group.name)}</span>
              <select data-testid={`group-${group.name}`} value={params.choices[group.name] ?? RANDOM} onChange={(e) => choose(group.name, e.target.value)}>
                <option value={RANDOM}>Random</option>
                {!group.exclusive && <option value={NONE}>None</option>}
                {group.tags.map((tag) => (
                  <option key={tag.name} value={tag.name}>
                    {tag.name} ({Math.round(tag.prior * 100)}%)
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span className="field-label">{params.mode === "seeds" ? "Seeds" : params.mode === "perturb" ? "Perturbation seeds" : "Condition seeds"}</span>
          <div className="row">
            <input data-testid="seeds" type="text" inputMode="numeric" spellCheck={false} value={seedsDraft} placeholder="0-15,20" onChange={(e) => setSeedsDraft(e.target.value)} />
            <button type="button" className="secondary" onClick={newSeeds} data-testid="new-seeds">
              New
            </button>
          </div>
          <span className="field-hint">A seed or ranges, e.g. 0-15,20</span>
        </label>
        <div ref={paneHost} className={styles.pane} data-testid="sample-pane" />
        <button type="submit" className="primary" data-testid="generate">
          {state.state === "rendering" ? "Rendering…" : "Generate"}
        </button>
      </form>
      <AvatarGrid
        run={state}
        selected={selected}
        onSelect={(index) => onParamsChange({ ...params, selected: index === selected ? null : index })}
        onZoom={setZoomed}
        favourites={favourites}
      />
      {zoomed !== null && avatars[zoomed] && (
        <Lightbox avatar={avatars[zoomed]} position={zoomed} total={avatars.length} onNavigate={setZoomed} onClose={() => setZoomed(null)} />
      )}
    </div>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
