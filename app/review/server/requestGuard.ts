/**
 * Who may use the review routes, checked before any file is touched. The routes write
 * decisions.json, which `prepare pack` obeys, so they answer only:
 *
 * - when a dataset folder is configured (AVATARGAN_DATASET); otherwise they are off (404);
 * - to this machine: the Host names a loopback address and the client address Next.js records
 *   (x-forwarded-for) is loopback, unless AVATARGAN_REVIEW_ALLOW_REMOTE=1. `next start` listens on
 *   every interface, and x-forwarded-for can be forged by a non-browser client, so for a shared
 *   network also bind the server to loopback (`npm run review` does: -H 127.0.0.1);
 * - for writes, to same-origin JSON: Content-Type application/json (a cross-site form or a
 *   no-cors fetch cannot send it without a preflight, which fails), an Origin equal to the Host,
 *   and a body of at most MAX_BODY_BYTES, refused with 413 before it is read whole.
 */
import { DATASET_ENV } from "./datasetRoot";

export const REMOTE_ENV = "AVATARGAN_REVIEW_ALLOW_REMOTE";
export const MAX_BODY_BYTES = 4096; // a decision is under 200 bytes

export type Guarded<T> = { ok: true; value: T } | { ok: false; status: number; reason: string };

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function isLoopbackAddress(address: string): boolean {
  const a = address.trim().replace(/^::ffff:/, "");
  return a === "::1" || a === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(a);
}

function hostName(host: string): string {
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
}

/** The checks every review route makes: dataset configured, and a local client unless opted out. */
export function guardAccess(request: Request): Guarded<null> {
  if (!process.env[DATASET_ENV]) {
    return { ok: false, status: 404, reason: `the review routes are off: start the server with ${DATASET_ENV}=<work folder>` };
  }
  if (process.env[REMOTE_ENV] === "1") return { ok: true, value: null };
  const host = request.headers.get("host") ?? new URL(request.url).host;
  const forwarded = request.headers.get("x-forwarded-for");
  const client = forwarded?.split(",")[0];
  if (!LOOPBACK_HOSTS.has(hostName(host).toLowerCase()) || (client !== undefined && !isLoopbackAddress(client))) {
    return {
      ok: false,
      status: 403,
      reason: `the review routes answer only on this machine (localhost); set ${REMOTE_ENV}=1 to serve them to others`,
    };
  }
  return { ok: true, value: null };
}

/** A write's body as JSON, after the same-origin and size checks. */
export async function readGuardedJson(request: Request): Promise<Guarded<unknown>> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    return { ok: false, status: 415, reason: "send the decision as Content-Type: application/json" };
  }
  const origin = request.headers.get("origin");
  const host = request.headers.get("host") ?? new URL(request.url).host;
  let sameOrigin = false;
  try {
    sameOrigin = origin !== null && new URL(origin).host === host;
  } catch {
    sameOrigin = false;
  }
  const site = request.headers.get("sec-fetch-site");
  if (!sameOrigin || (site !== null && site !== "same-origin")) {
    return { ok: false, status: 403, reason: "decisions are accepted only from the review page itself (same origin)" };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return tooLarge();
  const text = await readCapped(request);
  if (text === null) return tooLarge();
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, reason: 'the body must be JSON: {"id": "...", "decision": "accept" | "reject" | null}' };
  }
}

function tooLarge(): Guarded<never> {
  return { ok: false, status: 413, reason: `the body is larger than ${MAX_BODY_BYTES} bytes; a decision is a few dozen` };
}

/** The body as text, or null as soon as it passes MAX_BODY_BYTES (a chunked body declares no length). */
async function readCapped(request: Request): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
