"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import type { Pane } from "tweakpane";
import AvatarGrid from "@/app/components/AvatarGrid";
import Lightbox from "@/app/components/Lightbox";
import { shownAvatars } from "@/app/components/runState";
import { useRenderRun } from "@/app/components/useRenderRun";
import { useTweakpane } from "@/app/components/useTweakpane";
import { SEED_MAX } from "@/lib/latent/seed";
import { INTERPOLATION_MODES, interpolationRecipes, type InterpolateParams, type InterpolationMode } from "./spec";
import AnimationPlayer from "./AnimationPlayer";
import BaseAvatarPicker from "@/app/cells/shared/BaseAvatarPicker";
import TagPicker from "@/app/cells/shared/TagPicker";
import InterpolationExports from "./InterpolationExports";
import type { CellProps } from "@/app/cells/types";
import layout from "../shared/layout.module.css";
import styles from "./InterpolationCell.module.css";
import { usePublishedOutput } from "@/app/cells/shared/usePublishedOutput";

type TunedValues = Pick<InterpolateParams, "steps" | "rows" | "animate" | "fps">;

const MODE_LABELS: Record<InterpolationMode, string> = {
  seeds: "Between seeds",
  conditions: "Between conditions",
  grid: "Seed × condition grid",
};

/**
 * Interpolation: a walk between two seeds (slerp in z or lerp in w), between two conditions,
 * or a two-axis grid; an animation of the walk; export of the grid as one PNG and of the walk
 * as numbered frames. Every tile is a recipe: select one to pass it down, star it to keep it.
 */
