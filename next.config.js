// @ts-check
/**
 * The workbench runs models in the browser and must work offline (thesis defense from a laptop):
 * every asset is served by the app itself, nothing is fetched from a CDN.
 *
 * Cross-origin isolation (COOP + COEP) is what lets tf.js's WASM backend use threads
 * (SharedArrayBuffer); it is sent on every route, pages and /public files alike.
 */

const { tsconfigForDistDir } = require("./scripts/dist-tsconfig.cjs");

// NEXT_DIST_DIR lets several builds (e.g. parallel e2e runs) live side by side.
const distDir = process.env.NEXT_DIST_DIR || ".next";

/** @type {import('next').NextConfig} */
const nextConfig = {
  distDir,
  // Another distDir builds with its own generated tsconfig, so tsconfig.json is never rewritten.
  ...(distDir === ".next" ? {} : { typescript: { tsconfigPath: tsconfigForDistDir(__dirname, distDir) } }),
  reactStrictMode: true,
  poweredByHeader: false,
  turbopack: {
    rules: {
      // WASM threads start from the factory's source text: keep it out of the bundler's hands
      // (see the loader for the failure this prevents).
      "**/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js": {
        loaders: [require.resolve("./scripts/tfjs-wasm-factory-loader.cjs")],
        as: "*.js",
      },
    },
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
