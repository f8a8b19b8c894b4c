"use client";
/**
 * The editor's adjustment sliders (saturation, brightness, contrast, hue, sharpen) in a
 * tweakpane pane. Tweakpane touches the DOM, so it is imported dynamically inside the effect
 * that also disposes it. Dragging previews (`ev.last` false); releasing commits one undo step.
 */

import { useEffect, useRef } from "react";
import { ADJUSTMENT_NAMES, ADJUSTMENT_RANGES, type AdjustmentName } from "@/lib/recipe/editOps";

export type AdjustmentValues = Record<AdjustmentName, number>;

interface Props {
  values: AdjustmentValues;
  onPreview(name: AdjustmentName, value: number): void;
  onCommit(name: AdjustmentName, value: number): void;
}

const STEPS: Record<AdjustmentName, number> = { saturation: 0.01, brightness: 0.01, contrast: 0.01, hue: 1, sharpen: 0.05 };

interface PaneHandle {
  refresh(): void;
  dispose(): void;
}

export default function AdjustmentPane({ values, onPreview, onCommit }: Props) {
  const container = useRef<HTMLDivElement>(null);
  // Tweakpane binds to a mutable object; it mirrors `values` and is refreshed on undo/redo.
  const bound = useRef<AdjustmentValues>({ ...values });
  const pane = useRef<PaneHandle | null>(null);
  const syncing = useRef(false);
  const callbacks = useRef({ onPreview, onCommit });
  callbacks.current = { onPreview, onCommit };

  useEffect(() => {
    let disposed = false;
    let created: PaneHandle | null = null;
    void import("tweakpane").then(({ Pane }) => {
      if (disposed || !container.current) return;
      const p = new Pane({ container: container.current, title: "Adjust" });
      for (const name of ADJUSTMENT_NAMES) {
        const [min, max] = ADJUSTMENT_RANGES[name];
        p.addBinding(bound.current, name, { min, max, step: STEPS[name], label: name }).on("change", (ev) => {
          if (syncing.current) return;
          const value = Number(ev.value);
          if (ev.last) callbacks.current.onCommit(name, value);
          else callbacks.current.onPreview(name, value);
        });
      }
      created = p;
      pane.current = p;
    });
    return () => {
      disposed = true;
      created?.dispose();
      pane.current = null;
    };
  }, []);

  useEffect(() => {
    const changed = ADJUSTMENT_NAMES.some((name) => bound.current[name] !== values[name]);
    if (!changed) return;
    Object.assign(bound.current, values);
    syncing.current = true; // a refresh is not the user moving a slider
    try {
      pane.current?.refresh();
    } finally {
      syncing.current = false;
    }
  }, [values]);

  return <div ref={container} data-testid="edit-adjustments" />;
}
