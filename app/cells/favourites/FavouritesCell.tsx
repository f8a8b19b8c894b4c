"use client";

import { useEffect, useRef, useState, type ChangeEvent } from "react";
import AvatarCanvas from "@/app/components/AvatarCanvas";
import { downloadBytes } from "@/app/components/download";
import Lightbox from "@/app/components/Lightbox";
import { useNotebook } from "@/app/components/notebookContext";
import { shownAvatars } from "@/app/components/runState";
import { useRenderRun } from "@/app/components/useRenderRun";
import { avatarPng, favouritesZip, type RenderedAvatar } from "@/lib/edit/export";
import type { FavouritesParams } from "./spec";
import { notebookFileName, serializeNotebook } from "@/lib/notebook/io";
import { recipeVocabularyProblem } from "@/lib/notebook/vocabularyCheck";
import { recipeKey } from "@/lib/notebook/recipeJson";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import type { CellProps } from "@/app/cells/types";
import styles from "./FavouritesCell.module.css";
import { importFavourites } from "./importFavourites";
import { usePublishedOutput } from "@/app/cells/shared/usePublishedOutput";
import { distinctCaptions } from "@/lib/recipe/describe";

/**
 * The favourites tray: every starred avatar, rendered from its recipe. Tick avatars to export
 * them as a ZIP (PNG + JSON each, and the notebook), save one as a PNG carrying its recipe,
 * or import exported .json/.png files back (they render the same pixels).
 */
