// A plotly figure made by hand ({data, layout}), for what the helpers do not cover. It is shown
// as it is, with the same three MIME types; only its shape is checked, and a missing layout
// becomes {} (JupyterLab's plotly renderer needs one).
import { ChartInputError } from "./checks";
import { Chart, type PlotlyFigure } from "./figure";

export function figureChart(figure: unknown): Chart {
  const what = "show";
  if (typeof figure !== "object" || figure === null) {
    throw new ChartInputError(`${what}: expected a chart (lineChart, heatmap, ...), a table, or a plotly figure { data, layout }; got ${figure === null ? "null" : typeof figure}`);
  }
  const f = figure as Partial<PlotlyFigure>;
  if (!Array.isArray(f.data)) {
    throw new ChartInputError(`${what}: this object is not a plotly figure: it has no data array (a figure is { data: [traces], layout: {...} })`);
  }
  f.data.forEach((trace, i) => {
    if (typeof trace !== "object" || trace === null) throw new ChartInputError(`${what}: plotly figure data[${i}] is not a trace object`);
  });
  if (f.layout !== undefined && (typeof f.layout !== "object" || f.layout === null)) {
    throw new ChartInputError(`${what}: plotly figure layout must be an object`);
  }
  const layout = { ...(f.layout ?? {}) };
  const t = layout.title as unknown;
  const title = typeof t === "string" ? t : typeof t === "object" && t !== null && typeof (t as { text?: unknown }).text === "string" ? (t as { text: string }).text : "untitled";
  const types = Array.from(new Set(f.data.map((tr) => tr.type ?? "scatter")));
  const details = `${f.data.length} ${f.data.length === 1 ? "trace" : "traces"}${types.length ? ` (${types.join(", ")})` : ""}`;
  return new Chart("plotly figure", title, { data: f.data, layout, ...(f.config ? { config: f.config } : {}) }, details);
}
