"use client";

import { useEffect, useRef, type RefObject } from "react";
import type { Pane } from "tweakpane";

type Values = Record<string, unknown>;

/**
 * A tweakpane pane bound to a plain copy of `values`, created and disposed with the component
 * (tweakpane touches `window`, so it is imported dynamically, on the client only).
 *
 * `build` adds the bindings once; `onChange(next, last)` gets a fresh copy of the values on
 * every edit, with `last` false while a slider is dragged (preview) and true on release.
 * When `values` change from outside (a notebook loaded, undo), the pane follows without
 * reporting them back as edits.
 */
export function useTweakpane<T extends Values>(
  container: RefObject<HTMLElement | null>,
  values: T,
  build: (pane: Pane, target: T) => void,
  onChange: (next: T, last: boolean) => void,
): void {
  const target = useRef<T>({ ...values });
  const pane = useRef<Pane | null>(null);
  const syncing = useRef(false);
  const changeHandler = useRef(onChange);
  const builder = useRef(build);
  useEffect(() => {
    changeHandler.current = onChange;
  });

  useEffect(() => {
    let disposed = false;
    let created: Pane | null = null;
    void import("tweakpane").then(({ Pane: PaneClass }) => {
      if (disposed || !container.current) return;
      created = new PaneClass({ container: container.current });
      builder.current(created, target.current);
      created.on("change", (event) => {
        if (!syncing.current) changeHandler.current({ ...target.current }, event.last);
      });
      pane.current = created;
    });
    return () => {
      disposed = true;
      created?.dispose();
      pane.current = null;
    };
  }, [container]);

  const serialized = JSON.stringify(values);
  useEffect(() => {
    const next = JSON.parse(serialized) as T;
    if (JSON.stringify(target.current) === serialized) return;
    Object.assign(target.current, next);
    syncing.current = true;
    try {
      pane.current?.refresh();
    } finally {
      syncing.current = false;
    }
  }, [serialized]);
}
