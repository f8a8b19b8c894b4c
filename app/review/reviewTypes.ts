/**
 * The review list and decisions as the API sends them. Written by `python -m avatargan prepare
 * review` (review.json) and by the decision route (decisions.json); shared by the routes and
 * the client screen, so this module imports nothing.
 */

export type Decision = "accept" | "reject";

export interface ReviewItem {
  id: string;
  /** Crop image, relative to the dataset folder (served by /api/review/image). */
  crop: string;
  /** The original picture inside the import source, and the metadata record it came from. */
  image: string;
  source: string;
  tags: string[];
}

export interface ReviewListResponse {
  dataset: string;
  resolution: number | null;
  items: ReviewItem[];
  decisions: Record<string, Decision>;
}

export interface DecisionRequest {
  id: string;
  /** null clears an earlier decision. */
  decision: Decision | null;
}

export interface DecisionResponse {
  id: string;
  decision: Decision | null;
  accepted: number;
  rejected: number;
}

export interface ErrorResponse {
  error: string;
}

export const REVIEW_FORMAT = "avatargan-review";
export const DECISIONS_FORMAT = "avatargan-review-decisions";

export function isDecision(value: unknown): value is Decision {
  return value === "accept" || value === "reject";
}

/** URL of a crop, through the image route (which checks the path stays in the dataset). */
export function cropUrl(crop: string): string {
  return `/api/review/image?path=${encodeURIComponent(crop)}`;
}
