/** Tiny hand-made RGBA images for the edit tests: pixels listed row by row. */
import type { PixelImage } from "@/lib/edit/pixels";

/** Each pixel [r, g, b] (opaque) or [r, g, b, a]; a number n is the grey [n, n, n]. */
export type PixelSpec = number | readonly [number, number, number] | readonly [number, number, number, number];

export function image(width: number, height: number, pixels: readonly PixelSpec[]): PixelImage {
  if (pixels.length !== width * height) throw new Error(`test image: ${pixels.length} pixels for ${width}x${height}`);
  const data = new Uint8ClampedArray(width * height * 4);
  pixels.forEach((p, i) => {
    const rgba = typeof p === "number" ? [p, p, p, 255] : p.length === 3 ? [...p, 255] : [...p];
    data.set(rgba, i * 4);
  });
  return { width, height, data };
}

/** The pixels of an image as [r, g, b, a] rows, for readable expectations. */
export function pixelsOf(img: PixelImage): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < img.data.length; i += 4) out.push(Array.from(img.data.subarray(i, i + 4)));
  return out;
}

/** Just the red channel, row by row: enough for grey and single-channel checks. */
export function redOf(img: PixelImage): number[] {
  return pixelsOf(img).map((p) => p[0]);
}
