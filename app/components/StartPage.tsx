"use client";

import { useEffect, useRef, useState, type ChangeEvent } from "react";
import type { LoadedNotebook } from "@/lib/notebook/io";
import { parseNotebookText } from "@/lib/notebook/io";
import { forgetRecent, recentNotebooks, type RecentNotebook } from "@/lib/notebook/recent";
import type { ShippedNotebook } from "./shipped";

interface StartPageProps {
  shipped: readonly ShippedNotebook[];
  onNew(): void;
  onOpen(loaded: LoadedNotebook, source: string): void;
  /** Why the last open failed or the autosaved draft could not be restored. */
  message?: string | null;
}

/** The app's first screen: a new notebook, one from a file, or one that ships with the app. */
export default function StartPage({ shipped, onNew, onOpen, message }: StartPageProps) {
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [recent, setRecent] = useState<RecentNotebook[]>([]);
  useEffect(() => setRecent(recentNotebooks(window.localStorage)), []); // localStorage: client only
  const forget = (index: number) => {
    forgetRecent(window.localStorage, index);
    setRecent(recentNotebooks(window.localStorage));
  };

  const open = (text: string, source: string) => {
    try {
      onOpen(parseNotebookText(text), source);
    } catch (err) {
      setError(`${source} could not be opened: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const openFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) open(await file.text(), file.name);
  };

  return (
    <main className="start-page" data-testid="start-page">
      <section className="card start-actions">
        <h2>Start</h2>
        <div className="row">
          <button type="button" className="primary" onClick={onNew} data-testid="new-notebook">
            New notebook
          </button>
          <button type="button" className="secondary" onClick={() => fileInput.current?.click()} data-testid="open-notebook">
            Open file…
          </button>
          <input ref={fileInput} type="file" accept=".json,application/json" hidden onChange={openFile} data-testid="open-notebook-input" />
        </div>
        {(error ?? message) && (
          <p className="error-text" role="alert" data-testid="open-error">
            {error ?? message}
          </p>
        )}
      </section>
      {recent.length > 0 && (
        <section className="start-recent" data-testid="recent-notebooks">
          <h2>Recent notebooks</h2>
          <ul className="recent-list">
            {recent.map((r, i) => (
              <li key={`${r.closedAt}-${i}`} className="recent-item">
                <button type="button" className="link-button" onClick={() => open(r.text, r.title)} data-testid="recent-open">
                  {r.title}
                </button>
                <span className="muted">
                  {r.cells} cell{r.cells === 1 ? "" : "s"} · {r.favourites} favourite{r.favourites === 1 ? "" : "s"} · closed {new Date(r.closedAt).toLocaleString()}
                </span>
                <button type="button" className="icon-button" aria-label={`Remove “${r.title}” from the list`} onClick={() => forget(i)}>
                  ✕
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="start-shipped">
        <h2>Notebooks that ship with the app</h2>
        <ul className="shipped-list">
          {shipped.map((nb) => (
            <li key={nb.name}>
              <button type="button" className="card shipped-card" onClick={() => open(nb.text, `${nb.name}.json`)} data-testid={`shipped-${nb.name}`}>
                <strong>{nb.title}</strong>
                <span className="muted">{nb.description}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
