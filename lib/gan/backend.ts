/**
 * Choosing the tf.js backend: WebGPU, then WASM, then WebGL, then the pure-JS CPU backend.
 *
 * Two ways a backend can fail, both handled: tf.setBackend throws for a name nobody registered
 * and resolves false for one whose initialisation failed. We request the WebGPU adapter
 * ourselves first: a browser may expose navigator.gpu and still give no adapter, and a software
 * adapter (SwiftShader, as in headless Chromium) must not win the automatic choice, because
 * WASM is about 40x faster there. Forcing "webgpu" still uses it and reports it as software.
 * Backend packages are imported dynamically so they only ever load in the browser; the WASM
 * binaries are served by the app itself (public/tfjs-wasm/, copied at postinstall).
 */

import * as tf from "@tensorflow/tfjs-core";

export const BACKEND_NAMES = ["webgpu", "wasm", "webgl", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason: string;
}

export interface BackendReport {
  /** The backend now active. */
  name: BackendName;
  /** One line for the status bar: adapter, renderer, SIMD and threads. */
  detail: string;
  /** A GPU backend running on a CPU emulation (SwiftShader, llvmpipe): correct but slow. */
  software: boolean;
  /** Every backend considered, in order, with why it was or was not used. */
  tried: BackendAttempt[];
  /** WASM only: whether SIMD and threads are on (threads need a cross-origin-isolated page). */
  wasm?: { simd: boolean; threads: number; crossOriginIsolated: boolean };
}

/** The part of GPUAdapterInfo we read (typed here so lib/ does not depend on @webgpu/types). */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  /** Not standard; some browsers report "cpu" here. */
  type?: string;
}

export interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: "high-performance" | "low-power" }): Promise<AdapterLike | null>;
}

export interface ChooseBackendOptions {
  /** Where the tfjs WASM binaries are served; default "/tfjs-wasm/". */
  wasmPaths?: string;
  /** navigator.gpu by default; tests pass a fake. */
  gpu?: GpuLike | null;
  /** Registers a backend with tf.js (imports its package). Defaults import the real packages. */
  loaders?: Partial<Record<BackendName, (options: { wasmPaths: string }) => Promise<void>>>;
}

export const DEFAULT_WASM_PATHS = "/tfjs-wasm/";

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver|warp/i;

const DEFAULT_LOADERS: Record<BackendName, (options: { wasmPaths: string }) => Promise<void>> = {
  webgpu: async () => {
    await import("@tensorflow/tfjs-backend-webgpu");
  },
  wasm: async ({ wasmPaths }) => {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(wasmPaths);
  },
  webgl: async () => {
    await import("@tensorflow/tfjs-backend-webgl");
  },
  cpu: async () => {
    await import("@tensorflow/tfjs-backend-cpu");
  },
};

/**
 * Activate the best backend, or `forced` first (falling back through the usual order if it
 * fails, so the page still works; the report says what happened). Throws if none starts.
 */
export async function chooseBackend(forced?: BackendName | null, options: ChooseBackendOptions = {}): Promise<BackendReport> {
  const gpu = options.gpu !== undefined ? options.gpu : navigatorGpu();
  const loaders = { ...DEFAULT_LOADERS, ...options.loaders };
  const wasmPaths = options.wasmPaths ?? DEFAULT_WASM_PATHS;
  const order: BackendName[] = forced ? [forced, ...BACKEND_NAMES.filter((n) => n !== forced)] : [...BACKEND_NAMES];
  const tried: BackendAttempt[] = [];

  for (const name of order) {
    const isForced = name === forced;
    let adapter: { info: AdapterInfoLike; software: boolean } | null = null;
    if (name === "webgpu") {
      const probe = await probeWebGpu(gpu);
      if ("reason" in probe) {
        tried.push({ name, ok: false, reason: probe.reason });
        continue;
      }
      adapter = probe;
      if (probe.software && !isForced) {
        tried.push({ name, ok: false, reason: `software adapter (${describeAdapter(probe.info)}): WASM is faster; force it with ?backend=webgpu` });
        continue;
      }
    }
    const failure = await activate(name, loaders[name], wasmPaths);
    if (failure) {
      tried.push({ name, ok: false, reason: failure });
      continue;
    }
    const report = await describeActive(name, adapter);
    tried.push({ name, ok: true, reason: isForced ? "forced" : "first that started" });
    return { ...report, tried };
  }
  throw new Error(`no tf.js backend could start: ${tried.map((t) => `${t.name}: ${t.reason}`).join("; ")}`);
}

