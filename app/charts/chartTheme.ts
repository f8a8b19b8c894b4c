/**
 * Chart colours and sizes. Charts set colours as attributes (not CSS variables) so an
 * exported SVG or PNG looks the same outside the page.
 */

export const CHART = {
  background: "#1b1d27",
  text: "#e8e9f1",
  muted: "#9a9db3",
  grid: "#2b2e3d",
  accent: "#f0a6ca",
  accent2: "#8b7cf6",
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif",
  width: 560,
  height: 380,
  margin: { top: 36, right: 24, bottom: 56, left: 64 },
} as const;

/** Colour words in Danbooru tags ("red hair", "aqua eyes") -> a swatch, so a hair-colour chart reads at a glance. */
const TAG_COLOURS: Record<string, string> = {
  aqua: "#37d3d0",
  black: "#4a4a55",
  blonde: "#f4d35e",
  blue: "#4a78e0",
  brown: "#9a6338",
  gray: "#a8adb8",
  grey: "#a8adb8",
  green: "#4fb36b",
  orange: "#f28c38",
  pink: "#f59ac2",
  purple: "#9a6ee0",
  red: "#e04848",
  white: "#f2f2f5",
  yellow: "#e8d23a",
  silver: "#c4c8d0",
};

const FALLBACK = ["#8b7cf6", "#f0a6ca", "#5fd39a", "#f2c46d", "#6cc6f0", "#ff8a8a", "#c9a0ff", "#9ad4a0"];

/** A colour per tag: the tag's colour word if it has one, else a stable pick from a palette. */
export function tagColour(tag: string, index = 0): string {
  const word = tag.split(/\s+/)[0]?.toLowerCase() ?? "";
  return TAG_COLOURS[word] ?? FALLBACK[index % FALLBACK.length];
}
