/** The PCA map: one dot per avatar, coloured by a tag group, with a hover preview of the avatar. */

import type { PixelImage } from "@/lib/edit/pixels";
import { CHART, tagColour } from "./chartTheme";
import { chartFrame, styleAxis, type D3Module } from "./frame";
import type { ChartTooltip } from "./tooltip";

export interface ScatterPoint {
  x: number;
  y: number;
  group: string;
  label: string;
}

export interface ScatterData {
  title: string;
  points: ScatterPoint[];
  xLabel: string;
  yLabel: string;
}

export function drawScatter(d3: D3Module, svgElement: SVGSVGElement, data: ScatterData, tooltip: ChartTooltip,
                            preview: (index: number) => PixelImage | null, onPick?: (index: number) => void): void {
  const { plot, width, height } = chartFrame(d3, svgElement, data.title, data.xLabel, data.yLabel, { margin: { right: 130 } });
  const pad = (extent: [number, number]): [number, number] => {
    const span = extent[1] - extent[0] || 1;
    return [extent[0] - span * 0.05, extent[1] + span * 0.05];
  };
  const x = d3.scaleLinear().domain(pad(d3.extent(data.points, (p) => p.x) as [number, number])).range([0, width]);
  const y = d3.scaleLinear().domain(pad(d3.extent(data.points, (p) => p.y) as [number, number])).range([height, 0]);
  const groups = [...new Set(data.points.map((p) => p.group))].sort();
  const colourOf = (group: string) => tagColour(group, groups.indexOf(group));
  styleAxis(plot.append("g").attr("transform", `translate(0, ${height})`).call(d3.axisBottom(x).ticks(6)));
  styleAxis(plot.append("g").call(d3.axisLeft(y).ticks(6)));
  plot.append("g").selectAll("circle").data(data.points.map((p, i) => ({ ...p, i }))).join("circle")
    .attr("data-testid", "scatter-point")
    .attr("cx", (p) => x(p.x)).attr("cy", (p) => y(p.y)).attr("r", 5)
    .attr("fill", (p) => colourOf(p.group)).attr("stroke", "#14151c").attr("stroke-width", 1).attr("opacity", 0.9)
    .style("cursor", onPick ? "pointer" : "default")
    .on("mousemove", (event: MouseEvent, p) => tooltip.show(event, [p.label, `PC1 ${p.x.toFixed(2)}, PC2 ${p.y.toFixed(2)}`], preview(p.i)))
    .on("mouseleave", () => tooltip.hide())
    .on("click", (_event: MouseEvent, p) => onPick?.(p.i));
  const legend = plot.append("g").attr("data-testid", "chart-legend").attr("transform", `translate(${width + 16}, 0)`);
  groups.forEach((group, i) => {
    const item = legend.append("g").attr("transform", `translate(0, ${i * 16})`);
    item.append("circle").attr("r", 5).attr("cx", 5).attr("cy", -4).attr("fill", colourOf(group)).attr("stroke", "#14151c");
    item.append("text").attr("x", 14).attr("fill", CHART.text).text(group);
  });
}
