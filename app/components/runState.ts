import type { RenderedAvatar } from "@/lib/edit/export";

export type Avatar = RenderedAvatar;

/** Where a grid is: nothing yet, rendering (showing the last grid), done, or failed. */
export type RunState =
  | { state: "idle" }
  | { state: "rendering"; count: number; done: number; previous: Avatar[] }
  | { state: "ready"; avatars: Avatar[]; ms: number; version: number }
  | { state: "error"; message: string };

/** The avatars on screen: the finished grid, or the last one while the next renders. */
export function shownAvatars(run: RunState): Avatar[] {
  if (run.state === "ready") return run.avatars;
  if (run.state === "rendering") return run.previous;
  return [];
}
