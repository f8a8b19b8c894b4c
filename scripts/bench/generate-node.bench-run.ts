/**
 * Node + tf.js WASM timing of the shipped generator, run by scripts/bench.mjs through vitest
 * (scripts/bench/vitest.config.mts). Writes its figures as JSON to $BENCH_OUT.
 *
 * The timed call is renderRecipes (lib/gan/render.ts: mapping + synthesis + RGBA bytes), the
 * same front door the browser figures and `python -m avatargan bench generate` time.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { it } from "vitest";
import { fileIO } from "@/lib/gan/fileIO";
import { AvatarGenerator } from "@/lib/gan/generator";
import { renderRecipes } from "@/lib/gan/render";
import { makeRecipe } from "@/lib/recipe/recipe";

const MODEL = process.env.BENCH_MODEL || "public/weights/generator";
const BATCHES = (process.env.BENCH_BATCHES || "1,16").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS || 5);
const WARMUP = Number(process.env.BENCH_WARMUP || 2);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

it("times the generator on tf.js WASM in Node", async () => {
  tf.env().set("IS_TEST", true);
  setWasmPaths(join(process.cwd(), "node_modules/@tensorflow/tfjs-backend-wasm/dist/") + "/");
  if (!(await tf.setBackend("wasm"))) throw new Error("the tf.js WASM backend failed to start in Node");
  const generator = new AvatarGenerator(MODEL, fileIO);
  await generator.load();
  // No tags: an all-zero condition, as Python's `bench generate` uses.
  const recipeOf = (seed: number) => makeRecipe(generator.recipeModel, { seed, tags: [], psi: 0.7, truncation: "global" });
  const results = [];
  for (const batch of BATCHES) {
    const recipes = Array.from({ length: batch }, (_, i) => recipeOf(i));
    const times: number[] = [];
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const start = performance.now();
      await renderRecipes({ generator }, recipes, [batch]);
      if (run >= WARMUP) times.push(performance.now() - start);
    }
    const batchMs = median(times);
    results.push({ batch, batch_ms: batchMs, ms_per_avatar: batchMs / batch, runs_ms: times });
  }
  generator.dispose();
  const features = [
    tf.env().getBool("WASM_HAS_SIMD_SUPPORT") ? "SIMD" : "no SIMD",
    tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") ? "threads" : "single thread",
  ];
  const report = { target: "generate", engine: "tf.js", backend: "wasm", where: "node", detail: features.join(", "), results };
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(report));
  else console.log(JSON.stringify(report));
});
