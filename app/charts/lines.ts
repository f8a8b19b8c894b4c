/** Tagger confidence along a slider: one line per tag, a marker at the slider's current value. */

import { CHART, tagColour } from "./chartTheme";
import { chartFrame, styleAxis, type D3Module } from "./frame";
import type { ChartTooltip } from "./tooltip";

export interface LineData {
  title: string;
  x: number[];
  series: { name: string; values: number[] }[];
  /** A vertical marker (e.g. the slider's value). */
  marker?: number;
  xLabel: string;
  yLabel: string;
}

export function drawLines(d3: D3Module, svgElement: SVGSVGElement, data: LineData, tooltip: ChartTooltip): void {
  const { plot, width, height } = chartFrame(d3, svgElement, data.title, data.xLabel, data.yLabel, { margin: { right: 130 } });
  const x = d3.scaleLinear().domain(d3.extent(data.x) as [number, number]).range([0, width]);
  const y = d3.scaleLinear().domain([0, 1]).range([height, 0]);
  plot.append("g").call(d3.axisLeft(y).ticks(5).tickSize(-width)).call((g) => {
    g.selectAll("line").attr("stroke", CHART.grid);
    g.select(".domain").remove();
    g.selectAll("text").attr("fill", CHART.text);
  });
  styleAxis(plot.append("g").attr("transform", `translate(0, ${height})`).call(d3.axisBottom(x).ticks(data.x.length)));
  const line = d3.line<number>().x((_, i) => x(data.x[i])).y((v) => y(v));
  data.series.forEach((s, k) => {
    const colour = tagColour(s.name, k);
    plot.append("path").datum(s.values).attr("data-testid", "line-series").attr("fill", "none").attr("stroke", colour).attr("stroke-width", k === 0 ? 2.5 : 1.5).attr("d", line);
    plot.append("g").selectAll("circle").data(s.values.map((v, i) => ({ v, i }))).join("circle")
      .attr("cx", (d) => x(data.x[d.i])).attr("cy", (d) => y(d.v)).attr("r", 3.5).attr("fill", colour)
      .on("mousemove", (event: MouseEvent, d) => tooltip.show(event, [s.name, `amount ${data.x[d.i]}`, `p = ${d.v.toFixed(3)}`]))
      .on("mouseleave", () => tooltip.hide());
  });
  if (data.marker !== undefined) {
    const mx = x(data.marker);
    plot.append("line").attr("x1", mx).attr("x2", mx).attr("y1", 0).attr("y2", height).attr("stroke", CHART.text).attr("stroke-dasharray", "3 3");
  }
  const legend = plot.append("g").attr("data-testid", "chart-legend").attr("transform", `translate(${width + 16}, 0)`);
  data.series.forEach((s, k) => {
    const item = legend.append("g").attr("transform", `translate(0, ${k * 16})`);
    item.append("rect").attr("width", 12).attr("height", 3).attr("y", -5).attr("fill", tagColour(s.name, k));
    item.append("text").attr("x", 16).attr("fill", CHART.text).text(s.name);
  });
}
