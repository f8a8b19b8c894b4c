/**
 * A chart tooltip: one absolutely positioned element inside the chart's own container (never a
 * global #id), with text lines and an optional avatar preview drawn into a canvas.
 */

import type { PixelImage } from "@/lib/edit/pixels";

export interface ChartTooltip {
  show(event: MouseEvent, lines: string[], image?: PixelImage | null): void;
  hide(): void;
}

export function createTooltip(host: HTMLElement): ChartTooltip & { dispose(): void } {
  const box = document.createElement("div");
  box.className = "chart-tooltip";
  box.setAttribute("role", "tooltip");
  box.setAttribute("data-testid", "chart-tooltip");
  Object.assign(box.style, {
    position: "absolute", pointerEvents: "none", display: "none", zIndex: "5",
    background: "rgba(18, 19, 26, 0.95)", color: "#e8e9f1", border: "1px solid #3a3e52",
    borderRadius: "8px", padding: "6px 8px", font: "12px/1.4 system-ui, sans-serif", whiteSpace: "nowrap",
  } satisfies Partial<CSSStyleDeclaration>);
  host.appendChild(box);
  return {
    show(event, lines, image) {
      box.replaceChildren();
      if (image) {
        const canvas = document.createElement("canvas");
        canvas.width = image.width;
        canvas.height = image.height;
        Object.assign(canvas.style, { width: "96px", height: "96px", imageRendering: "pixelated", display: "block", marginBottom: "4px" });
        canvas.getContext("2d")?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
        box.appendChild(canvas);
      }
      for (const line of lines) {
        const div = document.createElement("div");
        div.textContent = line;
        box.appendChild(div);
      }
      const bounds = host.getBoundingClientRect();
      box.style.left = `${event.clientX - bounds.left + 12}px`;
      box.style.top = `${event.clientY - bounds.top + 12}px`;
      box.style.display = "block";
    },
    hide() {
      box.style.display = "none";
    },
    dispose() {
      box.remove();
    },
  };
}
