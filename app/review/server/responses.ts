/** JSON answers of the review routes: every refusal carries its status and a reason a person can act on. */
import type { ErrorResponse } from "../reviewTypes";
import { ReviewFileError } from "./reviewStore";

export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export function errorResponse(status: number, reason: string): Response {
  const body: ErrorResponse = { error: reason };
  return jsonResponse(body, status);
}

/** A ReviewFileError becomes its own status; anything else is a 500 with its message. */
export function failureResponse(err: unknown): Response {
  if (err instanceof ReviewFileError) return errorResponse(err.status, err.message);
  return errorResponse(500, err instanceof Error ? err.message : String(err));
}
