"use client";
/**
 * "Find my character": drop or pick a picture, frame the face with a square crop, let the
 * tagger guess its tags (editable), then search the generator's latent space for the w that
 * draws it (./projection.ts), watching the target, the current reconstruction and the loss.
 * The result is published below as an ordinary recipe (latent.projected), so the cells under
 * this one (directions, mixing, upscale, edit) and the favourites work on it.
 */

import { useMemo, useState, type DragEvent } from "react";
import AvatarCanvas from "@/app/components/AvatarCanvas";
import type { CellProps } from "@/app/cells/types";
import { initialFrame } from "@/lib/edit/cropFrame";
import type { CropRect } from "@/lib/edit/geometry";
import type { PixelImage } from "@/lib/edit/pixels";
import CropOverlay from "../shared/CropOverlay";
import TagPicker from "../shared/TagPicker";
import { usePublishedOutput } from "../shared/usePublishedOutput";
import { useRenderedRecipe } from "../shared/useRenderedRecipe";
import layout from "../shared/layout.module.css";
import { guessTags } from "./guessTags";
import LossChart from "./LossChart";
import { readPictureFile } from "./pictureFile";
import { DEFAULT_PROJECTION, psnr } from "./projection";
import { PROJECTION_STEP_CHOICES, resultRecipe, type ProjectParams } from "./spec";
import { cropTarget, decodeTarget, encodeTarget } from "./target";
import { useProjection } from "./useProjection";
import styles from "./ProjectCell.module.css";

interface Picture {
  name: string;
  image: PixelImage;
  frame: CropRect;
}

