/**
 * The review routes serve one dataset folder and nothing outside it: `..`, absolute paths,
 * NUL bytes and symlinks that lead out are refused with a status and a reason; decisions are
 * validated and written atomically into decisions.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as postDecision } from "@/app/api/review/decision/route";
import { GET as getImage } from "@/app/api/review/image/route";
import { GET as getList } from "@/app/api/review/list/route";
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

function decisionRequest(body: unknown): Request {
  return new Request("http://localhost/api/review/decision", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
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
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toContain("AVATARGAN_DATASET");
  });
});

describe("list and decision routes", () => {
  it("lists the items with no decisions at first", async () => {
    const response = await getList();
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
    expect((await (await getList()).json()).decisions).toEqual({ "b-0": "reject" });
    expect(readdirSync(root).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("keeps every one of many quick decisions", async () => {
    const ids = ["a-0", "b-0"];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => postDecision(decisionRequest({ id: ids[i % 2], decision: i < 8 ? "reject" : "accept" }))),
    );
    expect((await (await getList()).json()).decisions).toEqual({ "a-0": "accept", "b-0": "accept" });
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
    const response = await getList();
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toContain("prepare review");
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
