/**
 * E2E pass for the latent-exploration cells with the shipped models (generator + tagger).
 *
 * On WASM (tens of ms per avatar here; SwiftShader WebGPU takes ~1.8 s): the adherence matrix
 * of hair colour, 4 samples per colour, renders as a d3 heatmap whose diagonal dominates; it
 * has a legend and a tooltip and exports as SVG and PNG. The per-layer effect and the PCA map
 * draw too, and the interpolation, directions (with the tagger sweep) and style-mixing cells
 * render their grids. On WebGPU a smaller smoke check renders one interpolation cell.
 *
 *   node test/e2e/run.mjs --only explore
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assertLoadedInWorker } from "./modelFetches.mjs";

const GRID = '[data-testid="avatar-grid"]';
const EFFECTS = '[data-testid="effects-cell"]';

async function waitReady(page, selector, timeout) {
  await page.waitForFunction((s) => {
    const state = document.querySelector(s)?.getAttribute("data-state");
    return state === "ready" || state === "error";
  }, selector, { timeout, polling: 200 });
  const state = await page.getAttribute(selector, "data-state");
  if (state !== "ready") throw new Error(`${selector} ended in '${state}': ${await page.textContent(`${selector} [role="alert"]`).catch(() => "")}`);
}

/** Click a button after centring it: the notebook's sticky header may cover an element at the viewport's top. */
async function press(page, selector) {
  try {
    await page.locator(selector).evaluate((el) => el.scrollIntoView({ block: "center" }));
    await page.click(selector, { timeout: 15_000 });
  } catch (err) {
    // Playwright's call log says why (hidden, covered, disabled): keep it on the one line a check prints.
    throw new Error(`${selector}: ${String(err instanceof Error ? err.message : err).split("\n").slice(0, 6).join(" | ")}`);
  }
}

async function runEffects(page, view, timeout) {
  await press(page, `${EFFECTS} [data-testid="effects-view-${view}"]`);
  await press(page, `${EFFECTS} [data-testid="effects-run"]`);
  await page.waitForFunction((s) => {
    const state = document.querySelector(`${s} [data-testid="effects-results"]`)?.getAttribute("data-state");
    return state === "done" || state === "error";
  }, EFFECTS, { timeout, polling: 250 });
  const state = await page.getAttribute(`${EFFECTS} [data-testid="effects-results"]`, "data-state");
  if (state !== "done") throw new Error(`effects '${view}' failed: ${await page.textContent(`${EFFECTS} [data-testid="effects-error"]`)}`);
  await page.waitForSelector(`${EFFECTS} figure[data-drawn="true"]`, { timeout: 30_000 });
}

async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

