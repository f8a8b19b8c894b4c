/**
 * Extra models (tagger, upscaler, ...) the engine loads on first use: one load per name even
 * when several cells ask at once, a failed load may be retried, and everything loaded is
 * disposed with the engine.
 */

export interface Disposable {
  dispose(): void;
}

export class LazyModels {
  private readonly loads = new Map<string, Promise<Disposable>>();
  private readonly loaded: Disposable[] = [];
  private disposed = false;

  get<T extends Disposable>(name: string, load: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new Error(`cannot load '${name}': the engine was disposed`));
    let pending = this.loads.get(name);
    if (!pending) {
      pending = load().then((model) => {
        if (this.disposed) model.dispose();
        else this.loaded.push(model);
        return model;
      });
      pending.catch(() => this.loads.delete(name));
      this.loads.set(name, pending);
    }
    return pending as Promise<T>;
  }

  dispose(): void {
    this.disposed = true;
    for (const model of this.loaded.splice(0)) model.dispose();
    this.loads.clear();
  }
}
