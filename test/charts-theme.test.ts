/** Chart colours read on the chart background (app/charts/chartTheme.ts). */
import { describe, expect, it } from "vitest";
import { CHART, contrastRatio, tagColour, tagTextColour } from "@/app/charts/chartTheme";

describe("tag colours as text", () => {
  const tags = ["aqua", "black", "blonde", "blue", "brown", "gray", "green", "orange", "pink", "purple", "red", "white"].map((c) => `${c} hair`);

  it("every tag label reads on the chart background (WCAG AA, 4.5:1)", () => {
    for (const tag of tags) expect(contrastRatio(tagTextColour(tag), CHART.background), tag).toBeGreaterThanOrEqual(4.5);
  });

  it("keeps the swatch where it already reads, and lifts black hair", () => {
    expect(tagTextColour("blonde hair")).toBe(tagColour("blonde hair"));
    expect(contrastRatio(tagColour("black hair"), CHART.background)).toBeLessThan(2);
    expect(tagTextColour("black hair")).not.toBe(tagColour("black hair"));
  });

  it("computes WCAG contrast: white on black is 21:1", () => {
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 5);
  });
});
