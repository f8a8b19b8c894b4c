/**
 * The exploration cells' saved params (app/cells/{interpolate,directions,mixing,effects}/spec.ts):
 * defaults validate, bad fields are named, params -> recipes is pure; the adherence matrix and
 * the grid/frames exports; and the reproducibility promise: the same notebook file gives the
 * same grid pixels (tiny generator, CPU backend), also after a save/load round trip.
 */
import { unzipSync } from "fflate";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { composeGrid, framesZip } from "@/app/cells/interpolate/gridExport";
import { decodePng } from "@/lib/edit/png";
import { renderRecipes } from "@/lib/gan/render";
import { adherenceMatrix, adherenceRecipes, switchPairs } from "@/app/cells/effects/adherence";
import { TagVocabulary } from "@/lib/latent/vocab";
import { addCell, newNotebook, updateCell } from "@/lib/notebook/cells";
import { directionsCell, directionsRecipe, probeRecipes } from "@/app/cells/directions/spec";
import { effectsCell } from "@/app/cells/effects/spec";
import { interpolateCell, interpolationRecipes, type InterpolateParams } from "@/app/cells/interpolate/spec";
import { mixingCell, mixingRecipes } from "@/app/cells/mixing/spec";
import { parseNotebookText, serializeNotebook } from "@/lib/notebook/io";
import { loadedGenerator } from "./helpers/tf";
import vocabJson from "./fixtures/golden/vocab.json";

const vocab = TagVocabulary.fromJson(vocabJson);
const MODEL = { name: "tiny-generator", sha256: "abc" };
const tinyBase = { seed: 3, tags: ["red hair", "blue eyes"], psi: 0.7, truncation: "condition" as const };

describe("cell specs", () => {
  it.each([interpolateCell, directionsCell, mixingCell, effectsCell].map((s) => [s.kind, s] as const))("%s: defaults survive a JSON round trip through validate", (_kind, spec) => {
    const defaults = spec.defaults();
    expect(spec.validate(JSON.parse(JSON.stringify(defaults)))).toEqual(defaults);
  });

  it("bad fields are rejected with their path", () => {
    expect(() => interpolateCell.validate({ ...interpolateCell.defaults(), steps: 40 })).toThrow(/params.steps must be an integer between 2 and 16, got 40/);
    expect(() => interpolateCell.validate({ ...interpolateCell.defaults(), base: { ...tinyBase, seed: -1 } })).toThrow(/params.base.seed/);
    expect(() => directionsCell.validate({ ...directionsCell.defaults(), sliders: [{ tag: "red hair", amount: 9 }] })).toThrow(/params.sliders\[0\].amount/);
    expect(() => directionsCell.validate({ ...directionsCell.defaults(), sliders: [{ tag: "a", amount: 1 }, { tag: "a", amount: 2, space: "w" }] })).toThrow(/repeats/);
    expect(() => mixingCell.validate({ ...mixingCell.defaults(), custom: { start: 4, end: 2 } })).toThrow(/start <= end/);
    expect(() => effectsCell.validate({ ...effectsCell.defaults(), view: "tsne" })).toThrow(/params.view must be one of/);
  });

  it("a slider without a space is a w slider (older files)", () => {
    const parsed = directionsCell.validate({ base: tinyBase, sliders: [{ tag: "smile", amount: 1 }], probe: null });
    expect(parsed.sliders).toEqual([{ tag: "smile", amount: 1, space: "w" }]);
  });
});

