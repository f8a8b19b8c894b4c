"use client";

import { useEffect, useLayoutEffect, useRef, type Dispatch, type RefObject, type SetStateAction } from "react";
import type { Decision, ReviewItem } from "./reviewTypes";

const KEY_DECISIONS = new Map<string, Decision | null>([
  ["a", "accept"],
  ["r", "reject"],
  ["u", null],
]);

/** Columns of a CSS grid as laid out now, so up/down arrows move by one row. */
function columnsOf(grid: HTMLElement | null): number {
  if (!grid) return 1;
  return Math.max(1, getComputedStyle(grid).gridTemplateColumns.split(" ").filter(Boolean).length);
}

interface Latest {
  current: ReviewItem | undefined;
  decide(item: ReviewItem, decision: Decision | null): void;
  count: number;
}

/** a = accept, r = reject, u = undo on the current crop; arrow keys move the cursor (up/down by a row). */
export function useReviewKeys(now: Latest, gridRef: RefObject<HTMLDivElement | null>, setCursor: Dispatch<SetStateAction<number>>): void {
  // The key listener is attached once and reads the latest render through this ref, so a key
  // pressed right after another acts on what the screen shows now, not on a stale closure.
  const latest = useRef(now);
  useLayoutEffect(() => {
    latest.current = now;
  });

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target instanceof HTMLElement && event.target.closest("input, textarea, select")) return;
      const { current: item, decide: decideNow, count } = latest.current;
      const columns = columnsOf(gridRef.current);
      const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns };
      const move = moves[event.key];
      if (move !== undefined) {
        event.preventDefault();
        setCursor((c) => Math.min(Math.max(Math.min(c, count - 1) + move, 0), Math.max(count - 1, 0)));
      } else if (item && KEY_DECISIONS.has(event.key)) {
        event.preventDefault();
        decideNow(item, KEY_DECISIONS.get(event.key) ?? null);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [gridRef, setCursor]);
}
