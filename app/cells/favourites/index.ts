import type { CellKind } from "../kind";
import { favouritesCell, type FavouritesParams } from "./spec";

export const favouritesKind: CellKind<FavouritesParams> = {
  spec: favouritesCell,
  needs: [],
  component: () => import("./FavouritesCell"),
};
