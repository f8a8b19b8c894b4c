/**
 * Resolve a path a client asked for to a real file inside the dataset folder, or say why not.
 *
 * Checked in order: present and a string, no NUL byte (400), not absolute in POSIX or Windows
 * spelling (400), no ".." segment (400), still inside the root after joining (403), and the
 * real path, with every symlink followed, still inside the real root (403: a link inside the
 * folder may point anywhere). A path that does not exist is 404.
 */
import { realpath } from "node:fs/promises";
import path from "node:path";

export type Resolved = { ok: true; path: string } | { ok: false; status: 400 | 403 | 404; reason: string };

const MAX_PATH_LENGTH = 1024;

function refuse(status: 400 | 403 | 404, reason: string): Resolved {
  return { ok: false, status, reason };
}

/** True when `child` is `parent` or lies below it (both absolute and normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  // A ".." segment, not a name that starts with two dots ("..dots.png" is a file inside).
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Checks that need no file system: what a requested relative path may look like. */
export function checkRequestedPath(requested: unknown): Resolved | null {
  if (typeof requested !== "string" || requested.length === 0) return refuse(400, "path is missing");
  if (requested.length > MAX_PATH_LENGTH) return refuse(400, `path is longer than ${MAX_PATH_LENGTH} characters`);
  if (requested.includes("\0")) return refuse(400, "path contains a NUL byte");
  if (path.posix.isAbsolute(requested) || path.win32.isAbsolute(requested) || /^[a-zA-Z]:/.test(requested)) {
    return refuse(400, "absolute paths are not allowed; give a path relative to the dataset folder");
  }
  if (requested.split(/[\\/]/).includes("..")) return refuse(400, "'..' is not allowed in a path");
  return null;
}

export async function resolveInside(root: string, requested: unknown): Promise<Resolved> {
  const refused = checkRequestedPath(requested);
  if (refused) return refused;
  const joined = path.resolve(root, requested as string);
  if (!isInside(path.resolve(root), joined)) return refuse(403, "path is outside the dataset folder");
  let real: string;
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(joined);
  } catch {
    return refuse(404, `${requested as string} does not exist in the dataset folder`);
  }
  if (!isInside(realRoot, real)) return refuse(403, "path leads outside the dataset folder (through a symbolic link)");
  return { ok: true, path: real };
}
