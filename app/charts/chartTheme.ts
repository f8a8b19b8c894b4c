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

/** WCAG relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two "#rrggbb" colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The tag's colour for text on the chart background: the swatch itself when it reads (4.5:1,
 * WCAG AA), else the swatch mixed toward white until it does ("black hair" on a dark chart).
 */
export function tagTextColour(tag: string, index = 0): string {
  const swatch = tagColour(tag, index);
  for (let t = 0; t <= 1; t += 0.05) {
    const mixed = "#" + [1, 3, 5].map((i) => {
      const c = parseInt(swatch.slice(i, i + 2), 16);
      return Math.round(c + (255 - c) * t).toString(16).padStart(2, "0");
    }).join("");
    if (contrastRatio(mixed, CHART.background) >= 4.5) return mixed;
  }
  return CHART.text;
}
