/**
 * Read the review list and read/write the decisions, inside one dataset folder.
 *
 * Both file names are fixed here, never taken from a request. Decisions are written to a
 * temporary file in the same folder and renamed over decisions.json, so a reader (or the pack
 * step) never sees half a file; writes are queued so two quick clicks cannot lose one.
 */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { DECISIONS_FORMAT, REVIEW_FORMAT, isDecision, type Decision, type ReviewItem } from "../reviewTypes";
import { resolveInside } from "./safePath";

export const REVIEW_FILE = "review.json";
export const DECISIONS_FILE = "decisions.json";

interface StoredDecision {
  decision: Decision;
  at: string;
}

export interface ReviewList {
  resolution: number | null;
  items: ReviewItem[];
}

export class ReviewFileError extends Error {
  constructor(
    message: string,
    readonly status: 403 | 404 | 500 | 503,
  ) {
    super(message);
  }
}

const MAX_LIST_BYTES = 64e6; // review.json of ~200,000 crops; decisions.json is smaller

/** A JSON file of the dataset folder (undefined when absent), under the same rule as the images:
 *  a symlink is followed only while it stays inside the folder. */
async function readJson(root: string, name: string): Promise<unknown | undefined> {
  const resolved = await resolveInside(root, name);
  if (!resolved.ok) {
    if (resolved.status === 404) return undefined;
    throw new ReviewFileError(`${name}: ${resolved.reason}`, 403);
  }
  if ((await stat(resolved.path)).size > MAX_LIST_BYTES) {
    throw new ReviewFileError(`${name} is larger than ${MAX_LIST_BYTES / 1e6} MB`, 500);
  }
  const file = resolved.path;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ReviewFileError(`${path.basename(file)} is not valid JSON`, 500);
  }
}

function parseItem(raw: unknown, index: number): ReviewItem {
  const item = raw as Partial<ReviewItem> | null;
  const ok =
    item &&
    typeof item.id === "string" &&
    typeof item.crop === "string" &&
    typeof item.image === "string" &&
    typeof item.source === "string" &&
    Array.isArray(item.tags) &&
    item.tags.every((t) => typeof t === "string");
  if (!ok) throw new ReviewFileError(`${REVIEW_FILE}: item ${index} lacks id, crop, image, source or tags`, 500);
  return { id: item.id!, crop: item.crop!, image: item.image!, source: item.source!, tags: item.tags! };
}

export async function readReviewList(root: string): Promise<ReviewList> {
  const data = (await readJson(root, REVIEW_FILE)) as
    | { format?: unknown; version?: unknown; resolution?: unknown; items?: unknown }
    | undefined;
  if (data === undefined) {
    throw new ReviewFileError(
      `no ${REVIEW_FILE} in the dataset folder: run \`python -m avatargan prepare review --work <folder>\``,
      404,
    );
  }
  if (data.format !== REVIEW_FORMAT || data.version !== 1 || !Array.isArray(data.items)) {
    throw new ReviewFileError(`${REVIEW_FILE} is not a ${REVIEW_FORMAT} version 1 file`, 500);
  }
  const resolution = typeof data.resolution === "number" ? data.resolution : null;
  return { resolution, items: data.items.map(parseItem) };
}

async function readStoredDecisions(root: string): Promise<Record<string, StoredDecision>> {
  const data = (await readJson(root, DECISIONS_FILE)) as
    | { format?: unknown; version?: unknown; decisions?: unknown }
    | undefined;
  if (data === undefined) return {};
  if (data.format !== DECISIONS_FORMAT || data.version !== 1 || typeof data.decisions !== "object" || !data.decisions) {
    throw new ReviewFileError(`${DECISIONS_FILE} is not a ${DECISIONS_FORMAT} version 1 file`, 500);
  }
  const out: Record<string, StoredDecision> = {};
  for (const [id, entry] of Object.entries(data.decisions as Record<string, unknown>)) {
    const stored = entry as Partial<StoredDecision> | null;
    if (stored && isDecision(stored.decision)) out[id] = { decision: stored.decision, at: String(stored.at ?? "") };
  }
  return out;
}

export async function readDecisions(root: string): Promise<Record<string, Decision>> {
  const stored = await readStoredDecisions(root);
  return Object.fromEntries(Object.entries(stored).map(([id, entry]) => [id, entry.decision]));
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, text, "utf8");
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

export const LOCK_FILE = ".decisions.lock";
const LOCK_STALE_MS = 10_000; // a lock older than this was left by a crashed server
const LOCK_WAIT_MS = 5_000;

/**
 * Run `fn` holding the dataset folder's lock file, so two servers on one folder (or a server and
 * a second tab on another port) never interleave read-modify-write cycles of decisions.json.
 * The lock is a file created exclusively (O_EXCL works across processes); a stale one is broken.
 */
async function withFolderLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(root, LOCK_FILE);
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > LOCK_STALE_MS) {
        await unlink(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() - started > LOCK_WAIT_MS) {
        throw new ReviewFileError(`${LOCK_FILE} is held by another server; try again in a moment`, 503);
      }
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 15));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Record (or with null, clear) the decision on review item `id`; resolves to the decisions after
 * the write. Calls are queued in the order they are made, the check that the item exists too,
 * so of two quick decisions on one item the later one always stays.
 */
export function writeDecision(root: string, id: string, decision: Decision | null): Promise<Record<string, Decision>> {
  const run = () => withFolderLock(root, async () => {
    const { items } = await readReviewList(root);
    if (!items.some((item) => item.id === id)) {
      throw new ReviewFileError(`no item ${JSON.stringify(id)} in ${REVIEW_FILE}`, 404);
    }
    const stored = await readStoredDecisions(root);
    if (decision === null) delete stored[id];
    else stored[id] = { decision, at: new Date().toISOString() };
    const body = { format: DECISIONS_FORMAT, version: 1, decisions: stored };
    await writeAtomic(path.join(root, DECISIONS_FILE), JSON.stringify(body, null, 1) + "\n");
    return Object.fromEntries(Object.entries(stored).map(([key, entry]) => [key, entry.decision]));
  });
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