/** `?backend=webgpu` (or wasm, webgl, cpu) forces a backend; absent, "auto" or unknown values give null. */
export function parseBackendParam(search: string): BackendName | null {
  const value = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search).get("backend");
  const name = value?.trim().toLowerCase();
  return BACKEND_NAMES.includes(name as BackendName) ? (name as BackendName) : null;
}

/** Whether adapter info describes a CPU emulation rather than a GPU. */
export function isSoftwareAdapter(info: AdapterInfoLike, adapter?: AdapterLike): boolean {
  if (info.isFallbackAdapter || adapter?.isFallbackAdapter) return true;
  if (info.type?.toLowerCase() === "cpu") return true;
  return [info.vendor, info.architecture, info.device, info.description].some((field) => !!field && SOFTWARE_ADAPTER.test(field));
}

async function probeWebGpu(gpu: GpuLike | null): Promise<{ info: AdapterInfoLike; software: boolean } | { reason: string }> {
  if (!gpu) return { reason: "navigator.gpu is missing (this browser has no WebGPU, or it is off)" };
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (err) {
    return { reason: `requestAdapter failed: ${errorText(err)}` };
  }
  if (!adapter) return { reason: "navigator.gpu gave no adapter (GPU blocklisted or unavailable)" };
  let info: AdapterInfoLike = adapter.info ?? {};
  if (!adapter.info && adapter.requestAdapterInfo) {
    info = await adapter.requestAdapterInfo().catch(() => ({}));
  }
  return { info, software: isSoftwareAdapter(info, adapter) };
}

/** Load and select one backend; returns why it failed, or null. */
async function activate(name: BackendName, load: (options: { wasmPaths: string }) => Promise<void>,
                        wasmPaths: string): Promise<string | null> {
  try {
    await load({ wasmPaths });
  } catch (err) {
    return `could not load @tensorflow/tfjs-backend-${name}: ${errorText(err)}`;
  }
  try {
    if (!(await tf.setBackend(name))) return "failed to initialise";
    await tf.ready();
  } catch (err) {
    return `not available: ${errorText(err)}`; // thrown for an unregistered backend
  }
  return null;
}

async function describeActive(name: BackendName, adapter: { info: AdapterInfoLike; software: boolean } | null,
): Promise<Omit<BackendReport, "tried">> {
  switch (name) {
    case "webgpu": {
      const software = adapter?.software ?? false;
      return { name, software, detail: `WebGPU on ${describeAdapter(adapter?.info ?? {})}${software ? " (software: slow)" : ""}` };
    }
    case "wasm": {
      const wasm = await wasmFeatures();
      const threads = wasm.threads > 1 ? `${wasm.threads} threads` : `1 thread (${singleThreadReason(wasm.crossOriginIsolated)})`;
      return { name, software: false, detail: `WASM, SIMD ${wasm.simd ? "on" : "off"}, ${threads}`, wasm };
    }
    case "webgl": {
      const renderer = webglRenderer();
      const software = !!renderer && SOFTWARE_ADAPTER.test(renderer);
      return { name, software, detail: `WebGL on ${renderer ?? "an unknown renderer"}${software ? " (software: slow)" : ""}` };
    }
    case "cpu":
      return { name, software: false, detail: "pure JavaScript (slowest)" };
  }
}

/**
 * Why the WASM backend runs one thread. tf.js sizes XNNPACK's pool at half the logical cores
 * (navigator.hardwareConcurrency / 2, assuming two hyperthreads per core; capped at 8), so a
 * device reporting 2 or 3 gets one thread even when the page is cross-origin isolated.
 */
function singleThreadReason(crossOriginIsolated: boolean): string {
  if (!crossOriginIsolated) return "the page is not cross-origin isolated";
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency : 0;
  return cores ? `tf.js uses one per two of the ${cores} logical cores` : "tf.js found one core";
}

async function wasmFeatures(): Promise<NonNullable<BackendReport["wasm"]>> {
  const crossOriginIsolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT").catch(() => false);
  let threads = 1;
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    threads = wasm.getThreadsCount();
  } catch {
    threads = 1;
  }
  return { simd: simd === true, threads, crossOriginIsolated };
}

function webglRenderer(): string | null {
  if (typeof document === "undefined") return null;
  try {
    const gl = document.createElement("canvas").getContext("webgl2") ?? document.createElement("canvas").getContext("webgl");
    if (!gl) return null;
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer: unknown = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return typeof renderer === "string" ? renderer : null;
  } catch {
    return null;
  }
}

function describeAdapter(info: AdapterInfoLike): string {
  const parts = [info.vendor, info.architecture, info.description || info.device].filter((p) => !!p);
  return parts.length ? parts.join(" / ") : "an unnamed adapter";
}

function navigatorGpu(): GpuLike | null {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu ?? null;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
