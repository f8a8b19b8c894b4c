/**
 * Which avatar flows into each cell: the output of a cell above it, chosen as a person would
 * expect. Among the cells above that have an output, the one the person touched last wins
 * (a click on "#5 aqua hair" in cell 1 sends #5 down even past a later cell's selection); a
 * pipeline cell (Upscale, Edit) counts as touched when its own input was, so the chain
 * sample -> upscale -> edit stays together. With nothing touched yet, the nearest cell above
 * wins, as it always did. Pure, so the notebook view and the tests share it.
 */

export interface FlowCell {
  id: string;
  /** Its output passes its input on (upscaled, edited), so it inherits the input's recency. */
  pipeline: boolean;
}

export interface FlowSource {
  /** Index of the cell whose output flows in, or null when no cell above has one. */
  from: number | null;
}

/**
 * `hasOutput(id)` says whether a cell publishes an avatar now; `touched[id]` is an increasing
 * stamp of the last pointer or key interaction inside the cell.
 */
export function inputSources(cells: readonly FlowCell[], hasOutput: (id: string) => boolean,
                             touched: Readonly<Record<string, number>>): FlowSource[] {
  const recency: number[] = [];
  return cells.map((cell, i) => {
    let from: number | null = null;
    for (let j = 0; j < i; j++) {
      if (!hasOutput(cells[j].id)) continue;
      // >= : on a tie (nothing touched), the nearer cell wins.
      if (from === null || recency[j] >= recency[from]) from = j;
    }
    const own = touched[cell.id] ?? -1;
    recency[i] = cell.pipeline && from !== null ? Math.max(own, recency[from]) : own;
    return { from };
  });
}
