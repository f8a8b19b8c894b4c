// Copies tf.js's WASM binaries into public/tfjs-wasm/ so the app serves them itself
// (setWasmPaths points there): the workbench must never fetch from a CDN.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");
const target = join(root, "public", "tfjs-wasm");
if (!existsSync(source)) {
  console.warn(`copy-wasm: ${source} not found; run npm install first`);
  process.exit(0);
}
mkdirSync(target, { recursive: true });
const files = readdirSync(source).filter((name) => name.endsWith(".wasm"));
for (const name of files) copyFileSync(join(source, name), join(target, name));
console.log(`copy-wasm: ${files.length} tf.js WASM binaries -> public/tfjs-wasm/`);
