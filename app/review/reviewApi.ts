/**
 * The review screen's calls to its API routes: a failed call's reason, and decisions saved one
 * after another.
 */

import type { DecisionRequest, ErrorResponse } from "./reviewTypes";

export async function errorText(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as ErrorResponse | null;
  return body?.error ?? `${response.status} ${response.statusText}`;
}

async function postDecision(request: DecisionRequest): Promise<void> {
  const response = await fetch("/api/review/decision", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw new Error(await errorText(response));
}

// Saves go one after another, so quick clicks on one crop reach the server in the order they
// were made and the last click is the one that stays.
let saving: Promise<unknown> = Promise.resolve();

export function saveDecision(request: DecisionRequest): Promise<void> {
  const next = saving.then(
    () => postDecision(request),
    () => postDecision(request),
  );
  saving = next.catch(() => undefined);
  return next;
}
