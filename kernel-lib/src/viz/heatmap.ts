// Heatmaps: gate or hidden activations over a sequence, one column per input token, one row per
// unit. Two things plotly would get wrong by default:
// - a sentence repeats tokens ("the ... the"), and a category axis merges equal labels into one
//   column; so columns are positions 0..n-1 and the tokens are only their tick text;
// - rows read top-down like a matrix (unit 0 at the top), not bottom-up like a graph.
import { ChartInputError, Undrawable, chartName, requireText } from "./checks";
import { Chart, axis, baseLayout } from "./figure";
import { axisLabel, tickEvery } from "./labels";
import { toRows, type Matrix } from "./values";

export interface HeatmapOptions {
  title: string;
  /** The values, `z[row][column]`, or a 2-D Tensor `[rows, columns]`. */
  z: Matrix;
  /** Column axis title: `"input token"`. */
  xTitle: string;
  /** Row axis title: `"hidden unit"`. */
  yTitle: string;
  /** One label per column, e.g. the input tokens (repeats allowed). Default 0, 1, 2, ... */
  xLabels?: readonly string[];
  /** One label per row. Default 0, 1, 2, ... */
  yLabels?: readonly string[];
  /** The colour bar's title, with units: `"f_t (0-1)"`. Default "value". */
  colorTitle?: string;
  zmin?: number;
  zmax?: number;
  /**
   * A plotly colour scale name. Default: "RdBu" centred on 0 when the values have both signs
   * (tanh activations), "Viridis" otherwise (gates in 0..1).
   */
  colorscale?: string;
}

/** `heatmap({ title: "Forget gate", z: gates, xTitle: "input token", yTitle: "unit", xLabels: tokens })` */
export function heatmap(options: HeatmapOptions): Chart {
  const where = chartName("heatmap", options.title);
  const title = requireText(where, "title", options.title);
  const xTitle = requireText(where, "xTitle", options.xTitle);
  const yTitle = requireText(where, "yTitle", options.yTitle);
  if (options.z === undefined || options.z === null) throw new ChartInputError(`${where}: z is missing`);
  const rows = toRows(options.z, where);
  if (rows.length === 0) throw new ChartInputError(`${where}: z is empty (0 rows)`);
  const cols = rows[0].length;
  if (cols === 0) throw new ChartInputError(`${where}: z is empty (0 columns)`);
  rows.forEach((row, r) => {
    if (row.length !== cols) throw new ChartInputError(`${where}: z row ${r} has ${row.length} values but row 0 has ${cols}; every row needs the same length`);
  });
  const { xLabels, yLabels } = options;
  if (xLabels && xLabels.length !== cols) throw new ChartInputError(`${where}: ${xLabels.length} x labels but z has ${cols} columns`);
  if (yLabels && yLabels.length !== rows.length) throw new ChartInputError(`${where}: ${yLabels.length} y labels but z has ${rows.length} rows`);

  const bad = new Undrawable(rows.flat());
  const z = rows.map((row) => row.map((v) => bad.admit(v, false)));
  const notes = bad.notes("z");
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of z) for (const v of row) if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const diverging = lo < 0 && hi > 0;
  const trace = {
    type: "heatmap",
    z,
    x: Array.from({ length: cols }, (_, i) => i),
    y: Array.from({ length: rows.length }, (_, i) => i),
    colorscale: options.colorscale ?? (diverging ? "RdBu" : "Viridis"),
    ...(options.colorscale === undefined && diverging ? { reversescale: true, zmid: 0 } : {}),
    ...(options.zmin !== undefined ? { zmin: options.zmin } : {}),
    ...(options.zmax !== undefined ? { zmax: options.zmax } : {}),
    colorbar: { title: { text: options.colorTitle ?? "value" } },
    hoverongaps: false,
    hovertemplate: "column %{x}, row %{y}: %{z}<extra></extra>",
  };
  const xaxis = axis(xTitle, false, ticks(xLabels, cols));
  const yaxis = axis(yTitle, false, { ...ticks(yLabels, rows.length), autorange: "reversed" });
  const details = `${rows.length} x ${cols} cells${xLabels ? `, x labels: ${preview(xLabels)}` : ""}`;
  return new Chart("heatmap", title, { data: [trace], layout: baseLayout(title, notes, xaxis, yaxis) }, details, notes);
}

/** Tick text at positions 0..n-1 (every k-th when there are many), or plain integer ticks. */
function ticks(labels: readonly string[] | undefined, count: number): { [attribute: string]: unknown } {
  if (!labels) return { dtick: tickEvery(count, 30), zeroline: false };
  const every = tickEvery(count);
  const at = Array.from({ length: Math.ceil(count / every) }, (_, i) => i * every);
  return { tickmode: "array", tickvals: at, ticktext: at.map((i) => axisLabel(labels[i])), zeroline: false };
}

/** `"the cat sat ..."`: the first labels, for the text summary. */
function preview(labels: readonly string[]): string {
  const head = labels.slice(0, 8).map((l) => JSON.stringify(l)).join(" ");
  return labels.length > 8 ? `${head} ... (${labels.length})` : head;
}