describe("params -> recipes", () => {
  it("interpolation modes", () => {
    const p: InterpolateParams = { ...interpolateCell.defaults(), base: tinyBase, toSeed: 9, toTags: ["blonde hair", "green eyes"], steps: 3, rows: 2 };
    const seeds = interpolationRecipes({ ...p, mode: "seeds" }, MODEL);
    expect(seeds.columns).toBe(3);
    expect(seeds.recipes.map((r) => r.latent.toward?.t)).toEqual([0, 0.5, 1]);
    expect(seeds.recipes.every((r) => r.seed === 3 && r.truncation === "condition" && r.model.sha256 === "abc")).toBe(true);
    const grid = interpolationRecipes({ ...p, mode: "grid" }, MODEL);
    expect(grid.recipes).toHaveLength(6);
    expect(interpolationRecipes({ ...p, mode: "conditions" }, MODEL).recipes[2].latent.conditionToward).toEqual({ tags: ["blonde hair", "green eyes"], t: 1 });
  });

  it("directions: zero sliders are left out; the probe sweeps one slider and keeps the others", () => {
    const p = { base: tinyBase, sliders: [{ tag: "smile", amount: 0, space: "w" as const }, { tag: "red hair", amount: 0.5, space: "c" as const }], probe: { tag: "smile", space: "w" as const, range: 1, steps: 3 } };
    expect(directionsRecipe(p, MODEL).latent).toEqual({ directions: [{ tag: "red hair", amount: 0.5, space: "c" }] });
    expect(directionsRecipe({ ...p, sliders: [] }, MODEL).latent).toEqual({});
    const { amounts, recipes } = probeRecipes(p, MODEL);
    expect(amounts).toEqual([-1, 0, 1]);
    expect(recipes[0].latent.directions).toEqual([{ tag: "red hair", amount: 0.5, space: "c" }, { tag: "smile", amount: -1, space: "w" }]);
  });

  it("mixing: per donor, the donor then coarse, middle, fine and custom", () => {
    const recipes = mixingRecipes({ base: tinyBase, donorsText: "7,8", custom: { start: 1, end: 2 }, selected: null }, MODEL, 64);
    expect(recipes).toHaveLength(10);
    expect(recipes[0]).toMatchObject({ seed: 7, latent: {} });
    expect(recipes.slice(1, 5).map((r) => r.latent.mix)).toEqual([
      { seed: 7, start: 0, end: 3 }, { seed: 7, start: 3, end: 7 }, { seed: 7, start: 7, end: 10 }, { seed: 7, start: 1, end: 2 },
    ]);
    expect(() => mixingRecipes({ base: tinyBase, donorsText: "1", custom: { start: 0, end: 7 }, selected: null }, MODEL, 16)).toThrow(/past this model's 6 layers/);
  });

  it("effects: adherence recipes fix the group and draw the rest; switch pairs share seeds", () => {
    const ctx = { ref: MODEL, vocab, zDim: 8 };
    const recipes = adherenceRecipes(ctx, "hair", { psi: 0.7, truncation: "global", firstSeed: 10, samples: 2 });
    expect(recipes.map((r) => r.tags.find((t) => t.endsWith("hair")))).toEqual(["black hair", "black hair", "blonde hair", "blonde hair", "red hair", "red hair"]);
    expect(recipes.map((r) => r.seed)).toEqual([10, 11, 10, 11, 10, 11]);
    const { off, on } = switchPairs(ctx, "black hair", "red hair", { psi: 1, truncation: "global", firstSeed: 0, samples: 3 });
    expect(off.map((r) => r.seed)).toEqual(on.map((r) => r.seed));
    expect(on.every((r) => r.tags.includes("red hair") && !r.tags.includes("black hair"))).toBe(true);
    expect(() => switchPairs(ctx, "smile", "red hair", { psi: 1, truncation: "global", firstSeed: 0, samples: 1 })).toThrow(/different groups/);
  });

  it("adherence matrix: means, top picks, accuracy and dominant rows", () => {
    // c = [black, blonde, red | blue, green | smile]; 2 samples per hair tag.
    const rows = [
      [0.8, 0.1, 0.1], [0.6, 0.3, 0.1], // black requested
      [0.2, 0.7, 0.1], [0.5, 0.4, 0.1], // blonde requested: one sample mistaken
      [0.1, 0.5, 0.4], [0.1, 0.6, 0.3], // red requested: the tagger sees blonde
    ].map((hair) => Float32Array.from([...hair, 0.5, 0.5, 0.2]));
    const m = adherenceMatrix(["black hair", "blonde hair", "red hair"], 0, 2, rows);
    expect(m.meanProbability[0].map((v) => +v.toFixed(4))).toEqual([0.7, 0.2, 0.1]);
    expect(m.topPick).toEqual([[2, 0, 0], [1, 1, 0], [0, 2, 0]]);
    expect(m.accuracy).toBeCloseTo(3 / 6, 9);
    expect(m.dominantRows).toBe(2);
    expect(() => adherenceMatrix(["a"], 0, 2, rows)).toThrow(/expected 2 tagger rows/);
  });
});

describe("exports", () => {
  const image = (value: number) => ({ width: 2, height: 2, data: new Uint8ClampedArray(16).fill(value) });

  it("composeGrid lays avatars out row-major with gaps", () => {
    const grid = composeGrid([image(10), image(20), image(30)], 2, 1, [0, 0, 0]);
    expect([grid.width, grid.height]).toEqual([5, 5]);
    const px = (x: number, y: number) => grid.data[(y * 5 + x) * 4];
    expect([px(0, 0), px(3, 0), px(0, 3), px(2, 0), px(3, 3)]).toEqual([10, 20, 30, 0, 0]);
  });

  it("framesZip holds numbered PNG frames and the recipes", () => {
    const files = unzipSync(framesZip([image(1), image(2)], []));
    expect(Object.keys(files).sort()).toEqual(["frame-000.png", "frame-001.png", "frames.json"]);
    expect(decodePng(files["frame-001.png"]).data[0]).toBe(2);
  });
});

describe("the same notebook gives the same grid pixels", () => {
  const generator = loadedGenerator();

  it("an interpolation grid renders identically from the saved file", async () => {
    let notebook = addCell(newNotebook(MODEL, "latent study"), "interpolate");
    const cell = notebook.cells.find((c) => c.kind === "interpolate")!;
    const params: InterpolateParams = {
      ...interpolateCell.defaults(), base: tinyBase, mode: "grid", toSeed: 11, space: "w", toTags: ["blonde hair", "green eyes", "smile"], steps: 3, rows: 2,
    };
    notebook = updateCell(notebook, cell.id, { params });
    const reloaded = parseNotebookText(serializeNotebook(notebook)).notebook;
    const reloadedParams = reloaded.cells.find((c) => c.id === cell.id)!.params as InterpolateParams;
    expect(reloadedParams).toEqual(params);

    const render = async (p: InterpolateParams) => renderRecipes({ generator }, interpolationRecipes(p, MODEL).recipes, [1, 4]);
    const first = await render(params);
    const again = await render(reloadedParams);
    expect(first).toHaveLength(6);
    expect(again.map((im) => Array.from(im.data))).toEqual(first.map((im) => Array.from(im.data)));
    // The grid really varies along both axes.
    expect(Array.from(first[0].data)).not.toEqual(Array.from(first[2].data));
    expect(Array.from(first[0].data)).not.toEqual(Array.from(first[3].data));
    const before = tf.memory().numTensors;
    await render(reloadedParams);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("per-layer effect: zero for no switch, each layer measured alone, all layers = the switched image", async () => {
    const { layerEffect } = await import("@/app/cells/effects/layerEffect");
    const ctx = { ref: MODEL, vocab: generator.vocab, zDim: generator.config.z_dim };
    const { off, on } = switchPairs(ctx, "black hair", "red hair", { psi: 1, truncation: "global", firstSeed: 0, samples: 2 });
    const before = tf.memory().numTensors;
    const none = await layerEffect(generator, off, off);
    expect(none.perLayer).toHaveLength(generator.numWs);
    expect(Math.max(...none.perLayer, none.total)).toBe(0);
    const effect = await layerEffect(generator, off, on);
    expect(tf.memory().numTensors).toBe(before);
    expect(effect.perLayer.every((v) => v >= 0) && effect.perLayer.some((v) => v > 0)).toBe(true);
    // "All layers switched" is exactly the image under the other condition.
    const [a, b] = await renderRecipes({ generator }, [off[0], on[0]], [1, 4]);
    expect(effect.total).toBeGreaterThan(0);
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
    await expect(layerEffect(generator, off, on.slice(1))).rejects.toThrow(/as many/);
  });
});

describe("APNG export", () => {
  it("holds every frame with its delay; viewers without APNG see the first frame", async () => {
    const { encodeApng } = await import("@/app/cells/interpolate/apng");
    const frame = (v: number) => ({ width: 3, height: 2, data: new Uint8ClampedArray(24).fill(v) });
    const bytes = encodeApng([frame(10), frame(20), frame(30)], 8);
    expect(decodePng(bytes).data[0]).toBe(10);
    const types: string[] = [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 8; at < bytes.length;) {
      const length = view.getUint32(at);
      const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      types.push(type);
      if (type === "acTL") expect([view.getUint32(at + 8), view.getUint32(at + 12)]).toEqual([3, 0]);
      if (type === "fcTL") expect(view.getUint16(at + 8 + 20) / view.getUint16(at + 8 + 22)).toBeCloseTo(1 / 8, 3);
      at += 12 + length;
    }
    expect(types).toEqual(["IHDR", "acTL", "fcTL", "IDAT", "fcTL", "fdAT", "fcTL", "fdAT", "IEND"]);
  });
});
