// A grid of charts in one figure: gates side by side, loss beside gradient norms. Each chart
// keeps its axes (titles, log scales, token ticks) and gets its title above its cell; a series
// name keeps one colour and one legend entry across the grid.
import { ChartInputError, chartName, requireText } from "./checks";
import { Chart, PALETTE, titleWithNotes, type PlotlyFigure, type PlotlyTrace } from "./figure";

export interface SubplotsOptions {
  title: string;
  charts: readonly Chart[];
  /** Charts per row (default 2, or fewer when there are fewer charts). */
  cols?: number;
  /** Height of one row in pixels (default 320). */
  rowHeight?: number;
}

type Layout = PlotlyFigure["layout"];

/** `subplots({ title: "LSTM gates", charts: [inputGate, forgetGate, outputGate], cols: 3 })` */
export function subplots(options: SubplotsOptions): Chart {
  const where = chartName("subplots", options.title);
  const title = requireText(where, "title", options.title);
  const charts = options.charts ?? [];
  if (charts.length === 0) throw new ChartInputError(`${where}: charts is empty; give the charts to lay out`);
  charts.forEach((c, i) => {
    if (!(c instanceof Chart)) throw new ChartInputError(`${where}: charts[${i}] is not a chart (make it with lineChart, heatmap, barChart or scatterChart)`);
    if (c.kind === "subplots") throw new ChartInputError(`${where}: charts[${i}] (${c.label}) is itself a grid; subplots cannot be nested`);
  });
  const cols = options.cols ?? Math.min(2, charts.length);
  if (!Number.isInteger(cols) || cols < 1) throw new ChartInputError(`${where}: cols must be a whole number >= 1; got ${cols}`);
  const rows = Math.ceil(charts.length / cols);
  const height = rows * (options.rowHeight ?? 320) + 100;

  const hasColorbars = charts.some((c) => c.kind === "heatmap");
  const hgap = hasColorbars ? 0.14 : 0.08;
  const vgap = Math.min(0.3, 140 / height);
  const cellW = (1 - (cols - 1) * hgap) / cols;
  const cellH = (1 - (rows - 1) * vgap) / rows;

  // The legend goes in a row under the grid: on the right it would sit on the heatmaps' colour bars.
  const plotHeight = height - 90 - 110;
  const layout: Layout = {
    height,
    margin: { t: 90, b: 110 },
    showlegend: true,
    legend: { orientation: "h", x: 0.5, xanchor: "center", y: -70 / plotHeight, yanchor: "top" },
  };
  const data: PlotlyTrace[] = [];
  const annotations: object[] = [];
  const colours = new Map<string, string>();
  const inLegend = new Set<string>();
  const notes: string[] = [];

  charts.forEach((chart, i) => {
    const n = i + 1;
    const suffix = n === 1 ? "" : String(n);
    const x0 = (i % cols) * (cellW + hgap);
    const yTop = 1 - Math.floor(i / cols) * (cellH + vgap);
    const xDomain = [x0, x0 + cellW];
    const yDomain = [yTop - cellH, yTop];
    const src = chart.figure.layout;
    layout[`xaxis${suffix}`] = { ...(src.xaxis as object), domain: xDomain, anchor: `y${suffix}` };
    layout[`yaxis${suffix}`] = { ...(src.yaxis as object), domain: yDomain, anchor: `x${suffix}` };
    if (src.barmode) layout.barmode = src.barmode;
    annotations.push({
      text: `<b>${chart.title}</b>`, showarrow: false, xref: "paper", yref: "paper",
      x: (xDomain[0] + xDomain[1]) / 2, y: yDomain[1], xanchor: "center", yanchor: "bottom", font: { size: 13 },
    });
    notes.push(...chart.notes.map((note) => `"${chart.title}": ${note}`));
    for (const trace of chart.figure.data) {
      const t: PlotlyTrace = { ...trace, xaxis: `x${suffix}`, yaxis: `y${suffix}` };
      if (t.type === "heatmap") {
        t.colorbar = { ...(trace.colorbar as object), x: xDomain[1] + 0.01, xanchor: "left", y: (yDomain[0] + yDomain[1]) / 2, yanchor: "middle", len: cellH, thickness: 10 };
      } else if (typeof t.name === "string") {
        // Same series name, same colour and one legend entry, wherever it appears in the grid.
        if (!colours.has(t.name)) colours.set(t.name, PALETTE[colours.size % PALETTE.length]);
        const colour = colours.get(t.name)!;
        if (t.type === "bar") t.marker = { ...(trace.marker as object), color: colour };
        else t.line = { ...(trace.line as object), color: colour };
        if (t.mode === "markers") t.marker = { ...(trace.marker as object), color: colour };
        t.legendgroup = t.name;
        // A chart that hid its legend (one unnamed-looking series) keeps it hidden in the grid.
        t.showlegend = src.showlegend !== false && !inLegend.has(t.name);
        if (t.showlegend) inLegend.add(t.name);
      }
      data.push(t);
    }
  });
  layout.title = { text: titleWithNotes(title, notes) };
  layout.annotations = annotations;
  const details = `${rows}x${cols} grid: ${charts.map((c) => `${c.label} (${c.details})`).join(", ")}`;
  return new Chart("subplots", title, { data, layout }, details, notes);
}
