/**
 * Registers the service worker (public/sw.js) that makes the workbench installable and lets it
 * start offline, and reports whether it is ready. Production builds only: in development it
 * would serve stale chunks between edits.
 *
 * The worker caches what pages load once it controls them; what this page loaded before that
 * (the first visit), it is sent here, so the first visit is enough to work offline.
 */

export type OfflineState = "unsupported" | "installing" | "ready" | "failed";

let registration: Promise<OfflineState> | null = null;

/** Registers the worker once per page; every caller gets the same outcome. */
export function ensureServiceWorker(): Promise<OfflineState> {
  registration ??= register();
  return registration;
}

async function register(): Promise<OfflineState> {
  if (process.env.NODE_ENV !== "production" || typeof navigator === "undefined" || !("serviceWorker" in navigator)) {
    return "unsupported";
  }
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const registration = await navigator.serviceWorker.ready; // installed: the start page, its chunks and the models are cached
    registration.active?.postMessage({ type: "loaded-urls", urls: loadedSameOriginUrls() });
    return "ready";
  } catch (err) {
    console.warn("[avatargan] service worker not registered:", err);
    return "failed";
  }
}

function loadedSameOriginUrls(): string[] {
  const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
  return [...new Set(entries.map((e) => e.name).filter((url) => url.startsWith(location.origin)))];
}
