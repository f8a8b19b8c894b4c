/** Undo/redo of edit lists, and how the editor's controls change a list. */
import { describe, expect, it } from "vitest";
import { appendFlip, appendRotate, adjustmentIn, describeEdit, setAdjustment } from "@/lib/edit/editList";
import { canRedo, canUndo, commit, createHistory, HISTORY_LIMIT, preview, redo, undo } from "@/lib/edit/history";
import type { EditOp } from "@/lib/recipe/editOps";

const flipH: EditOp = { op: "flip", axis: "horizontal" };
const sat = (amount: number): EditOp => ({ op: "saturation", amount });

describe("history", () => {
  it("undo and redo walk the committed lists", () => {
    let h = createHistory();
    expect(canUndo(h)).toBe(false);
    h = commit(h, [flipH]);
    h = commit(h, [flipH, sat(0.5)]);
    expect(h.present).toEqual([flipH, sat(0.5)]);
    h = undo(h);
    expect(h.present).toEqual([flipH]);
    h = undo(h);
    expect(h.present).toEqual([]);
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(h);
    h = redo(h);
    expect(h.present).toEqual([flipH, sat(0.5)]);
    expect(canRedo(h)).toBe(false);
    expect(redo(h)).toBe(h);
  });

  it("a new commit after undo drops the redo branch", () => {
    let h = commit(commit(createHistory(), [flipH]), [flipH, sat(0.5)]);
    h = commit(undo(h), [flipH, sat(-0.5)]);
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toEqual([flipH]);
  });

  it("previews (a dragged slider) make one undo step when committed", () => {
    let h = commit(createHistory(), [flipH]);
    for (const a of [0.1, 0.2, 0.3]) h = preview(h, [flipH, sat(a)]);
    expect(h.present).toEqual([flipH, sat(0.3)]);
    h = commit(h);
    expect(undo(h).present).toEqual([flipH]);
    expect(undo(undo(h)).present).toEqual([]);
  });

  it("committing the committed list is no step; undo after an uncommitted preview goes to the last commit's parent", () => {
    let h = commit(createHistory(), [flipH]);
    expect(commit(h, [flipH]).past.length).toBe(1);
    h = preview(h, [flipH, sat(0.9)]);
    expect(undo(h).present).toEqual([]);
  });

  it("keeps at most HISTORY_LIMIT steps", () => {
    let h = createHistory();
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) h = commit(h, [sat(((i % 100) + 1) / 100), { op: "hue", degrees: i % 180 }]);
    expect(h.past.length).toBe(HISTORY_LIMIT);
  });
});

describe("editor controls on a list", () => {
  it("a slider updates its op in place, 0 removes it", () => {
    let edits: EditOp[] = [sat(0.2), flipH];
    edits = setAdjustment(edits, "saturation", 0.4);
    expect(edits).toEqual([sat(0.4), flipH]);
    expect(adjustmentIn(edits, "saturation")).toBe(0.4);
    edits = setAdjustment(edits, "hue", 30);
    expect(edits).toEqual([sat(0.4), flipH, { op: "hue", degrees: 30 }]);
    expect(adjustmentIn(edits, "hue")).toBe(30);
    edits = setAdjustment(edits, "saturation", 0);
    expect(edits).toEqual([flipH, { op: "hue", degrees: 30 }]);
    expect(adjustmentIn(edits, "brightness")).toBe(0);
    expect(setAdjustment(edits, "brightness", 0)).toEqual(edits);
  });

  it("rotations fold: 1 + 1 = 2, 2 + 2 = none", () => {
    let edits = appendRotate([flipH], 1);
    edits = appendRotate(edits, 1);
    expect(edits).toEqual([flipH, { op: "rotate", quarterTurns: 2 }]);
    expect(appendRotate(edits, 2)).toEqual([flipH]);
  });

  it("the same flip twice cancels; different axes stack", () => {
    expect(appendFlip([flipH], "horizontal")).toEqual([]);
    expect(appendFlip([flipH], "vertical")).toEqual([flipH, { op: "flip", axis: "vertical" }]);
  });
});

describe("describeEdit", () => {
  it("says each op in a short line", () => {
    expect(describeEdit({ op: "crop", x: 8, y: 0, width: 64, height: 64 })).toBe("crop 64×64 at (8, 0)");
    expect(describeEdit({ op: "scale", width: 128, height: 96 })).toBe("scale to 128×96");
    expect(describeEdit({ op: "rotate", quarterTurns: 3 })).toBe("rotate 270° clockwise");
    expect(describeEdit(flipH)).toBe("flip horizontal");
    expect(describeEdit({ op: "hue", degrees: 30 })).toBe("hue +30°");
    expect(describeEdit({ op: "contrast", amount: -0.25 })).toBe("contrast -0.25");
  });
});
