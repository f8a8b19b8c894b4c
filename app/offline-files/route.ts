/**
 * GET /offline-files: every file of this build's /_next/static/ (about 60 files, 3 MB), so the
 * service worker (public/sw.js) can keep them all at install. Cells load their code on first
 * use; without the whole list, a cell never opened online would not open offline.
 */

import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export const dynamic = "force-dynamic";

/** Bounds what a listing can hold (a build has about 60). */
const MAX_FILES = 2000;

export async function GET(): Promise<Response> {
  const root = join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "static");
  const files: string[] = [];
  try {
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join("/");
      files.push(`/_next/static/${path}`);
      if (files.length >= MAX_FILES) break;
    }
  } catch {
    // a development server has no complete static folder: the worker keeps what pages load
  }
  return Response.json({ files: files.sort() }, { headers: { "Cache-Control": "no-store" } });
}
