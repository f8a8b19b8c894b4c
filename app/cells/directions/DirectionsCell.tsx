"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { Pane } from "tweakpane";
import AvatarGrid from "@/app/components/AvatarGrid";
import Lightbox from "@/app/components/Lightbox";
import { shownAvatars } from "@/app/components/runState";
import { useRenderRun } from "@/app/components/useRenderRun";
import { useTweakpane } from "@/app/components/useTweakpane";
import { makeRecipe } from "@/lib/recipe/recipe";
import { DIRECTION_AMOUNT_LIMIT, directionsRecipe, type DirectionsParams } from "./spec";
import BaseAvatarPicker from "@/app/cells/shared/BaseAvatarPicker";
import type { CellProps } from "@/app/cells/types";
import layout from "../shared/layout.module.css";
import DirectionSweep from "./DirectionSweep";
import styles from "./DirectionsCell.module.css";
import { usePublishedOutput } from "@/app/cells/shared/usePublishedOutput";

type Slider = DirectionsParams["sliders"][number];

/** "w:red hair": one slider per tag and space. */
function sliderKey(slider: Slider): string {
  return `${slider.space}:${slider.tag}`;
}

/**
 * Tag directions: a slider per tag (several at once) moves the avatar toward or away from the
 * tag in w (the averaged direction, identity kept) or in c. Dragging previews live; release
 * saves the amount. "Sweep" charts the tagger's confidence along one slider.
 */
export default function DirectionsCell({ params, onParamsChange, engine, favourites, input, onOutput }: CellProps<DirectionsParams>) {
  const { state, run } = useRenderRun(engine);
  const [draft, setDraft] = useState<Slider[]>(params.sliders);
  const [zoomed, setZoomed] = useState<number | null>(null);
  const [newTag, setNewTag] = useState(engine.vocab.names[0]);
  const [newSpace, setNewSpace] = useState<"w" | "c">("w");
  const paneHost = useRef<HTMLDivElement>(null);
  useEffect(() => setDraft(params.sliders), [params.sliders]);
  const model = engine.modelRef;

  // The preview follows the draft (live while dragging); the params follow on release.
  const previewKey = JSON.stringify({ base: params.base, sliders: draft });
  useEffect(() => {
    const { base, sliders } = JSON.parse(previewKey) as Pick<DirectionsParams, "base" | "sliders">;
    void run(() => [makeRecipe(model, base), directionsRecipe({ ...params, base, sliders }, model)]);
  }, [previewKey, model, run]); // eslint-disable-line react-hooks/exhaustive-deps

  usePublishedOutput(onOutput, directionsRecipe(params, model));

  const commit = (sliders: Slider[]) => onParamsChange({ ...params, sliders });

  // One tweakpane slider per direction: dragging previews (the draft), release saves.
  const amounts: Record<string, number> = Object.fromEntries(params.sliders.map((sl) => [sliderKey(sl), sl.amount]));
  const structure = params.sliders.map(sliderKey).join("|");
  const buildPane = useCallback((pane: Pane, target: Record<string, number>) => {
    for (const key of Object.keys(target)) {
      const [space, tag] = [key.slice(0, 1), key.slice(2)];
      pane.addBinding(target, key, { label: `${tag} (${space})`, min: -DIRECTION_AMOUNT_LIMIT, max: DIRECTION_AMOUNT_LIMIT, step: 0.05 });
    }
  }, []);
  useTweakpane(paneHost, amounts, buildPane, (next, last) => {
    const sliders = params.sliders.map((sl) => ({ ...sl, amount: next[sliderKey(sl)] ?? sl.amount }));
    if (last) commit(sliders);
    else setDraft(sliders);
  }, structure);
  const addSlider = () => {
    if (params.sliders.some((s) => s.tag === newTag && s.space === newSpace)) return;
    commit([...params.sliders, { tag: newTag, amount: 0, space: newSpace }]);
  };

  const probe = params.probe;
  const probedAmount = probe ? params.sliders.find((s) => s.tag === probe.tag && s.space === probe.space)?.amount ?? 0 : 0;
  const avatars = shownAvatars(state);

  return (
    <div className={layout.layout} data-testid="directions-cell">
      <div className={layout.controls} data-panel="controls" data-testid="directions-controls">
        <BaseAvatarPicker base={params.base} onChange={(base) => onParamsChange({ ...params, base })} input={input} vocab={engine.vocab} testId="dir-base" />
        <fieldset style={{ border: 0, padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: 10 }}>
          <legend className="panel-title">Directions</legend>
          <div ref={paneHost} data-testid="directions-pane" />
          {params.sliders.length > 0 && (
            <div className={styles.chips}>
              {params.sliders.map((slider, i) => (
                <span className={styles.chip} key={sliderKey(slider)} data-testid="direction-slider">
                  {slider.tag} <span className={styles.space}>in {slider.space}</span>
                  <button type="button" className="icon-button" aria-label={`Remove ${slider.tag} in ${slider.space}`}
                    onClick={() => commit(params.sliders.filter((_, j) => j !== i))}>
                    ×
                  </button>
                </span>
              ))}
            </div>
          )}
          <div className="row" style={{ gap: 6 }}>
            <select aria-label="Tag" value={newTag} onChange={(e) => setNewTag(e.target.value)} data-testid="direction-new-tag">
              {engine.vocab.names.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
            <select aria-label="Space" value={newSpace} onChange={(e) => setNewSpace(e.target.value as "w" | "c")}>
              <option value="w">w</option>
              <option value="c">c</option>
            </select>
            <button type="button" className="secondary" onClick={addSlider} data-testid="direction-add">
              Add
            </button>
          </div>
          <span className="field-hint">w: the tag&apos;s averaged direction (keeps identity); c: the condition itself.</span>
        </fieldset>
      </div>
      <div className={layout.results}>
        <div className={styles.preview}>
          <AvatarGrid run={state} selected={1} title="Original → edited" testId="directions-preview" onSelect={() => undefined} onZoom={setZoomed} favourites={favourites} />
        </div>
        <DirectionSweep params={params} engine={engine} favourites={favourites} probedAmount={probedAmount}
          onProbeChange={(probe) => onParamsChange({ ...params, probe })} />
      </div>
      {zoomed !== null && avatars[zoomed] && (
        <Lightbox avatar={avatars[zoomed]} position={zoomed} total={avatars.length} onNavigate={setZoomed} onClose={() => setZoomed(null)} />
      )}
    </div>
  );
}
