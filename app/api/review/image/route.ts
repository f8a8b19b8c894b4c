/** GET /api/review/image?path=crops/x.png: one image file from inside the dataset folder, nothing else. */
import { datasetRoot } from "@/app/review/server/datasetRoot";
import { guardAccess } from "@/app/review/server/requestGuard";
import { errorResponse } from "@/app/review/server/responses";
import { resolveInside } from "@/app/review/server/safePath";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const MAX_IMAGE_BYTES = 32e6; // a crop is tens of kB; never read a huge file into memory for a thumbnail

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
};

export async function GET(request: Request): Promise<Response> {
  const access = guardAccess(request);
  if (!access.ok) return errorResponse(access.status, access.reason);
  const dataset = await datasetRoot();
  if (!dataset.ok) return errorResponse(dataset.status, dataset.reason);
  const requested = new URL(request.url).searchParams.get("path");
  const resolved = await resolveInside(dataset.root, requested);
  if (!resolved.ok) return errorResponse(resolved.status, resolved.reason);
  const type = CONTENT_TYPES[path.extname(resolved.path).toLowerCase()];
  if (!type) return errorResponse(403, `only images (${Object.keys(CONTENT_TYPES).join(", ")}) are served`);
  const info = await stat(resolved.path);
  if (!info.isFile()) return errorResponse(404, `${requested} is not a file`);
  if (info.size > MAX_IMAGE_BYTES) {
    return errorResponse(413, `${requested} is ${(info.size / 1e6).toFixed(0)} MB; crops are served up to ${MAX_IMAGE_BYTES / 1e6} MB`);
  }
  const bytes = await readFile(resolved.path);
  return new Response(new Uint8Array(bytes), {
    headers: { "Content-Type": type, "Cache-Control": "private, max-age=60", "X-Content-Type-Options": "nosniff" },
  });
}
