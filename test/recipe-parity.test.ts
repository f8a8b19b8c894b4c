/**
 * Recipes mean the same in both halves: every latent edit (perturb, toward in z and w,
 * conditionToward, directions in w and c, mixing) and truncation per condition, rendered by
 * lib/gan/latents.ts on tf.js, against training/avatargan/recipe/ on PyTorch
 * (test/fixtures/tiny-generator/recipes.json, written by `python -m avatargan export --fixtures`).
 * This is what lets `python -m avatargan render avatar.png` reproduce a browser export.
 */
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { rgbaToRgb, toImageData } from "@/lib/edit/pixels";
import { recipeWs } from "@/lib/gan/latents";
import type { AvatarRecipe } from "@/lib/recipe/recipe";
import { loadedGenerator } from "./helpers/tf";
import { expectFloatsClose, expectPixelsClose, manifestAccumulation } from "./helpers/tolerance";

interface RecipeCase {
  recipe: AvatarRecipe;
  ws: number[][];
  uint8_hwc: number[];
}

const folder = "test/fixtures/tiny-generator";
const { cases } = JSON.parse(readFileSync(`${folder}/recipes.json`, "utf8")) as { cases: RecipeCase[] };

describe("recipes rendered by tf.js match PyTorch", () => {
  const generator = loadedGenerator(folder);

  it.each(cases.map((c) => [Object.keys(c.recipe.latent).join("+") || `plain ${c.recipe.truncation}`, c] as const))(
    "%s",
    async (_name, c) => {
      const ws = recipeWs(generator, [c.recipe]);
      const values = (await ws.array())[0];
      expectFloatsClose(values.flat(), c.ws.flat(), manifestAccumulation(folder), "ws");

      const images = generator.synthesize(ws);
      ws.dispose();
      const [image] = await toImageData(images);
      images.dispose();
      expectPixelsClose(rgbaToRgb(image.data), c.uint8_hwc, "pixels");
    },
  );

  it("leaves no tensor behind but the cached statistics", async () => {
    const before = tf.memory().numTensors;
    const ws = recipeWs(generator, cases.map((c) => c.recipe));
    ws.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
