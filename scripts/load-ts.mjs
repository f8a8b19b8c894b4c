/**
 * Import the app's TypeScript modules (lib/...) from a plain Node script, through Vite's SSR
 * module loader (Vite is already here for vitest): the `@/` alias and TypeScript work as in
 * the tests, and packages in node_modules load natively, so a tf.js backend the script
 * registers is the one the modules see.
 */
import { fileURLToPath } from "node:url";
import { createServer } from "vite";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Returns {load(path): Promise<module>, close(): Promise<void>}; paths are relative to the repo root. */
export async function typeScriptLoader() {
  const server = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: "error",
    resolve: { alias: { "@": ROOT.replace(/\/$/, "") } },
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: "custom",
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  return {
    load: (path) => server.ssrLoadModule(`/${path.replace(/^\/+/, "")}`),
    close: () => server.close(),
  };
}
