/**
 * Which model folders under /weights/ the page and its workers have fetched, read from each
 * one's resource timing: how the e2e passes check that a model runs in the engine's worker and
 * was never loaded on the page's thread.
 */

function weightsFoldersIn() {
  const folders = performance.getEntriesByType("resource")
    .map((entry) => new URL(entry.name).pathname.match(/\/weights\/([^/]+)\//)?.[1])
    .filter(Boolean);
  return [...new Set(folders)].sort();
}

/** { page: folders the page fetched, workers: folders any of its workers fetched }. */
export async function modelsFetched(page) {
  const inPage = await page.evaluate(weightsFoldersIn);
  const inWorkers = new Set();
  for (const worker of page.workers()) {
    for (const folder of await worker.evaluate(weightsFoldersIn).catch(() => [])) inWorkers.add(folder);
  }
  return { page: inPage, workers: [...inWorkers].sort() };
}

/** Fails unless `folder` was fetched by a worker and never by the page. */
export async function assertLoadedInWorker(page, folder, assert) {
  const fetched = await modelsFetched(page);
  assert(fetched.workers.includes(folder), `no worker fetched /weights/${folder}/ (workers fetched: ${fetched.workers.join(", ") || "nothing"})`);
  assert(!fetched.page.includes(folder), `the page's thread fetched /weights/${folder}/ itself`);
  return `/weights/${folder}/ fetched by the engine's worker only`;
}
