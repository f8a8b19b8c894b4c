/**
 * Vitest config for the Node half of `npm run bench`: vitest is the TypeScript loader already
 * installed here (lib/gan imports through the "@/..." alias), so the Node timing runs as a
 * one-file vitest run rather than needing tsx. Not part of `npm test` (its include differs).
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("../..", import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    environment: "node",
    include: ["scripts/bench/generate-node.bench-run.ts"],
    testTimeout: 600_000,
  },
});
