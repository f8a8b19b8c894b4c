/** The edit cell's saved parameters: defaults, validation naming the field, JSON round trip. */
import { describe, expect, it } from "vitest";
import { editCell } from "@/app/cells/edit/spec";

describe("edit cell params", () => {
  it("defaults to no edits and a square crop", () => {
    expect(editCell.defaults()).toEqual({ edits: [], squareCrop: true });
    expect(editCell.defaults()).not.toBe(editCell.defaults());
  });

  it("round-trips through JSON", () => {
    const params = { edits: [{ op: "rotate", quarterTurns: 1 }, { op: "hue", degrees: 30 }], squareCrop: false };
    expect(editCell.validate(JSON.parse(JSON.stringify(params)))).toEqual(params);
  });

  it("names a bad edit and a bad flag", () => {
    expect(() => editCell.validate({ edits: [{ op: "brightness", amount: 2 }] })).toThrow(
      "params.edits[0].amount: must be a number in [-1, 1], got 2",
    );
    expect(() => editCell.validate({ edits: [], squareCrop: "yes" })).toThrow("params.squareCrop");
    expect(() => editCell.validate("edits")).toThrow("params");
  });

  it("missing fields take their defaults", () => {
    expect(editCell.validate({})).toEqual({ edits: [], squareCrop: true });
  });
});
