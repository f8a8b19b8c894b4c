import type { Engine } from "./engine";

/** Which backend runs the model, and which model. */
export default function StatusBar({ engine, saved }: { engine: Engine; saved?: string }) {
  const { backend } = engine;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-item" title={backend.tried.map((t) => `${t.name}: ${t.ok ? "in use" : t.reason}`).join("\n")}>
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
