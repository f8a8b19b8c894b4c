/**
 * "Find my character" needs gradient kernels (Conv2DBackpropInput, ResizeBilinearGrad, ...) that
 * not every tf.js backend has: this runs a short projection on the WASM backend, the browser's
 * usual choice, and checks it lowers the loss there too.
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { beforeAll, expect, it } from "vitest";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";
import { renderRecipes } from "@/lib/gan/render";
import { makeRecipe } from "@/lib/recipe/recipe";
import { DEFAULT_PROJECTION, projectFace } from "@/app/cells/project/projection";

beforeAll(async () => {
  tf.env().set("IS_TEST", true);
  setWasmPaths(join(process.cwd(), "node_modules/@tensorflow/tfjs-backend-wasm/dist/") + "/");
  if (!(await tf.setBackend("wasm"))) throw new Error("the tf.js WASM backend failed to start in Node");
});

it.each([false, true])("projects on WASM (W+ %s)", async (wplus) => {
  const generator = new AvatarGenerator("test/fixtures/tiny-generator", fileIO);
  await generator.load();
  try {
    const tags = ["red hair", "blue eyes"];
    const [target] = await renderRecipes({ generator }, [makeRecipe(generator.recipeModel, { seed: 11, tags, psi: 1, truncation: "global" })], [1]);
    const found = await projectFace(generator, target, tags, { ...DEFAULT_PROJECTION, steps: 40, wplus });
    expect(found.losses.every(Number.isFinite)).toBe(true);
    expect(found.losses[found.losses.length - 1]).toBeLessThan(found.losses[0] / 2);
  } finally {
    generator.dispose();
  }
});
