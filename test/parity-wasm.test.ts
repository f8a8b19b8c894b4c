/**
 * The same parity cases on tf.js's WASM backend (the browser's usual choice when WebGPU is
 * software), loading the .wasm binary from node_modules. Catches kernels that differ by backend.
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { beforeAll, it } from "vitest";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";
import { renderFloats } from "@/lib/gan/render";
import { makeRecipe } from "@/lib/recipe/recipe";
import { expectFloatsClose, manifestAccumulation } from "./helpers/tolerance";
import { readParityCases } from "./helpers/parityCases";


beforeAll(async () => {
  tf.env().set("IS_TEST", true);
  setWasmPaths(join(process.cwd(), "node_modules/@tensorflow/tfjs-backend-wasm/dist/") + "/");
  if (!(await tf.setBackend("wasm"))) throw new Error("the tf.js WASM backend failed to start in Node");
});

it.each(["tiny-generator", "tiny-generator-f16"])("%s matches PyTorch on WASM", async (fixture) => {
  const folder = `test/fixtures/${fixture}`;
  const cases = readParityCases(folder);
  const generator = new AvatarGenerator(folder, fileIO);
  await generator.load();
  const accumulation = manifestAccumulation(folder);
  let worst = 0;
  for (const c of cases) {
    const image = renderFloats(generator, [makeRecipe(generator.recipeModel, { seed: c.seed, tags: c.tags, psi: c.psi, truncation: "global" })]);
    const values = await image.data();
    image.dispose();
    worst = Math.max(worst, expectFloatsClose(values, c.image_nhwc, accumulation, `seed ${c.seed} on WASM`));
  }
  generator.dispose();
  console.log(`${fixture}: WASM parity max abs diff ${worst.toExponential(3)}`);
});
