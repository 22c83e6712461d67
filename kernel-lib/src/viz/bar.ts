// Bar charts: one bar per category (RNN, LSTM, GRU), grouped when there are several series
// (kernel-lib against TF.js). Categories are an explicit list, so their order is the caller's.
import { ChartInputError, Undrawable, chartName, checkUniqueNames, requireText } from "./checks";
import { Chart, PALETTE, axis, baseLayout, type PlotlyTrace } from "./figure";
import { axisLabel } from "./labels";
import { listSeries, type SeriesInput } from "./series";
import { toNumbers } from "./values";

export interface BarChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** One label per bar (per group when there are several series). */
  labels: readonly string[];
  /** `{ "ms per step": [1.2, 3.4, 2.8] }`: one value per label, per series. */
  series: SeriesInput;
  logY?: boolean;
}

/** `barChart({ title: "Step time", xTitle: "model", yTitle: "ms per step", labels: ["RNN", "LSTM"], series: { cpu: [1.2, 3.4] } })` */
export function barChart(options: BarChartOptions): Chart {
  const where = chartName("barChart", options.title);
  const title = requireText(where, "title", options.title);
  const xTitle = requireText(where, "xTitle", options.xTitle);
  const yTitle = requireText(where, "yTitle", options.yTitle);
  const labels = options.labels;
  if (!labels || labels.length === 0) throw new ChartInputError(`${where}: labels is empty; give one label per bar`);
  checkUniqueNames(where, labels, "label");
  const logY = options.logY === true;
  const series = listSeries(where, options.series);
  const notes: string[] = [];
  const data: PlotlyTrace[] = series.map((s, i) => {
    const ys = toNumbers(s.y);
    if (ys.length !== labels.length) {
      throw new ChartInputError(`${where}: series "${s.name}" has ${ys.length} values but there are ${labels.length} labels`);
    }
    const bad = new Undrawable(ys);
    const y = ys.map((v) => bad.admit(v, logY));
    notes.push(...bad.notes(`series "${s.name}"`));
    return { type: "bar", name: s.name, x: labels.map(axisLabel), y, marker: { color: PALETTE[i % PALETTE.length] } };
  });
  // "category" keeps labels such as "1", "2" from being read as numbers.
  const layout = { ...baseLayout(title, notes, axis(xTitle, false, { type: "category" }), axis(yTitle, logY)), barmode: "group", showlegend: series.length > 1 };
  const details = `${labels.length} bars${series.length > 1 ? ` x ${series.length} series` : ""}${logY ? ", y log" : ""}`;
  return new Chart("bar chart", title, { data, layout }, details, notes);
}
