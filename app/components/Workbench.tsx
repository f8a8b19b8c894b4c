"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import AvatarGrid from "./AvatarGrid";
import Controls from "./Controls";
import {
  disposeEngine,
  generateAvatars,
  loadEngine,
  planAvatars,
  type Engine,
  type GenerateSettings,
  type LoadProgress,
} from "./engine";
import Lightbox from "./Lightbox";
import LoadingScreen from "./LoadingScreen";
import MissingWeights from "./MissingWeights";
import { shownAvatars, type RunState } from "./runState";
import StatusBar from "./StatusBar";

type Phase =
  | { kind: "loading"; progress: LoadProgress }
  | { kind: "failed"; error: unknown }
  | { kind: "ready"; engine: Engine };


const DEFAULT_SETTINGS: GenerateSettings = { seedsText: "0-15", choices: {}, psi: 0.7 };

/**
 * The workbench page: loads the generator once, then turns settings into a grid of avatars.
 * A result that arrives after a newer Generate was asked for is dropped (a version counter).
 */
export default function Workbench({ modelUrl }: { modelUrl: string }) {
  const [phase, setPhase] = useState<Phase>({
    kind: "loading",
    progress: { stage: "Starting", fraction: 0 },
  });
  const [settings, setSettings] = useState<GenerateSettings>(DEFAULT_SETTINGS);
  const [run, setRun] = useState<RunState>({ state: "idle" });
  const [selected, setSelected] = useState<number | null>(null);
  const runVersion = useRef(0);

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

  const generate = useCallback(
    async (next: GenerateSettings) => {
      if (!engine) return;
      const version = ++runVersion.current;
      let plan: ReturnType<typeof planAvatars>;
      try {
        plan = planAvatars(engine, next);
      } catch (err) {
        setRun({ state: "error", message: err instanceof Error ? err.message : String(err) });
        return;
      }
      const count = plan.seeds.length;
      setRun((last) => ({ state: "rendering", count, done: 0, previous: shownAvatars(last) }));
      setSelected(null);
      try {
        const started = performance.now();
        const avatars = await generateAvatars(engine, plan.seeds, plan.tags, next.psi, (done) => {
          if (version === runVersion.current) setRun((last) => (last.state === "rendering" ? { ...last, done } : last));
        });
        const ms = performance.now() - started;
        if (version !== runVersion.current) return;
        console.info(`[avatargan] ${avatars.length} avatars in ${ms.toFixed(1)} ms on ${engine.backend.name}`);
        setRun({ state: "ready", avatars, ms, version });
      } catch (err) {
        if (version !== runVersion.current) return;
        setRun({ state: "error", message: err instanceof Error ? err.message : String(err) });
      }
    },
    [engine],
  );

  // The first grid, so the page shows avatars as soon as the model is ready.
  useEffect(() => {
    if (engine) void generate(DEFAULT_SETTINGS);
  }, [engine, generate]);

  if (phase.kind === "loading") return <LoadingScreen progress={phase.progress} />;
  if (phase.kind === "failed") return <MissingWeights error={phase.error} modelUrl={modelUrl} />;

  const avatars = shownAvatars(run);
  const onGenerate = (next: GenerateSettings) => {
    setSettings(next);
    void generate(next);
  };
  return (
    <>
      <main className="workbench">
        <Controls
          vocab={phase.engine.vocab}
          settings={settings}
          busy={run.state === "rendering"}
          onChange={setSettings}
          onGenerate={onGenerate}
        />
        <AvatarGrid run={run} onSelect={setSelected} />
      </main>
      <StatusBar engine={phase.engine} run={run} />
      {selected !== null && avatars[selected] && (
        <Lightbox
          avatar={avatars[selected]}
          position={selected}
          total={avatars.length}
          onNavigate={setSelected}
          onClose={() => setSelected(null)}
        />
      )}
    </>
  );
}
