// Scatter plots: one point per item (a model's size against its loss, a hidden unit's activation
// at two steps). Unlike a line's x, a scatter's x is data too: a point whose x or y cannot be
// drawn is left out and counted in the notes.
import { ChartInputError, Undrawable, chartName, checkUniqueNames, requireText } from "./checks";
import { Chart, PALETTE, axis, baseLayout, pointsRange, type PlotlyTrace } from "./figure";
import { toNumbers, type Values } from "./values";

export interface ScatterSeries {
  name: string;
  x: Values;
  y: Values;
  /** One label per point, shown on hover (a token, a model name). */
  labels?: readonly string[];
}

export interface ScatterChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** `{ lstm: { x, y } }` or `[{ name, x, y, labels? }]`. */
  series: Readonly<Record<string, Omit<ScatterSeries, "name">>> | readonly ScatterSeries[];
  logX?: boolean;
  logY?: boolean;
}

/** `scatterChart({ title: "h_t at two steps", xTitle: "h_3", yTitle: "h_10", series: { lstm: { x, y } } })` */
export function scatterChart(options: ScatterChartOptions): Chart {
  const where = chartName("scatterChart", options.title);
  const title = requireText(where, "title", options.title);
  const xTitle = requireText(where, "xTitle", options.xTitle);
  const yTitle = requireText(where, "yTitle", options.yTitle);
  if (!options.series) throw new ChartInputError(`${where}: series is missing (give { name: { x, y }, ... })`);
  const list: ScatterSeries[] = Array.isArray(options.series)
    ? (options.series as readonly ScatterSeries[]).slice()
    : Object.entries(options.series as Readonly<Record<string, Omit<ScatterSeries, "name">>>).map(([name, s]) => ({ name, ...s }));
  if (list.length === 0) throw new ChartInputError(`${where}: no series to draw (series is empty)`);
  checkUniqueNames(where, list.map((s) => s.name));
  const logX = options.logX === true;
  const logY = options.logY === true;
  const notes: string[] = [];
  const lengths: number[] = [];
  const data: PlotlyTrace[] = list.map((s, i) => {
    const what = `series "${s.name}"`;
    const xs = toNumbers(s.x ?? []);
    const ys = toNumbers(s.y ?? []);
    if (xs.length !== ys.length) throw new ChartInputError(`${where}: ${what} has ${xs.length} x values but ${ys.length} y values`);
    if (ys.length === 0) throw new ChartInputError(`${where}: ${what} is empty (0 points)`);
    if (s.labels && s.labels.length !== ys.length) {
      throw new ChartInputError(`${where}: ${what} has ${s.labels.length} labels but ${ys.length} points`);
    }
    const badX = new Undrawable(xs);
    const badY = new Undrawable(ys);
    const x = xs.map((v) => badX.admit(v, logX));
    const y = ys.map((v) => badY.admit(v, logY));
    // A point needs both coordinates: blank the other one too, so plotly drops the point.
    for (let k = 0; k < x.length; k++) if (x[k] === null || y[k] === null) x[k] = y[k] = null;
    notes.push(...badX.notes(`${what} (x)`, "x"), ...badY.notes(`${what} (y)`, "y"));
    lengths.push(ys.length);
    return {
      type: "scatter",
      mode: "markers",
      name: s.name,
      x,
      y,
      marker: { color: PALETTE[i % PALETTE.length], size: 7 },
      ...(s.labels ? { text: s.labels.slice(), hovertemplate: "%{text}<br>(%{x}, %{y})<extra>%{fullData.name}</extra>" } : {}),
    };
  });
  const scales = [logX ? "x log" : "", logY ? "y log" : ""].filter(Boolean);
  const details = `${list.length} series x ${pointsRange(lengths)}${scales.length ? `, ${scales.join(", ")}` : ""}`;
  return new Chart("scatter plot", title, { data, layout: baseLayout(title, notes, axis(xTitle, logX), axis(yTitle, logY)) }, details, notes);
}
