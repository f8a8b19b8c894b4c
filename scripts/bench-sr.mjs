#!/usr/bin/env node
/**
 * Super-resolution benchmark in the browser runtime (tf.js WASM backend, in Node):
 * PSNR / SSIM (luma) on held-out real faces for bicubic, Lanczos, our upscaler
 * (lib/gan/upscaler.ts, exactly the code the workbench runs) and a peer in the same runtime,
 * UpscalerJS's ESRGAN-slim (its tf.js layers models ship in @upscalerjs/esrgan-slim), plus
 * milliseconds per image for the two nets.
 *
 *   node scripts/bench-sr.mjs [--model public/weights/upscaler] [--set runs/bench-sr/set]
 *                             [--count N] [--factors 2,4] [--json runs/bench-sr/results.json]
 *                             [--compare public/weights/upscaler]
 *
 * A denoise-level model (upscaler-denoise1) is measured on JPEG-compressed inputs (the quality
 * its training validated on); give it its own --set folder, and --compare the level-0 model to
 * see what the level buys on the same inputs.
 *
 * The held-out set (inputs downscaled with one fixed kernel, targets, bicubic and Lanczos
 * outputs) is written by `python -m avatargan bench sr --write-set DIR`, which this script
 * runs first when the set is missing, so every method sees the same pixels.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { typeScriptLoader } from "./load-ts.mjs";
import { psnrY, ssimY } from "./sr-metrics.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PEER_DIR = join(ROOT, "node_modules/@upscalerjs/esrgan-slim/models");

function parseArgs(argv) {
  const options = {
    model: "public/weights/upscaler",
    set: "runs/bench-sr/set",
    data: "data/faces96",
    count: null,
    factors: "2,4",
    json: "runs/bench-sr/results.json",
    compare: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, "");
    if (!(key in options) || i + 1 >= argv.length) {
      throw new Error(`bench-sr: unknown or incomplete option ${argv[i]}; options: ${Object.keys(options).map((k) => `--${k}`).join(" ")}`);
    }
    options[key] = argv[++i];
  }
  options.factors = options.factors.split(",").map(Number);
  if (options.factors.some((f) => f !== 2 && f !== 4)) throw new Error("bench-sr: --factors takes 2 and/or 4");
  options.count = options.count === null ? null : Number(options.count);
  return options;
}

/** The held-out set from Python (written on first use). */
function ensureSet(options) {
  const index = join(resolve(ROOT, options.set), "set.json");
  if (!existsSync(index)) {
    const python = join(ROOT, ".venv/bin/python");
    console.log(`bench-sr: writing the held-out set with ${python} -m avatargan bench sr ...`);
    const run = spawnSync(python, ["-m", "avatargan", "bench", "sr", "--model", options.model, "--data", options.data,
      "--write-set", options.set, "--json", join(dirname(options.set), "python.json")], { cwd: ROOT, stdio: "inherit" });
    if (run.status !== 0) throw new Error("bench-sr: `python -m avatargan bench sr --write-set` failed (see above)");
  }
  return JSON.parse(readFileSync(index, "utf8"));
}

function readImages(folder, file, count, size) {
  const bytes = readFileSync(join(resolve(ROOT, folder), file));
  const per = size * size * 3;
  if (bytes.length < count * per) throw new Error(`bench-sr: ${file} holds ${bytes.length} bytes, expected ${count * per}`);
  return Array.from({ length: count }, (_, i) => new Uint8Array(bytes.buffer, bytes.byteOffset + i * per, per));
}

async function startWasm() {
  tf.env().set("IS_TEST", true);
  setWasmPaths(join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist") + "/");
  setThreadsCount(1);
  if (!(await tf.setBackend("wasm"))) throw new Error("bench-sr: the tf.js WASM backend failed to start");
  await tf.ready();
}

/** UpscalerJS's layers model, read from the package folder (tf.io has no file handler in Node without tfjs-node). */
async function loadPeer(factor) {
  const folder = join(PEER_DIR, `x${factor}`);
  const json = JSON.parse(readFileSync(join(folder, "model.json"), "utf8"));
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const shards = json.weightsManifest.flatMap((g) => g.paths).map((p) => readFileSync(join(folder, p)));
  const joined = Buffer.concat(shards);
  const handler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData: joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength),
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
    }),
  };
  return tfl.loadLayersModel(handler);
}

/** Run `upscaleOne(rgbBytes) -> Promise<rgbBytes>` over the set; first image is a warm-up and not timed. */
async function runMethod(upscaleOne, inputs) {
  await upscaleOne(inputs[0]);
  const outputs = [];
  const started = performance.now();
  for (const input of inputs) outputs.push(await upscaleOne(input));
  return { outputs, msPerImage: (performance.now() - started) / inputs.length };
}

