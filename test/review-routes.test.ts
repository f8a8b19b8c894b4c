/**
 * The review routes serve one dataset folder and nothing outside it: `..`, absolute paths,
 * NUL bytes and symlinks that lead out are refused with a status and a reason; decisions are
 * validated and written atomically into decisions.json.
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as postDecision } from "@/app/api/review/decision/route";
import { GET as getImage } from "@/app/api/review/image/route";
import { GET as getList } from "@/app/api/review/list/route";
import { LOCK_FILE } from "@/app/review/server/reviewStore";
import { checkRequestedPath, resolveInside } from "@/app/review/server/safePath";
import { filterItems, progressOf } from "@/app/review/reviewFilter";

const PNG_BYTES = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"); // a PNG header is enough to serve

let base: string;
let root: string;
let outside: string;

function makeDataset(): void {
  base = mkdtempSync(path.join(tmpdir(), "review-routes-"));
  root = path.join(base, "dataset");
  outside = path.join(base, "outside");
  mkdirSync(path.join(root, "crops"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(root, "crops", "a-0.png"), PNG_BYTES);
  writeFileSync(path.join(root, "crops", "b-0.png"), PNG_BYTES);
  writeFileSync(path.join(root, "notes.txt"), "not an image");
  writeFileSync(path.join(outside, "secret.png"), PNG_BYTES);
  symlinkSync(path.join(outside, "secret.png"), path.join(root, "crops", "escape.png"));
  symlinkSync(outside, path.join(root, "linked"));
  symlinkSync(path.join(root, "crops", "a-0.png"), path.join(root, "crops", "alias.png")); // stays inside: fine
  const item = (id: string) => ({ id, crop: `crops/${id}.png`, image: `${id}.jpg`, source: `meta.jsonl:${id}`, tags: ["red hair"] });
  writeFileSync(
    path.join(root, "review.json"),
    JSON.stringify({ format: "avatargan-review", version: 1, resolution: 64, items: [item("a-0"), item("b-0")] }),
  );
}

function imageRequest(requested: string): Request {
  return new Request(`http://localhost/api/review/image?path=${encodeURIComponent(requested)}`);
}

function decisionRequest(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/api/review/decision", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: "http://localhost", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function listRequest(headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/api/review/list", { headers });
}

beforeAll(makeDataset);
afterAll(() => rmSync(base, { recursive: true, force: true }));
beforeEach(() => {
  process.env.AVATARGAN_DATASET = root;
  rmSync(path.join(root, "decisions.json"), { force: true });
});

describe("resolveInside", () => {
  it.each([
    ["", 400, "missing"],
    ["../outside/secret.png", 400, "'..'"],
    ["crops/../../outside/secret.png", 400, "'..'"],
    ["crops\\..\\..\\outside\\secret.png", 400, "'..'"],
    ["/etc/passwd", 400, "absolute"],
    ["C:\\Windows\\win.ini", 400, "absolute"],
    ["\\\\server\\share\\x.png", 400, "absolute"],
    ["crops/a-0.png\0.txt", 400, "NUL"],
  ])("refuses %j with %i", (requested, status, reason) => {
    const refused = checkRequestedPath(requested);
    expect(refused).toMatchObject({ ok: false, status });
    expect(refused && !refused.ok && refused.reason).toContain(reason);
  });

  it("accepts a plain relative path and follows links that stay inside", async () => {
    expect(await resolveInside(root, "crops/a-0.png")).toEqual({ ok: true, path: path.join(root, "crops", "a-0.png") });
    expect(await resolveInside(root, "./crops/alias.png")).toEqual({ ok: true, path: path.join(root, "crops", "a-0.png") });
  });

  it("refuses symlinks that lead out of the folder with 403", async () => {
    for (const requested of ["crops/escape.png", "linked/secret.png"]) {
      const resolved = await resolveInside(root, requested);
      expect(resolved).toMatchObject({ ok: false, status: 403 });
      expect(!resolved.ok && resolved.reason).toContain("symbolic link");
    }
  });

  it("answers 404 for a path that does not exist", async () => {
    expect(await resolveInside(root, "crops/nope.png")).toMatchObject({ ok: false, status: 404 });
  });
});

describe("GET /api/review/image", () => {
  it("serves a crop from the dataset folder", async () => {
    const response = await getImage(imageRequest("crops/a-0.png"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG_BYTES);
  });

  it.each([
    ["../outside/secret.png", 400],
    ["/etc/passwd", 400],
    ["<outside>/secret.png", 400],
    ["crops/a-0.png\0", 400],
    ["crops/escape.png", 403],
    ["linked/secret.png", 403],
    ["notes.txt", 403],
    ["crops/missing.png", 404],
  ])("refuses %j with %i and a reason", async (requested, status) => {
    const response = await getImage(imageRequest(requested.replace("<outside>", outside)));
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string };
    expect(body.error.length).toBeGreaterThan(5);
  });

  it("refuses a request with no path, and every request when no dataset is configured", async () => {
    expect((await getImage(new Request("http://localhost/api/review/image"))).status).toBe(400);
    delete process.env.AVATARGAN_DATASET;
    const response = await getImage(imageRequest("crops/a-0.png"));
    expect(response.status).toBe(404); // off, not broken
    expect(((await response.json()) as { error: string }).error).toContain("AVATARGAN_DATASET");
  });
});

describe("list and decision routes", () => {
  it("lists the items with no decisions at first", async () => {
    const response = await getList(listRequest());
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ dataset: "dataset", resolution: 64, decisions: {} });
    expect(body.items.map((i: { id: string }) => i.id)).toEqual(["a-0", "b-0"]);
  });

  it("records, changes and clears decisions in decisions.json, atomically", async () => {
    expect((await postDecision(decisionRequest({ id: "a-0", decision: "accept" }))).status).toBe(200);
    const second = await postDecision(decisionRequest({ id: "b-0", decision: "reject" }));
    expect(await second.json()).toEqual({ id: "b-0", decision: "reject", accepted: 1, rejected: 1 });
    const file = JSON.parse(readFileSync(path.join(root, "decisions.json"), "utf8"));
    expect(file.format).toBe("avatargan-review-decisions");
    expect(file.decisions["a-0"].decision).toBe("accept");
    expect(Date.parse(file.decisions["b-0"].at)).not.toBeNaN();
    await postDecision(decisionRequest({ id: "a-0", decision: null }));
    expect((await (await getList(listRequest())).json()).decisions).toEqual({ "b-0": "reject" });
    expect(readdirSync(root).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("keeps every one of many quick decisions", async () => {
    const ids = ["a-0", "b-0"];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => postDecision(decisionRequest({ id: ids[i % 2], decision: i < 8 ? "reject" : "accept" }))),
    );
    expect((await (await getList(listRequest())).json()).decisions).toEqual({ "a-0": "accept", "b-0": "accept" });
  });

  it.each([
    ["not json", 400, "JSON"],
    [{ id: "", decision: "accept" }, 400, "id"],
    [{ id: "a-0", decision: "maybe" }, 400, "decision"],
    [{ id: "../x", decision: "accept" }, 404, "no item"],
  ])("refuses %j with %i", async (body, status, reason) => {
    const response = await postDecision(decisionRequest(body));
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toContain(reason);
  });

  it("says how to make the list when review.json is missing", async () => {
    const empty = mkdtempSync(path.join(base, "empty-"));
    process.env.AVATARGAN_DATASET = empty;
    const response = await getList(listRequest());
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toContain("prepare review");
  });
});

// Probes of issue 17: each of these was accepted (200) or crashed (500) before the request guard.
describe("hostile requests", () => {
  const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;

  it("refuses cross-site writes: text/plain, a foreign Origin, no Origin, a cross-site fetch", async () => {
    const ok = { id: "a-0", decision: "accept" };
    const plain = await postDecision(decisionRequest(JSON.stringify(ok), { "Content-Type": "text/plain" }));
    expect(plain.status).toBe(415);
    expect((await postDecision(decisionRequest(ok, { Origin: "http://evil.example" }))).status).toBe(403);
    expect((await postDecision(decisionRequest(ok, { Origin: "null" }))).status).toBe(403);
    expect((await postDecision(decisionRequest(ok, { "Sec-Fetch-Site": "cross-site" }))).status).toBe(403);
    const noOrigin = new Request("http://localhost/api/review/decision", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(ok),
    });
    expect((await postDecision(noOrigin)).status).toBe(403);
    expect(readdirSync(root)).not.toContain("decisions.json");
  });

  it("answers 413 to a large body before reading it, declared or streamed", async () => {
    const big = JSON.stringify({ id: "a-0", decision: "accept", pad: "x".repeat(10_000) });
    const declared = await postDecision(decisionRequest(big, { "Content-Length": String(big.length) }));
    expect(declared.status).toBe(413);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1024;
        if (sent > 50 * 1024 * 1024) controller.close(); // would be 50 MB; the guard stops after 4 kB
        else controller.enqueue(new Uint8Array(1024).fill(32));
      },
    });
    const streamed = new Request("http://localhost/api/review/decision", {
      method: "POST", headers: { "Content-Type": "application/json", Origin: "http://localhost" }, body: stream,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    expect((await postDecision(streamed)).status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024);
    const deep = "[".repeat(2000) + "]".repeat(2000);
    expect((await postDecision(decisionRequest(deep))).status).toBe(400); // parsed fine, then not a decision
  });

  it("answers only to this machine unless opted in", async () => {
    expect((await getList(listRequest({ "X-Forwarded-For": "192.168.1.20" }))).status).toBe(403);
    const viaName = new Request("http://workbench.lan:3000/api/review/list");
    expect(await errorOf(await getList(viaName))).toContain("AVATARGAN_REVIEW_ALLOW_REMOTE");
    expect((await getList(listRequest({ "X-Forwarded-For": "127.0.0.1" }))).status).toBe(200);
    process.env.AVATARGAN_REVIEW_ALLOW_REMOTE = "1";
    try {
      expect((await getList(viaName)).status).toBe(200);
    } finally {
      delete process.env.AVATARGAN_REVIEW_ALLOW_REMOTE;
    }
  });

  it("refuses to read a huge image into memory (a 3 GB file gave an empty-bodied 500)", async () => {
    const huge = path.join(root, "crops", "huge.png");
    writeFileSync(huge, PNG_BYTES);
    truncateSync(huge, 3 * 2 ** 30); // sparse: no disk is used
    try {
      const response = await getImage(imageRequest("crops/huge.png"));
      expect(response.status).toBe(413);
      expect(await errorOf(response)).toContain("crops are served up to 32 MB");
    } finally {
      rmSync(huge, { force: true });
    }
  });

  it("is off when no dataset is configured", async () => {
    delete process.env.AVATARGAN_DATASET;
    expect((await getList(listRequest())).status).toBe(404);
    expect((await postDecision(decisionRequest({ id: "a-0", decision: "accept" }))).status).toBe(404);
  });

  it("reads review.json and decisions.json through links only inside the folder; '..dots.png' is a name", async () => {
    const linked = mkdtempSync(path.join(base, "linked-"));
    writeFileSync(path.join(outside, "decisions.json"), JSON.stringify({ format: "avatargan-review-decisions", version: 1, decisions: {} }));
    writeFileSync(path.join(linked, "review.json"), readFileSync(path.join(root, "review.json")));
    symlinkSync(path.join(outside, "decisions.json"), path.join(linked, "decisions.json"));
    process.env.AVATARGAN_DATASET = linked;
    const response = await getList(listRequest());
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toContain("outside the dataset folder");
    process.env.AVATARGAN_DATASET = root;
    writeFileSync(path.join(root, "crops", "..dots.png"), PNG_BYTES);
    expect((await getImage(imageRequest("crops/..dots.png"))).status).toBe(200);
    expect((await getImage(imageRequest("crops/../../outside/secret.png"))).status).toBe(400);
  });

  it("waits for another server's lock on the folder, and breaks a stale one", async () => {
    const lock = path.join(root, LOCK_FILE);
    writeFileSync(lock, "12345\n");
    setTimeout(() => rmSync(lock, { force: true }), 150);
    const started = Date.now();
    expect((await postDecision(decisionRequest({ id: "a-0", decision: "accept" }))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    writeFileSync(lock, "12345\n");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect((await postDecision(decisionRequest({ id: "b-0", decision: "reject" }))).status).toBe(200);
    expect(readdirSync(root)).not.toContain(LOCK_FILE);
    expect((await (await getList(listRequest())).json()).decisions).toEqual({ "a-0": "accept", "b-0": "reject" });
  });
});

describe("review filters", () => {
  const items = ["a", "b", "c"].map((id) => ({ id, crop: `${id}.png`, image: id, source: id, tags: [] }));
  it("shows the items of each filter and counts progress", () => {
    const decisions = { a: "accept", c: "reject" } as const;
    expect(filterItems(items, decisions, "undecided").map((i) => i.id)).toEqual(["b"]);
    expect(filterItems(items, decisions, "accepted").map((i) => i.id)).toEqual(["a"]);
    expect(filterItems(items, decisions, "rejected").map((i) => i.id)).toEqual(["c"]);
    expect(filterItems(items, decisions, "all")).toHaveLength(3);
    expect(progressOf(items, decisions)).toEqual({ total: 3, accepted: 1, rejected: 1, decided: 2 });
  });
});
