/** The common frame of every chart: a sized viewBox, a title, axis labels; returns the plot area. */

import type * as D3 from "d3";
import { CHART } from "./chartTheme";

export type D3Module = typeof D3;
export type SvgSelection = D3.Selection<SVGSVGElement, unknown, null, undefined>;

export interface Frame {
  plot: D3.Selection<SVGGElement, unknown, null, undefined>;
  width: number;
  height: number;
}

export function chartFrame(d3: D3Module, svgElement: SVGSVGElement, title: string, xLabel: string, yLabel: string,
                           size: { width?: number; height?: number; margin?: Partial<Record<"top" | "right" | "bottom" | "left", number>> } = {}): Frame {
  const W = size.width ?? CHART.width;
  const H = size.height ?? CHART.height;
  const m = { ...CHART.margin, ...size.margin };
  const svg = d3.select(svgElement);
  svg.selectAll("*").remove();
  svg.attr("viewBox", `0 0 ${W} ${H}`).attr("font-family", CHART.font).attr("font-size", 11).attr("fill", CHART.text);
  svg.append("text").attr("class", "chart-title").attr("x", m.left).attr("y", 20).attr("font-size", 14).attr("font-weight", 600).text(title);
  svg.append("text").attr("x", m.left + (W - m.left - m.right) / 2).attr("y", H - 8).attr("text-anchor", "middle").attr("fill", CHART.muted).text(xLabel);
  svg.append("text").attr("transform", `translate(14, ${m.top + (H - m.top - m.bottom) / 2}) rotate(-90)`).attr("text-anchor", "middle").attr("fill", CHART.muted).text(yLabel);
  const plot = svg.append("g").attr("transform", `translate(${m.left}, ${m.top})`);
  return { plot, width: W - m.left - m.right, height: H - m.top - m.bottom };
}

/** Axis text and lines in the chart colours (d3's defaults are black on our dark background). */
export function styleAxis(axis: D3.Selection<SVGGElement, unknown, null, undefined>): void {
  axis.selectAll("text").attr("fill", CHART.text);
  axis.selectAll("line, path").attr("stroke", CHART.muted);
}
