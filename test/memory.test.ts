/**
 * Memory: rendering 1,000 avatars through the app's one render path (recipes -> ws ->
 * synthesis -> pixels -> edits) and exporting them leaves tf.memory().numTensors where it
 * started. Tiny fixture generator on the CPU backend, so it takes seconds.
 */
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { avatarPng } from "@/lib/edit/export";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";
import { RECIPE_VERSION, type AvatarRecipe } from "@/lib/recipe/recipe";
import { renderRecipes } from "@/lib/gan/render";
import { useCpuBackend } from "./helpers/tf";

const generator = new AvatarGenerator("test/fixtures/tiny-generator", fileIO);

beforeAll(async () => {
  await useCpuBackend();
  await generator.load();
});
afterAll(() => generator.dispose());

it("1,000 avatars leave tf.memory().numTensors where it started", async () => {
  const tags = generator.vocab.groups.map((g) => g.tags[0].name);
  const recipes: AvatarRecipe[] = Array.from({ length: 1000 }, (_, i) => ({
    version: RECIPE_VERSION,
    model: { name: generator.meta.name, sha256: generator.meta.sha256 ?? "" },
    seed: i,
    tags,
    psi: 0.7,
    truncation: "global",
    // A mix of plain and edited recipes, so both latent paths run.
    latent: i % 5 === 0 ? { perturb: { seed: i + 1, amount: 0.1 } } : {},
    upscale: null,
    edits: i % 7 === 0 ? [{ op: "flip", axis: "vertical" }] : [],
  }));
  const start = tf.memory().numTensors;
  const started = performance.now();
  let done = 0;
  const images = await renderRecipes({ generator }, recipes, [1, 16], { onProgress: (n) => (done = n) });
  const ms = performance.now() - started;
  expect(images).toHaveLength(1000);
  expect(done).toBe(1000);
  for (let i = 0; i < 1000; i += 100) avatarPng({ recipe: recipes[i], image: images[i] });
  console.log(`memory: 1000 avatars in ${ms.toFixed(0)} ms; tensors ${start} -> ${tf.memory().numTensors}`);
  expect(tf.memory().numTensors).toBe(start);
}, 60_000);
