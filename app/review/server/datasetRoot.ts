/**
 * The dataset folder the review routes serve: AVATARGAN_DATASET, set when the server starts
 * (e.g. `AVATARGAN_DATASET=data/prep npm run dev`). Read per request, so tests can set it.
 */
import { stat } from "node:fs/promises";
import path from "node:path";

export type DatasetRoot = { ok: true; root: string } | { ok: false; status: 500; reason: string };

export const DATASET_ENV = "AVATARGAN_DATASET";

export async function datasetRoot(): Promise<DatasetRoot> {
  const configured = process.env[DATASET_ENV];
  if (!configured) {
    return {
      ok: false,
      status: 500,
      reason: `no dataset folder: start the server with ${DATASET_ENV}=<work folder of python -m avatargan prepare>`,
    };
  }
  const root = path.resolve(configured);
  try {
    if ((await stat(root)).isDirectory()) return { ok: true, root };
  } catch {
    // reported below
  }
  return { ok: false, status: 500, reason: `${DATASET_ENV}=${configured} is not a folder` };
}
