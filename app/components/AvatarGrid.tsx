import AvatarCanvas from "./AvatarCanvas";
import { formatMs } from "./StatusBar";
import { shownAvatars, type RunState } from "./runState";

/**
 * The grid of generated avatars. `data-state` is "ready" once a grid has rendered (tests wait
 * on it, with `data-run` counting grids); `data-ms` and `data-count` give the time the last grid
 * took to generate.
 */
export default function AvatarGrid({ run, onSelect }: { run: RunState; onSelect: (index: number) => void }) {
  const avatars = shownAvatars(run);
  return (
    <section
      className="grid-panel"
      data-testid="avatar-grid"
      data-state={run.state}
      data-ms={run.state === "ready" ? run.ms.toFixed(2) : undefined}
      data-count={run.state === "ready" ? run.avatars.length : undefined}
      data-run={run.state === "ready" ? run.version : undefined}
    >
      <div className="grid-header">
        <h2 className="panel-title">Avatars</h2>
        <span className="muted" data-testid="grid-status" aria-live="polite">
          {run.state === "idle" && "Waiting for the model"}
          {run.state === "rendering" &&
            `Generating ${run.count} avatar${run.count === 1 ? "" : "s"}…${run.count > 1 ? ` ${run.done}/${run.count}` : ""}`}
          {run.state === "ready" && `${run.avatars.length} avatar${avatars.length === 1 ? "" : "s"} in ${formatMs(run.ms)}`}
          {run.state === "error" && "Nothing generated"}
        </span>
      </div>
      {run.state === "error" && (
        <p className="error-text" role="alert" data-testid="grid-error">
          {run.message}
        </p>
      )}
      <ul className={`avatar-grid${run.state === "rendering" ? " is-busy" : ""}`}>
        {avatars.map((avatar, index) => (
          <li key={`${avatar.seed}-${index}`}>
            <button type="button" className="avatar-tile" onClick={() => onSelect(index)} data-testid="avatar-tile">
              <AvatarCanvas
                image={avatar.image}
                label={`Avatar for seed ${avatar.seed}: ${avatar.tags.join(", ") || "no tags"}`}
                testId="avatar-canvas"
              />
              <span className="avatar-caption">
                <span className="avatar-seed">#{avatar.seed}</span>
                <span className="avatar-tags">{avatar.tags.join(" · ") || "no tags"}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
