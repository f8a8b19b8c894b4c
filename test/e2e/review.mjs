/**
 * E2E pass for the crop review screen (/review): a tiny dataset folder with three crops is
 * made before the server starts (run.mjs gives its path to `next start` as AVATARGAN_DATASET);
 * the pass accepts and rejects with the keyboard, checks the filters and progress, reads
 * decisions.json back from disk, and checks that the image route refuses paths that leave
 * the folder.
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

const CROPS = [
  { id: "aaa-0", colour: [220, 60, 60], tags: ["red hair", "blue eyes"] },
  { id: "bbb-0", colour: [60, 200, 90], tags: ["green hair"] },
  { id: "ccc-0", colour: [70, 90, 230], tags: [] },
];

let datasetDir = null;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** A size x size RGB PNG: a coloured disc (a stand-in face) on grey. */
function discPng(size, [r, g, b]) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size / 3) ** 2;
      row.set(inside ? [r, g, b] : [128, 128, 128], 1 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]);
}

/** The dataset folder the server is started with (made on first call). */
export function reviewDataset() {
  if (datasetDir) return datasetDir;
  datasetDir = mkdtempSync(join(tmpdir(), "avatargan-review-"));
  mkdirSync(join(datasetDir, "crops"));
  const items = CROPS.map(({ id, colour, tags }) => {
    writeFileSync(join(datasetDir, "crops", `${id}.png`), discPng(64, colour));
    return { id, crop: `crops/${id}.png`, image: `${id.slice(0, 3)}.jpg`, source: `metadata.jsonl:${id}`, tags };
  });
  const list = { format: "avatargan-review", version: 1, resolution: 64, items };
  writeFileSync(join(datasetDir, "review.json"), JSON.stringify(list, null, 1));
  return datasetDir;
}

function readDecisions() {
  try {
    return JSON.parse(readFileSync(join(datasetDir, "decisions.json"), "utf8")).decisions;
  } catch {
    return {};
  }
}

async function waitFor(condition, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function reviewPass(context, baseUrl, { check, assert, screenshot }) {
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  try {
    await page.goto(`${baseUrl}/review`);
    const ready = await check("[review] shows the crops with source and tags", async () => {
      await page.waitForSelector('[data-testid="review-tile"]', { timeout: 30_000 });
      const tiles = await page.$$eval('[data-testid="review-tile"]', (els) => els.map((e) => e.textContent));
      assert(tiles.length === 3, `expected 3 tiles, found ${tiles.length}`);
      assert(tiles[0].includes("aaa.jpg") && tiles[0].includes("red hair · blue eyes"), `first tile reads '${tiles[0]}'`);
      assert(tiles[2].includes("untagged"), `third tile reads '${tiles[2]}'`);
      await page.waitForFunction(() => [...document.querySelectorAll("img")].every((img) => img.complete && img.naturalWidth === 64));
    });
    if (!ready) return;

    await check("[review] a accepts, r rejects, saved in decisions.json", async () => {
      await page.keyboard.press("a");
      await page.keyboard.press("r");
      await waitFor(() => Object.keys(readDecisions()).length === 2, "two decisions in decisions.json");
      const decisions = readDecisions();
      assert(decisions["aaa-0"]?.decision === "accept", `aaa-0 is ${JSON.stringify(decisions["aaa-0"])}`);
      assert(decisions["bbb-0"]?.decision === "reject", `bbb-0 is ${JSON.stringify(decisions["bbb-0"])}`);
      const progress = await page.textContent('[data-testid="review-progress"]');
      assert(/2 of 3 decided · 1 accepted · 1 rejected/.test(progress ?? ""), `progress reads '${progress}'`);
    });

    await check("[review] filters show undecided, accepted and rejected crops", async () => {
      const idsOf = () => page.$$eval('[data-testid="review-tile"]', (els) => els.map((e) => e.getAttribute("data-id")));
      const undecided = await idsOf();
      assert(undecided.join() === "ccc-0", `undecided shows ${undecided.join()}`);
      await page.click('[data-testid="filter-accepted"]');
      assert((await idsOf()).join() === "aaa-0", "accepted filter");
      await page.click('[data-testid="filter-rejected"]');
      assert((await idsOf()).join() === "bbb-0", "rejected filter");
      await page.click('[data-testid="filter-all"]');
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("u"); // undo bbb-0's reject
      await waitFor(() => !readDecisions()["bbb-0"], "bbb-0's decision to be cleared");
      if (screenshot) await page.screenshot({ path: screenshot });
    });

    await check("[review] the image route refuses paths that leave the dataset folder", async () => {
      for (const [path, status] of [["../../etc/passwd", 400], ["/etc/passwd", 400], ["review.json", 403]]) {
        const response = await fetch(`${baseUrl}/api/review/image?path=${encodeURIComponent(path)}`);
        const body = await response.json();
        assert(response.status === status && body.error, `${path}: ${response.status} ${JSON.stringify(body)}`);
      }
    });

    await check("[review] no uncaught page errors", async () => {
      assert(pageErrors.length === 0, pageErrors.join(" | "));
    });
  } finally {
    await page.close();
    if (datasetDir) rmSync(datasetDir, { recursive: true, force: true });
  }
}
