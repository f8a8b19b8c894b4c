/** GET /api/review/list: the review list of the dataset folder, with the decisions so far. */
import { datasetRoot } from "@/app/review/server/datasetRoot";
import { guardAccess } from "@/app/review/server/requestGuard";
import { errorResponse, failureResponse, jsonResponse } from "@/app/review/server/responses";
import { readDecisions, readReviewList } from "@/app/review/server/reviewStore";
import type { ReviewListResponse } from "@/app/review/reviewTypes";
import path from "node:path";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request): Promise<Response> {
  const access = guardAccess(request);
  if (!access.ok) return errorResponse(access.status, access.reason);
  const dataset = await datasetRoot();
  if (!dataset.ok) return errorResponse(dataset.status, dataset.reason);
  try {
    const [list, decisions] = await Promise.all([readReviewList(dataset.root), readDecisions(dataset.root)]);
    const body: ReviewListResponse = { dataset: path.basename(dataset.root), ...list, decisions };
    return jsonResponse(body);
  } catch (err) {
    return failureResponse(err);
  }
}
