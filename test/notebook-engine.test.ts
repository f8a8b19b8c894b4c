/** The engine's lazy extra models: one load per name, retried after a failure, disposed with the engine. */
import { describe, expect, it } from "vitest";
import { LazyModels } from "@/app/components/lazyModels";

function fakeModel() {
  return { disposed: 0, dispose() { this.disposed++; } };
}

describe("LazyModels", () => {
  it("loads a model once however many ask, and disposes it with the engine", async () => {
    const models = new LazyModels();
    let loads = 0;
    const model = fakeModel();
    const load = async () => { loads++; return model; };
    const [a, b] = await Promise.all([models.get("tagger", load), models.get("tagger", load)]);
    expect(a).toBe(model);
    expect(b).toBe(model);
    expect(loads).toBe(1);
    models.dispose();
    expect(model.disposed).toBe(1);
    await expect(models.get("tagger", load)).rejects.toThrow(/engine was disposed/);
  });

  it("tries again after a failed load", async () => {
    const models = new LazyModels();
    let attempt = 0;
    const load = async () => {
      attempt++;
      if (attempt === 1) throw new Error("404");
      return fakeModel();
    };
    await expect(models.get("upscaler", load)).rejects.toThrow("404");
    await expect(models.get("upscaler", load)).resolves.toBeTruthy();
    expect(attempt).toBe(2);
  });

  it("disposes a model whose load finishes after the engine was disposed", async () => {
    const models = new LazyModels();
    const model = fakeModel();
    let finish: (m: typeof model) => void = () => undefined;
    const pending = models.get("late", () => new Promise<typeof model>((resolve) => (finish = resolve)));
    models.dispose();
    finish(model);
    await pending;
    expect(model.disposed).toBe(1);
  });
});
