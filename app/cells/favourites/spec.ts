/**
 * "Favourites": the tray of curated avatars. The avatars themselves live in the notebook's
 * `favourites` list (any cell can star one); the cell only keeps how the tray is shown.
 */

import type { CellKindSpec } from "@/lib/notebook/cellKind";
import { optional, readNumber, readObject } from "@/lib/notebook/fields";

export interface FavouritesParams {
  /** Thumbnail edge in CSS pixels. */
  thumbnailSize: number;
  /** Index in the tray of the avatar passed down to the cells below, or null. */
  selected: number | null;
}

export const favouritesCell: CellKindSpec<FavouritesParams> = {
  kind: "favourites",
  title: "Favourites",
  defaults: () => ({ thumbnailSize: 128, selected: null }),
  validate(raw: unknown): FavouritesParams {
    const obj = readObject(raw, "params");
    return {
      thumbnailSize: optional(obj, "thumbnailSize", 128, (v) => readNumber(v, "params.thumbnailSize", { min: 48, max: 512, integer: true })),
      selected: obj.selected === undefined || obj.selected === null
        ? null
        : readNumber(obj.selected, "params.selected", { min: 0, integer: true }),
    };
  },
};
