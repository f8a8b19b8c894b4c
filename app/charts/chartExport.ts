/**
 * Export a chart as a standalone SVG file or a PNG (browser only): the SVG is serialised with
 * its namespace and a background, the PNG is that SVG drawn onto a canvas at 2x.
 */

import { downloadBytes } from "@/app/components/download";
import { CHART } from "./chartTheme";

export function svgMarkup(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const width = svg.viewBox.baseVal?.width || svg.clientWidth || CHART.width;
  const height = svg.viewBox.baseVal?.height || svg.clientHeight || CHART.height;
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  const background = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  background.setAttribute("width", "100%");
  background.setAttribute("height", "100%");
  background.setAttribute("fill", CHART.background);
  copy.insertBefore(background, copy.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

export function downloadSvg(svg: SVGSVGElement, fileName: string): void {
  downloadBytes(new TextEncoder().encode(svgMarkup(svg)), `${fileName}.svg`, "image/svg+xml");
}

/** PNG bytes of the chart at `scale` x its size. */
export async function chartPng(svg: SVGSVGElement, scale = 2): Promise<Uint8Array> {
  const markup = svgMarkup(svg);
  const url = URL.createObjectURL(new Blob([markup], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("this browser gave no 2-D canvas to draw the chart on");
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    if (!blob) throw new Error("the browser could not encode the chart as PNG");
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function downloadPng(svg: SVGSVGElement, fileName: string): Promise<void> {
  downloadBytes(await chartPng(svg), `${fileName}.png`, "image/png");
}
