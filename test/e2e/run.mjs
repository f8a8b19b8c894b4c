#!/usr/bin/env node
/**
 * End-to-end test of the workbench in Debian's Chromium (playwright-core, no downloaded browser).
 *
 * Builds the app if the build is missing or older than the sources, starts `next start` on a
 * free port, then for each backend (webgpu: SwiftShader here; wasm) opens /?backend=NAME and
 * checks: the page is cross-origin isolated, it reaches a rendered grid, the status bar names
 * the forced backend, the canvases are not blank, the same seed gives identical pixels twice and
 * whatever the batch, the lightbox opens, and no request left localhost. Times 1 and 16 avatars.
 * A last pass serves a 404 for model.json and checks the help screen.
 *
 *   node test/e2e/run.mjs [--backends webgpu,wasm] [--no-build] [--model DIR] [--webgpu-model fixture]
 *                         [--only backends,missing,notebook,review,edit,upscale,explore,polish,project,offline] [--notebook-model shipped]
 *
 * The notebook pass (test/e2e/notebook.mjs) opens the tour from the start page on WebGPU,
 * changes a tag, stars two avatars, exports the favourites ZIP and checks it, reloads and finds
 * the notebook as it was, re-imports a PNG and steps through presentation mode.
 *
 * Both passes run the shipped model (public/weights/generator). Here WebGPU is SwiftShader
 * (software, ~0.6 GFLOP/s): the shipped 64 px model takes ~2 s per avatar and ~14 s per 16 on
 * it, fine for a test; a generator of StyleGAN2's full width (3.4 G MAC per avatar) needs many
 * minutes just to warm up, so --webgpu-model fixture runs the tiny test model on WebGPU
 * instead. --model DIR serves another exported generator (a folder with model.json) to every
 * pass, e.g. to time one.
 *
 * Prints `N passed, N failed` last and exits non-zero on any failure. Writes screenshots
 * (test-results/workbench.png, lightbox.png, missing-weights.png) and test-results/e2e.json.
 */

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { buildIfNeeded, startApp } from "../../scripts/app-server.mjs";
import { notebookPass } from "./notebook.mjs";
import { reviewDataset, reviewPass } from "./review.mjs";
import { editPass } from "./edit.mjs";
import { upscalePass } from "./upscale.mjs";
import { explorePass } from "./explore.mjs";
import { polishPass } from "./polish.mjs";
import { projectPass } from "./project.mjs";
import { offlinePass } from "./offline.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RESULTS = join(ROOT, "test-results");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--enable-unsafe-webgpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];
// SwiftShader compiles every shader on the CPU: the first grid can take a while on 2 cores.
const READY_TIMEOUT_MS = 240_000;
const GRID = '[data-testid="avatar-grid"]';
const FIXTURE_MODEL = join(ROOT, "test", "fixtures", "tiny-generator");

const args = process.argv.slice(2);
const backends = (argValue("--backends") ?? "webgpu,wasm").split(",").filter(Boolean);
// --only backends,missing,notebook (comma-separated pass names) runs just those passes.
const only = argValue("--only")?.split(",").filter(Boolean) ?? null;
const runs = (pass) => !only || only.includes(pass);
const results = { passed: 0, failed: 0, checks: [], timings: {} };

