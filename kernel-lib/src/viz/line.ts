// Line charts with many series: gradient norm against time step, one line per model; loss
// against step. A value that cannot be drawn (NaN, Infinity, <= 0 on a log axis) breaks the
// line there, visibly, and is counted in the title and the summary.
import { chartName, requireText } from "./checks";
import { Chart, PALETTE, axis, baseLayout, pointsRange, type PlotlyTrace } from "./figure";
import { checkSeries, listSeries, type SeriesInput } from "./series";
import type { Values } from "./values";

export interface LineChartOptions {
  title: string;
  /** The x axis title, with units: `"time step t"`. */
  xTitle: string;
  /** The y axis title, with units: `"gradient norm ||dL/dh_t||"`. */
  yTitle: string;
  /** `{ rnn: norms, lstm: norms2 }` or `[{ name, y, x? }]`. */
  series: SeriesInput;
  /** x values shared by every series that has none of its own (default 0, 1, 2, ...). */
  x?: Values;
  logY?: boolean;
  logX?: boolean;
  /** Draw a marker at every point as well as the line. */
  markers?: boolean;
}

/** `lineChart({ title: "Loss", xTitle: "step", yTitle: "loss (nats)", series: { lstm: losses } })` */
export function lineChart(options: LineChartOptions): Chart {
  const where = chartName("lineChart", options.title);
  const title = requireText(where, "title", options.title);
  const xTitle = requireText(where, "xTitle", options.xTitle);
  const yTitle = requireText(where, "yTitle", options.yTitle);
  const logX = options.logX === true;
  const logY = options.logY === true;
  const checked = listSeries(where, options.series).map((s) => checkSeries(where, s, options.x, logX, logY));
  const notes = checked.flatMap((s) => s.notes);
  const data: PlotlyTrace[] = checked.map((s, i) => ({
    type: "scatter",
    mode: options.markers ? "lines+markers" : "lines",
    name: s.name,
    x: s.x,
    y: s.y,
    line: { color: PALETTE[i % PALETTE.length] },
    connectgaps: false,
  }));
  const scales = [logY ? "y log" : "", logX ? "x log" : ""].filter(Boolean);
  const details = `${checked.length} series x ${pointsRange(checked.map((s) => s.y.length))}${scales.length ? `, ${scales.join(", ")}` : ""}`;
  const layout = baseLayout(title, notes, axis(xTitle, logX), axis(yTitle, logY));
  return new Chart("line chart", title, { data, layout }, details, notes);
}
