/**
 * Build (when stale) and serve the app, for the e2e run (test/e2e/run.mjs) and the browser
 * benchmark (scripts/bench.mjs): `next build` into $NEXT_DIST_DIR (default .next) if it is
 * older than the sources, then `next start` on a free localhost port. The caller kills the
 * returned server.
 */

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const NEXT_BIN = ["node_modules", "next", "dist", "bin", "next"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/**
 * With `allowBuild` false (--no-build), an existing build is used even if older than the
 * sources (several people may edit sources while one build is under test). `who` prefixes the log.
 */
export function buildIfNeeded(root, { allowBuild = true, who = "app" } = {}) {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  const buildId = join(root, distDir, "BUILD_ID");
  const sources = ["app", "lib", "notebooks", "next.config.js", "package.json", "tsconfig.json"].map((p) => join(root, p));
  const stale = !existsSync(buildId) || Math.max(...sources.map(newestMtime)) > statSync(buildId).mtimeMs;
  if (!stale) return;
  if (!allowBuild) {
    if (!existsSync(buildId)) throw new Error(`no build in ${distDir}/ and --no-build was given`);
    console.log(`${who}: --no-build: using the existing build in ${distDir}/ (older than the sources)`);
    return;
  }
  console.log(`${who}: building the app (next build)…`);
  const build = spawnSync(process.execPath, [join(root, ...NEXT_BIN), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Start `next start` with `env` added; resolves { server, baseUrl } once it answers. */
export async function startApp(root, env = {}) {
  const port = await freePort();
  const server = spawn(process.execPath, [join(root, ...NEXT_BIN), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited (${server.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${baseUrl}/`)).ok) return { server, baseUrl };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  server.kill();
  throw new Error(`next start did not answer on port ${port} within 60 s:\n${log}`);
}
