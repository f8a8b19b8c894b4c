/**
 * Adherence matrix as a heatmap: requested tag (rows) x tag the tagger detected (columns),
 * cell colour = mean probability, label = top-pick count; a colour legend on the right.
 */

import { CHART, tagTextColour } from "./chartTheme";
import { chartFrame, styleAxis, type D3Module } from "./frame";
import type { ChartTooltip } from "./tooltip";

export interface HeatmapData {
  title: string;
  rows: string[];
  columns: string[];
  /** values[row][column] in [0, 1]. */
  values: number[][];
  /** Shown in each cell and the tooltip, e.g. top-pick counts. */
  counts?: number[][];
  countLabel?: string;
  xLabel: string;
  yLabel: string;
}

let rampCount = 0;

export function drawHeatmap(d3: D3Module, svgElement: SVGSVGElement, data: HeatmapData, tooltip: ChartTooltip): void {
  const { plot, width, height } = chartFrame(d3, svgElement, data.title, data.xLabel, data.yLabel, {
    width: 620, height: 520, margin: { left: 100, bottom: 110, right: 70 },
  });
  const x = d3.scaleBand().domain(data.columns).range([0, width]).padding(0.04);
  const y = d3.scaleBand().domain(data.rows).range([0, height]).padding(0.04);
  const colour = d3.scaleSequential(d3.interpolateMagma).domain([0, 1]);
  const cells = data.rows.flatMap((row, i) => data.columns.map((column, j) => ({ row, column, i, j, value: data.values[i][j] })));
  plot.append("g").selectAll("rect").data(cells).join("rect")
    .attr("data-testid", "heatmap-cell")
    .attr("data-row", (d) => d.row).attr("data-column", (d) => d.column).attr("data-value", (d) => d.value.toFixed(4))
    .attr("x", (d) => x(d.column) ?? 0).attr("y", (d) => y(d.row) ?? 0)
    .attr("width", x.bandwidth()).attr("height", y.bandwidth())
    .attr("fill", (d) => colour(d.value))
    .attr("stroke", (d) => (d.i === d.j ? CHART.text : "none")).attr("stroke-width", 1)
    .on("mousemove", (event: MouseEvent, d) => tooltip.show(event, [
      `requested: ${d.row}`, `detected: ${d.column}`, `mean probability: ${d.value.toFixed(3)}`,
      ...(data.counts ? [`${data.countLabel ?? "count"}: ${data.counts[d.i][d.j]}`] : []),
    ]))
    .on("mouseleave", () => tooltip.hide());
  if (data.counts) {
    plot.append("g").attr("pointer-events", "none").selectAll("text").data(cells.filter((d) => data.counts![d.i][d.j] > 0)).join("text")
      .attr("x", (d) => (x(d.column) ?? 0) + x.bandwidth() / 2).attr("y", (d) => (y(d.row) ?? 0) + y.bandwidth() / 2 + 4)
      .attr("text-anchor", "middle").attr("font-size", 10)
      .attr("fill", (d) => (d.value > 0.6 ? "#14151c" : CHART.text))
      .text((d) => data.counts![d.i][d.j]);
  }
  const xAxis = plot.append("g").attr("transform", `translate(0, ${height})`).call(d3.axisBottom(x).tickSizeOuter(0));
  xAxis.selectAll("text").attr("transform", "rotate(-40)").attr("text-anchor", "end").attr("dx", "-0.4em").attr("dy", "0.6em");
  styleAxis(xAxis);
  const yAxis = plot.append("g").call(d3.axisLeft(y).tickSizeOuter(0));
  styleAxis(yAxis);
  yAxis.selectAll<SVGTextElement, string>("text").attr("fill", (d) => tagTextColour(d));
  // Legend: a vertical colour ramp with a 0..1 axis.
  const legendHeight = Math.min(200, height);
  const defs = d3.select(svgElement).append("defs");
  // Ids are global to the page and several heatmaps may be on it: number them.
  const gradient = defs.append("linearGradient").attr("id", `heatmap-ramp-${++rampCount}`).attr("x1", 0).attr("x2", 0).attr("y1", 1).attr("y2", 0);
  d3.range(0, 1.01, 0.1).forEach((t) => gradient.append("stop").attr("offset", `${t * 100}%`).attr("stop-color", colour(t)));
  const legend = plot.append("g").attr("transform", `translate(${width + 16}, 0)`).attr("data-testid", "chart-legend");
  legend.append("rect").attr("width", 12).attr("height", legendHeight).attr("fill", `url(#${gradient.attr("id")})`);
  const legendAxis = legend.append("g").attr("transform", "translate(12, 0)")
    .call(d3.axisRight(d3.scaleLinear().domain([0, 1]).range([legendHeight, 0])).ticks(5));
  styleAxis(legendAxis);
  legend.append("text").attr("y", legendHeight + 16).attr("fill", CHART.muted).text("mean p");
}
