"use client";

import { useEffect, useRef, useState } from "react";
import { downloadPng, downloadSvg } from "./chartExport";
import type { D3Module } from "./frame";
import { createTooltip, type ChartTooltip } from "./tooltip";

export type DrawChart = (d3: D3Module, svg: SVGSVGElement, tooltip: ChartTooltip) => void;

interface D3ChartProps {
  /** Draws the whole chart into the svg (called again whenever `drawKey` changes). */
  draw: DrawChart;
  /** Changes when what is drawn changes. */
  drawKey: string;
  /** Download name, without extension. */
  fileName: string;
  testId: string;
}

/**
 * A d3 chart in an <svg> this component owns: d3 is imported on the client only, the drawing
 * and its tooltip are created and removed in the same effect, and the chart exports as SVG or PNG.
 */
export default function D3Chart({ draw, drawKey, fileName, testId }: D3ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const drawRef = useRef(draw);
  const [error, setError] = useState<string | null>(null);
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    drawRef.current = draw;
  });

  useEffect(() => {
    let cancelled = false;
    const hostElement = host.current;
    const svgElement = svg.current;
    if (!hostElement || !svgElement) return;
    const tooltip = createTooltip(hostElement);
    setDrawn(false);
    import("d3")
      .then((d3) => {
        if (cancelled) return;
        drawRef.current(d3, svgElement, tooltip);
        setDrawn(true);
        setError(null);
      })
      .catch((err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
      tooltip.dispose();
      while (svgElement.firstChild) svgElement.removeChild(svgElement.firstChild);
    };
  }, [drawKey]);

  return (
    <figure className="chart" data-testid={testId} data-drawn={drawn ? "true" : "false"} style={{ margin: 0 }}>
      <div ref={host} style={{ position: "relative" }}>
        <svg ref={svg} role="img" aria-label={fileName} style={{ width: "100%", height: "auto", display: "block" }} />
      </div>
      <figcaption className="row" style={{ justifyContent: "flex-end", gap: 8 }}>
        {error && <span className="error-text">{error}</span>}
        <button type="button" className="secondary" disabled={!drawn} data-testid={`${testId}-svg`} onClick={() => svg.current && downloadSvg(svg.current, fileName)}>
          SVG
        </button>
        <button type="button" className="secondary" disabled={!drawn} data-testid={`${testId}-png`}
          onClick={() => svg.current && void downloadPng(svg.current, fileName).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))}>
          PNG
        </button>
      </figcaption>
    </figure>
  );
}