function argValue(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function record(name, ok, detail = "") {
  results.checks.push({ name, ok, detail });
  if (ok) results.passed++;
  else results.failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
}

async function check(name, fn) {
  try {
    const detail = await fn();
    record(name, true, typeof detail === "string" ? detail : "");
    return true;
  } catch (err) {
    record(name, false, err instanceof Error ? err.message.split("\n")[0] : String(err));
    return false;
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// ---------------------------------------------------------------------------------- page helpers

function isLocal(url) {
  if (url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")) return true;
  try {
    const { hostname } = new URL(url);
    return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
  } catch {
    return false;
  }
}

async function waitForGrid(page, afterRun) {
  await page.waitForFunction(
    ([selector, after]) => {
      const grid = document.querySelector(selector);
      const failed = document.querySelector('[data-testid="missing-weights"]');
      if (failed) return true;
      if (!grid) return false;
      if (grid.getAttribute("data-state") === "error") return true;
      return grid.getAttribute("data-state") === "ready" && Number(grid.getAttribute("data-run")) > after;
    },
    [GRID, afterRun],
    { timeout: READY_TIMEOUT_MS, polling: 100 },
  );
  const failure = await page.evaluate(() => {
    const missing = document.querySelector('[data-testid="missing-weights"]');
    if (missing) return `model failed to load: ${missing.querySelector('[data-testid="load-error"]')?.textContent}`;
    const error = document.querySelector('[data-testid="grid-error"]');
    return error ? `generation failed: ${error.textContent}` : null;
  });
  assert(!failure, failure);
  return page.$eval(GRID, (el) => ({
    run: Number(el.getAttribute("data-run")),
    ms: Number(el.getAttribute("data-ms")),
    count: Number(el.getAttribute("data-count")),
  }));
}

/** Set the seed field, press Generate, wait for the new grid; returns its timing. */
async function generate(page, seeds) {
  const before = await page.$eval(GRID, (el) => Number(el.getAttribute("data-run") ?? 0));
  await page.fill('[data-testid="seeds"]', seeds);
  await page.click('[data-testid="generate"]');
  return waitForGrid(page, before);
}

/**
 * A full-page picture of the notebook. The toolbar (sticky) and the status bar (fixed) are drawn
 * where the scrolled viewport put them, i.e. across the middle of a tall picture, so for the shot
 * they are laid out in the page's flow and put back afterwards.
 */
async function fullPageShot(page, path) {
  const style = await page.addStyleTag({ content: ".notebook-toolbar, .status-bar { position: static !important; }" });
  try {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path, fullPage: true });
  } finally {
    await style.evaluate((node) => node.remove());
  }
}

/** Pixels of every grid canvas: RGBA arrays plus the variance of their values. */
function readCanvases(page, selector = '[data-testid="avatar-canvas"]') {
  return page.$$eval(selector, (canvases) =>
    canvases.map((canvas) => {
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      let sumSq = 0;
      let n = 0;
      for (let i = 0; i < data.length; i++) {
        if (i % 4 === 3) continue;
        sum += data[i];
        sumSq += data[i] * data[i];
        n++;
      }
      const mean = sum / n;
      return { width: canvas.width, height: canvas.height, variance: sumSq / n - mean * mean, pixels: Array.from(data) };
    }),
  );
}

function maxDifference(a, b) {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

// ---------------------------------------------------------------------------------- passes

/** The model folder a backend's pass runs, or null for the shipped one. */
function modelFor(backend) {
  const forAll = argValue("--model");
  if (forAll) return forAll;
  return backend === "webgpu" && argValue("--webgpu-model") === "fixture" ? FIXTURE_MODEL : null;
}

/**
 * The notebook pass opens the tour, every cell kind at once, twice (before and after a
 * reload): on SwiftShader that is many minutes with the shipped model, so it runs the tiny
 * model unless `--notebook-model shipped` (or --model DIR) says otherwise.
 */
function notebookModel() {
  if (argValue("--model")) return argValue("--model");
  return argValue("--notebook-model") === "shipped" ? null : FIXTURE_MODEL;
}

/** Screenshots show the shipped model where a pass runs it. */
function screenshotPass() {
  return backends.find((backend) => !modelFor(backend)) ?? backends[0];
}

/** Answer the page's requests for the generator from `folder` instead of public/. */
function serveModel(page, folder) {
  return page.route("**/weights/generator/*", (route) => {
    const file = join(folder, basename(new URL(route.request().url()).pathname));
    return existsSync(file) ? route.fulfill({ path: file }) : route.fulfill({ status: 404, body: "not found" });
  });
}

async function backendPass(context, baseUrl, backend, external) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  const label = (name) => `[${backend}] ${name}`;
  const modelDir = modelFor(backend);
  if (modelDir) await serveModel(page, modelDir);
  console.log(`e2e: ${backend} pass on ${modelDir ?? "the shipped model (public/weights/generator)"}`);
  try {
    const started = Date.now();
    // A new notebook: one "Condition & sample" cell (seeds 0-15) and the favourites tray.
    await page.goto(`${baseUrl}/?backend=${backend}&notebook=new`);
    let firstGridMs = 0;
    const loaded = await check(label("loads the model and renders the first grid"), async () => {
      const grid = await waitForGrid(page, 0);
      firstGridMs = grid.ms;
      return `${grid.count} avatars, ${((Date.now() - started) / 1000).toFixed(1)} s from navigation`;
    });
    if (!loaded) return;

    await check(label("avatars render in a worker, not on the page's thread"), async () => {
      const where = await page.getAttribute('[data-testid="status-bar"]', "data-render");
      assert(where === "worker", `avatars render on the ${where}`);
    });

    await check(label("page is cross-origin isolated (COOP/COEP)"), async () => {
      assert(await page.evaluate(() => window.crossOriginIsolated), "window.crossOriginIsolated is false");
    });
    await check(label("status bar shows the forced backend"), async () => {
      const name = (await page.textContent('[data-testid="backend-name"]'))?.trim();
      const detail = (await page.textContent('[data-testid="backend-detail"]').catch(() => ""))?.trim();
      assert(name === backend, `backend shown is '${name}', expected '${backend}'`);
      return detail || "";
    });

    const first = await readCanvases(page);
    await check(label("grid of 16 non-blank canvases"), async () => {
      assert(first.length === 16, `expected 16 canvases, found ${first.length}`);
      const blank = first.filter((c) => !(c.variance > 0)).length;
      assert(blank === 0, `${blank} of ${first.length} canvases are blank (pixel variance 0)`);
      return `${first[0].width}x${first[0].height}, min variance ${Math.min(...first.map((c) => c.variance)).toFixed(1)}`;
    });

    // Screenshot of the default grid, before tests change the seeds.
    if (backend === screenshotPass()) await page.screenshot({ path: join(RESULTS, "workbench.png") });

    const oneMs = [];
    let single;
    await check(label("same seed twice gives identical pixels"), async () => {
      oneMs.push((await generate(page, "0")).ms);
      const a = await readCanvases(page);
      oneMs.push((await generate(page, "0")).ms);
      const b = await readCanvases(page);
      assert(a.length === 1 && b.length === 1, `expected 1 canvas, found ${a.length} and ${b.length}`);
      const diff = maxDifference(a[0].pixels, b[0].pixels);
      assert(diff === 0, `pixels differ by up to ${diff}`);
      single = a[0];
    });
    await check(label("an avatar does not depend on its batch (seed 0 alone vs in 0-15)"), async () => {
      assert(single, "no single-seed image to compare");
      const diff = maxDifference(single.pixels, first[0].pixels);
      // Different batch sizes may run different GPU kernels: allow float rounding, not a new image.
      assert(diff <= 2, `seed 0 differs by up to ${diff} levels between batch 1 and batch 16`);
      return diff === 0 ? "identical" : `max difference ${diff} levels`;
    });

    oneMs.push((await generate(page, "0")).ms);
    const sixteenMs = [];
    // A slow (software) backend is timed once: the first grid already showed what a batch costs.
    const repeats = firstGridMs > 5000 ? 1 : 2;
    for (let i = 0; i < repeats; i++) sixteenMs.push((await generate(page, "0-15")).ms);
    results.timings[backend] = { oneAvatarMs: median(oneMs), sixteenAvatarsMs: median(sixteenMs), oneMs, sixteenMs };
    console.log(
      `time [${backend}]: 1 avatar ${median(oneMs).toFixed(1)} ms; 16 avatars ${median(sixteenMs).toFixed(1)} ms ` +
        `(${(median(sixteenMs) / 16).toFixed(1)} ms each)`,
    );

    await check(label("a fixed tag applies to every avatar"), async () => {
      const select = '[data-testid^="group-"]';
      const groupTestId = await page.getAttribute(select, "data-testid");
      const options = await page.$$eval(`${select} option`, (els) => els.map((o) => o.value));
      const tag = options.find((v) => v !== "__random__" && v !== "");
      await page.selectOption(`[data-testid="${groupTestId}"]`, tag);
      await generate(page, "0-3");
      const captions = await page.$$eval('[data-testid="avatar-tile"] .avatar-tags', (els) => els.map((e) => e.textContent));
      assert(captions.length === 4, `expected 4 avatars, found ${captions.length}`);
      assert(captions.every((c) => c.split(" · ").includes(tag)), `not every caption has '${tag}': ${captions.join(" | ")}`);
      // A changed tag re-renders the grid: wait for it, so no GPU work outlives this page.
      const before = await page.$eval(GRID, (el) => Number(el.getAttribute("data-run") ?? 0));
      await page.selectOption(`[data-testid="${groupTestId}"]`, "__random__");
      await waitForGrid(page, before);
    });

    await check(label("lightbox opens with the seed and closes with Escape"), async () => {
      await page.click('[data-testid="zoom"] >> nth=1');
      await page.waitForSelector('[data-testid="lightbox"]', { timeout: 5000 });
      const seed = (await page.textContent('[data-testid="lightbox-seed"]'))?.trim();
      assert(seed === "1", `lightbox shows seed '${seed}', expected '1'`);
      const [large] = await readCanvases(page, '[data-testid="lightbox-canvas"]');
      assert(large && large.variance > 0, "lightbox canvas is blank");
      if (backend === screenshotPass()) await page.screenshot({ path: join(RESULTS, "lightbox.png") });
      await page.keyboard.press("Escape");
      await page.waitForSelector('[data-testid="lightbox"]', { state: "detached", timeout: 5000 });
    });

    await check(label("an invalid seed list shows an error"), async () => {
      const before = await page.$eval(GRID, (el) => el.getAttribute("data-state"));
      await page.fill('[data-testid="seeds"]', "12-3");
      await page.click('[data-testid="generate"]');
      await page.waitForSelector('[data-testid="grid-error"]', { timeout: 5000 });
      const text = await page.textContent('[data-testid="grid-error"]');
      assert(/backwards/.test(text ?? ""), `unexpected error text '${text}' (grid was ${before})`);
    });

    await check(label("no uncaught page errors"), async () => {
      assert(pageErrors.length === 0, pageErrors.join(" | "));
    });
    await check(label("no request left localhost"), async () => {
      assert(external.length === 0, `requests to ${[...new Set(external)].slice(0, 5).join(", ")}`);
    });
  } finally {
    await page.close();
  }
}

async function missingWeightsPass(context, baseUrl) {
  const page = await context.newPage();
  try {
    await page.route("**/weights/generator/**", (route) => route.fulfill({ status: 404, body: "not found" }));
    await page.goto(`${baseUrl}/?backend=cpu`);
    await check("[missing] missing weights show the help screen", async () => {
      await page.waitForSelector('[data-testid="missing-weights"]', { timeout: 60_000 });
      const text = await page.textContent('[data-testid="missing-weights"]');
      assert(text?.includes("python -m avatargan export"), "help screen does not say how to export a model");
      await page.screenshot({ path: join(RESULTS, "missing-weights.png") });
    });
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------- main

async function main() {
  mkdirSync(RESULTS, { recursive: true });
  assert(existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`);
  buildIfNeeded(ROOT, { allowBuild: !args.includes("--no-build"), who: "e2e" });
  const userDataDir = mkdtempSync(join(tmpdir(), "avatargan-e2e-"));
  let server;
  let baseUrl;
  let context;
  const cleanup = () => {
    server?.kill();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    ({ server, baseUrl } = await startApp(ROOT, { AVATARGAN_DATASET: reviewDataset() }));
    await check("server sends COOP/COEP headers", async () => {
      const response = await fetch(`${baseUrl}/`);
      assert(response.headers.get("cross-origin-opener-policy") === "same-origin", "COOP header missing");
      assert(response.headers.get("cross-origin-embedder-policy") === "require-corp", "COEP header missing");
    });
    // A browser profile; service workers are blocked except in the offline pass, which has its
    // own profile: a worker would serve the app from its cache and hide requests from page.route.
    const launch = (dir, options = {}) => chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 860 },
      serviceWorkers: "block",
      ...options,
    });
    context = await launch(userDataDir);
    const external = [];
    context.on("request", (request) => {
      if (!isLocal(request.url())) external.push(request.url());
    });
    if (runs("backends")) for (const backend of backends) await backendPass(context, baseUrl, backend, external);
    if (runs("missing")) await missingWeightsPass(context, baseUrl);
    if (runs("notebook")) await notebookPass(context, baseUrl, { check, assert, readCanvases, fullPageShot, maxDifference, serveModel, model: notebookModel(), external, RESULTS, READY_TIMEOUT_MS });
    if (runs("review")) await reviewPass(context, baseUrl, { check, assert, screenshot: join(RESULTS, "review.png") });
    if (runs("edit")) await editPass(context, baseUrl, { check, assert, fullPageShot, backend: argValue("--edit-backend") ?? "webgpu", screenshot: join(RESULTS, "editor.png") });
    if (runs("upscale")) await upscalePass(context, baseUrl, { check, assert, readCanvases, maxDifference, fullPageShot, RESULTS, READY_TIMEOUT_MS });
    if (runs("explore")) await explorePass(context, baseUrl, { check, assert, RESULTS, READY_TIMEOUT_MS });
    if (runs("polish")) await polishPass(context, baseUrl, { check, assert, fullPageShot, RESULTS, READY_TIMEOUT_MS });
    if (runs("project")) await projectPass(context, baseUrl, { check, assert, fullPageShot, RESULTS, READY_TIMEOUT_MS });
    if (runs("offline")) await offlinePass(baseUrl, { check, assert, launch, READY_TIMEOUT_MS });
  } catch (err) {
    record("e2e harness", false, err instanceof Error ? err.message : String(err));
  } finally {
    await context?.close().catch(() => undefined);
    cleanup();
  }
  writeFileSync(join(RESULTS, "e2e.json"), JSON.stringify(results, null, 2));
  for (const [backend, t] of Object.entries(results.timings)) {
    console.log(`timing ${backend}: 1 avatar ${t.oneAvatarMs.toFixed(1)} ms, 16 avatars ${t.sixteenAvatarsMs.toFixed(1)} ms`);
  }
  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exit(results.failed === 0 ? 0 : 1);
}

await main();