function score(outputs, targets, size) {
  let psnr = 0;
  let ssim = 0;
  for (let i = 0; i < targets.length; i++) {
    psnr += psnrY(outputs[i], targets[i], size, size);
    ssim += ssimY(outputs[i], targets[i], size, size);
  }
  return { psnr_y: psnr / targets.length, ssim_y: ssim / targets.length };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const index = ensureSet(options);
  await startWasm();
  const ts = await typeScriptLoader();
  const [{ Upscaler }, { fileIO }, { floatsToUint8 }] = await Promise.all([
    ts.load("lib/gan/upscaler.ts"), ts.load("lib/gan/fileIO.ts"), ts.load("lib/edit/pixels.ts"),
  ]);
  const ours = new Upscaler(resolve(ROOT, options.model), fileIO);
  await ours.load();
  const other = options.compare ? new Upscaler(resolve(ROOT, options.compare), fileIO) : null;
  await other?.load();
  const results = { backend: "wasm (Node, 1 thread, SIMD)", model: options.model, sha256: ours.meta.sha256,
    jpeg_quality: index.jpeg_quality ?? null, params: { ours: countOurParams(ours.config) }, factors: {} };

  for (const factor of options.factors) {
    const set = index.sets[String(factor)];
    if (!set) throw new Error(`bench-sr: the set in ${options.set} has no x${factor} images; delete it to rewrite it`);
    const count = Math.min(options.count ?? set.count, set.count);
    const read = (name, size) => readImages(options.set, set.files[name], count, size);
    const inputs = read("input", set.input);
    const targets = read("target", set.output);
    const rows = [
      { method: "bicubic", ...score(read("bicubic", set.output), targets, set.output) },
      { method: "lanczos", ...score(read("lanczos", set.output), targets, set.output) },
    ];

    for (const net of other ? [ours, other] : [ours]) {
      const run = await runMethod(async (rgb) => {
        const x = tf.tidy(() => tf.tensor4d(Float32Array.from(rgb, (v) => Math.fround(v / 127.5) - 1), [1, set.input, set.input, 3]));
        const y = await net.upscaleTensor(x, factor);
        const values = await y.data();
        tf.dispose([x, y]);
        return floatsToUint8(values);
      }, inputs);
      const level = other ? `, denoise ${net.config.denoise}` : "";
      rows.push({ method: `ours${level} (${factor === 4 ? "x2 twice" : "x2"})`, ...score(run.outputs, targets, set.output),
        ms_per_image: run.msPerImage });
    }

    const peer = await loadPeer(factor);
    results.params[`esrgan-slim x${factor}`] = peer.countParams();
    const peerRun = await runMethod(async (rgb) => {
      const y = tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from(rgb), [1, set.input, set.input, 3]); // the model expects 0-255
        return tf.clipByValue(tf.round(peer.predict(x)), 0, 255);
      });
      const values = await y.data();
      y.dispose();
      return Uint8Array.from(values);
    }, inputs);
    peer.dispose();
    rows.push({ method: `esrgan-slim x${factor} (UpscalerJS)`, ...score(peerRun.outputs, targets, set.output),
      ms_per_image: peerRun.msPerImage });

    results.factors[String(factor)] = { count, input: set.input, output: set.output, rows };
    printTable(factor, count, set, rows, results.jpeg_quality);
  }
  results.params.ours = countOurParams(ours.config);
  ours.dispose();
  other?.dispose();
  await ts.close();
  mkdirSync(dirname(resolve(ROOT, options.json)), { recursive: true });
  writeFileSync(resolve(ROOT, options.json), JSON.stringify(results, null, 1) + "\n");
  console.log(`parameters: ${Object.entries(results.params).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.log(`wrote ${options.json}`);
}

function countOurParams(config) {
  const { channels: ch, body_layers: layers, scale } = config;
  return (27 * ch + ch) + layers * (9 * ch * ch + ch) + (9 * ch * 3 * scale * scale + 3 * scale * scale);
}

function printTable(factor, count, set, rows, quality) {
  console.log(`\nx${factor}: ${count} held-out faces, ${set.input} -> ${set.output} px (tf.js WASM, 1 thread)` +
    (quality === null ? "" : `, inputs JPEG quality ${quality}`));
  console.log("| method | PSNR-Y (dB) | SSIM-Y | ms / image |");
  console.log("|---|---|---|---|");
  for (const row of rows) {
    const ms = row.ms_per_image === undefined ? "" : row.ms_per_image.toFixed(1);
    console.log(`| ${row.method} | ${row.psnr_y.toFixed(2)} | ${row.ssim_y.toFixed(4)} | ${ms} |`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