export default function FavouritesCell({ params, onParamsChange, engine, favourites, onOutput }: CellProps<FavouritesParams>) {
  const notebook = useNotebook();
  const { state, run } = useRenderRun(engine);
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [zoomed, setZoomed] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  // A favourite this model cannot render (a tag it lacks) is shown as broken, with its reason
  // and a remove button, and kept out of the render, so one bad entry never empties the tray.
  const broken = favourites.all
    .map((recipe) => ({ recipe, problem: recipeVocabularyProblem(recipe, engine.vocab) }))
    .filter((entry): entry is { recipe: AvatarRecipe; problem: string } => entry.problem !== null);
  const renderable = favourites.all.filter((recipe) => recipeVocabularyProblem(recipe, engine.vocab) === null);
  const listKey = JSON.stringify(renderable);
  useEffect(() => {
    void run(() => JSON.parse(listKey) as AvatarRecipe[]);
  }, [listKey, run]);

  const avatars = state.state === "ready" ? state.avatars : shownAvatars(state);
  const selected = params.selected !== null && params.selected < renderable.length ? params.selected : null;
  usePublishedOutput(onOutput, selected !== null ? renderable[selected] : null);

  const ticked = renderable.filter((r) => !unticked.has(recipeKey(r)));
  const toggleTick = (key: string) =>
    setUnticked((last) => {
      const next = new Set(last);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const exportZip = async () => {
    if (ticked.length === 0) return;
    setBusy(true);
    setMessage(null);
    try {
      const ready = new Map(avatars.map((a) => [recipeKey(a.recipe), a]));
      const missing = ticked.filter((r) => !ready.has(recipeKey(r)));
      const rendered = missing.length > 0 ? await engine.render(missing) : [];
      missing.forEach((recipe, i) => ready.set(recipeKey(recipe), { recipe, image: rendered[i] }));
      const chosen = ticked.map((r) => ready.get(recipeKey(r)) as RenderedAvatar);
      const zip = favouritesZip(chosen, serializeNotebook(notebook));
      downloadBytes(zip, notebookFileName(notebook).replace(/\.avatargan\.json$/, "-favourites.zip"), "application/zip");
      setMessage({ text: `Exported ${chosen.length} avatar${chosen.length === 1 ? "" : "s"}.`, error: false });
    } catch (err) {
      setMessage({ text: `Export failed: ${err instanceof Error ? err.message : String(err)}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  const importFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = "";
    setMessage(await importFavourites(files, { vocab: engine.vocab, ref: engine.modelRef }, favourites.add));
  };

  // Every favourite reads differently, even two of one seed (other tags, edits, or truncation).
  const captions = distinctCaptions(avatars.map((a) => a.recipe));

  return (
    <div className={styles.tray} data-testid="favourites" data-count={favourites.all.length} data-state={state.state} data-run={state.state === "ready" ? state.version : undefined}>
      {favourites.all.length === 0 && (
        <p className="muted" data-testid="favourites-empty">No favourites yet: star avatars (☆) in any cell, and they gather here for export.</p>
      )}
      <div className={styles.toolbar} data-panel="controls">
        <span className="muted" data-testid="favourites-status">
          {favourites.all.length === 0
            ? ""
            : `${favourites.all.length} favourite${favourites.all.length === 1 ? "" : "s"}, ${ticked.length} ticked for export` +
              (broken.length > 0 ? `, ${broken.length} cannot render with this model` : "")}
          {state.state === "rendering" && ` · rendering ${state.done}/${state.count}…`}
        </span>
        <span className="spacer" />
        <button type="button" className="secondary" onClick={() => fileInput.current?.click()} data-testid="import-avatar">
          Import avatar…
        </button>
        <input ref={fileInput} type="file" accept=".json,.png,.zip,application/json,image/png,application/zip" multiple hidden onChange={importFiles} data-testid="import-avatar-input" />
        <button type="button" className="primary" onClick={exportZip} disabled={busy || ticked.length === 0} data-testid="export-zip">
          {busy ? "Exporting…" : `Export ZIP (${ticked.length})`}
        </button>
      </div>
      {message && (
        <p className={message.error ? "error-text" : "muted"} role="status" data-testid="favourites-message">
          {message.text}
        </p>
      )}
      {state.state === "error" && <p className="error-text" role="alert">{state.message}</p>}
      <ul className={styles.items} style={{ ["--thumb" as string]: `${params.thumbnailSize}px` }}>
        {avatars.map((avatar, index) => {
          const key = recipeKey(avatar.recipe);
          const caption = captions[index];
          return (
            <li key={key} className={`${styles.item}${selected === index ? ` ${styles.selected}` : ""}`} data-testid="favourite">
              <button type="button" className={styles.thumb} onClick={() => onParamsChange({ ...params, selected: selected === index ? null : index })} onDoubleClick={() => setZoomed(index)} aria-pressed={selected === index}>
                <AvatarCanvas image={avatar.image} label={`Favourite ${caption}`} testId="favourite-canvas" />
              </button>
              <p className={styles.caption} title={caption} data-testid="favourite-caption">{caption}</p>
              <div className={styles.itemBar} data-panel="controls">
                <input type="checkbox" checked={!unticked.has(key)} onChange={() => toggleTick(key)} aria-label={`Export seed ${avatar.recipe.seed}`} data-testid="favourite-tick" />
                <span className="spacer" />
                <button type="button" className="icon-button" title="Save PNG (recipe embedded)" aria-label={`Save seed ${avatar.recipe.seed} as PNG`} onClick={() => downloadBytes(avatarPng(avatar), `avatar-${avatar.recipe.seed}.png`, "image/png")} data-testid="favourite-png">
                  ⤓
                </button>
                <button type="button" className="icon-button star is-on" title="Remove from favourites" aria-label={`Unstar seed ${avatar.recipe.seed}`} onClick={() => favourites.toggle(avatar.recipe)} data-testid="favourite-unstar">
                  ★
                </button>
              </div>
            </li>
          );
        })}
        {broken.map(({ recipe, problem }) => (
          <li key={`broken-${recipeKey(recipe)}`} className={`${styles.item} ${styles.broken}`} data-testid="favourite-broken">
            <div className={styles.brokenThumb} role="img" aria-label={`Favourite seed ${recipe.seed} cannot render`}>
              <span>cannot render: {problem}</span>
            </div>
            <div className={styles.itemBar}>
              <span className="avatar-seed">#{recipe.seed}</span>
              <span className="spacer" />
              <button type="button" className="icon-button" title="Remove this favourite" aria-label={`Remove broken favourite seed ${recipe.seed}`} onClick={() => favourites.toggle(recipe)} data-testid="favourite-remove-broken">
                ✕
              </button>
            </div>
          </li>
        ))}
      </ul>
      {zoomed !== null && avatars[zoomed] && (
        <Lightbox avatar={avatars[zoomed]} position={zoomed} total={avatars.length} onNavigate={setZoomed} onClose={() => setZoomed(null)} />
      )}
    </div>
  );
}
