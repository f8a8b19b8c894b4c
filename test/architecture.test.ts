/**
 * The dependency rules of docs/architecture.md, checked on the import graph of lib/ and app/:
 * no import cycle between files, the layers of lib/ import only downward, and a cell kind's
 * spec.ts stays free of React and tf.js (the notebook loader validates files with it).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = process.cwd();

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [relative(ROOT, path)] : [];
  });
}

/**
 * file -> the specifiers it imports and re-exports, types included. Dynamic import() is left
 * out: it is how the registry loads a view on demand, and a lazy edge cannot make a load cycle.
 */
function importsOf(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g)].map((m) => m[1]);
}

/** A specifier -> the project file it names, or null for a package. */
function resolveImport(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = normalize(join(dirname(from), specifier));
  else return null;
  for (const ext of ["", ".ts", ".tsx", "/index.ts"]) {
    const path = base + ext;
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

const files = [...sourceFiles("lib"), ...sourceFiles("app")];
const graph = new Map(files.map((f) => [f, importsOf(f).map((s) => resolveImport(f, s)).filter((r): r is string => r !== null)]));

/** Strongly connected components with more than one file (Tarjan). */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** lib's layers, lowest first: a folder may import its own layer and those below it. */
const LIB_LAYERS = ["lib/recipe", "lib/latent", "lib/edit", "lib/gan"];

function folderOf(file: string): string {
  return file.split("/").slice(0, 2).join("/");
}

describe("architecture", () => {
  it("has no import cycle between files", () => {
    expect(cycles()).toEqual([]);
  });

  it("lib's layers import only downward, and never app/", () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      const layer = LIB_LAYERS.indexOf(folderOf(file));
      if (layer < 0) continue;
      for (const dep of deps) {
        const depLayer = LIB_LAYERS.indexOf(folderOf(dep));
        if (depLayer < 0 || depLayer > layer) wrong.push(`${file} -> ${dep}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("every cell kind is one folder whose spec.ts loads no React and no tf.js", () => {
    const kinds = readdirSync("app/cells").filter((name) => existsSync(join("app/cells", name, "spec.ts")));
    expect(kinds.length).toBeGreaterThanOrEqual(8);
    for (const kind of kinds) {
      expect(existsSync(join("app/cells", kind, "index.ts")), `app/cells/${kind}/index.ts`).toBe(true);
      const packages = importsOf(join("app/cells", kind, "spec.ts")).filter((s) => !s.startsWith(".") && !s.startsWith("@/"));
      expect(packages, `app/cells/${kind}/spec.ts imports`).toEqual([]);
    }
    const registry = readFileSync("app/cells/registry.ts", "utf8");
    for (const kind of kinds) expect(registry, `app/cells/registry.ts lists ${kind}`).toContain(`from "./${kind}"`);
  });

  it("the rules catch a cycle (a deliberate one on a copy of the graph)", () => {
    const [a, b] = ["lib/recipe/recipe.ts", "lib/gan/render.ts"];
    const saved = graph.get(a)!;
    graph.set(a, [...saved, b]); // recipe -> render -> ... -> recipe
    try {
      expect(cycles().length).toBeGreaterThan(0);
    } finally {
      graph.set(a, saved);
    }
  });
});
