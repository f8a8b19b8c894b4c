/** A notebook that ships with the app (notebooks/*.json), read at build time by app/page.tsx. */
export interface ShippedNotebook {
  /** File name without .json, e.g. "tour"; `?notebook=tour` opens it. */
  name: string;
  title: string;
  description: string;
  text: string;
}
