"use client";

import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import { cellKind } from "@/app/cells/registry";
import type { CellProps } from "@/app/cells/types";

type CellComponent = ComponentType<CellProps<never>>;

const cache = new Map<string, LazyExoticComponent<CellComponent>>();

/** The lazily loaded component for a cell kind (one per kind, so React keeps its state), or null. */
export function cellComponent(kind: string): LazyExoticComponent<CellComponent> | null {
  const loader = cellKind(kind)?.component;
  if (!loader) return null;
  let component = cache.get(kind);
  if (!component) {
    component = lazy(loader);
    cache.set(kind, component);
  }
  return component;
}
