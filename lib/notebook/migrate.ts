/**
 * Older documents -> the current version, one version at a time. A migration never mutates
 * its input and returns the next version's JSON or a reason; validation runs on the result.
 *
 * Version 0 is what the workbench saved before notebooks: the single page's settings,
 * `{ seedsText, choices, psi }` (optionally with a `favourites` list of recipes). It becomes a
 * notebook with one "Condition & sample" cell holding those settings and a Favourites cell.
 */

import { isObject, type JsonObject } from "./fields";
import { NOTEBOOK_FORMAT, NOTEBOOK_VERSION } from "./schema";

export type MigrationResult = { ok: true; value: JsonObject } | { ok: false; reason: string };

type Migration = (doc: JsonObject) => MigrationResult;

/** MIGRATIONS[v] turns version v into version v + 1. */
const MIGRATIONS: Record<number, Migration> = {
  0: migrateV0toV1,
};

/** The version a raw document claims: 0 for the pre-notebook settings shape, else `version`. */
export function documentVersion(raw: unknown): number | null {
  if (!isObject(raw)) return null;
  if (raw.format === undefined && "seedsText" in raw) return 0;
  return typeof raw.version === "number" && Number.isInteger(raw.version) ? raw.version : null;
}

/** Bring any known older version up to NOTEBOOK_VERSION; the input is left untouched. */
export function migrateNotebook(raw: unknown): MigrationResult {
  if (!isObject(raw)) return { ok: false, reason: "a notebook file must hold a JSON object" };
  let version = documentVersion(raw);
  if (version === null) {
    if (raw.format !== undefined && raw.format !== NOTEBOOK_FORMAT) {
      return { ok: false, reason: `format ${JSON.stringify(raw.format)} is not an AvatarGAN notebook` };
    }
    return { ok: false, reason: "the file has no version: it is not an AvatarGAN notebook (nor old workbench settings)" };
  }
  if (version > NOTEBOOK_VERSION) {
    return { ok: false, reason: `notebook version ${version} is newer than this app understands (${NOTEBOOK_VERSION}); update the app` };
  }
  let doc: JsonObject = raw;
  while (version < NOTEBOOK_VERSION) {
    const migration = MIGRATIONS[version];
    if (!migration) return { ok: false, reason: `no migration from notebook version ${version}` };
    const step = migration(doc);
    if (!step.ok) return { ok: false, reason: `migrating version ${version} to ${version + 1}: ${step.reason}` };
    doc = step.value;
    version += 1;
  }
  return { ok: true, value: doc };
}

function migrateV0toV1(doc: JsonObject): MigrationResult {
  const { seedsText, choices, psi } = doc;
  if (typeof seedsText !== "string") return { ok: false, reason: "seedsText must be a string" };
  if (typeof psi !== "number") return { ok: false, reason: "psi must be a number" };
  if (choices !== undefined && !isObject(choices)) return { ok: false, reason: "choices must be an object" };
  return {
    ok: true,
    value: {
      format: NOTEBOOK_FORMAT,
      version: 1,
      title: "Workbench settings",
      description: "Imported from the single-page workbench's settings.",
      model: null,
      cells: [
        {
          id: "sample-1",
          kind: "sample",
          title: "Condition & sample",
          collapsed: false,
          params: { mode: "seeds", seedsText, choices: { ...(choices ?? {}) }, psi, truncation: "global" },
        },
        { id: "favourites-1", kind: "favourites", title: "Favourites", collapsed: false, params: {} },
      ],
      favourites: Array.isArray(doc.favourites) ? [...doc.favourites] : [],
    },
  };
}
