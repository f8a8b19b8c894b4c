/**
 * Untrusted JSON (current version) -> Notebook, or a NotebookFormatError naming the first bad
 * field. Everything is parsed before anything is returned, so a bad file loads nothing.
 */

import { cellKindSpec, CELL_KINDS } from "@/app/cells/registry";
import {
  NotebookFormatError,
  optional,
  readArray,
  readBoolean,
  readObject,
  readString,
} from "./fields";
import { parseRecipe } from "./recipeJson";
import {
  MAX_CELLS,
  MAX_FAVOURITES,
  MAX_NOTES_LENGTH,
  NOTEBOOK_FORMAT,
  NOTEBOOK_VERSION,
  type ModelRef,
  type Notebook,
  type NotebookCell,
} from "./schema";

export function validateNotebook(raw: unknown): Notebook {
  const obj = readObject(raw, "notebook");
  if (obj.format !== NOTEBOOK_FORMAT) {
    throw new NotebookFormatError(`notebook.format must be "${NOTEBOOK_FORMAT}", got ${JSON.stringify(obj.format) ?? "nothing"}: this is not an AvatarGAN notebook`);
  }
  if (obj.version !== NOTEBOOK_VERSION) {
    throw new NotebookFormatError(`notebook.version must be ${NOTEBOOK_VERSION}, got ${JSON.stringify(obj.version)} (migrate older versions first)`);
  }
  const cellsRaw = readArray(obj.cells, "notebook.cells");
  if (cellsRaw.length > MAX_CELLS) throw new NotebookFormatError(`notebook.cells has ${cellsRaw.length} cells; at most ${MAX_CELLS} are allowed`);
  const cells = cellsRaw.map((cell, i) => validateCell(cell, `cells[${i}]`));
  const ids = new Set<string>();
  cells.forEach((cell, i) => {
    if (ids.has(cell.id)) throw new NotebookFormatError(`cells[${i}].id "${cell.id}" is used by an earlier cell; cell ids must be unique`);
    ids.add(cell.id);
  });
  const favouritesRaw = readArray(optional(obj, "favourites", [], (v) => v), "notebook.favourites");
  if (favouritesRaw.length > MAX_FAVOURITES) throw new NotebookFormatError(`notebook.favourites has ${favouritesRaw.length} avatars; at most ${MAX_FAVOURITES} are allowed`);
  return {
    format: NOTEBOOK_FORMAT,
    version: NOTEBOOK_VERSION,
    title: readString(obj.title, "notebook.title", { maxLength: 200 }),
    description: optional(obj, "description", "", (v) => readString(v, "notebook.description", { maxLength: 5000 })),
    model: obj.model === undefined || obj.model === null ? null : validateModel(obj.model),
    cells,
    favourites: favouritesRaw.map((r, i) => parseRecipe(r, `favourites[${i}]`)),
  };
}

function validateModel(raw: unknown): ModelRef {
  const obj = readObject(raw, "notebook.model");
  return { name: readString(obj.name, "notebook.model.name"), sha256: readString(obj.sha256, "notebook.model.sha256") };
}

function validateCell(raw: unknown, path: string): NotebookCell {
  const obj = readObject(raw, path);
  const kind = readString(obj.kind, `${path}.kind`);
  const spec = cellKindSpec(kind);
  if (!spec) {
    throw new NotebookFormatError(
      `${path}.kind "${kind}" is not a cell kind this app knows (known: ${CELL_KINDS.map((k) => k.spec.kind).join(", ")})`,
    );
  }
  const id = readString(obj.id, `${path}.id`, { maxLength: 100 });
  if (id.length === 0) throw new NotebookFormatError(`${path}.id must not be empty`);
  let params: unknown;
  try {
    params = spec.validate(obj.params);
  } catch (err) {
    // The spec names the field inside params; say which cell it is.
    const reason = err instanceof Error ? err.message : String(err);
    throw new NotebookFormatError(`${path} (${kind}): ${reason}`);
  }
  return {
    id,
    kind,
    title: optional(obj, "title", spec.title, (v) => readString(v, `${path}.title`, { maxLength: 200 })),
    collapsed: optional(obj, "collapsed", false, (v) => readBoolean(v, `${path}.collapsed`)),
    params,
    ...notesOf(obj, path),
  };
}

/** Speaker notes, kept only when there are some (a cell without notes saves as it always did). */
function notesOf(obj: Record<string, unknown>, path: string): { notes?: string } {
  const notes = optional(obj, "notes", "", (v) => readString(v, `${path}.notes`, { maxLength: MAX_NOTES_LENGTH }));
  return notes ? { notes } : {};
}
