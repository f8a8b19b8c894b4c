/**
 * E2E pass for the upscale cell: on WebGPU (SwiftShader here), sample one avatar, select it,
 * add an Upscale cell, upscale x4 and check the result: 4x the input's size, not blank,
 * consistent with the input (its 4x4 box average is close to the input's pixels), the time
 * shown, and the upscaled recipe published (the Star button becomes active).
 *
 *   node test/e2e/run.mjs --only upscale
 *
 * Kept small on purpose: SwiftShader runs the x4 of one 64 px avatar in seconds, not more.
 */

import { join } from "node:path";
import { assertLoadedInWorker } from "./modelFetches.mjs";

const GRID = '[data-testid="avatar-grid"]';
const CELL = '[data-testid="upscale-cell"]';

export async function upscalePass(context, baseUrl, { check, assert, readCanvases, maxDifference, fullPageShot, RESULTS, READY_TIMEOUT_MS }) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  const label = (name) => `[upscale webgpu] ${name}`;
  try {
    await page.goto(`${baseUrl}/?backend=webgpu&notebook=new`);
    const ready = await check(label("a new notebook renders its first grid"), async () => {
      await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute("data-state") === "ready",
        GRID, { timeout: READY_TIMEOUT_MS, polling: 200 });
    });
    if (!ready) return;

    let input;
    await check(label("selecting an avatar and adding an Upscale cell upscales it x4"), async () => {
      const [first] = await readCanvases(page);
      input = first;
      await page.click('[data-testid="avatar-tile"] >> nth=0');
      await page.selectOption('[data-testid="add-cell"]', "upscale");
      await page.waitForSelector(CELL, { timeout: 30_000 });
      await page.click(`${CELL} [data-testid="upscale-x4"]`);
      await page.waitForFunction((selector) => {
        const state = document.querySelector(selector)?.getAttribute("data-state");
        return state === "done" || state === "failed" || state === "refused";
      }, CELL, { timeout: READY_TIMEOUT_MS, polling: 200 });
      const state = await page.getAttribute(CELL, "data-state");
      const problem = state === "done" ? null : await page.textContent(`${CELL} [role="alert"]`);
      assert(state === "done", `upscale cell ended in state '${state}': ${problem}`);
      return (await page.textContent(`${CELL} [data-testid="upscale-info"]`))?.trim();
    });

    await check(label("the result is 4x the input, not blank, and consistent with it"), async () => {
      const [after] = await readCanvases(page, `${CELL} [data-testid="upscale-after"]`);
      const [shown] = await readCanvases(page, `${CELL} [data-testid="upscale-input"]`);
      assert(input && shown, "no input canvas to compare with");
      assert(after.width === shown.width * 4 && after.height === shown.height * 4,
        `result is ${after.width}x${after.height}, input ${shown.width}x${shown.height}`);
      assert(after.variance > 0, "upscaled canvas is blank");
      const diff = meanBoxDifference(after, shown, 4);
      // An upscaler adds detail, it does not move colours: its 4x4 averages track the input.
      assert(diff < 6, `4x4 averages of the result differ from the input by ${diff.toFixed(2)} levels on average`);
      const info = (await page.textContent(`${CELL} [data-testid="upscale-info"]`)) ?? "";
      assert(/×4 · \d+ × \d+ px · [\d.]+ m?s on webgpu/.test(info), `caption '${info}' does not show size and time`);
      return `${after.width}x${after.height}, mean |box average - input| ${diff.toFixed(2)} levels`;
    });

    // The README picture shows the default level, so it is taken before the level changes.
    await fullPageShot(page, join(RESULTS, "upscale.png"));

    await check(label("the slider compares against bicubic, or against the input's own pixels"), async () => {
      const [smooth] = await readCanvases(page, `${CELL} [data-testid="upscale-before"]`);
      const [after] = await readCanvases(page, `${CELL} [data-testid="upscale-after"]`);
      const [shown] = await readCanvases(page, `${CELL} [data-testid="upscale-input"]`);
      assert(smooth.width === after.width && smooth.height === after.height, `bicubic baseline is ${smooth.width}x${smooth.height}`);
      const gain = maxDifference(smooth.pixels, after.pixels);
      assert(gain > 0, "the bicubic baseline equals the upscaler's result");
      await page.selectOption(`${CELL} [data-testid="upscale-compare"]`, "nearest");
      await page.waitForFunction((sel) => document.querySelector(sel)?.closest("[data-baseline]")?.getAttribute("data-baseline") === "nearest",
        `${CELL} [data-testid="upscale-before"]`, { timeout: 5000 });
      const [raw] = await readCanvases(page, `${CELL} [data-testid="upscale-before"]`);
      assert(raw.width === shown.width, `the nearest baseline is ${raw.width} px wide, the input ${shown.width}`);
      await page.selectOption(`${CELL} [data-testid="upscale-compare"]`, "bicubic");
      return `bicubic ${smooth.width}x${smooth.height} vs upscaler: up to ${gain} levels apart; nearest shows the ${raw.width} px input`;
    });

    await check(label("denoise level 1 loads its own model and upscales the same avatar differently"), async () => {
      const [level0] = await readCanvases(page, `${CELL} [data-testid="upscale-after"]`);
      await page.selectOption(`${CELL} [data-testid="upscale-denoise"]`, "1");
      // The level-0 result leaves first (its model must load: there is always a pending state).
      await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute("data-state") !== "done",
        CELL, { timeout: 10_000, polling: 20 }).catch(() => undefined);
      await page.waitForFunction((selector) => ["done", "failed", "refused"].includes(document.querySelector(selector)?.getAttribute("data-state") ?? ""),
        CELL, { timeout: READY_TIMEOUT_MS, polling: 200 });
      const state = await page.getAttribute(CELL, "data-state");
      assert(state === "done", `denoise 1 ended in '${state}': ${await page.textContent(`${CELL} [role="alert"]`).catch(() => "")}`);
      const [level1] = await readCanvases(page, `${CELL} [data-testid="upscale-after"]`);
      assert(level1.width === level0.width, `denoise 1 made ${level1.width} px, level 0 ${level0.width} px`);
      const diff = meanAbsDifference(level0, level1);
      assert(diff > 0, "denoise 1 gave exactly the level-0 pixels: the same model ran");
      return `mean |level 1 - level 0| ${diff.toFixed(2)} levels`;
    });

    await check(label("both upscalers load in the engine's worker, not on the page's thread"), async () => {
      return `${await assertLoadedInWorker(page, "upscaler", assert)}; ${await assertLoadedInWorker(page, "upscaler-denoise1", assert)}`;
    });

    await check(label("the upscaled recipe is published (can be starred)"), async () => {
      const star = `${CELL} [data-testid="upscale-star"]`;
      assert(!(await page.isDisabled(star)), "the Star button is disabled: no output recipe");
    });

    await check(label("no uncaught page errors"), async () => {
      assert(pageErrors.length === 0, pageErrors.join(" | "));
    });
  } finally {
    await page.close();
  }
}

/** Mean over pixels and RGB of |a - b| for two canvases of one size. */
function meanAbsDifference(a, b) {
  let total = 0;
  for (let i = 0; i < a.pixels.length; i++) if (i % 4 !== 3) total += Math.abs(a.pixels[i] - b.pixels[i]);
  return total / ((a.pixels.length / 4) * 3);
}

/** Mean over pixels and RGB of |average of each factor x factor block of `large` - `small`|. */
function meanBoxDifference(large, small, factor) {
  let total = 0;
  for (let y = 0; y < small.height; y++) {
    for (let x = 0; x < small.width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          for (let dx = 0; dx < factor; dx++) {
            sum += large.pixels[((y * factor + dy) * large.width + x * factor + dx) * 4 + c];
          }
        }
        total += Math.abs(sum / (factor * factor) - small.pixels[(y * small.width + x) * 4 + c]);
      }
    }
  }
  return total / (small.width * small.height * 3);
}
