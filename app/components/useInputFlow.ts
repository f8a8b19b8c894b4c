"use client";

import { useCallback, useMemo, useRef, useState } from "react";
import { cellKind } from "@/app/cells/registry";
import type { CellProps } from "@/app/cells/types";
import { inputSources } from "@/lib/notebook/inputFlow";
import type { NotebookCell } from "@/lib/notebook/schema";
import type { AvatarRecipe } from "@/lib/recipe/recipe";

type Flow = Pick<CellProps<unknown>, "input" | "inputFrom">;

/**
 * Avatars flowing down the notebook: what each cell publishes (setOutput), which cell was
 * touched last (touch, on any pointer or key interaction inside it), and from those the input
 * of every cell (lib/notebook/inputFlow.ts: the avatar picked last above it).
 */
export function useInputFlow(cells: readonly NotebookCell[]) {
  const [outputs, setOutputs] = useState<Record<string, AvatarRecipe | null>>({});
  const [touched, setTouched] = useState<Record<string, number>>({});
  const touchCounter = useRef(0);

  const setOutput = useCallback((id: string, recipe: AvatarRecipe | null) => {
    setOutputs((last) => (last[id] === recipe || (last[id] == null && recipe == null) ? last : { ...last, [id]: recipe }));
  }, []);
  const touch = useCallback((id: string) => {
    setTouched((last) => (last[id] === touchCounter.current ? last : { ...last, [id]: ++touchCounter.current }));
  }, []);

  const flows = useMemo((): Flow[] => {
    const sources = inputSources(cells.map((cell) => ({ id: cell.id, pipeline: cellKind(cell.kind)?.pipeline ?? false })),
      (id) => outputs[id] != null, touched);
    return sources.map(({ from }) => (from === null
      ? { input: null, inputFrom: null }
      : { input: outputs[cells[from].id] ?? null, inputFrom: { index: from, title: cells[from].title } }));
  }, [cells, outputs, touched]);

  return { flows, setOutput, touch };
}
