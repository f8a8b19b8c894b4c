import type { LoadProgress } from "./engine";

/** Shown while the backend starts, the weights download and the shaders compile. */
export default function LoadingScreen({ progress }: { progress: LoadProgress }) {
  const percent = Math.round(progress.fraction * 100);
  return (
    <main className="center-screen" data-testid="loading-screen" data-state="loading">
      <div className="card loading-card">
        <div className="spinner" aria-hidden="true" />
        <h2>Loading the generator</h2>
        <p className="muted" data-testid="loading-stage">{progress.stage}</p>
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-label="Loading progress"
        >
          <div className="progress-fill" style={{ width: `${percent}%` }} />
        </div>
        <p className="hint">
          Everything runs on this device; the first run compiles GPU shaders and can take a few seconds.
        </p>
      </div>
    </main>
  );
}
