/** A recipe in words (lib/recipe/describe.ts): captions must tell apart the avatars they label. */
import { describe, expect, it } from "vitest";
import { describeRecipe, distinctCaptions } from "@/lib/recipe/describe";
import { makeRecipe } from "@/lib/recipe/recipe";

const model = { name: "m", sha256: "" };
const base = { seed: 5, tags: ["aqua hair", "blue eyes"], psi: 0.7, truncation: "global" as const };

describe("describeRecipe", () => {
  it("a plain avatar is its seed and tags", () => {
    expect(describeRecipe(makeRecipe(model, base))).toBe("#5 · aqua hair · blue eyes");
  });

  it("each edit is named, so edited tiles and frames read differently", () => {
    const frame = (t: number) => describeRecipe(makeRecipe(model, base, { toward: { seed: 9, t, space: "w" } }));
    expect(frame(0.25)).toBe("#5 · aqua hair · blue eyes · → #9 25 % (w)");
    expect(frame(0.25)).not.toBe(frame(0.5));
    const edited = makeRecipe(model, base, { directions: [{ tag: "blonde hair", amount: 0.8 }], mix: { seed: 12, start: 4, end: 7 } });
    expect(describeRecipe({ ...edited, upscale: { factor: 4, denoise: 0 }, edits: [{ op: "rotate", quarterTurns: 1 }] }))
      .toBe("#5 · aqua hair · blue eyes · +0.8 blonde hair · mix #12 layers 4–6 · ×4 · 1 pixel edit");
  });

  it("identity edits add nothing", () => {
    const same = makeRecipe(model, base, { perturb: { seed: 3, amount: 0 }, toward: { seed: 9, t: 0, space: "z" }, directions: [{ tag: "smile", amount: 0 }] });
    expect(describeRecipe(same)).toBe("#5 · aqua hair · blue eyes");
  });
});

describe("distinctCaptions", () => {
  it("tells apart favourites of one seed: by tags, then by truncation, then by number", () => {
    const a = makeRecipe(model, base);
    const b = makeRecipe(model, { ...base, tags: ["pink hair"] });
    const c = makeRecipe(model, { ...base, psi: 1 });
    expect(distinctCaptions([a, b, c])).toEqual([
      "#5 · aqua hair · blue eyes · ψ 0.7 (global)",
      "#5 · pink hair",
      "#5 · aqua hair · blue eyes · ψ 1 (global)",
    ]);
    expect(distinctCaptions([a, a])).toEqual(["#5 · aqua hair · blue eyes · ψ 0.7 (global)", "#5 · aqua hair · blue eyes · ψ 0.7 (global) (2)"]);
  });
});
