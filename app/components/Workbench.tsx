"use client";

import { useEffect, useState } from "react";
import { clearDraft, readDraft, staleDraftNotice } from "@/lib/notebook/autosave";
import { newNotebook } from "@/lib/notebook/cells";
import { rememberNotebook } from "@/lib/notebook/recent";
import { parseNotebookText, type LoadedNotebook } from "@/lib/notebook/io";
import type { Notebook } from "@/lib/notebook/schema";
import { describeMissingNames, namesMissingFrom } from "@/lib/notebook/vocabularyCheck";
import { ensureServiceWorker } from "@/lib/offline/register";
import { disposeEngine, loadEngine, type Engine, type LoadProgress } from "./engine";
import LoadingScreen from "./LoadingScreen";
import MissingWeights from "./MissingWeights";
import NotebookView from "./NotebookView";
import type { ShippedNotebook } from "./shipped";
import StartPage from "./StartPage";

type Phase =
  | { kind: "loading"; progress: LoadProgress }
  | { kind: "failed"; error: unknown }
  | { kind: "ready"; engine: Engine };

type Screen =
  | { kind: "start"; message: string | null }
  /**
   * `session` remounts the notebook view when another notebook opens; `saved` says the notebook
   * is as its file has it (a restored draft or a new notebook is not).
   */
  | { kind: "notebook"; notebook: Notebook; notices: string[]; session: number; saved: boolean };

/**
 * The app: load the generator once (progress, then help if the weights are missing or broken),
 * then the start page or a notebook. On load it reopens what was open before the reload
 * (the autosaved draft), unless `?notebook=new` or `?notebook=<shipped name>` says otherwise.
 */
export default function Workbench({ modelUrl, shipped }: { modelUrl: string; shipped: readonly ShippedNotebook[] }) {
  const [phase, setPhase] = useState<Phase>({ kind: "loading", progress: { stage: "Starting", fraction: 0 } });
  const [screen, setScreen] = useState<Screen | null>(null);

  useEffect(() => {
    let cancelled = false;
    let loaded: Engine | null = null;
    loadEngine(modelUrl, window.location.search, (progress) => {
      if (!cancelled) setPhase({ kind: "loading", progress });
    })
      .then((engine) => {
        loaded = engine;
        if (cancelled) disposeEngine(engine);
        else setPhase({ kind: "ready", engine });
      })
      .catch((error: unknown) => {
        if (!cancelled) setPhase({ kind: "failed", error });
      });
    return () => {
      cancelled = true;
      disposeEngine(loaded);
    };
  }, [modelUrl]);

  const engine = phase.kind === "ready" ? phase.engine : null;

  useEffect(() => {
    if (engine && screen === null) setScreen(initialScreen(engine, shipped));
  }, [engine, screen, shipped]);

  // Once the model is loaded (not before: caching competes with it), keep the app for offline use.
  useEffect(() => {
    if (engine) void ensureServiceWorker();
  }, [engine]);

  if (phase.kind === "loading") return <LoadingScreen progress={phase.progress} />;
  if (phase.kind === "failed") return <MissingWeights error={phase.error} modelUrl={modelUrl} />;
  if (screen === null) return <LoadingScreen progress={{ stage: "Opening the notebook", fraction: 1 }} />;

  const open = (loaded: LoadedNotebook, source: string) =>
    setScreen({ kind: "notebook", ...opened(phase.engine, loaded, source), session: Date.now(), saved: loaded.migratedFrom === null });
  // A notebook being closed or replaced is kept under Recent notebooks: nothing is lost.
  const keep = (current: Notebook) => rememberNotebook(window.localStorage, current);
  if (screen.kind === "start") {
    return (
      <StartPage
        shipped={shipped}
        message={screen.message}
        onOpen={open}
        onNew={() => setScreen({ kind: "notebook", notebook: newNotebook(phase.engine.modelRef), notices: [], session: Date.now(), saved: false })}
      />
    );
  }
  return (
    <NotebookView
      key={screen.session}
      engine={phase.engine}
      initial={screen.notebook}
      notices={screen.notices}
      initialSaved={screen.saved}
      onClose={(current) => {
        keep(current);
        clearDraft(window.localStorage);
        setScreen({ kind: "start", message: null });
      }}
      onOpen={(loaded, source, current) => {
        keep(current);
        open(loaded, source);
      }}
    />
  );
}

/**
 * Drops `?notebook=` from the address once it has been obeyed: the notebook it opened is then
 * autosaved like any other, and a reload must reopen that draft, not a fresh copy over it.
 */
function forgetNotebookParam(): void {
  const url = new URL(window.location.href);
  url.searchParams.delete("notebook");
  window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
}

function initialScreen(engine: Engine, shipped: readonly ShippedNotebook[]): Screen {
  const asked = new URLSearchParams(window.location.search).get("notebook");
  if (asked === "new") {
    forgetNotebookParam();
    return { kind: "notebook", notebook: newNotebook(engine.modelRef), notices: [], session: 0, saved: false };
  }
  const ship = asked ? shipped.find((s) => s.name === asked) : undefined;
  if (ship) {
    forgetNotebookParam();
    try {
      return { kind: "notebook", ...opened(engine, parseNotebookText(ship.text), `${ship.name}.json`), session: 0, saved: true };
    } catch (err) {
      return { kind: "start", message: `${ship.name}.json could not be opened: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  const draft = readDraft(window.localStorage);
  if (draft.state === "ok") {
    const restored = opened(engine, draft.loaded, null);
    if (draft.stale) restored.notices.unshift(staleDraftNotice(draft.stale));
    return { kind: "notebook", ...restored, session: 0, saved: false };
  }
  if (draft.state === "corrupt") return { kind: "start", message: `The autosaved notebook could not be restored: ${draft.reason}` };
  return { kind: "start", message: asked ? `No shipped notebook is called “${asked}”.` : null };
}

/** The notebook to show, with what to say about it: migrated, or made with another model. */
function opened(engine: Engine, loaded: LoadedNotebook, source: string | null): { notebook: Notebook; notices: string[] } {
  const notices: string[] = [];
  const here = engine.modelRef;
  const { notebook } = loaded;
  if (loaded.migratedFrom !== null) {
    notices.push(`${source ?? "The notebook"} was written by an older version (${loaded.migratedFrom}) and has been upgraded; save it to keep the new format.`);
  }
  if (notebook.model && notebook.model.sha256 !== here.sha256) {
    notices.push(
      `This notebook was made with model “${notebook.model.name}” (${notebook.model.sha256.slice(0, 12)}…), but the loaded model is “${here.name}” (${here.sha256.slice(0, 12)}…): the same seeds will give different avatars.`,
    );
  }
  const unknown = describeMissingNames(namesMissingFrom(notebook, engine.vocab));
  if (unknown) notices.push(unknown);
  return { notebook: notebook.model ? notebook : { ...notebook, model: here }, notices };
}
