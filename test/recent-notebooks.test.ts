/** Recent notebooks (lib/notebook/recent.ts): closing or replacing a notebook keeps a copy. */
import { describe, expect, it } from "vitest";
import { newNotebook } from "@/lib/notebook/cells";
import { parseNotebookText } from "@/lib/notebook/io";
import { MAX_RECENT, forgetRecent, recentNotebooks, rememberNotebook } from "@/lib/notebook/recent";

function memoryStorage(limit = Infinity) {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > limit) throw new Error("QuotaExceededError");
      items.set(k, v);
    },
    removeItem: (k: string) => void items.delete(k),
  };
}

const model = { name: "m", sha256: "abc" };

describe("recent notebooks", () => {
  it("keeps the newest first, without duplicates, at most MAX_RECENT", () => {
    const storage = memoryStorage();
    for (let i = 0; i < MAX_RECENT + 2; i++) rememberNotebook(storage, newNotebook(model, `nb ${i}`));
    rememberNotebook(storage, newNotebook(model, "nb 6"));
    const list = recentNotebooks(storage);
    expect(list.map((r) => r.title)).toEqual(["nb 6", "nb 5", "nb 4", "nb 3", "nb 2"]);
    expect(list[0].cells).toBe(2);
  });

  it("a remembered notebook opens again as it was", () => {
    const storage = memoryStorage();
    const notebook = newNotebook(model, "thesis draft");
    rememberNotebook(storage, notebook);
    expect(parseNotebookText(recentNotebooks(storage)[0].text).notebook).toEqual(notebook);
    forgetRecent(storage, 0);
    expect(recentNotebooks(storage)).toEqual([]);
  });

  it("drops the oldest when the storage is full, and a damaged list reads as empty", () => {
    const probe = memoryStorage();
    rememberNotebook(probe, newNotebook(model, "a"));
    const one = probe.getItem("avatargan.notebook.recent")!.length;
    const storage = memoryStorage(one * 2.5);
    for (const title of ["a", "b", "c", "d"]) rememberNotebook(storage, newNotebook(model, title));
    expect(recentNotebooks(storage).map((r) => r.title)).toEqual(["d", "c"]);
    storage.setItem("avatargan.notebook.recent", "{not json");
    expect(recentNotebooks(storage)).toEqual([]);
  });
});
