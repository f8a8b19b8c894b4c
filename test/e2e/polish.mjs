/**
 * The walk-through pass (WASM, the shipped model): what a person trips on when driving the
 * cells, checked as behaviour rather than markup. Enter in the Seeds box generates and leaves
 * the settings open; a new cell scrolls into view with its title focused; Upscale works on
 * the avatar picked last and says where it comes from; tiles of one seed carry captions that
 * tell them apart; Open… inside a notebook gives the start page's notices; Close asks before
 * discarding unsaved work and keeps the notebook under Recent notebooks; the start page fits
 * a 1400 px desktop and a 390 px phone without sideways scrolling.
 *
 *   node test/e2e/run.mjs --only polish
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CELLS = '[data-testid="cell"]';
// A new notebook is [1] sample-1, [2] favourites-1; the sample cell added below it is [3] sample-2.
const FIRST_SAMPLE = `${CELLS}[data-cell-id="sample-1"]`;
const SECOND_SAMPLE = `${CELLS}[data-cell-id="sample-2"]`;

export async function polishPass(context, baseUrl, { check, assert, fullPageShot, RESULTS, READY_TIMEOUT_MS }) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  const label = (name) => `[polish wasm] ${name}`;
  const scratch = mkdtempSync(join(tmpdir(), "avatargan-polish-e2e-"));

  /** Wait until the grid inside `cellSelector` has rendered more than `after` times. */
  const waitGrid = (cellSelector, after = 0) =>
    page.locator(`${cellSelector} [data-testid="avatar-grid"]`).first().evaluate(
      (grid, n) => new Promise((resolve, reject) => {
        const deadline = Date.now() + 120_000;
        const poll = () => {
          if (grid.getAttribute("data-state") === "error") return reject(new Error(grid.textContent ?? "grid failed"));
          if (grid.getAttribute("data-state") === "ready" && Number(grid.getAttribute("data-run")) > n) return resolve(undefined);
          if (Date.now() > deadline) return reject(new Error("grid did not render in 120 s"));
          setTimeout(poll, 100);
        };
        poll();
      }),
      after,
    );
  const gridRun = (cellSelector) =>
    page.locator(`${cellSelector} [data-testid="avatar-grid"]`).first().evaluate((g) => Number(g.getAttribute("data-run") ?? 0));
  const noSidewaysScroll = () => page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));

  try {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${baseUrl}/?backend=wasm`);
    await page.evaluate(() => window.localStorage.clear());
    await page.reload();

    await check(label("the start page fits 1400 px and a 390 px phone without sideways scrolling"), async () => {
      await page.waitForSelector('[data-testid="start-page"]', { timeout: READY_TIMEOUT_MS });
      const sizes = [];
      for (const [width, height] of [[1400, 900], [390, 844]]) {
        await page.setViewportSize({ width, height });
        await page.waitForTimeout(100);
        const { scroll, client } = await noSidewaysScroll();
        assert(scroll <= client, `at ${width} px the page is ${scroll} px wide`);
        await fullPageShot(page, join(RESULTS, `start-page-${width}.png`));
        sizes.push(`${width} px: ${scroll} px wide`);
      }
      await page.setViewportSize({ width: 1280, height: 860 });
      return sizes.join(", ");
    });

    await page.click('[data-testid="new-notebook"]');
    const first = FIRST_SAMPLE;
    const ready = await check(label("a new notebook renders its grid"), async () => {
      await page.waitForSelector('[data-testid="notebook"]');
      await waitGrid(first);
    });
    if (!ready) return;

    await check(label("on a 390 px phone: no sideways scroll, the toolbar scrolls away, 32 px targets, star and zoom beside the avatar"), async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(200);
      const phone = await page.evaluate(() => {
        const small = [...document.querySelectorAll(".icon-button")]
          .filter((b) => b.getClientRects().length > 0)
          .map((b) => b.getBoundingClientRect())
          .filter((r) => r.width < 31.5 || r.height < 31.5).length;
        const star = document.querySelector('[data-testid="star"]')?.getBoundingClientRect();
        const canvas = document.querySelector('[data-testid="avatar-canvas"]')?.getBoundingClientRect();
        const covers = !!star && !!canvas && star.top < canvas.bottom && star.bottom > canvas.top && star.left < canvas.right && star.right > canvas.left;
        window.scrollTo(0, 1200);
        const toolbar = document.querySelector(".notebook-toolbar").getBoundingClientRect();
        const title = document.querySelector('[data-testid="notebook-title"]');
        return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, small, covers,
          toolbarBottom: toolbar.bottom, titleClipped: title.scrollWidth > title.clientWidth + 1 };
      });
      await page.evaluate(() => window.scrollTo(0, 0));
      await fullPageShot(page, join(RESULTS, "notebook-390.png"));
      assert(phone.scroll <= phone.client, `the page is ${phone.scroll} px wide on a ${phone.client} px screen`);
      assert(phone.small === 0, `${phone.small} icon buttons are smaller than 32 px`);
      assert(!phone.covers, "the star covers the avatar");
      assert(phone.toolbarBottom <= 0, `the toolbar stays on screen (bottom at ${phone.toolbarBottom} px) after scrolling`);
      assert(!phone.titleClipped, "the notebook title is cut");
      await page.setViewportSize({ width: 1280, height: 860 });
    });

    await check(label("Enter in the Seeds box generates and leaves the settings pane open"), async () => {
      const before = await gridRun(first);
      await page.fill(`${first} [data-testid="seeds"]`, "3-10");
      await page.press(`${first} [data-testid="seeds"]`, "Enter");
      await waitGrid(first, before);
      const expanded = await page.locator(`${first} [data-testid="sample-pane"] .tp-rotv`).first().evaluate((el) => el.classList.contains("tp-rotv-expanded"));
      assert(expanded, "the mode / psi / toward pane folded");
      const count = await page.locator(`${first} [data-testid="avatar-tile"]`).count();
      assert(count === 8, `expected 8 avatars for 3-10, got ${count}`);
      return "8 avatars, pane open";
    });

    await check(label("+ Add cell scrolls to the new cell and focuses its title"), async () => {
      await page.selectOption('[data-testid="add-cell"]', "sample");
      const second = SECOND_SAMPLE;
      await page.waitForSelector(second);
      await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "cell-title", undefined, { timeout: 5000 });
      const inView = await page.waitForFunction((sel) => {
        const cells = document.querySelectorAll(sel);
        const box = cells[cells.length - 1].getBoundingClientRect();
        return box.top >= -1 && box.top < window.innerHeight;
      }, CELLS, { timeout: 5000 }).then(() => true, () => false);
      assert(inView, "the new cell is not scrolled into view");
      await waitGrid(second);
    });

    await check(label("Upscale works on the avatar picked last and says where it comes from"), async () => {
      const second = SECOND_SAMPLE;
      await page.fill(`${second} [data-testid="seeds"]`, "20-27");
      const before = await gridRun(second);
      await page.press(`${second} [data-testid="seeds"]`, "Enter");
      await waitGrid(second, before);
      await page.click(`${second} [data-testid="avatar-tile"] >> nth=2`); // #22 in cell 3
      await page.click(`${first} [data-testid="avatar-tile"] >> nth=1`); // then #4 in cell 1
      await page.selectOption('[data-testid="add-cell"]', "upscale");
      const source = page.locator('[data-testid="upscale-cell"] [data-testid="input-source"]');
      await source.waitFor({ timeout: 10_000 });
      let text = await source.textContent();
      assert(/\[1\]/.test(text) && /#4\b/.test(text), `expected the input from [1], #4; got "${text}"`);
      // Let the upscale settle first: its result changes the page's height, and a layout shift
      // between the press and the release of the next click would lose that click.
      await page.waitForSelector('[data-testid="upscale-cell"][data-state="done"]', { timeout: 60_000 });
      await page.click(`${second} [data-testid="avatar-tile"] >> nth=3`); // now #23 in cell 3
      await page.waitForFunction(() => /#23\b/.test(document.querySelector('[data-testid="input-source"]')?.textContent ?? ""), undefined, { timeout: 10_000 });
      text = await source.textContent();
      assert(/\[3\]/.test(text), `expected the input from [3]; got "${text}"`);
      return text.replace(/\s+/g, " ").trim();
    });

    await check(label("interpolation frames have captions that tell them apart, and the grid names its axes"), async () => {
      await page.selectOption('[data-testid="add-cell"]', "interpolate");
      const cell = '[data-testid="interpolate-cell"]';
      await page.waitForSelector(cell);
      const grid = `${cell} [data-testid="interpolation-grid"]`;
      await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute("data-state") === "ready", grid, { timeout: 120_000 });
      const captions = await page.$$eval(`${grid} [data-testid="avatar-seed"]`, (els) => els.map((e) => e.textContent));
      assert(captions.length >= 2, `only ${captions.length} frames`);
      assert(new Set(captions).size === captions.length, `repeated captions: ${captions.join(" | ")}`);
      // The seed x condition grid names its axes.
      const before = await page.$eval(grid, (g) => Number(g.getAttribute("data-run") ?? 0));
      await page.selectOption(`${cell} [data-testid="interp-mode"]`, "grid");
      await page.waitForFunction(([sel, n]) => {
        const g = document.querySelector(sel);
        return g?.getAttribute("data-state") === "ready" && Number(g.getAttribute("data-run")) > n;
      }, [grid, before], { timeout: 120_000 });
      const axes = (await page.textContent(`${cell} [data-testid="interp-axes"]`)) ?? "";
      assert(/rows: seed #\d+ → #\d+/.test(axes) && /columns: .+ → .+/.test(axes), `axes legend: "${axes}"`);
      return `${captions.length} frames: ${captions[0]} … ${captions[captions.length - 1]}; grid axes "${axes.replace(/\s+/g, " ").slice(0, 80)}"`;
    });

    await check(label("the grid exports at x4 with its axes written on it, and a manifest of every avatar"), async () => {
      const cell = '[data-testid="interpolate-cell"]';
      const tiles = await page.locator(`${cell} [data-testid="interpolation-grid"] [data-testid="avatar-canvas"]`).count();
      const save = async (button) => {
        const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), page.click(`${cell} [data-testid="${button}"]`)]);
        const path = join(scratch, download.suggestedFilename());
        await download.saveAs(path);
        return readFileSync(path);
      };
      const png = await save("interp-export-png");
      const width = png.readUInt32BE(16);
      const height = png.readUInt32BE(20);
      const text = png.toString("latin1");
      const manifestStart = text.indexOf("avatargan-grid\0") + "avatargan-grid\0".length;
      assert(manifestStart > 20, "the grid PNG carries no manifest");
      const columns = 8;
      assert(width >= columns * 256 && height >= (tiles / columns) * 256, `grid PNG is ${width}x${height} for ${tiles} avatars at x4`);
      const manifest = JSON.parse((await save("interp-export-manifest")).toString("utf8"));
      assert(manifest.avatars.length === tiles && manifest.avatars.every((a) => a.recipe && a.caption), `manifest lists ${manifest.avatars.length} of ${tiles}`);
      writeFileSync(join(RESULTS, "interpolation-grid-x4.png"), png);
      return `${width}x${height} px PNG for ${tiles} avatars; manifest of ${manifest.avatars.length}`;
    });

    await check(label("Open… inside a notebook gives the notices of the start page (here: another model)"), async () => {
      const text = await page.evaluate(() => window.localStorage.getItem("avatargan.notebook.draft"));
      const other = JSON.parse(text);
      other.title = "From another model";
      other.model = { name: "someone-elses-model", sha256: "0".repeat(64) };
      const file = join(scratch, "other-model.avatargan.json");
      writeFileSync(file, JSON.stringify(other));
      page.once("dialog", (dialog) => dialog.accept()); // the open notebook has unsaved changes
      await page.setInputFiles('[data-testid="open-notebook-file"]', file);
      await page.waitForFunction(() => document.querySelector('[data-testid="notebook-title"]')?.value === "From another model", undefined, { timeout: 10_000 });
      const notices = await page.$$eval('[data-testid="notebook-notice"]', (els) => els.map((e) => e.textContent));
      assert(notices.some((n) => n.includes("someone-elses-model")), `no model notice: ${notices.join(" | ")}`);
      return notices[0].slice(0, 90);
    });

    await check(label("Close asks before discarding unsaved work; the notebook waits under Recent notebooks"), async () => {
      await page.fill('[data-testid="notebook-title"]', "Unsaved study");
      let asked = "";
      page.once("dialog", (dialog) => {
        asked = dialog.message();
        void dialog.dismiss(); // first: keep working
      });
      await page.click('[data-testid="close-notebook"]');
      await page.waitForTimeout(200);
      assert(asked.includes("not saved"), `no confirmation asked (got "${asked}")`);
      assert(await page.$('[data-testid="notebook"]'), "the notebook closed although the person said no");
      page.once("dialog", (dialog) => dialog.accept());
      await page.click('[data-testid="close-notebook"]');
      await page.waitForSelector('[data-testid="recent-notebooks"]', { timeout: 10_000 });
      const titles = await page.$$eval('[data-testid="recent-open"]', (els) => els.map((e) => e.textContent));
      assert(titles[0] === "Unsaved study", `recent notebooks: ${titles.join(", ")}`);
      await page.click('[data-testid="recent-open"] >> nth=0');
      await page.waitForFunction(() => document.querySelector('[data-testid="notebook-title"]')?.value === "Unsaved study", undefined, { timeout: 10_000 });
      const cells = await page.locator(CELLS).count();
      assert(cells >= 4, `reopened with ${cells} cells`);
      return `asked "${asked.slice(0, 60)}…"; reopened with ${cells} cells`;
    });

    await check(label("the thesis-defense notebook presents: results only, every slide fits 1024x768 and 1280x720, speaker notes with N, arrows work from a field"), async () => {
      await page.goto(`${baseUrl}/?backend=wasm&notebook=thesis-defense`);
      await page.waitForSelector('[data-testid="notebook"]', { timeout: READY_TIMEOUT_MS });
      await page.waitForFunction(() => {
        const grids = [...document.querySelectorAll('[data-testid="avatar-grid"], [data-testid="interpolation-grid"]')];
        return grids.length > 0 && grids.every((g) => g.getAttribute("data-state") === "ready");
      }, undefined, { timeout: 180_000, polling: 250 });
      // The adherence chart computes on open: no Run button to press in front of a jury.
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="effects-results"]')]
        .every((r) => r.getAttribute("data-state") === "done"), undefined, { timeout: 180_000, polling: 250 });
      await page.waitForFunction(() => document.querySelector('[data-testid="favourites"]')?.getAttribute("data-state") === "ready",
        undefined, { timeout: 180_000, polling: 250 });
      const slides = await page.locator(CELLS).count();
      const favouriteCaptions = await page.$$eval('[data-testid="favourite-caption"]', (els) => els.map((e) => e.textContent));
      assert(favouriteCaptions.length > 0 && new Set(favouriteCaptions).size === favouriteCaptions.length, `favourite captions: ${favouriteCaptions.join(" | ")}`);
      // Speaker notes on the first slide: written under the cell, shown with N while presenting.
      await page.click(`${CELLS} >> nth=0 >> [data-testid="cell-notes-toggle"]`);
      await page.fill(`${CELLS} >> nth=0 >> [data-testid="cell-notes"]`, "Say: every avatar here is rendered live, on this laptop.");
      const report = [];
      for (const [width, height] of [[1024, 768], [1280, 720]]) {
        await page.setViewportSize({ width, height });
        await page.click('[data-testid="present"]');
        await page.waitForSelector('[data-testid="presentation-bar"]');
        let scaled = 0;
        for (let i = 0; i < slides; i++) {
          await page.waitForTimeout(150);
          const shown = await page.evaluate(() => {
            const cell = [...document.querySelectorAll('[data-testid="cell"]')].find((c) => !c.hidden);
            const controls = [...(cell?.querySelectorAll('[data-panel="controls"]') ?? [])].filter((c) => c.getClientRects().length > 0);
            return { scroll: document.documentElement.scrollHeight, room: window.innerHeight, controls: controls.length,
              scale: Number(cell?.querySelector(".cell-body")?.getAttribute("data-slide-scale") ?? 1), kind: cell?.getAttribute("data-kind") };
          });
          if (width === 1024) await page.screenshot({ path: join(RESULTS, `present-1024-slide${i + 1}.png`) });
          assert(shown.scroll <= shown.room + 1, `${width}x${height}, slide ${i + 1} (${shown.kind}) is ${shown.scroll} px tall for ${shown.room}`);
          assert(shown.controls === 0, `${width}x${height}, slide ${i + 1} (${shown.kind}) shows ${shown.controls} control panels`);
          if (shown.scale < 1) scaled++;
          if (i < slides - 1) await page.keyboard.press("ArrowRight");
        }
        report.push(`${width}x${height}: ${slides} slides fit (${scaled} scaled down)`);
        // From a field: the arrow still moves on, and Escape only leaves the field.
        if (width === 1024) {
          await page.keyboard.press("Home");
          await page.keyboard.press("n");
          const notes = await page.textContent('[data-testid="speaker-notes"]').catch(() => null);
          assert(notes?.includes("rendered live"), `N did not show the speaker notes (got ${notes})`);
          await page.keyboard.press("n");
          assert(!(await page.$('[data-testid="speaker-notes"]')), "N did not hide the speaker notes");
          report.push("speaker notes shown and hidden with N");
        }
        // A field in the slide on screen, focused (as a select is after a click).
        const focusField = () => page.evaluate(() => {
          document.getElementById("e2e-field")?.remove();
          const cell = [...document.querySelectorAll('[data-testid="cell"]')].find((c) => !c.hidden);
          const field = document.createElement("input");
          field.id = "e2e-field";
          cell?.querySelector("header")?.append(field);
          field.focus();
          return document.activeElement === field;
        });
        await page.keyboard.press("Home");
        assert(await focusField(), "could not focus a field in the slide");
        await page.keyboard.press("ArrowRight");
        const slide = (await page.textContent('[data-testid="presentation-slide"]'))?.trim();
        assert(slide === `2 / ${slides}`, `ArrowRight from a field left the slide at ${slide}`);
        assert(await focusField(), "could not focus a field in the slide");
        await page.keyboard.press("Escape");
        assert(await page.$('[data-testid="presentation-bar"]'), "Escape in a field ended the presentation");
        assert(await page.evaluate(() => document.activeElement?.id !== "e2e-field"), "Escape did not leave the field");
        await page.evaluate(() => document.getElementById("e2e-field")?.remove());
        await page.keyboard.press("Escape");
        await page.waitForSelector('[data-testid="presentation-bar"]', { state: "detached", timeout: 5000 });
      }
      await page.setViewportSize({ width: 1280, height: 860 });
      return report.join("; ");
    });

    await check(label("no uncaught page errors"), async () => {
      assert(pageErrors.length === 0, pageErrors.join("; "));
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await page.close();
  }
}
