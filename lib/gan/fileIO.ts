/**
 * ModelIO over the local filesystem, for Node (tests, benchmarks, scripts): the browser uses
 * fetchIO from ./modelFile. Kept in its own module so client bundles never see `node:fs`.
 */

import { readFile } from "node:fs/promises";
import type { ModelIO } from "./modelFile";

export const fileIO: ModelIO = {
  async readText(path) {
    return readFile(path, "utf8");
  },
  async readBytes(path, onBytes) {
    const bytes = await readFile(path);
    onBytes?.(bytes.byteLength);
    // A fresh ArrayBuffer: Node may hand back a slice of a larger pooled buffer.
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  },
};
