/**
 * "Find my character" (app/cells/project/projection.ts) on the tiny generator: a face the
 * generator made itself is found again (high PSNR, through the recipe the cell publishes), W+
 * fits at least as well, a stop keeps the w so far, and no tensor outlives a projection.
 */
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { renderRecipes } from "@/lib/gan/render";
import { makeRecipe } from "@/lib/recipe/recipe";
import { parseRecipe } from "@/lib/notebook/recipeJson";
import { DEFAULT_PROJECTION, learningRate, projectFace, psnr, settingsProblem } from "@/app/cells/project/projection";
import { loadedGenerator } from "./helpers/tf";

describe("projection", () => {
  const generator = loadedGenerator();
  const tags = ["blonde hair", "green eyes"];
  const targetOf = async (seed: number) =>
    (await renderRecipes({ generator }, [makeRecipe(generator.recipeModel, { seed, tags, psi: 1, truncation: "global" })], [1]))[0];
  const projectedRecipe = (projected: Awaited<ReturnType<typeof projectFace>>["projected"]) =>
    makeRecipe(generator.recipeModel, { seed: 0, tags, psi: 1, truncation: "global" }, { projected });

  it("finds a face the generator made (w), and the recipe reproduces it after a JSON round trip", async () => {
    const target = await targetOf(3);
    generator.latent.conditionMean(generator.vocab.encode(tags)); // cached by the latent space, not a leak
    const before = tf.memory().numTensors;
    const found = await projectFace(generator, target, tags, { ...DEFAULT_PROJECTION, steps: 150 });
    expect(tf.memory().numTensors).toBe(before);
    expect(found.stepsDone).toBe(150);
    expect(found.stopped).toBe(false);
    expect(found.projected.space).toBe("w");
    expect(found.projected.ws).toHaveLength(1);
    expect(found.losses[found.losses.length - 1]).toBeLessThan(found.losses[0] / 4);
    const recipe = parseRecipe(JSON.parse(JSON.stringify(projectedRecipe(found.projected))));
    const [image] = await renderRecipes({ generator }, [recipe], [1]);
    const start = (await renderRecipes({ generator }, [makeRecipe(generator.recipeModel, { seed: 0, tags, psi: 0, truncation: "condition" })], [1]))[0];
    const found_dB = psnr(image, target);
    console.log(`projection (w, 150 steps): ${psnr(start, target).toFixed(1)} dB from the condition mean -> ${found_dB.toFixed(1)} dB`);
    expect(found_dB).toBeGreaterThan(30);
    expect(found_dB).toBeGreaterThan(psnr(start, target) + 10);
  });

  it("W+ keeps one w per layer and fits (project.py's test: slower on the generator's own faces, +1.7 dB on real ones)", async () => {
    const target = await targetOf(5);
    const plain = await projectFace(generator, target, tags, { ...DEFAULT_PROJECTION, steps: 80 });
    const layered = await projectFace(generator, target, tags, { ...DEFAULT_PROJECTION, steps: 80, wplus: true });
    expect(layered.projected.space).toBe("w+");
    expect(layered.projected.ws).toHaveLength(generator.numWs);
    const [a, b] = await renderRecipes({ generator }, [projectedRecipe(plain.projected), projectedRecipe(layered.projected)], [1, 2]);
    console.log(`80 steps: w ${psnr(a, target).toFixed(1)} dB, W+ ${psnr(b, target).toFixed(1)} dB`);
    const start = (await renderRecipes({ generator }, [makeRecipe(generator.recipeModel, { seed: 0, tags, psi: 0, truncation: "condition" })], [1]))[0];
    expect(psnr(b, target)).toBeGreaterThan(15);
    expect(psnr(b, target)).toBeGreaterThan(psnr(start, target) + 5);
  });

  it("stops when asked, keeps the w found so far, reports progress and previews, and leaks nothing", async () => {
    const target = await targetOf(7);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const steps: number[] = [];
    const previews: number[] = [];
    const found = await projectFace(generator, target, tags, { ...DEFAULT_PROJECTION, steps: 100 }, {
      signal: controller.signal,
      previewEvery: 5,
      onPreview: (image, step) => {
        expect(image.width).toBe(generator.config.resolution);
        previews.push(step);
      },
      onStep: ({ step }) => {
        steps.push(step);
        if (step === 12) controller.abort();
      },
    });
    expect(found.stopped).toBe(true);
    expect(found.stepsDone).toBe(12);
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(previews).toEqual([5, 10]);
    expect(found.projected.ws[0]).toHaveLength(generator.config.w_dim);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses a target of the wrong size and settings out of range, leaking nothing", async () => {
    const before = tf.memory().numTensors;
    const small = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4) };
    await expect(projectFace(generator, small, tags)).rejects.toThrow(/8x8; this model draws 16x16/);
    await expect(projectFace(generator, await targetOf(1), tags, { ...DEFAULT_PROJECTION, steps: 0 })).rejects.toThrow(/steps must be/);
    expect(settingsProblem({ ...DEFAULT_PROJECTION, lr: 2 })).toMatch(/learning rate/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("warms up, then decays the learning rate to zero (project.py's schedule)", () => {
    const s = { ...DEFAULT_PROJECTION, steps: 101 };
    expect(learningRate(s, 0)).toBe(0);
    expect(learningRate(s, 5)).toBeCloseTo(0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.05)), 10);
    expect(learningRate(s, 100)).toBeCloseTo(0, 12);
  });
});
