/**
 * The "Find my character" pass (WASM, the shipped model): a file that is not a picture is
 * refused with the reason; an avatar the generator drew, saved as a PNG and dropped in, is
 * framed, tagged by the tagger and found again (high PSNR) in a worker while the page stays
 * responsive;
 * the result stars into the favourites, survives a reload, and Stop keeps what was found.
 *
 *   node test/e2e/run.mjs --only project
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CELL = '[data-testid="project-cell"]';

export async function projectPass(context, baseUrl, { check, assert, fullPageShot, RESULTS, READY_TIMEOUT_MS }) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  const label = (name) => `[project wasm] ${name}`;
  const scratch = mkdtempSync(join(tmpdir(), "avatargan-project-e2e-"));
  const state = () => page.getAttribute(CELL, "data-state");
  const favourites = () => page.getAttribute('[data-testid="favourites"]', "data-count").then(Number);

  try {
    await page.setViewportSize({ width: 1300, height: 900 });
    await page.goto(`${baseUrl}/?backend=wasm&notebook=new`);
    const opened = await check(label("a Find my character cell is added to a new notebook"), async () => {
      await page.waitForSelector('[data-testid="avatar-grid"][data-state="ready"]', { timeout: READY_TIMEOUT_MS });
      await page.selectOption('[data-testid="add-cell"]', "project");
      await page.waitForSelector(`${CELL}[data-state="empty"] [data-testid="project-drop"]`);
    });
    if (!opened) return;

    await check(label("a file that is not a picture, or an empty one, is refused with the reason"), async () => {
      const bogus = join(scratch, "not-a-picture.png");
      writeFileSync(bogus, "these are words, not pixels");
      await page.setInputFiles(`${CELL} [data-testid="project-file"]`, bogus);
      await page.waitForSelector(`${CELL} [data-testid="project-message"][role="alert"]`);
      const text = await page.textContent(`${CELL} [data-testid="project-message"]`);
      assert(/not-a-picture\.png is not a picture/.test(text), `message: ${text}`);
      assert((await state()) === "empty", "the cell left its empty state");
      const empty = join(scratch, "empty.png");
      writeFileSync(empty, "");
      await page.setInputFiles(`${CELL} [data-testid="project-file"]`, empty);
      await page.waitForFunction((sel) => /empty\.png is empty/.test(document.querySelector(`${sel} [data-testid="project-message"]`)?.textContent ?? ""), CELL);
      return `${text}; ${await page.textContent(`${CELL} [data-testid="project-message"]`)}`;
    });

    // The first avatar of the sample grid, saved as a PNG file as a user would have it.
    const avatarPng = join(scratch, "my-avatar.png");
    const dataUrl = await page.$eval('[data-testid="avatar-canvas"]', (canvas) => canvas.toDataURL("image/png"));
    const avatarTags = (await page.textContent('[data-testid="avatar-grid"] .avatar-tags')).split(" · ");
    writeFileSync(avatarPng, Buffer.from(dataUrl.split(",")[1], "base64"));

    const framed = await check(label("a picture is framed, and the tagger guesses its tags"), async () => {
      await page.setInputFiles(`${CELL} [data-testid="project-file"]`, avatarPng);
      await page.waitForSelector(`${CELL} [data-testid="project-picture"]`);
      const frame = await page.getAttribute(`${CELL} [data-testid="edit-crop-frame"]`, "data-frame");
      assert(frame === "0,0,64,64", `the starting frame is ${frame}, expected the whole 64 px picture`);
      await page.click(`${CELL} [data-testid="project-use-crop"]`);
      await page.waitForSelector(`${CELL}[data-state="ready"] [data-testid="project-target"]`);
      const text = await page.textContent(`${CELL} [data-testid="project-message"]`);
      assert(/The tagger reads: .+ hair/.test(text), `message: ${text}`);
      // The search is for this exact avatar: give it the tags it was drawn with.
      for (const tag of avatarTags) {
        const group = tag.split(" ").pop();
        if (await page.$(`${CELL} [data-testid="project-tags-${group}"]`)) await page.selectOption(`${CELL} [data-testid="project-tags-${group}"]`, tag);
      }
      return `${text} (drawn with ${avatarTags.join(", ")})`;
    });
    if (!framed) return;

    await check(label("Find my character finds the avatar again (200 steps, w) in a worker; the page stays responsive"), async () => {
      await page.evaluate(() => {
        window.__longestTask = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.__longestTask = Math.max(window.__longestTask, entry.duration);
        }).observe({ type: "longtask" });
      });
      const t0 = Date.now();
      await page.click(`${CELL} [data-testid="project-find"]`);
      await page.waitForSelector(`${CELL}[data-state="running"] [data-testid="project-progress"]`);
      // The search runs in a worker, not on the page's thread.
      await page.waitForFunction((sel) => /step \d+\/200 .* in a worker/.test(document.querySelector(`${sel} [data-testid="project-info"]`)?.textContent ?? ""), CELL);
      await page.waitForSelector(`${CELL}[data-state="done"]`, { timeout: READY_TIMEOUT_MS });
      const seconds = (Date.now() - t0) / 1000;
      const info = await page.textContent(`${CELL} [data-testid="project-info"]`);
      const db = Number(/([\d.]+) dB/.exec(info)?.[1]);
      // Measured 34.7 dB (the 850 kimg model, 200 steps of w), as PyTorch's search gets on the same
      // avatar. With tf.js's own bilinear gradient (wrong for half-pixel centres) it was 16.7 dB.
      assert(db > 30, `the projection of the generator's own avatar reaches only ${info}`);
      const longest = await page.evaluate(() => window.__longestTask);
      await fullPageShot(page, join(RESULTS, "project.png"));
      return `${info} in ${seconds.toFixed(1)} s; longest main-thread task ${Math.round(longest)} ms`;
    });

    await check(label("the projection stars into the favourites and survives a reload"), async () => {
      const before = await favourites();
      await page.click(`${CELL} [data-testid="project-star"]`);
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="favourites"]')?.getAttribute("data-count")) === n, before + 1);
      const info = await page.textContent(`${CELL} [data-testid="project-info"]`);
      await page.reload();
      await page.waitForSelector(`${CELL}[data-state="done"] [data-testid="project-result"]`, { timeout: READY_TIMEOUT_MS });
      const again = await page.textContent(`${CELL} [data-testid="project-info"]`);
      assert(again === info, `after the reload: ${again}; before: ${info}`);
      assert((await favourites()) === before + 1, "the favourite is gone after the reload");
    });

    await check(label("Stop ends a search early and keeps what it found"), async () => {
      await page.selectOption(`${CELL} [data-testid="project-steps"]`, "1000");
      await page.click(`${CELL} [data-testid="project-find"]`);
      await page.waitForFunction((sel) => {
        const info = document.querySelector(`${sel} [data-testid="project-info"]`)?.textContent ?? "";
        return Number(/step (\d+)\//.exec(info)?.[1] ?? 0) >= 5;
      }, CELL);
      await page.click(`${CELL} [data-testid="project-stop"]`);
      await page.waitForSelector(`${CELL}[data-state="done"]`, { timeout: READY_TIMEOUT_MS });
      await page.waitForFunction((sel) => /\(stopped\)/.test(document.querySelector(`${sel} [data-testid="project-info"]`)?.textContent ?? ""), CELL);
      return await page.textContent(`${CELL} [data-testid="project-info"]`);
    });

    await check(label("no uncaught page errors"), async () => {
      assert(pageErrors.length === 0, pageErrors.join(" | "));
    });
  } finally {
    await page.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
