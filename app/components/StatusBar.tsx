import type { Engine } from "./engine";
import type { RunState } from "./runState";

/** Which backend runs the model, and how long the last grid took. */
export default function StatusBar({ engine, run }: { engine: Engine; run: RunState }) {
  const { backend } = engine;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-item" title={backend.tried.map((t) => `${t.name}: ${t.ok ? "in use" : t.reason}`).join("\n")}>
        <span className={`dot ${backend.software ? "dot-warn" : "dot-ok"}`} aria-hidden="true" />
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
      <span className="status-item status-right muted" data-testid="timing">
        {run.state === "ready" && `${run.avatars.length} in ${formatMs(run.ms)} (${formatMs(run.ms / Math.max(1, run.avatars.length))} each)`}
        {run.state === "rendering" && `Generating ${run.count}…`}
      </span>
    </footer>
  );
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}
