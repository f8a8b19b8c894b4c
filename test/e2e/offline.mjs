/**
 * The offline pass (WASM, the shipped model, its own browser profile with service workers on;
 * the other passes block them): the app has a web app manifest with icons, its service worker
 * caches the app and the models on the first visit, and the page then reloads and generates
 * with the network off, cross-origin isolated still, every cell kind included (the tour); back
 * online, a changed model.json replaces the kept model.
 *
 *   node test/e2e/run.mjs --only offline
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export async function offlinePass(baseUrl, { check, assert, launch, READY_TIMEOUT_MS }) {
  const profile = mkdtempSync(join(tmpdir(), "avatargan-offline-e2e-"));
  const context = await launch(profile, { serviceWorkers: "allow" });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  const label = (name) => `[offline wasm] ${name}`;
  const gridReady = () => page.waitForSelector('[data-testid="avatar-grid"][data-state="ready"]', { timeout: READY_TIMEOUT_MS });

  try {
    await check(label("a web app manifest with its icons makes the app installable"), async () => {
      await page.goto(`${baseUrl}/?backend=wasm&notebook=new`);
      const href = await page.getAttribute('link[rel="manifest"]', "href");
      assert(href, "no <link rel=manifest> in the page");
      const manifest = await (await fetch(new URL(href, baseUrl))).json();
      assert(manifest.name && manifest.start_url === "/" && manifest.display === "standalone", `manifest: ${JSON.stringify(manifest)}`);
      const sizes = [];
      for (const icon of manifest.icons) {
        const response = await fetch(new URL(icon.src, baseUrl));
        assert(response.ok && response.headers.get("content-type") === "image/png", `${icon.src}: ${response.status} ${response.headers.get("content-type")}`);
        sizes.push(icon.sizes);
      }
      assert(sizes.includes("192x192") && sizes.includes("512x512"), `icon sizes ${sizes.join(", ")}`);
      return `${manifest.name}, icons ${sizes.join(", ")}`;
    });

    const cached = await check(label("the first visit caches the app and the models (status bar: Works offline)"), async () => {
      await gridReady();
      await page.waitForSelector('[data-testid="offline-state"][data-state="ready"]', { timeout: READY_TIMEOUT_MS });
      // The worker keeps what the page loaded before it took control in the background: wait for it.
      const counts = await page.waitForFunction(async () => {
        const names = await caches.keys();
        const weights = names.find((n) => n.startsWith("avatargan-weights-"));
        const statics = names.find((n) => n.startsWith("avatargan-static-"));
        if (!weights || !statics) return false;
        const shard = await (await caches.open(weights)).match("/weights/generator/group1-shard1of1.bin");
        const files = (await (await fetch("/offline-files")).json()).files;
        const kept = await caches.open(statics);
        const missing = (await Promise.all(files.map((f) => kept.match(f)))).filter((hit) => !hit).length;
        return shard && missing === 0 ? { weights: (await (await caches.open(weights)).keys()).length, chunks: files.length } : false;
      }, undefined, { timeout: READY_TIMEOUT_MS, polling: 500 });
      const { weights, chunks } = await counts.jsonValue();
      return `${chunks} build files and ${weights} model files cached`;
    });
    if (!cached) return;

    await check(label("with the network off, a reload generates again, still cross-origin isolated"), async () => {
      await context.setOffline(true);
      await page.reload();
      await gridReady();
      const isolated = await page.evaluate(() => crossOriginIsolated);
      assert(isolated, "the offline page is not cross-origin isolated (WASM threads would be off)");
      return await page.textContent('[data-testid="backend-detail"]');
    });

    await check(label("offline, the tour opens and every cell kind renders"), async () => {
      await page.goto(`${baseUrl}/?backend=wasm&notebook=tour`);
      await page.waitForSelector('[data-testid="notebook"]', { timeout: READY_TIMEOUT_MS });
      await page.waitForFunction(() => {
        const grids = [...document.querySelectorAll('[data-testid="avatar-grid"]')];
        const failed = grids.find((g) => g.getAttribute("data-state") === "error");
        if (failed) throw new Error(`a grid failed offline: ${failed.textContent}`);
        return grids.length > 0 && grids.every((g) => g.getAttribute("data-state") === "ready");
      }, undefined, { timeout: READY_TIMEOUT_MS, polling: 250 });
      const kinds = await page.$$eval('[data-testid="cell"]', (cells) => cells.map((c) => c.getAttribute("data-kind")));
      const crashed = await page.$$('[data-testid="cell-error"]');
      assert(crashed.length === 0, `${crashed.length} cells failed to load offline`);
      return `${kinds.length} cells: ${[...new Set(kinds)].join(", ")}`;
    });

    await check(label("back online, a new model.json replaces the kept model (its weight files are fetched again)"), async () => {
      await context.setOffline(false);
      // A "new model": the shipped one renamed, served for model.json only (the worker's own fetch is routed too).
      const shipped = readFileSync(join(ROOT, "public", "weights", "generator", "model.json"), "utf8");
      const renamed = JSON.stringify({ ...JSON.parse(shipped), name: "faces64-next" });
      await context.route("**/weights/generator/model.json", (route) =>
        route.fulfill({ status: 200, contentType: "application/json", body: renamed }));
      const shardRequests = [];
      context.on("request", (request) => {
        // Only the worker's own network fetches: the page's request is answered by the worker either way.
        if (request.serviceWorker() && request.url().endsWith("/weights/generator/group1-shard1of1.bin")) shardRequests.push(request.url());
      });
      try {
        await page.goto(`${baseUrl}/?backend=wasm&notebook=new`);
        await gridReady();
        const status = await page.textContent('[data-testid="status-bar"]');
        assert(status.includes("faces64-next"), `the status bar still names the old model: ${status}`);
        assert(shardRequests.length > 0, "the weights were served from the cache of the old model");
      } finally {
        await context.unroute("**/weights/generator/model.json");
      }
      return `new model picked up; its weights fetched again (${shardRequests.length} request${shardRequests.length === 1 ? "" : "s"})`;
    });

    await check(label("no uncaught page errors"), async () => {
      assert(pageErrors.length === 0, pageErrors.join(" | "));
    });
  } finally {
    await context.setOffline(false).catch(() => undefined);
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}
