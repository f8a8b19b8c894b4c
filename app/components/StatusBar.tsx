import type { Engine } from "./engine";
import { useOfflineState } from "./useOfflineState";

const OFFLINE_LABELS = {
  ready: { text: "Works offline", title: "The app, its WASM binaries and the models are cached: it starts without a network, and can be installed" },
  installing: { text: "Caching for offline use…", title: "Keeping the app and the models so that it starts without a network" },
  failed: { text: "Online only", title: "The offline cache could not be set up (see the console)" },
} as const;

/** Which backend runs the model, and which model. */
export default function StatusBar({ engine, saved }: { engine: Engine; saved?: string }) {
  const { backend } = engine;
  const offline = useOfflineState();
  return (
    <footer className="status-bar" data-testid="status-bar" data-render={engine.renderWhere}>
      <span className="status-item" title={[...backend.tried.map((t) => `${t.name}: ${t.ok ? "in use" : t.reason}`),
        engine.renderWhere === "worker" ? "avatars, the tagger and Find my character run in a worker" : "avatars, the tagger and Find my character run on the page's thread (no worker started)"].join("\n")}>
        <span className={`dot ${backend.software || !isGpu(backend.name) ? "dot-warn" : "dot-ok"}`} aria-hidden="true" />
        Backend <strong data-testid="backend-name">{backend.name}</strong>
        {backend.software && (
          <span className="badge badge-warn" data-testid="backend-software" title="A software adapter: correct, not fast">
            software
          </span>
        )}
      </span>
      {backend.detail && (
        <span className="status-item muted" data-testid="backend-detail">
          {backend.detail}
        </span>
      )}
      <span className="status-item muted">
        Model <strong>{engine.modelName}</strong>
        {engine.resolution > 0 && ` · ${engine.resolution}×${engine.resolution}`}
      </span>
      {offline !== "unsupported" && (
        <span className="status-item muted" title={OFFLINE_LABELS[offline].title} data-testid="offline-state" data-state={offline}>
          {OFFLINE_LABELS[offline].text}
        </span>
      )}
      {saved && (
        <span
          className={`status-item status-right ${saved.startsWith("Autosave failed") ? "error-text" : "muted"}`}
          role={saved.startsWith("Autosave failed") ? "alert" : undefined}
          data-testid="autosave-status"
        >
          {saved}
        </span>
      )}
    </footer>
  );
}

export function isGpu(name: Engine["backend"]["name"]): boolean {
  return name === "webgpu" || name === "webgl";
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
