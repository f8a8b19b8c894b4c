/** GET /api/review/image?path=crops/x.png: one image file from inside the dataset folder, nothing else. */
import { datasetRoot } from "@/app/review/server/datasetRoot";
import { errorResponse } from "@/app/review/server/responses";
import { resolveInside } from "@/app/review/server/safePath";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
};

export async function GET(request: Request): Promise<Response> {
  const dataset = await datasetRoot();
  if (!dataset.ok) return errorResponse(dataset.status, dataset.reason);
  const requested = new URL(request.url).searchParams.get("path");
  const resolved = await resolveInside(dataset.root, requested);
  if (!resolved.ok) return errorResponse(resolved.status, resolved.reason);
  const type = CONTENT_TYPES[path.extname(resolved.path).toLowerCase()];
  if (!type) return errorResponse(403, `only images (${Object.keys(CONTENT_TYPES).join(", ")}) are served`);
  if (!(await stat(resolved.path)).isFile()) return errorResponse(404, `${requested} is not a file`);
  const bytes = await readFile(resolved.path);
  return new Response(new Uint8Array(bytes), {
    headers: { "Content-Type": type, "Cache-Control": "private, max-age=60", "X-Content-Type-Options": "nosniff" },
  });
}
