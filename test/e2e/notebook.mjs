/**
 * The notebook pass (WebGPU): from the start page open the tour notebook, change a tag, star
 * two avatars, export the favourites ZIP and check its contents (names, recipes, the PNG text
 * chunk, pixels equal to the grid's), reload and find the notebook as it was, re-import an
 * exported PNG, step through presentation mode with the keyboard.
 *
 * Called from run.mjs's main() with its helpers; `node test/e2e/run.mjs --only notebook`
 * runs just this pass.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { strFromU8, unzipSync } from "fflate";

const CELL = (id) => `[data-testid="cell"][data-cell-id="${id}"]`;
const FIRST_GRID = `${CELL("sample-1")} [data-testid="avatar-grid"]`;

/** The RGBA pixels and text chunks of a PNG written by lib/edit/png.ts (8-bit RGBA, filter 0). */
function readExportedPng(bytes) {
  const buffer = Buffer.from(bytes);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  const text = {};
  while (at < buffer.length) {
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString("latin1", at + 4, at + 8);
    const body = buffer.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
    } else if (type === "IDAT") idat.push(body);
    else if (type === "tEXt") {
      const nul = body.indexOf(0);
      text[body.toString("latin1", 0, nul)] = body.toString("latin1", nul + 1);
    }
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = [];
  for (let y = 0; y < height; y++) {
    if (raw[y * (stride + 1)] !== 0) throw new Error(`row ${y} uses filter ${raw[y * (stride + 1)]}, the exporter writes 0`);
    pixels.push(...raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
  }
  return { width, height, pixels, text };
}

export async function notebookPass(context, baseUrl, t) {
  const { check, assert, readCanvases, maxDifference } = t;
  const label = (name) => `[notebook] ${name}`;
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  const modelDir = t.model;
  if (modelDir) await t.serveModel(page, modelDir);
  const scratch = mkdtempSync(join(tmpdir(), "avatargan-notebook-e2e-"));
  console.log(`e2e: notebook pass (webgpu) on ${modelDir ?? "the shipped model"}`);

  const gridRun = (selector) => page.$eval(selector, (el) => Number(el.getAttribute("data-run") ?? 0));
  const waitGrid = (selector, after = 0) =>
    page.waitForFunction(
      ([sel, n]) => {
        const grid = document.querySelector(sel);
        if (!grid) return false;
        if (grid.getAttribute("data-state") === "error") throw new Error(grid.textContent ?? "grid failed");
        return grid.getAttribute("data-state") === "ready" && Number(grid.getAttribute("data-run")) > n;
      },
      [selector, after],
      { timeout: t.READY_TIMEOUT_MS, polling: 200 },
    );
  const waitAllGrids = () =>
    page.waitForFunction(
      () => {
        const grids = [...document.querySelectorAll('[data-testid="avatar-grid"]')];
        const failed = grids.find((g) => g.getAttribute("data-state") === "error");
        if (failed) throw new Error(`a grid failed: ${failed.textContent}`);
        return grids.length > 0 && grids.every((g) => g.getAttribute("data-state") === "ready");
      },
      undefined,
      { timeout: t.READY_TIMEOUT_MS, polling: 250 },
    );
  const favouritesReady = (count) =>
    page.waitForFunction(
      (n) => {
        const tray = document.querySelector('[data-testid="favourites"]');
        return tray && Number(tray.getAttribute("data-count")) === n && tray.getAttribute("data-state") === "ready"
          && tray.querySelectorAll('[data-testid="favourite"]').length === n;
      },
      count,
      { timeout: t.READY_TIMEOUT_MS, polling: 200 },
    );

  try {
    await page.goto(`${baseUrl}/?backend=webgpu`);
    // Earlier passes autosaved their notebooks in this browser profile: start clean.
    await page.evaluate(() => window.localStorage.clear());
    await page.reload();

    const started = await check(label("start page offers New, Open and the shipped notebooks"), async () => {
      await page.waitForSelector('[data-testid="start-page"]', { timeout: t.READY_TIMEOUT_MS });
      for (const id of ["new-notebook", "open-notebook", "shipped-tour", "shipped-thesis-defense"]) {
        assert(await page.$(`[data-testid="${id}"]`), `no ${id} on the start page`);
      }
    });
    if (!started) return;

    let cellCount = 0;
    const opened = await check(label("the tour opens and every grid renders"), async () => {
      const t0 = Date.now();
      await page.click('[data-testid="shipped-tour"]');
      await page.waitForSelector('[data-testid="notebook"]');
      await waitAllGrids();
      cellCount = await page.$$eval('[data-testid="cell"]', (cells) => cells.length);
      const kinds = await page.$$eval('[data-testid="cell"]', (cells) => cells.map((c) => c.getAttribute("data-kind")));
      return `${cellCount} cells (${kinds.join(", ")}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    });
    if (!opened) return;
    await t.fullPageShot(page, join(t.RESULTS, "notebook-tour.png"));

    await check(label("the tour opens with its three favourites in the tray; unstarring empties it"), async () => {
      await favouritesReady(3);
      for (const left of [2, 1, 0]) {
        await page.click('[data-testid="favourite-unstar"] >> nth=0');
        await favouritesReady(left);
      }
    });

    let tag = "";
    let groupSelect = "";
    await check(label("changing a tag re-renders the grid with it"), async () => {
      groupSelect = `${CELL("sample-1")} [data-testid^="group-"]`;
      const options = await page.locator(groupSelect).first().evaluate((sel) => [...sel.options].map((o) => o.value));
      tag = options.find((v) => v !== "__random__" && v !== "");
      const before = await gridRun(FIRST_GRID);
      await page.locator(groupSelect).first().selectOption(tag);
      await waitGrid(FIRST_GRID, before);
      const captions = await page.$$eval(`${FIRST_GRID} .avatar-tags`, (els) => els.map((e) => e.textContent));
      assert(captions.length > 0 && captions.every((c) => c.split(" · ").includes(tag)), `not every caption has '${tag}': ${captions.slice(0, 3).join(" | ")}`);
      return `'${tag}' on ${captions.length} avatars`;
    });

    const grid = await readCanvases(page, `${FIRST_GRID} [data-testid="avatar-canvas"]`);
    const seeds = await page.$$eval(`${FIRST_GRID} .avatar-seed`, (els) => els.map((e) => e.textContent.replace("#", "")));
    await check(label("starring two avatars puts them in the favourites tray"), async () => {
      await page.click(`${FIRST_GRID} [data-testid="star"] >> nth=0`);
      await page.click(`${FIRST_GRID} [data-testid="star"] >> nth=1`);
      await favouritesReady(2);
      const [a, b] = await readCanvases(page, '[data-testid="favourite-canvas"]');
      assert(maxDifference(a.pixels, grid[0].pixels) === 0 && maxDifference(b.pixels, grid[1].pixels) === 0, "the tray's pixels differ from the grid's");
    });

    let pngPath = "";
    let zipFile = "";
    await check(label("Export ZIP holds a PNG and a JSON per avatar and the notebook"), async () => {
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.click('[data-testid="export-zip"]')]);
      const zipPath = join(scratch, download.suggestedFilename());
      await download.saveAs(zipPath);
      zipFile = zipPath;
      const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
      const expected = ["notebook.json", ...seeds.slice(0, 2).flatMap((s) => [`avatar-${s}.json`, `avatar-${s}.png`])].sort();
      assert(JSON.stringify(Object.keys(files).sort()) === JSON.stringify(expected), `files ${Object.keys(files).sort().join(", ")}, expected ${expected.join(", ")}`);
      const notebook = JSON.parse(strFromU8(files["notebook.json"]));
      assert(notebook.format === "avatargan-notebook" && notebook.favourites.length === 2, "notebook.json lacks the two favourites");
      {
        // A recipe naming a tag the model lacks, for the broken-favourite check below.
        const good = JSON.parse(strFromU8(files[`avatar-${seeds[0]}.json`]));
        const inner = good.recipe ?? good;
        const bad = { ...inner, seed: 4242, tags: [...inner.tags, "plaid hair"] };
        writeFileSync(join(scratch, "plaid.json"), JSON.stringify(good.recipe ? { ...good, recipe: bad } : bad));
      }
      for (let i = 0; i < 2; i++) {
        const stem = `avatar-${seeds[i]}`;
        const recipe = JSON.parse(strFromU8(files[`${stem}.json`]));
        assert(String(recipe.seed) === seeds[i] && recipe.tags.includes(tag), `${stem}.json: seed ${recipe.seed}, tags ${recipe.tags}`);
        assert(recipe.model?.name && recipe.model?.sha256 !== undefined && typeof recipe.psi === "number", `${stem}.json misses model or psi`);
        const png = readExportedPng(files[`${stem}.png`]);
        assert(JSON.stringify(JSON.parse(png.text["avatargan-recipe"])) === JSON.stringify(recipe), `${stem}.png's recipe chunk differs from ${stem}.json`);
        const diff = maxDifference(png.pixels, grid[i].pixels);
        assert(diff === 0, `${stem}.png differs from the grid by up to ${diff} levels`);
      }
      pngPath = join(scratch, `avatar-${seeds[0]}.png`);
      writeFileSync(pngPath, files[`avatar-${seeds[0]}.png`]);
      return `${Object.keys(files).length} files, ${readFileSync(zipPath).length} bytes`;
    });

    await check(label("after a reload the notebook is as it was"), async () => {
      const title = await page.inputValue('[data-testid="notebook-title"]');
      await page.reload();
      await page.waitForSelector('[data-testid="notebook"]', { timeout: t.READY_TIMEOUT_MS });
      await waitAllGrids();
      await favouritesReady(2);
      assert((await page.inputValue('[data-testid="notebook-title"]')) === title, "title changed");
      const cells = await page.$$eval('[data-testid="cell"]', (els) => els.length);
      assert(cells === cellCount, `${cells} cells after reload, ${cellCount} before`);
      const value = await page.locator(groupSelect).first().inputValue();
      assert(value === tag, `the tag choice is '${value}' after reload, expected '${tag}'`);
      const again = await readCanvases(page, `${FIRST_GRID} [data-testid="avatar-canvas"]`);
      assert(again.length === grid.length && maxDifference(again[0].pixels, grid[0].pixels) === 0, "the first grid's pixels changed");
    });

    await check(label("re-importing an exported PNG restores the favourite, same pixels"), async () => {
      await page.click('[data-testid="favourite-unstar"] >> nth=0');
      await favouritesReady(1);
      await page.setInputFiles('[data-testid="import-avatar-input"]', pngPath);
      await favouritesReady(2);
      const message = await page.textContent('[data-testid="favourites-message"]');
      assert(/Imported 1 avatar/.test(message ?? ""), `message: ${message}`);
      const tray = await readCanvases(page, '[data-testid="favourite-canvas"]');
      assert(tray.some((c) => maxDifference(c.pixels, grid[0].pixels) === 0), "the imported avatar's pixels differ from the original");
    });

    await check(label("a favourite the model cannot render: refused on import, shown as broken from a draft, removable"), async () => {
      await page.setInputFiles('[data-testid="import-avatar-input"]', join(scratch, "plaid.json"));
      await page.waitForFunction(() => /was not imported: this model has no “plaid hair”/.test(document.querySelector('[data-testid="favourites-message"]')?.textContent ?? ""));
      await favouritesReady(2);
      // An older draft (or another model's notebook) may already hold such a favourite.
      const bad = JSON.parse(readFileSync(join(scratch, "plaid.json"), "utf8"));
      await page.evaluate((recipe) => {
        const draft = JSON.parse(window.localStorage.getItem("avatargan.notebook.draft"));
        draft.favourites.push(recipe.recipe ?? recipe);
        window.localStorage.setItem("avatargan.notebook.draft", JSON.stringify(draft));
      }, bad);
      await page.reload();
      await page.waitForSelector('[data-testid="notebook"]', { timeout: t.READY_TIMEOUT_MS });
      await page.waitForFunction(() => {
        const tray = document.querySelector('[data-testid="favourites"]');
        return tray && tray.getAttribute("data-state") === "ready" && tray.querySelectorAll('[data-testid="favourite"]').length === 2
          && tray.querySelectorAll('[data-testid="favourite-broken"]').length === 1;
      }, undefined, { timeout: t.READY_TIMEOUT_MS, polling: 200 });
      const status = await page.textContent('[data-testid="favourites-status"]');
      assert(/1 cannot render with this model/.test(status ?? ""), `status: ${status}`);
      await page.click('[data-testid="favourite-remove-broken"]');
      await favouritesReady(2);
      assert((await page.$$('[data-testid="favourite-broken"]')).length === 0, "the broken favourite is still there");
    });

    await check(label("the exported ZIP imports as avatars, not as a parse error"), async () => {
      await page.click('[data-testid="favourite-unstar"] >> nth=0');
      await favouritesReady(1);
      await page.setInputFiles('[data-testid="import-avatar-input"]', zipFile);
      await favouritesReady(2);
      const message = await page.textContent('[data-testid="favourites-message"]');
      assert(/Imported 1 avatar \(1 already here\)/.test(message ?? ""), `message: ${message}`);
    });

    await check(label("presentation mode: one cell at a time, arrow keys, Escape, no network"), async () => {
      const requests = [];
      const onRequest = (request) => requests.push(request.url());
      page.on("request", onRequest);
      await context.setOffline(true);
      try {
        await page.click('[data-testid="present"]');
        await page.waitForSelector('[data-testid="presentation-bar"]');
        const visible = () => page.$$eval('[data-testid="cell"]', (els) => els.filter((e) => !e.hidden).map((e) => e.getAttribute("data-cell-id")));
        const first = await visible();
        assert(first.length === 1, `${first.length} cells visible while presenting`);
        await page.keyboard.press("ArrowRight");
        const second = await visible();
        assert(second.length === 1 && second[0] !== first[0], "ArrowRight did not move to the next cell");
        assert((await page.textContent('[data-testid="presentation-slide"]'))?.trim() === `2 / ${cellCount}`, "slide counter is wrong");
        await page.screenshot({ path: join(t.RESULTS, "notebook-presentation.png") });
        await page.keyboard.press("End");
        assert((await page.textContent('[data-testid="presentation-slide"]'))?.trim() === `${cellCount} / ${cellCount}`, "End did not go to the last cell");
        await page.keyboard.press("Escape");
        await page.waitForSelector('[data-testid="presentation-bar"]', { state: "detached", timeout: 5000 });
      } finally {
        await context.setOffline(false);
        page.off("request", onRequest);
      }
      assert(requests.length === 0, `presentation made ${requests.length} requests: ${requests.slice(0, 3).join(", ")}`);
    });

    await check(label("a notebook opened by ?notebook= is autosaved and survives a reload"), async () => {
      await page.goto(`${baseUrl}/?backend=webgpu&notebook=new`);
      await page.waitForSelector('[data-testid="notebook"]', { timeout: t.READY_TIMEOUT_MS });
      assert(!page.url().includes("notebook="), `the address still asks for a notebook: ${page.url()}`);
      const title = "Kept across reloads";
      await page.fill('[data-testid="notebook-title"]', title);
      await page.reload();
      await page.waitForSelector('[data-testid="notebook"]', { timeout: t.READY_TIMEOUT_MS });
      const after = await page.inputValue('[data-testid="notebook-title"]');
      assert(after === title, `the title is '${after}' after reload: the draft was replaced`);
    });

    await check(label("no uncaught page errors"), async () => {
      assert(pageErrors.length === 0, pageErrors.join(" | "));
    });
    await check(label("no request left localhost"), async () => {
      assert(t.external.length === 0, `requests to ${[...new Set(t.external)].slice(0, 5).join(", ")}`);
    });
  } finally {
    await page.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
