/** Which avatar flows into each cell (lib/notebook/inputFlow.ts). */
import { describe, expect, it } from "vitest";
import { inputSources, type FlowCell } from "@/lib/notebook/inputFlow";

const cell = (id: string, pipeline = false): FlowCell => ({ id, pipeline });
const all = () => true;

describe("inputSources", () => {
  it("with nothing touched, the nearest cell above with an output flows in", () => {
    const cells = [cell("a"), cell("b"), cell("up", true)];
    expect(inputSources(cells, all, {}).map((s) => s.from)).toEqual([null, 0, 1]);
    expect(inputSources(cells, (id) => id !== "b", {}).map((s) => s.from)).toEqual([null, 0, 0]);
  });

  it("the cell touched last wins over a nearer one", () => {
    const cells = [cell("sample"), cell("interp"), cell("up", true)];
    expect(inputSources(cells, all, { sample: 5, interp: 2 })[2].from).toBe(0);
    expect(inputSources(cells, all, { sample: 5, interp: 7 })[2].from).toBe(1);
  });

  it("a pipeline cell carries its input's recency, so sample -> upscale -> edit stays together", () => {
    const cells = [cell("sample"), cell("later"), cell("up", true), cell("edit", true)];
    const sources = inputSources(cells, all, { sample: 9, later: 3 });
    expect(sources[2].from).toBe(0); // upscale takes the sample cell's pick
    expect(sources[3].from).toBe(2); // edit takes the upscaled avatar, not the raw pick
  });

  it("a cell with no output is never a source", () => {
    const cells = [cell("a"), cell("b")];
    expect(inputSources(cells, () => false, { a: 1 })[1].from).toBeNull();
  });
});
