/**
 * In-browser generation timings: the built app in headless Chromium (playwright-core, Debian's
 * /usr/bin/chromium, WebGPU enabled), one page per backend. The app's own figure is timed: the
 * sample cell's grid reports how long engine.render took (data-ms: recipes -> mapping ->
 * synthesis -> RGBA bytes, in the app's render worker, batched as the app batches: [1, 16];
 * [1, 4] on WASM when no worker runs, so "16" there is four batches of 4).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--enable-unsafe-webgpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
];
/**
 * With --gpu: headless Chromium on the machine's GPU through Vulkan (Linux with a GPU driver,
 * e.g. the NVIDIA one): ANGLE on Vulkan for WebGL, Dawn on Vulkan for WebGPU, the blocklist
 * ignored. Without a driver Chromium falls back to SwiftShader, and the report says so.
 */
const GPU_ARGS = ["--use-angle=vulkan", "--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan", "--ignore-gpu-blocklist", "--enable-gpu"];
const GRID = '[data-testid="avatar-grid"]';
const READY_TIMEOUT_MS = 300_000;

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function gridRun(page) {
  return page.$eval(GRID, (el) => Number(el.getAttribute("data-run") ?? 0)).catch(() => 0);
}

/** Wait for a grid newer than run `after`; returns its render time in ms. */
async function waitForGrid(page, after) {
  await page.waitForFunction(
    ([selector, before]) => {
      if (document.querySelector('[data-testid="missing-weights"]')) return true;
      const grid = document.querySelector(selector);
      if (!grid) return false;
      return grid.getAttribute("data-state") === "error" || (grid.getAttribute("data-state") === "ready" && Number(grid.getAttribute("data-run")) > before);
    },
    [GRID, after],
    { timeout: READY_TIMEOUT_MS, polling: 100 },
  );
  const failure = await page.evaluate(() => {
    const missing = document.querySelector('[data-testid="load-error"]');
    const error = document.querySelector('[data-testid="grid-error"]');
    return missing?.textContent || error?.textContent || null;
  });
  if (failure) throw new Error(failure);
  return page.$eval(GRID, (el) => Number(el.getAttribute("data-ms")));
}

async function generate(page, seeds) {
  const before = await gridRun(page);
  await page.fill('[data-testid="seeds"]', seeds);
  await page.click('[data-testid="generate"]');
  return waitForGrid(page, before);
}

/** What the page's WebGPU adapter is (SwiftShader = software, no GPU figure). */
function adapterInfo(page) {
  return page.evaluate(async () => {
    const gpu = navigator.gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    if (!adapter) return null;
    const info = adapter.info ?? {};
    return { vendor: info.vendor ?? "", architecture: info.architecture ?? "", device: info.device ?? "", description: info.description ?? "", isFallbackAdapter: Boolean(info.isFallbackAdapter) };
  });
}

/**
 * The Upscale cell's own timing (data-ms: the tiled super-resolution of one avatar, after the
 * model loaded and warmed up) for x2 and x4 of the grid's first avatar, median of `runs`.
 */
async function upscaleTimes(page, runs) {
  const CELL = '[data-testid="upscale-cell"]';
  await page.click('[data-testid="avatar-tile"] >> nth=0');
  await page.selectOption('[data-testid="add-cell"]', "upscale");
  await page.waitForSelector(CELL, { timeout: 30_000 });
  const once = async (factor, other) => {
    // Switching the factor away and back re-runs the upscale with the model already loaded.
    for (const f of [other, factor]) {
      await page.click(`${CELL} [data-testid="upscale-x${f}"]`);
      await page.waitForFunction(([selector, expected]) => {
        const el = document.querySelector(selector);
        const state = el?.getAttribute("data-state");
        return state === "failed" || state === "refused" || (state === "done" && el.querySelector('[data-testid="upscale-info"]')?.textContent?.startsWith(`×${expected}`));
      }, [CELL, f], { timeout: READY_TIMEOUT_MS, polling: 100 });
      const state = await page.getAttribute(CELL, "data-state");
      if (state !== "done") {
        const why = await page.textContent(`${CELL} [role="alert"]`, { timeout: 1000 }).catch(() => null);
        throw new Error(`upscale cell ${state} at x${f}: ${why ?? (await page.textContent(CELL))?.slice(0, 200)}`);
      }
    }
    return Number(await page.getAttribute(CELL, "data-ms"));
  };
  const out = [];
  for (const [factor, other] of [[2, 4], [4, 2]]) {
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await once(factor, other));
    out.push({ factor, ms: median(times), runs_ms: times });
  }
  return out;
}

