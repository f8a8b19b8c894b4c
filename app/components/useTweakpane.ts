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
 * reporting them back as edits. `structure` names what the bindings are made of (e.g. the list
 * of sliders): when it changes, the pane is built anew for the new set of values.
 */
export function useTweakpane<T extends Values>(
  container: RefObject<HTMLElement | null>,
  values: T,
  build: (pane: Pane, target: T) => void,
  onChange: (next: T, last: boolean) => void,
  structure = "",
): void {
  const target = useRef<T>({ ...values });
  const latest = useRef<T>(values);
  const pane = useRef<Pane | null>(null);
  const syncing = useRef(false);
  const changeHandler = useRef(onChange);
  const builder = useRef(build);
  useEffect(() => {
    changeHandler.current = onChange;
    builder.current = build;
    latest.current = values;
  });

  useEffect(() => {
    let disposed = false;
    let created: Pane | null = null;
    void import("tweakpane").then(({ Pane: PaneClass }) => {
      if (disposed || !container.current) return;
      // A rebuilt pane starts from the values of this render, not from the last pane's target.
      target.current = { ...latest.current };
      created = new PaneClass({ container: container.current });
      builder.current(created, target.current);
      // Tweakpane's buttons (the fold button above all) have no type, so inside a <form> they are
      // submit buttons: Enter in any field of the form "clicked" the first one and folded the pane.
      for (const button of container.current.querySelectorAll("button:not([type])")) button.setAttribute("type", "button");
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
  }, [container, structure]);

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