export default function ProjectCell({ params, onParamsChange, engine, favourites, onOutput }: CellProps<ProjectParams>) {
  const [picture, setPicture] = useState<Picture | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const { run, start, stop } = useProjection();

  const target = useMemo(() => (params.target ? decodeTarget(params.target) : null), [params.target]);
  const sameModel = params.result !== null && params.result.model.name === engine.modelRef.name && params.result.model.sha256 === engine.modelRef.sha256;
  const output = useMemo(() => (params.result && sameModel ? resultRecipe(params.result) : null), [params.result, sameModel]);
  usePublishedOutput(onOutput, output);
  const rendered = useRenderedRecipe(engine, output);
  const running = run.status === "running";
  const starred = output ? favourites.isStarred(output) : false;

  const openFile = async (file: File | undefined) => {
    if (!file) return;
    setMessage(null);
    try {
      const image = await readPictureFile(file);
      setPicture({ name: file.name, image, frame: initialFrame(image.width, image.height, true) });
    } catch (err) {
      setMessage({ text: err instanceof Error ? err.message : String(err), error: true });
    }
  };

  const acceptCrop = async () => {
    if (!picture) return;
    setBusy(true);
    try {
      const face = cropTarget(picture.image, picture.frame, engine.resolution);
      let tags = params.tags;
      let note = "";
      try {
        tags = await guessTags(await engine.tagger(), face, engine.vocab);
        note = tags.length ? `The tagger reads: ${tags.join(", ")}. Change them below if it is wrong.` : "The tagger is unsure of every tag: choose them below.";
      } catch (err) {
        note = `No tagger to guess the tags (${err instanceof Error ? err.message : String(err)}): choose them below.`;
      }
      onParamsChange({ ...params, target: encodeTarget(picture.name, face), tags, result: null });
      setPicture(null);
      setMessage({ text: note, error: false });
    } finally {
      setBusy(false);
    }
  };

  const find = async () => {
    if (!target) return;
    setMessage(null);
    const tags = params.tags;
    const found = await start(engine, target, tags, { ...DEFAULT_PROJECTION, steps: params.steps, wplus: params.wplus });
    if (!found) return;
    const result = { model: engine.modelRef, tags, projected: found.projected, psnr: 0, stepsDone: found.stepsDone, stopped: found.stopped };
    const [image] = await engine.render([resultRecipe(result)]);
    onParamsChange({ ...params, result: { ...result, psnr: Math.round(psnr(image, target) * 100) / 100 } });
  };

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    if (!running) void openFile(event.dataTransfer.files[0]);
  };

  const shown = running ? run.preview : rendered.status === "done" ? rendered.image : null;
  const elapsed = running ? (performance.now() - run.startedAt) / 1000 : 0;

  return (
    <section className={styles.cell} data-testid="project-cell" data-state={running ? "running" : params.result ? "done" : params.target ? "ready" : "empty"}
      onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <div className={layout.layout}>
        <div className={layout.controls} data-panel="controls">
          <label className={`secondary ${styles.fileButton}`}>
            {params.target || picture ? "Another picture…" : "Choose a picture…"}
            <input type="file" accept="image/*" disabled={running} onChange={(e) => { void openFile(e.target.files?.[0]); e.target.value = ""; }} data-testid="project-file" />
          </label>
          {params.target && (
            <>
              <TagPicker vocab={engine.vocab} tags={params.tags} onChange={(tags) => onParamsChange({ ...params, tags })} testId="project-tags" />
              <label className="field">
                <span className="field-label">Steps</span>
                <select value={params.steps} disabled={running} onChange={(e) => onParamsChange({ ...params, steps: Number(e.target.value) })} data-testid="project-steps">
                  {[...new Set([...PROJECTION_STEP_CHOICES, params.steps])].sort((a, b) => a - b).map((n) => <option key={n} value={n}>{n}</option>)}
                </select>
              </label>
              <label className="row" style={{ gap: 6 }} title="One w per synthesis layer: a closer fit, less editable">
                <input type="checkbox" checked={params.wplus} disabled={running} onChange={(e) => onParamsChange({ ...params, wplus: e.target.checked })} data-testid="project-wplus" />
                per layer (W+)
              </label>
              <div className="row" style={{ gap: 8 }}>
                {running ? (
                  <button type="button" className="secondary" onClick={stop} data-testid="project-stop">Stop</button>
                ) : (
                  <button type="button" className="primary" onClick={() => void find()} data-testid="project-find">{params.result ? "Find again" : "Find my character"}</button>
                )}
                <button type="button" className={starred ? "primary" : "secondary"} disabled={!output || running} aria-pressed={starred}
                  onClick={() => output && favourites.toggle(output)} data-testid="project-star">{starred ? "★ Starred" : "☆ Star"}</button>
              </div>
            </>
          )}
        </div>

        <div className={layout.results}>
          {message && <p className={message.error ? "error-text" : "muted"} role={message.error ? "alert" : "status"} data-testid="project-message">{message.text}</p>}
          {picture ? (
            <div className={styles.cropper}>
              <div className={styles.stage} style={{ aspectRatio: `${picture.image.width} / ${picture.image.height}` }}>
                <AvatarCanvas image={picture.image} label={`The picture ${picture.name}`} testId="project-picture" />
                <CropOverlay frame={picture.frame} image={picture.image} square onChange={(frame) => setPicture({ ...picture, frame })} />
              </div>
              <p className="muted">Frame the face (head and a little hair around it, like the avatars above).</p>
              <div className="row" style={{ gap: 8 }}>
                <button type="button" className="primary" disabled={busy} onClick={() => void acceptCrop()} data-testid="project-use-crop">Use this square</button>
                <button type="button" className="secondary" disabled={busy} onClick={() => setPicture(null)}>Cancel</button>
              </div>
            </div>
          ) : !target ? (
            <div className={styles.dropZone} data-testid="project-drop">
              Drop a picture of your character here, or choose one. Any size: you frame the face next,
              the tagger guesses its tags, then the generator searches for the avatar that looks like it.
            </div>
          ) : (
            <div className={styles.panels}>
              <figure className={styles.panel}>
                <AvatarCanvas image={target} label="The face to find" testId="project-target" />
                <figcaption>target · {params.target?.name}</figcaption>
              </figure>
              <figure className={styles.panel}>
                {shown ? <AvatarCanvas image={shown} label="What the generator draws" testId="project-result" /> : <div className={styles.placeholder}>—</div>}
                <figcaption data-testid="project-info">
                  {running
                    ? `step ${run.step}/${run.steps} · ${elapsed.toFixed(1)} s · ${run.where === "worker" ? "in a worker" : "on the page's thread"}`
                    : params.result
                      ? sameModel
                        ? `${params.result.psnr.toFixed(1)} dB · ${params.result.projected.space} · ${params.result.stepsDone} steps${params.result.stopped ? " (stopped)" : ""}`
                        : `found with ${params.result.model.name}; find again for this model`
                      : "press Find my character"}
                </figcaption>
              </figure>
              <figure className={styles.panel}>
                <LossChart losses={run.status === "failed" ? [] : run.losses} steps={running ? run.steps : run.status === "idle" ? run.lastSteps : params.steps} />
                <figcaption>{running && run.losses.length ? `loss ${run.losses[run.losses.length - 1].toPrecision(3)}` : "loss"}</figcaption>
                {running && <progress max={run.steps} value={run.step} className={styles.progress} data-testid="project-progress" />}
              </figure>
            </div>
          )}
          {run.status === "failed" && <p className="error-text" role="alert" data-testid="project-error">{run.error}</p>}
        </div>
      </div>
    </section>
  );
}
