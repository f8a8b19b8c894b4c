/** Which items a filter shows, and the progress counts: pure functions the screen and tests share. */
import type { Decision, ReviewItem } from "./reviewTypes";

export type ReviewFilter = "all" | "undecided" | "accepted" | "rejected";

export const FILTERS: ReviewFilter[] = ["undecided", "accepted", "rejected", "all"];

const FILTER_DECISION: Record<ReviewFilter, Decision | null | "any"> = {
  all: "any",
  undecided: null,
  accepted: "accept",
  rejected: "reject",
};

export function filterItems(items: ReviewItem[], decisions: Record<string, Decision>, filter: ReviewFilter): ReviewItem[] {
  const wanted = FILTER_DECISION[filter];
  if (wanted === "any") return items;
  return items.filter((item) => (decisions[item.id] ?? null) === wanted);
}

export interface ReviewProgress {
  total: number;
  accepted: number;
  rejected: number;
  decided: number;
}

export function progressOf(items: ReviewItem[], decisions: Record<string, Decision>): ReviewProgress {
  let accepted = 0;
  let rejected = 0;
  for (const item of items) {
    if (decisions[item.id] === "accept") accepted++;
    else if (decisions[item.id] === "reject") rejected++;
  }
  return { total: items.length, accepted, rejected, decided: accepted + rejected };
}