/** The longest task (PerformanceObserver "longtask", 50 ms and over) on the page's main thread while `work` runs. */
async function longestTaskDuring(page, work) {
  await page.evaluate(() => {
    window.__benchLongest = 0;
    window.__benchObserver?.disconnect();
    window.__benchObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__benchLongest = Math.max(window.__benchLongest, entry.duration);
    });
    window.__benchObserver.observe({ type: "longtask" });
  });
  const gridMs = await work();
  const longestMs = await page.evaluate(() => {
    window.__benchObserver.disconnect();
    return window.__benchLongest;
  });
  return { avatars: 256, grid_ms: gridMs, longest_task_ms: longestMs };
}

async function timeBackend(context, baseUrl, backend, runs) {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/?notebook=new&backend=${backend}`);
    const firstGridMs = await waitForGrid(page, 0); // loads, warms up and renders the default grid
    const shown = (await page.textContent('[data-testid="backend-name"]').catch(() => ""))?.trim();
    if (shown && shown !== backend) throw new Error(`the app runs '${shown}', not '${backend}'`);
    const detail = (await page.textContent('[data-testid="backend-detail"]').catch(() => ""))?.trim() ?? "";
    // A software backend that took seconds per grid is timed fewer times (its spread is small).
    const slow = firstGridMs > 5000;
    const results = [];
    for (const [batch, seeds] of [[1, "0"], [16, "0-15"]]) {
      const count = slow && batch === 16 ? 1 : runs;
      await generate(page, seeds); // warm-up at this size
      const times = [];
      for (let i = 0; i < count; i++) times.push(await generate(page, seeds));
      results.push({ batch, batch_ms: median(times), ms_per_avatar: median(times) / batch, runs_ms: times });
    }
    // Responsiveness: the longest main-thread task while a 256-avatar grid renders (WASM and CPU
    // run on the page's thread; render.ts yields between batches). Skipped on a software GPU.
    const responsiveness = slow ? null : await longestTaskDuring(page, () => generate(page, "0-255"));
    let upscale;
    try {
      upscale = await upscaleTimes(page, slow ? 1 : runs);
    } catch (err) {
      upscale = { error: err instanceof Error ? err.message.split("\n")[0] : String(err) };
    }
    return { engine: "tf.js", backend, where: "chromium", detail, results, upscale, responsiveness };
  } finally {
    await page.close();
  }
}

/** Timings per backend, plus the WebGPU adapter seen by the browser. Errors per backend are kept, not thrown. */
export async function browserBench(baseUrl, { backends = ["webgpu", "wasm"], runs = 3, gpu = false } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), "avatargan-bench-"));
  // No service worker: its caching of the app and models would run during the timings.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: gpu ? [...CHROMIUM_ARGS, ...GPU_ARGS] : CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 }, serviceWorkers: "block",
  });
  try {
    const probe = await context.newPage();
    await probe.goto(`${baseUrl}/`);
    const adapter = await adapterInfo(probe);
    await probe.close();
    const reports = [];
    for (const backend of backends) {
      console.log(`bench: timing the app on ${backend} in Chromium…`);
      try {
        reports.push(await timeBackend(context, baseUrl, backend, runs));
      } catch (err) {
        reports.push({ engine: "tf.js", backend, where: "chromium", error: err instanceof Error ? err.message.split("\n")[0] : String(err) });
      }
    }
    return { adapter, reports };
  } finally {
    await context.close().catch(() => undefined);
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
