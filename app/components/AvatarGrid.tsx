import type { FavouritesAccess } from "@/app/cells/types";
import { describeEdits, describeRecipe } from "@/lib/recipe/describe";
import AvatarCanvas from "./AvatarCanvas";
import { formatMs } from "./StatusBar";
import { shownAvatars, type RunState } from "./runState";

interface AvatarGridProps {
  run: RunState;
  /** Index of the avatar passed down the notebook, highlighted. */
  selected: number | null;
  onSelect(index: number): void;
  onZoom(index: number): void;
  favourites: FavouritesAccess;
  /** Heading of the grid panel. */
  title?: string;
  testId?: string;
}

/**
 * A grid of rendered avatars: click selects (the avatar flows to the cells below), the star
 * adds it to the favourites, the magnifier opens it large. `data-state` is "ready" once a grid
 * has rendered (tests wait on it, with `data-run` counting grids); `data-ms` and `data-count`
 * give what the last grid took.
 */
export default function AvatarGrid({ run, selected, onSelect, onZoom, favourites, title = "Avatars", testId = "avatar-grid" }: AvatarGridProps) {
  const avatars = shownAvatars(run);
  return (
    <section
      className="grid-panel"
      data-testid={testId}
      data-state={run.state}
      data-ms={run.state === "ready" ? run.ms.toFixed(2) : undefined}
      data-count={run.state === "ready" ? run.avatars.length : undefined}
      data-run={run.state === "ready" ? run.version : undefined}
    >
      <div className="grid-header">
        <h3 className="panel-title">{title}</h3>
        <span className="muted" data-testid="grid-status" aria-live="polite">
          {run.state === "idle" && "Nothing rendered yet"}
          {run.state === "rendering" &&
            `Rendering ${run.count} avatar${run.count === 1 ? "" : "s"}…${run.count > 1 ? ` ${run.done}/${run.count}` : ""}`}
          {run.state === "ready" && `${run.avatars.length} avatar${avatars.length === 1 ? "" : "s"} in ${formatMs(run.ms)}`}
          {run.state === "error" && "Nothing rendered"}
        </span>
      </div>
      {run.state === "rendering" && run.count > 1 && (
        <div className="progress progress-thin" role="progressbar" aria-valuemin={0} aria-valuemax={run.count} aria-valuenow={run.done}>
          <div className="progress-fill" style={{ width: `${(100 * run.done) / run.count}%` }} />
        </div>
      )}
      {run.state === "error" && (
        <p className="error-text" role="alert" data-testid="grid-error">
          {run.message}
        </p>
      )}
      <ul className={`avatar-grid${run.state === "rendering" ? " is-busy" : ""}`}>
        {avatars.map(({ recipe, image }, index) => {
          const starred = favourites.isStarred(recipe);
          return (
            <li key={index} className={`avatar-cell${selected === index ? " is-selected" : ""}`}>
              <button
                type="button"
                className="avatar-tile"
                onClick={() => onSelect(index)}
                onDoubleClick={() => onZoom(index)}
                aria-pressed={selected === index}
                data-testid="avatar-tile"
              >
                <AvatarCanvas image={image} label={`Avatar ${describeRecipe(recipe)}`} testId="avatar-canvas" />
                <span className="avatar-caption">
                  {/* The seed and what was done to it: tiles of one seed (frames, edits) read apart. */}
                  <span className="avatar-seed" data-testid="avatar-seed">{[`#${recipe.seed}`, ...describeEdits(recipe)].join(" · ")}</span>
                  <span className="avatar-tags">{recipe.tags.join(" · ") || "no tags"}</span>
                </span>
              </button>
              <div className="tile-actions">
                <button
                  type="button"
                  className={`icon-button star${starred ? " is-on" : ""}`}
                  aria-pressed={starred}
                  aria-label={starred ? `Unstar seed ${recipe.seed}` : `Star seed ${recipe.seed}`}
                  title={starred ? "Remove from favourites" : "Add to favourites"}
                  onClick={() => favourites.toggle(recipe)}
                  data-testid="star"
                >
                  {starred ? "★" : "☆"}
                </button>
                <button type="button" className="icon-button" aria-label={`Open seed ${recipe.seed} large`} title="Open large" onClick={() => onZoom(index)} data-testid="zoom">
                  ⤢
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