export async function explorePass(context, baseUrl, { check, assert, RESULTS, READY_TIMEOUT_MS }) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  const label = (name) => `[explore wasm] ${name}`;
  try {
    await page.goto(`${baseUrl}/?backend=wasm&notebook=new`);
    const ready = await check(label("a new notebook renders its first grid"), () => waitReady(page, GRID, READY_TIMEOUT_MS));
    if (!ready) return;

    await page.selectOption('[data-testid="add-cell"]', "effects");
    await page.waitForSelector(EFFECTS, { timeout: 30_000 });
    await check(label("hair adherence matrix (4 per colour, shipped generator + tagger): the diagonal dominates"), async () => {
      await runEffects(page, "adherence", READY_TIMEOUT_MS);
      const summary = `${EFFECTS} [data-testid="adherence-summary"]`;
      const attr = async (name) => Number(await page.getAttribute(summary, name));
      const rows = await attr("data-rows");
      const dominant = await attr("data-dominant-rows");
      const accuracy = await attr("data-accuracy");
      const diagonal = await attr("data-diagonal-mean");
      const offMax = await attr("data-offdiagonal-max");
      const cells = await page.locator(`${EFFECTS} [data-testid="heatmap-cell"]`).count();
      assert(cells === rows * rows, `heatmap has ${cells} cells, expected ${rows}x${rows}`);
      assert(dominant >= Math.ceil(0.75 * rows), `the diagonal dominates only ${dominant} of ${rows} rows`);
      assert(diagonal > 0.5, `mean diagonal probability ${diagonal} <= 0.5`);
      assert(diagonal > offMax, `mean diagonal ${diagonal} is not above the largest off-diagonal mean ${offMax}`);
      return `${dominant}/${rows} rows dominant, top-pick accuracy ${(100 * accuracy).toFixed(1)}%, mean diagonal p ${diagonal}, max off-diagonal ${offMax}, ${await attr("data-ms")} ms`;
    });

    await check(label("the matrix has axes, a legend and a tooltip, and exports as SVG and PNG"), async () => {
      const chart = `${EFFECTS} [data-testid="adherence-chart"]`;
      assert((await page.locator(`${chart} .tick`).count()) > 20, "axis ticks missing");
      assert((await page.locator(`${chart} [data-testid="chart-legend"]`).count()) === 1, "legend missing");
      const cell = page.locator(`${chart} [data-testid="heatmap-cell"]`).first();
      await cell.evaluate((el) => el.scrollIntoView({ block: "center" }));
      await cell.hover({ timeout: 15_000 });
      const tip = await page.textContent(`${chart} [data-testid="chart-tooltip"]`);
      assert(/requested: .*detected: .*mean probability/.test(tip ?? ""), `tooltip says '${tip}'`);
      const svg = await downloaded(page, () => press(page, `${chart} [data-testid="adherence-chart-svg"]`));
      const text = svg.bytes.toString("utf8");
      assert(svg.name.endsWith(".svg") && text.includes("<svg") && text.includes("heatmap-cell"), `SVG export '${svg.name}' is not the chart`);
      const png = await downloaded(page, () => press(page, `${chart} [data-testid="adherence-chart-png"]`));
      assert(png.name.endsWith(".png") && png.bytes.subarray(1, 4).toString("latin1") === "PNG", `PNG export '${png.name}' is not a PNG`);
      await page.locator(EFFECTS).screenshot({ path: join(RESULTS, "adherence.png") });
      return `${svg.bytes.length} B SVG, ${png.bytes.length} B PNG`;
    });

    await check(label("per-layer effect (legend clear of the title) and the PCA map draw"), async () => {
      await runEffects(page, "layers", READY_TIMEOUT_MS);
      const bars = await page.locator(`${EFFECTS} [data-testid="bar"]`).count();
      assert(bars === 10, `${bars} bars, expected one per w (10)`);
      const overlap = await page.locator(EFFECTS).evaluate((cell) => {
        const box = (el) => el?.getBoundingClientRect();
        const [title, legend] = [box(cell.querySelector(".chart-title")), box(cell.querySelector('[data-testid="chart-legend"]'))];
        return !!title && !!legend && title.bottom > legend.top && title.top < legend.bottom && title.right > legend.left && title.left < legend.right;
      });
      assert(!overlap, "the per-layer chart's legend overlaps its title");
      await runEffects(page, "pca", READY_TIMEOUT_MS);
      const points = await page.locator(`${EFFECTS} [data-testid="scatter-point"]`).count();
      assert(points === 96, `${points} PCA points, expected 96`);
      // The last dot is drawn last, so no other dot covers it.
      const dot = page.locator(`${EFFECTS} [data-testid="scatter-point"]`).last();
      await dot.evaluate((el) => el.scrollIntoView({ block: "center" }));
      await dot.hover({ timeout: 15_000 });
      assert((await page.locator(`${EFFECTS} [data-testid="chart-tooltip"] canvas`).count()) === 1, "no avatar preview in the PCA tooltip");
      await page.locator(EFFECTS).screenshot({ path: join(RESULTS, "pca.png") });
      return `${bars} layer bars, ${points} points with previews`;
    });

    await check(label("interpolation, directions (with the tagger sweep) and style mixing render"), async () => {
      await page.selectOption('[data-testid="add-cell"]', "interpolate");
      await waitReady(page, '[data-testid="interpolation-grid"]', READY_TIMEOUT_MS);
      const frames = await page.locator('[data-testid="interpolation-grid"] [data-testid="avatar-canvas"]').count();
      assert(frames === 8, `interpolation shows ${frames} frames, expected 8`);
      const grid = await downloaded(page, () => press(page, '[data-testid="interp-export-png"]'));
      assert(grid.bytes.subarray(1, 4).toString("latin1") === "PNG", "grid export is not a PNG");
      await page.selectOption('[data-testid="add-cell"]', "directions");
      await waitReady(page, '[data-testid="directions-preview"]', READY_TIMEOUT_MS);
      await press(page, '[data-testid="probe-run"]');
      await page.waitForSelector('[data-testid="probe-chart"][data-drawn="true"]', { timeout: READY_TIMEOUT_MS });
      await page.selectOption('[data-testid="add-cell"]', "mixing");
      await waitReady(page, '[data-testid="mixing-grid"]', READY_TIMEOUT_MS);
      const mixed = await page.locator('[data-testid="mixing-grid"] [data-testid="avatar-canvas"]').count();
      assert(mixed === 15, `style mixing shows ${mixed} avatars, expected 3 donors x 5`);
      await page.locator('[data-testid="directions-cell"]').screenshot({ path: join(RESULTS, "directions.png") });
      return `${frames} frames, grid PNG ${grid.bytes.length} B, sweep chart drawn, ${mixed} mixed avatars`;
    });
    await check(label("the tagger reads the avatars in the engine's worker, not on the page's thread"), () => assertLoadedInWorker(page, "tagger", assert));
    await check(label("no page errors"), async () => assert(pageErrors.length === 0, pageErrors.join(" | ")));
  } finally {
    await page.close();
  }

  // WebGPU (SwiftShader here: ~1.8 s per avatar): one interpolation cell, as a smoke check.
  const gpu = await context.newPage();
  try {
    await gpu.goto(`${baseUrl}/?backend=webgpu&notebook=new`);
    await check("[explore webgpu] an interpolation cell renders", async () => {
      await waitReady(gpu, GRID, READY_TIMEOUT_MS);
      await gpu.selectOption('[data-testid="add-cell"]', "interpolate");
      await waitReady(gpu, '[data-testid="interpolation-grid"]', READY_TIMEOUT_MS);
      const ms = await gpu.getAttribute('[data-testid="interpolation-grid"]', "data-ms");
      return `8 frames in ${Number(ms).toFixed(0)} ms`;
    });
  } finally {
    await gpu.close();
  }
}