export default function InterpolationCell({ params, onParamsChange, engine, favourites, input, onOutput }: CellProps<InterpolateParams>) {
  const { state, run } = useRenderRun(engine);
  const [zoomed, setZoomed] = useState<number | null>(null);
  const [toSeedDraft, setToSeedDraft] = useState(String(params.toSeed));
  const paneHost = useRef<HTMLDivElement>(null);
  useEffect(() => setToSeedDraft(String(params.toSeed)), [params.toSeed]);
  const model = engine.modelRef;
  const set = (patch: Partial<InterpolateParams>) => onParamsChange({ ...params, ...patch, selected: "selected" in patch ? patch.selected ?? null : null });

  const { selected, animate, fps, ...gridParams } = params;
  const gridKey = JSON.stringify(gridParams);
  const plan = useMemo(() => {
    try {
      return { ...interpolationRecipes(JSON.parse(gridKey) as InterpolateParams, model), error: null };
    } catch (err) {
      return { recipes: [], columns: 1, error: err instanceof Error ? err.message : String(err) };
    }
  }, [gridKey, model]);
  useEffect(() => {
    void run(() => {
      if (plan.error) throw new Error(plan.error);
      return plan.recipes;
    });
  }, [plan, run]);

  const avatars = shownAvatars(state);
  const output = state.state === "ready" && selected !== null ? avatars[selected]?.recipe ?? null : null;
  usePublishedOutput(onOutput, output, state.state === "ready" || state.state === "error");

  // Sizes re-render the grid on release; the animation settings only change the player.
  const tuned: TunedValues = { steps: params.steps, rows: params.rows, animate, fps };
  const buildPane = useCallback((pane: Pane, target: TunedValues) => {
    const steps = pane.addBinding(target, "steps", { label: "frames", min: 2, max: 16, step: 1 });
    const rows = pane.addBinding(target, "rows", { label: "rows", min: 2, max: 8, step: 1 });
    const animateBinding = pane.addBinding(target, "animate", { label: "animate" });
    const fpsBinding = pane.addBinding(target, "fps", { label: "fps", min: 1, max: 30, step: 1 });
    const showForMode = (mode: InterpolationMode) => {
      steps.label = mode === "grid" ? "columns" : "frames";
      rows.hidden = mode !== "grid";
      animateBinding.hidden = fpsBinding.hidden = mode === "grid";
    };
    showForMode(modeRef.current);
    showMode.current = showForMode;
  }, []);
  const modeRef = useRef(params.mode);
  const showMode = useRef<(mode: InterpolationMode) => void>(() => undefined);
  useEffect(() => {
    modeRef.current = params.mode;
    showMode.current(params.mode);
  }, [params.mode]);
  useTweakpane(paneHost, tuned, buildPane, (next, last) => {
    const sizes = { steps: Math.round(next.steps), rows: Math.round(next.rows) };
    const sized = sizes.steps !== params.steps || sizes.rows !== params.rows;
    if (sized && last) set(sizes);
    else if (!sized) onParamsChange({ ...params, animate: next.animate, fps: Math.round(next.fps) });
  });

  const commitToSeed = () => {
    const seed = Number(toSeedDraft);
    if (Number.isInteger(seed) && seed >= 0 && seed <= SEED_MAX) set({ toSeed: seed });
    else setToSeedDraft(String(params.toSeed));
  };
  const ready = state.state === "ready";
  const isWalk = params.mode !== "grid";

  return (
    <div className={layout.layout} data-testid="interpolate-cell">
      <div className={layout.controls} data-panel="controls" data-testid="interpolate-controls">
        <BaseAvatarPicker base={params.base} onChange={(base) => set({ base })} input={input} vocab={engine.vocab} testId="interp-base" />
        <label className="field">
          <span className="field-label">Interpolate</span>
          <select data-testid="interp-mode" value={params.mode} onChange={(e) => set({ mode: e.target.value as InterpolationMode })}>
            {INTERPOLATION_MODES.map((m) => (
              <option key={m} value={m}>
                {MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        {params.mode !== "conditions" && (
          <>
            <label className="field">
              <span className="field-label">Toward seed</span>
              <input data-testid="interp-to-seed" type="text" inputMode="numeric" value={toSeedDraft}
                onChange={(e) => setToSeedDraft(e.target.value)} onBlur={commitToSeed} onKeyDown={(e) => e.key === "Enter" && commitToSeed()} />
            </label>
            <label className="field">
              <span className="field-label">Space</span>
              <select data-testid="interp-space" value={params.space} onChange={(e) => set({ space: e.target.value as "z" | "w" })}>
                <option value="z">z (slerp)</option>
                <option value="w">w (lerp)</option>
              </select>
            </label>
          </>
        )}
        {params.mode !== "seeds" && (
          <div>
            <span className="field-label">Toward condition</span>
            <TagPicker vocab={engine.vocab} tags={params.toTags} onChange={(toTags) => set({ toTags })} testId="interp-to-tags" />
          </div>
        )}
        <div ref={paneHost} data-testid="interp-pane" />
      </div>
      <div className={`${layout.results} ${styles.results}`} style={{ "--columns": plan.columns } as CSSProperties}>
        {isWalk && animate && ready && <AnimationPlayer frames={avatars.map((a) => a.image)} fps={fps} />}
        {params.mode === "grid" && (
          <p className={styles.axes} data-testid="interp-axes">
            <span>↓ rows: seed #{params.base.seed} → #{params.toSeed} ({params.space}), {params.rows} steps</span>
            <span>→ columns: {params.base.tags.join(", ") || "no tags"} → {params.toTags.join(", ") || "no tags"}, {params.steps} steps</span>
          </p>
        )}
        <AvatarGrid run={state} selected={selected} title={MODE_LABELS[params.mode]} testId="interpolation-grid"
          onSelect={(index) => set({ selected: index === selected ? null : index })} onZoom={setZoomed} favourites={favourites} />
        <InterpolationExports params={params} avatars={ready ? avatars : []} columns={plan.columns} isWalk={isWalk}
          avatarSize={avatars[0]?.image.width ?? engine.resolution} onScale={(exportScale) => onParamsChange({ ...params, exportScale })} />
      </div>
      {zoomed !== null && avatars[zoomed] && (
        <Lightbox avatar={avatars[zoomed]} position={zoomed} total={avatars.length} onNavigate={setZoomed} onClose={() => setZoomed(null)} />
      )}
    </div>
  );
}
