/**
 * What a kind of notebook cell is, as far as the saved document cares: a name, a default
 * set of parameters, and a parser that turns untrusted JSON back into those parameters.
 *
 * Each kind lives in its folder app/cells/<kind>/ (spec.ts holds this part) and is listed once
 * in app/cells/registry.ts with its view and what it loads. Keeping the parameter parser free
 * of React and tf.js lets the notebook loader validate a whole file (and reject it with a
 * reason) before anything renders.
 */

export interface CellKindSpec<P> {
  /** Stable identifier stored in the notebook JSON ("sample", "favourites", ...). */
  readonly kind: string;
  /** Human title shown in the "Add cell" menu and as a new cell's default title. */
  readonly title: string;
  /** Parameters of a freshly added cell. Returns a new object each call. */
  defaults(): P;
  /**
   * Parse stored parameters. Throws an Error whose message names the bad field
   * (e.g. "psi must be a number between 0 and 2, got \"abc\""); never returns half-parsed data.
   */
  validate(raw: unknown): P;
  /**
   * The tag and tag-group names the parameters refer to, so a notebook opened with a model of
   * another vocabulary can say which cells will not render. Cells that name none omit it.
   */
  namesUsed?(params: P): NamesUsed;
}

export interface NamesUsed {
  tags: readonly string[];
  groups: readonly string[];
}

/** The type-erased form the registry holds; every CellKindSpec<P> is assignable to it. */
export type AnyCellKindSpec = CellKindSpec<unknown>;
