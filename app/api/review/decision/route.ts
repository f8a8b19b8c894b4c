/** POST /api/review/decision {id, decision: "accept" | "reject" | null}: record a decision in decisions.json. */
import { datasetRoot } from "@/app/review/server/datasetRoot";
import { errorResponse, failureResponse, jsonResponse } from "@/app/review/server/responses";
import { guardAccess, readGuardedJson } from "@/app/review/server/requestGuard";
import { writeDecision } from "@/app/review/server/reviewStore";
import { isDecision, type DecisionResponse } from "@/app/review/reviewTypes";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  const access = guardAccess(request);
  if (!access.ok) return errorResponse(access.status, access.reason);
  const dataset = await datasetRoot();
  if (!dataset.ok) return errorResponse(dataset.status, dataset.reason);
  const parsed = await readGuardedJson(request);
  if (!parsed.ok) return errorResponse(parsed.status, parsed.reason);
  const body = (parsed.value ?? {}) as { id?: unknown; decision?: unknown };
  if (typeof body?.id !== "string" || body.id === "" || body.id.length > 512) {
    return errorResponse(400, "id must be a non-empty string of at most 512 characters");
  }
  if (body.decision !== null && !isDecision(body.decision)) {
    return errorResponse(400, `decision must be "accept", "reject" or null, got ${JSON.stringify(body.decision)}`);
  }
  try {
    const id = body.id;
    const decisions = await writeDecision(dataset.root, id, body.decision);
    const values = Object.values(decisions);
    const answer: DecisionResponse = {
      id,
      decision: body.decision,
      accepted: values.filter((d) => d === "accept").length,
      rejected: values.filter((d) => d === "reject").length,
    };
    return jsonResponse(answer);
  } catch (err) {
    return failureResponse(err);
  }
}
