import { WeightsUnavailableError } from "./engine";

/** Help for a checkout without exported weights, or with weights that do not load. */
export default function MissingWeights({ error, modelUrl }: { error: unknown; modelUrl: string }) {
  const missing = error instanceof WeightsUnavailableError && error.missing;
  const message = error instanceof Error ? error.message : String(error);
  const folder = "public" + modelUrl.replace(/\/model\.json$/, "");
  return (
    <main className="center-screen" data-testid="missing-weights" data-state="failed">
      <div className="card help-card">
        <h2>{missing ? "No generator weights yet" : "The generator could not be loaded"}</h2>
        <p className="error-text" data-testid="load-error">{message}</p>
        <p>
          The workbench runs an exported generator from <code>{folder}/</code> (a <code>model.json</code> and its
          weight shards). To make one:
        </p>
        <ol className="steps">
          <li>
            Pack a tagged data set:
            <pre>python -m avatargan pack ../shared/data/anime-faces-64.tar --out data/faces64 --resolution 64</pre>
          </li>
          <li>
            Train a model (see the README for several GPUs):
            <pre>python -m avatargan train --data data/faces64 --out runs/faces64 --preset 64</pre>
          </li>
          <li>
            Export it for the browser:
            <pre>python -m avatargan export --checkpoint runs/faces64/latest.pt --out {folder} --float16</pre>
          </li>
          <li>Reload this page.</li>
        </ol>
        <p className="muted">Just trying the app? The tiny random test model (noise, not faces) works too:</p>
        <pre>cp test/fixtures/tiny-generator/* {folder}/</pre>
      </div>
    </main>
  );
}
