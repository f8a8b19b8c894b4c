/*
 * The workbench's service worker: it makes the app installable and lets it start offline (a
 * thesis defense from a laptop with no network, the app added to a phone's home screen).
 *
 * What it keeps, in one cache per kind:
 *   pages     the HTML of each page visited (network first: a new build is picked up online)
 *   static    Next's hashed chunks, the tf.js WASM binaries, icons (cache first: never change)
 *   weights   every model under /weights/ (cache first), dropped for a folder as soon as its
 *             model.json (network first) differs from the one kept: a new model is picked up
 *             on the first online visit after it ships.
 * At install it fetches the start page, every chunk of the build (/offline-files) and the
 * shipped models, so the app works offline after one online visit, every cell included. What the page loaded before this worker took
 * control, it reports (lib/offline/register.ts), and those are kept too.
 *
 * Responses are stored with their headers, COOP/COEP included, so an offline page is still
 * cross-origin isolated (WASM threads). The review routes (/api/) are never cached.
 */

const VERSION = "v1";
const CACHES = { pages: `avatargan-pages-${VERSION}`, static: `avatargan-static-${VERSION}`, weights: `avatargan-weights-${VERSION}` };
const MODEL_FOLDERS = ["generator", "tagger", "upscaler", "upscaler-denoise1"];
const STATIC_FILES = [
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/tfjs-wasm/tfjs-backend-wasm.wasm",
  "/tfjs-wasm/tfjs-backend-wasm-simd.wasm",
  "/tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm",
];
/** Old builds' chunks would pile up: keep at most this many static files (oldest dropped). */
const MAX_STATIC_ENTRIES = 400;

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set(Object.values(CACHES));
      for (const name of await caches.keys()) if (name.startsWith("avatargan-") && !keep.has(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** The page sends the same-origin URLs it loaded before this worker controlled it. */
self.addEventListener("message", (event) => {
  const data = event.data;
  if (data && data.type === "loaded-urls" && Array.isArray(data.urls)) {
    event.waitUntil(Promise.all(data.urls.slice(0, 500).map((url) => keepUrl(url))));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, CACHES.pages, pageKey(url)));
  } else if (url.pathname.startsWith("/weights/")) {
    event.respondWith(url.pathname.endsWith("/model.json") ? modelJson(request, url) : cacheFirst(request, CACHES.weights));
  } else if (isStatic(url)) {
    event.respondWith(cacheFirst(request, CACHES.static));
  } else {
    event.respondWith(networkFirst(request, CACHES.pages, request));
  }
});

function isStatic(url) {
  return url.pathname.startsWith("/_next/static/") || url.pathname.startsWith("/tfjs-wasm/") || url.pathname.startsWith("/icons/")
    || url.pathname === "/manifest.webmanifest";
}

/** Pages are kept by path: "/?notebook=new" offline is served the start page's HTML, which reads its own query. */
function pageKey(url) {
  return new Request(url.origin + url.pathname);
}

async function precache() {
  const pages = await caches.open(CACHES.pages);
  const start = await fetch("/", { cache: "no-store" });
  if (start.ok) {
    await pages.put(pageKey(new URL("/", self.location.origin)), start.clone());
    const html = await start.text();
    const chunks = [...html.matchAll(/(?:src|href)="(\/_next\/static\/[^"]+)"/g)].map((m) => m[1]);
    await Promise.all([...new Set([...STATIC_FILES, ...chunks, ...(await buildFiles())])].map((path) => keepUrl(path)));
  }
  await Promise.all(MODEL_FOLDERS.map((folder) => precacheModel(folder)));
}

/** Every chunk of this build (app/offline-files/route.ts): cells load theirs on first use. */
async function buildFiles() {
  try {
    const response = await fetch("/offline-files", { cache: "no-store" });
    const files = response.ok ? (await response.json()).files : [];
    return Array.isArray(files) ? files.filter((f) => typeof f === "string" && f.startsWith("/_next/static/")) : [];
  } catch {
    return [];
  }
}

/** A model folder's model.json and every weight file it lists; a folder that is not there is skipped. */
async function precacheModel(folder) {
  try {
    const response = await fetch(`/weights/${folder}/model.json`, { cache: "no-store" });
    if (!response.ok) return;
    const weights = await caches.open(CACHES.weights);
    await weights.put(`/weights/${folder}/model.json`, response.clone());
    const manifest = (await response.json()).weightsManifest || [];
    const paths = manifest.flatMap((group) => group.paths || []).filter((p) => typeof p === "string" && !p.includes(".."));
    await Promise.all(paths.map((p) => keepUrl(`/weights/${folder}/${p}`)));
  } catch {
    // offline or malformed: the page reports missing or broken weights itself
  }
}

/** Fetch and keep one same-origin URL in the cache its kind belongs to. */
async function keepUrl(path) {
  try {
    const url = new URL(path, self.location.origin);
    if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
    const cacheName = url.pathname.startsWith("/weights/") ? CACHES.weights : isStatic(url) ? CACHES.static : null;
    if (!cacheName) return;
    const cache = await caches.open(cacheName);
    if (await cache.match(url.href)) return;
    const response = await fetch(url.href);
    if (response.ok) await cache.put(url.href, response);
  } catch {
    // one file that cannot be fetched now is fetched on its first use
  }
}

async function cacheFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request, { ignoreSearch: cacheName === CACHES.weights });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    if (cacheName === CACHES.static) await trim(cache, MAX_STATIC_ENTRIES);
  }
  return response;
}

async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    const hit = (await cache.match(key)) || (request.mode === "navigate" ? await cache.match(pageKey(new URL("/", self.location.origin))) : null);
    if (hit) return hit;
    throw err;
  }
}

/** model.json, network first; when it changed, the folder's kept weight files go (a new model shipped). */
async function modelJson(request, url) {
  const cache = await caches.open(CACHES.weights);
  const key = url.origin + url.pathname;
  let response;
  try {
    response = await fetch(request, { cache: "no-store" });
  } catch (err) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw err;
  }
  if (response.ok) {
    const kept = await cache.match(key);
    const fresh = await response.clone().text();
    if (kept && (await kept.text()) !== fresh) {
      const folder = key.slice(0, key.lastIndexOf("/") + 1);
      for (const entry of await cache.keys()) if (entry.url.startsWith(folder)) await cache.delete(entry);
    }
    await cache.put(key, response.clone());
  }
  return response;
}

async function trim(cache, max) {
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - max; i++) await cache.delete(keys[i]);
}
