/**
 * The two out-of-browser measurements of `npm run bench`, each in its own process so the
 * engines do not share a thread pool: PyTorch on the CPU (`python -m avatargan bench generate
 * --json`) and tf.js WASM in Node (a one-file vitest run, vitest being the TypeScript loader
 * installed here). Each resolves to a report { engine, backend, where, detail, results[] }.
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-8).join("\n");
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}):\n${tail}`);
  }
  return result.stdout;
}

/** `threads` 0 = torch's default (all cores); 1 matches tf.js WASM in Node, which runs on one thread. */
export function pytorchBench(root, { model, runs, device = "cpu", threads = 0 }) {
  const python = [join(root, ".venv", "bin", "python"), "python3"].find((p) => p === "python3" || existsSync(p));
  const out = run(python, ["-m", "avatargan", "bench", "generate", "--model", model, "--runs", String(runs), "--device", device, "--threads", String(threads), "--json"], {
    cwd: root,
    env: { ...process.env, PYTHONPATH: [join(root, "training"), process.env.PYTHONPATH].filter(Boolean).join(":") },
  });
  const report = JSON.parse(out.trim().split("\n").pop());
  return { engine: "PyTorch", backend: report.device.startsWith("cpu") ? "cpu" : "cuda", where: "python", detail: `${report.device}, torch ${report.torch}`, results: report.results };
}

export function nodeWasmBench(root, { model, runs }) {
  const dir = mkdtempSync(join(tmpdir(), "avatargan-bench-node-"));
  const outFile = join(dir, "node-wasm.json");
  try {
    run(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--config", "scripts/bench/vitest.config.mts"], {
      cwd: root,
      env: { ...process.env, BENCH_OUT: outFile, BENCH_MODEL: model, BENCH_RUNS: String(runs) },
    });
    return JSON.parse(readFileSync(outFile, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
