"use client";

/**
 * The review screen: a grid of crops with source and tags; a = accept, r = reject, u = undo,
 * arrow keys move. Each decision is saved at once through /api/review/decision (the screen
 * shows it immediately and takes it back if the save fails).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { FILTERS, filterItems, progressOf, type ReviewFilter } from "./reviewFilter";
import {
  cropUrl,
  type Decision,
  type ReviewItem,
  type ReviewListResponse,
} from "./reviewTypes";
import styles from "./review.module.css";
import { errorText, saveDecision } from "./reviewApi";
import { useReviewKeys } from "./useReviewKeys";

type Loaded = { state: "loading" } | { state: "error"; message: string } | { state: "ready"; list: ReviewListResponse };

export default function ReviewScreen() {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [decisions, setDecisions] = useState<Record<string, Decision>>({});
  const [filter, setFilter] = useState<ReviewFilter>("undecided");
  const [cursor, setCursor] = useState(0);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [pending, setPending] = useState(0);
  const gridRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    fetch("/api/review/list", { cache: "no-store" })
      .then(async (response) => {
        if (!response.ok) throw new Error(await errorText(response));
        return (await response.json()) as ReviewListResponse;
      })
      .then((list) => {
        if (cancelled) return;
        setDecisions(list.decisions);
        setLoaded({ state: "ready", list });
      })
      .catch((err: unknown) => {
        if (!cancelled) setLoaded({ state: "error", message: err instanceof Error ? err.message : String(err) });
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const items = loaded.state === "ready" ? loaded.list.items : [];
  const shown = useMemo(() => filterItems(items, decisions, filter), [items, decisions, filter]);
  const progress = useMemo(() => progressOf(items, decisions), [items, decisions]);
  const current: ReviewItem | undefined = shown[Math.min(cursor, shown.length - 1)];

  const decide = useCallback(
    (item: ReviewItem, decision: Decision | null) => {
      const before = decisions[item.id];
      setDecisions((all) => {
        const next = { ...all };
        if (decision === null) delete next[item.id];
        else next[item.id] = decision;
        return next;
      });
      // In "all" the decided item stays in place, so step on; in a filtered view it leaves and the next slides in.
      if (filter === "all" && decision !== null) setCursor((c) => Math.min(c + 1, shown.length - 1));
      setSaveError(null);
      setPending((n) => n + 1);
      saveDecision({ id: item.id, decision })
        .catch((err: unknown) => {
          setDecisions((all) => {
            const next = { ...all };
            if (before) next[item.id] = before;
            else delete next[item.id];
            return next;
          });
          setSaveError(`could not save the decision for ${item.id}: ${err instanceof Error ? err.message : String(err)}`);
        })
        .finally(() => setPending((n) => n - 1));
    },
    [decisions, filter, shown.length],
  );

  useReviewKeys({ current, decide, count: shown.length }, gridRef, setCursor);

  useEffect(() => {
    gridRef.current?.querySelector<HTMLElement>('[data-current="true"]')?.scrollIntoView({ block: "nearest" });
  }, [cursor, filter, shown.length]);

  if (loaded.state === "loading") return <p className={styles.message}>Loading the review list…</p>;
  if (loaded.state === "error") {
    return (
      <p className={`${styles.message} ${styles.error}`} data-testid="review-error">
        {loaded.message}
      </p>
    );
  }

  const percent = progress.total ? Math.round((100 * progress.decided) / progress.total) : 100;
  return (
    <main className={styles.screen} data-testid="review-screen">
      <div className={styles.toolbar}>
        <div className={styles.filters} role="tablist" aria-label="Show">
          {FILTERS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={filter === name}
              className={filter === name ? styles.filterActive : styles.filter}
              data-testid={`filter-${name}`}
              onClick={() => {
                setFilter(name);
                setCursor(0);
              }}
            >
              {name} ({name === "all" ? progress.total : name === "undecided" ? progress.total - progress.decided : name === "accepted" ? progress.accepted : progress.rejected})
            </button>
          ))}
        </div>
        <div className={styles.progress} data-testid="review-progress">
          <span>
            {progress.decided} of {progress.total} decided · {progress.accepted} accepted · {progress.rejected} rejected
            {pending > 0 ? " · saving…" : ""}
          </span>
          <span className={styles.bar} aria-hidden="true">
            <span className={styles.barFill} style={{ width: `${percent}%` }} />
          </span>
        </div>
        <p className={styles.keys}>
          <kbd>a</kbd> accept · <kbd>r</kbd> reject · <kbd>u</kbd> undo · <kbd>←</kbd>
          <kbd>→</kbd>
          <kbd>↑</kbd>
          <kbd>↓</kbd> move · dataset <code>{loaded.list.dataset}</code>
        </p>
      </div>
      {saveError && (
        <p className={`${styles.message} ${styles.error}`} role="alert" data-testid="review-save-error">
          {saveError}
        </p>
      )}
      {shown.length === 0 ? (
        <p className={styles.message} data-testid="review-empty">
          {filter === "undecided" && progress.total > 0 ? "Every crop is decided. " : "Nothing to show here. "}
          Pack them with <code>python -m avatargan prepare pack</code>.
        </p>
      ) : (
        <div className={styles.grid} ref={gridRef} data-testid="review-grid">
          {shown.map((item, index) => {
            const decision = decisions[item.id];
            const isCurrent = item === current;
            return (
              <figure
                key={item.id}
                className={[styles.tile, decision ? styles[decision] : "", isCurrent ? styles.current : ""].join(" ")}
                data-testid="review-tile"
                data-id={item.id}
                data-decision={decision ?? "undecided"}
                data-current={isCurrent}
                onClick={() => setCursor(index)}
              >
                {/* a plain img: the crops are tiny PNGs from our own route, shown pixel for pixel */}
                <img className={styles.crop} src={cropUrl(item.crop)} alt={`crop ${item.id}`} loading="lazy" />
                <figcaption className={styles.caption}>
                  <span className={styles.source} title={`${item.image} (${item.source})`}>
                    {item.image}
                  </span>
                  <span className={styles.tags}>{item.tags.length ? item.tags.join(" · ") : "untagged"}</span>
                </figcaption>
                <div className={styles.actions}>
                  <button type="button" data-testid="accept" aria-pressed={decision === "accept"} onClick={() => decide(item, "accept")}>
                    Accept
                  </button>
                  <button type="button" data-testid="reject" aria-pressed={decision === "reject"} onClick={() => decide(item, "reject")}>
                    Reject
                  </button>
                </div>
              </figure>
            );
          })}
        </div>
      )}
    </main>
  );
}
