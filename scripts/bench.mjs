#!/usr/bin/env node
/**
 * `npm run bench [-- generate|sr|all] [options]`: speed of the shipped models.
 *
 * generate: the generator (public/weights/generator) at batch 1 and 16, in ms per avatar, on
 *   - tf.js in headless Chromium (the built app; WebGPU, then WASM),
 *   - tf.js WASM in Node,
 *   - PyTorch on the CPU (`python -m avatargan bench generate`), and on CUDA when there is one,
 * each the median of several runs after warm-up, with the ratio to PyTorch CPU. A line says
 * whether a GPU figure exists (here WebGPU is SwiftShader, i.e. the CPU).
 * In Chromium it also times the Upscale cell (x2 and x4 of one avatar) on each backend, and
 * measures the longest main-thread task while a 256-avatar grid renders (responsiveness).
 * sr: runs scripts/bench-sr.mjs (the upscaler's benchmark) when it exists, passing it the
 *   other arguments (`npm run bench -- sr --count 20`). all: both, each with its defaults (default).
 *
 * Options for generate: --runs N (timed runs per size, default 5; 3 in the browser), --backends webgpu,wasm,
 * --no-browser, --no-build, --model DIR, --gpu (on a machine with a GPU: Chromium on Vulkan,
 * backends webgpu,webgl,wasm; the report names the adapter, or says it was software). Writes
 * test-results/bench.json. NEXT_DIST_DIR picks the build folder, as for `next build`.
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfNeeded, startApp } from "./app-server.mjs";
import { browserBench } from "./bench/browser.mjs";
import { formatResponsivenessLines, formatTable, formatUpscaleLines, gpuLine } from "./bench/report.mjs";
import { nodeWasmBench, pytorchBench } from "./bench/runners.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const TARGETS = ["generate", "sr", "all"];

function parseArgs(argv) {
  const value = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const target = argv.find((a) => !a.startsWith("--") && TARGETS.includes(a)) ?? "all";
  const unknown = argv.find((a, i) => !a.startsWith("--") && !TARGETS.includes(a) && !["--runs", "--backends", "--model"].includes(argv[i - 1]));
  if (unknown) throw new Error(`bench: unknown target '${unknown}' (use generate, sr or all)`);
  const runs = Number(value("--runs", "5"));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`bench: --runs must be a whole number >= 1, got '${value("--runs")}'`);
  return {
    target,
    runs,
    backends: value("--backends", argv.includes("--gpu") ? "webgpu,webgl,wasm" : "webgpu,wasm").split(",").filter(Boolean),
    gpu: argv.includes("--gpu"),
    browser: !argv.includes("--no-browser"),
    build: !argv.includes("--no-build"),
    model: value("--model", "public/weights/generator"),
  };
}

function hasCuda() {
  const python = join(ROOT, ".venv", "bin", "python");
  const probe = spawnSync(existsSync(python) ? python : "python3", ["-c", "import torch; print(torch.cuda.is_available())"], { encoding: "utf8" });
  return probe.stdout?.trim() === "True";
}

async function benchGenerate(options) {
  const reports = [];
  const attempt = (label, fn) => {
    console.log(`bench: ${label}…`);
    try {
      reports.push(fn());
    } catch (err) {
      reports.push({ engine: label, backend: "", where: "", error: err instanceof Error ? err.message.split("\n")[0] : String(err) });
    }
  };
  // One thread is the like-for-like baseline (tf.js WASM runs single-threaded in Node), and the
  // default thread count shows what PyTorch gives out of the box: on a busy machine OpenMP's
  // spinning threads can make it many times slower than one thread.
  attempt("PyTorch on the CPU, 1 thread", () => pytorchBench(ROOT, { model: options.model, runs: options.runs, threads: 1 }));
  attempt("PyTorch on the CPU, default threads", () => pytorchBench(ROOT, { model: options.model, runs: options.runs }));
  const cuda = hasCuda();
  if (cuda) attempt("PyTorch on CUDA", () => pytorchBench(ROOT, { model: options.model, runs: options.runs, device: "cuda" }));
  attempt("tf.js WASM in Node", () => nodeWasmBench(ROOT, { model: options.model, runs: options.runs }));
  let adapter = null;
  if (options.browser) {
    if (options.model !== "public/weights/generator") console.log("bench: the browser serves public/weights/generator; --model applies to Node and PyTorch only");
    buildIfNeeded(ROOT, { allowBuild: options.build, who: "bench" });
    const { server, baseUrl } = await startApp(ROOT);
    try {
      const browser = await browserBench(baseUrl, { backends: options.backends, runs: Math.min(options.runs, 3), gpu: options.gpu });
      adapter = browser.adapter;
      reports.push(...browser.reports);
    } finally {
      server.kill();
    }
  }
  const baseline = reports.find((r) => r.engine === "PyTorch" && r.backend === "cpu" && !r.error);
  console.log(`\ngenerator: ${options.model}; ms per avatar (median of timed runs after warm-up); ` +
    `x PyTorch CPU = time / PyTorch CPU time on 1 thread (< 1: faster than PyTorch)\n`);
  console.log(formatTable(reports, baseline));
  const upscale = formatUpscaleLines(reports);
  if (upscale) console.log(`\n${upscale}`);
  const responsiveness = formatResponsivenessLines(reports);
  if (responsiveness) console.log(`\n${responsiveness}`);
  const line = gpuLine(options.browser ? adapter : undefined, reports.find((r) => r.backend === "cuda" && !r.error));
  console.log(`\n${line}`);
  return { reports, adapter, gpu: line, failed: reports.some((r) => r.error) };
}

function benchSr(argv) {
  const script = join(ROOT, "scripts", "bench-sr.mjs");
  if (!existsSync(script)) {
    console.log("bench: no scripts/bench-sr.mjs in this checkout, skipping the upscaler benchmark");
    return { skipped: true, failed: false };
  }
  // `bench sr --count 20` hands its options to bench-sr.mjs; `bench all` runs it with its defaults,
  // since the generator's options (--runs, --model, ...) mean something else there.
  const passOn = argv.includes("sr") ? argv.filter((a) => !TARGETS.includes(a)) : [];
  const result = spawnSync(process.execPath, [script, ...passOn], { cwd: ROOT, stdio: "inherit" });
  return { skipped: false, failed: result.status !== 0 };
}

async function main() {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv.includes("sr") ? argv.filter((a) => TARGETS.includes(a)) : argv);
  const summary = { started: new Date().toISOString(), target: options.target };
  if (options.target !== "sr") summary.generate = await benchGenerate(options);
  if (options.target !== "generate") summary.sr = benchSr(argv);
  mkdirSync(join(ROOT, "test-results"), { recursive: true });
  writeFileSync(join(ROOT, "test-results", "bench.json"), JSON.stringify(summary, null, 2));
  const failed = summary.generate?.failed || summary.sr?.failed;
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
