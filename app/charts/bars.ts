/** Per-layer effect as bars (one per synthesis layer, coloured by style band) with a legend. */

import { CHART } from "./chartTheme";
import { chartFrame, styleAxis, type D3Module } from "./frame";
import type { ChartTooltip } from "./tooltip";

export interface BarData {
  title: string;
  labels: string[];
  values: number[];
  /** A category per bar (e.g. coarse / middle / fine), coloured and listed in the legend. */
  categories: string[];
  /** A reference line, e.g. the change with every layer switched. */
  reference?: { value: number; label: string };
  details?: string[];
  xLabel: string;
  yLabel: string;
}

const BAND_COLOURS = [CHART.accent2, CHART.accent, "#5fd39a", "#f2c46d"];
/** Top margin: the title (baseline 20) above, the legend row (baseline 40) below it. */
const LEGEND_ROW = 58;

export function drawBars(d3: D3Module, svgElement: SVGSVGElement, data: BarData, tooltip: ChartTooltip): void {
  // A taller top margin: the legend gets its own row under the title instead of overlapping it.
  const { plot, width, height } = chartFrame(d3, svgElement, data.title, data.xLabel, data.yLabel, { margin: { top: LEGEND_ROW } });
  const x = d3.scaleBand().domain(data.labels).range([0, width]).padding(0.15);
  const top = Math.max(...data.values, data.reference?.value ?? 0) * 1.1 || 1;
  const y = d3.scaleLinear().domain([0, top]).nice().range([height, 0]);
  const kinds = [...new Set(data.categories)];
  const colour = d3.scaleOrdinal<string, string>().domain(kinds).range(BAND_COLOURS);
  plot.append("g").call(d3.axisLeft(y).ticks(5).tickSize(-width)).call((g) => {
    g.selectAll("line").attr("stroke", CHART.grid);
    g.select(".domain").remove();
    g.selectAll("text").attr("fill", CHART.text);
  });
  const bars = data.labels.map((label, i) => ({ label, i, value: data.values[i], category: data.categories[i] }));
  plot.append("g").selectAll("rect").data(bars).join("rect")
    .attr("data-testid", "bar").attr("data-value", (d) => d.value.toFixed(5))
    .attr("x", (d) => x(d.label) ?? 0).attr("width", x.bandwidth())
    .attr("y", (d) => y(d.value)).attr("height", (d) => height - y(d.value))
    .attr("fill", (d) => colour(d.category)).attr("rx", 2)
    .on("mousemove", (event: MouseEvent, d) => tooltip.show(event, [`${d.label} (${d.category})`, `mean |Δ|: ${d.value.toFixed(4)}`, ...(data.details ? [data.details[d.i]] : [])]))
    .on("mouseleave", () => tooltip.hide());
  if (data.reference) {
    const ry = y(data.reference.value);
    plot.append("line").attr("x1", 0).attr("x2", width).attr("y1", ry).attr("y2", ry).attr("stroke", CHART.text).attr("stroke-dasharray", "4 3");
    plot.append("text").attr("x", width).attr("y", ry - 4).attr("text-anchor", "end").attr("fill", CHART.text).text(data.reference.label);
  }
  styleAxis(plot.append("g").attr("transform", `translate(0, ${height})`).call(d3.axisBottom(x)));
  const legend = plot.append("g").attr("data-testid", "chart-legend").attr("transform", `translate(${width - kinds.length * 80}, ${40 - LEGEND_ROW})`);
  kinds.forEach((kind, i) => {
    const item = legend.append("g").attr("transform", `translate(${i * 80}, 0)`);
    item.append("rect").attr("width", 10).attr("height", 10).attr("y", -9).attr("fill", colour(kind));
    item.append("text").attr("x", 14).text(kind);
  });
}
