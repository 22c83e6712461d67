// Bad input never becomes a silent blank chart: shape problems throw with the chart, the series
// and the numbers; values that cannot be drawn are left out and said, in the title and summary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ChartInputError, barChart, heatmap, lineChart, scatterChart, show, spectrogram, subplots } from "../src/viz";
import { tensor } from "../src";
import { PLOTLY_MIME } from "../src/viz/mime";
import { fakeWorld, withWorld } from "./viz-fakes";

const axes = { xTitle: "step", yTitle: "loss (nats)" };
const titleText = (c: { figure: { layout: { [k: string]: unknown } } }) => (c.figure.layout.title as { text: string }).text;

test("mismatched x and y lengths name the chart, the series and both counts", () => {
  const x = Array.from({ length: 50 }, (_, i) => i);
  const y = Array.from({ length: 49 }, () => 1);
  assert.throws(() => lineChart({ title: "Loss", ...axes, series: [{ name: "lstm", x, y }] }),
    (e: Error) => e instanceof ChartInputError && e.message === 'lineChart "Loss": series "lstm" has 50 x values but 49 y values');
  assert.throws(() => lineChart({ title: "Loss", ...axes, x, series: { rnn: y } }), /lineChart "Loss": series "rnn" has 50 x values but 49 y values/);
  assert.throws(() => scatterChart({ title: "Fit", ...axes, series: { a: { x: [1, 2], y: [1] } } }), /scatterChart "Fit": series "a" has 2 x values but 1 y values/);
});

test("an empty series, no series, or a missing title or axis title is an error", () => {
  assert.throws(() => lineChart({ title: "Loss", ...axes, series: { rnn: [1], lstm: [] } }), /lineChart "Loss": series "lstm" is empty \(0 points\)/);
  assert.throws(() => lineChart({ title: "Loss", ...axes, series: {} }), /lineChart "Loss": no series to draw/);
  assert.throws(() => lineChart({ title: "", ...axes, series: { a: [1] } }), /lineChart: title is missing; every chart needs a title and axis titles/);
  assert.throws(() => lineChart({ title: "Loss", xTitle: "step", yTitle: " ", series: { a: [1] } }), /lineChart "Loss": yTitle is missing/);
  assert.throws(() => lineChart({ title: "Loss", ...axes, series: [{ name: "a", y: [1] }, { name: "a", y: [2] }] }), /lineChart "Loss": series "a" appears twice/);
});

test("NaN and Infinity are not drawn, and the title and the summary say how many, where", () => {
  const chart = lineChart({ title: "Loss", ...axes, series: { lstm: [3, 2, 1], rnn: [3, NaN, 2, NaN, Infinity] } });
  assert.equal(chart.summary, 'line chart "Loss": 2 series x 3-5 points; 2 NaN values in series "rnn" not drawn; 1 Infinity value in series "rnn" not drawn');
  assert.match(titleText(chart), /^Loss<br><sub>⚠ 2 NaN values in series "rnn" not drawn; 1 Infinity value/);
  const rnn = chart.figure.data[1] as { y: (number | null)[] };
  assert.deepEqual(rnn.y, [3, null, 2, null, null]);
});

test("values <= 0 on a log axis are counted, not silently dropped by plotly", () => {
  const chart = lineChart({ title: "Grad norm", ...axes, logY: true, series: { rnn: [1, 0, 1e-3, -2] } });
  assert.deepEqual(chart.notes, ['2 values <= 0 in series "rnn" not drawn on the log y axis']);
  assert.throws(() => lineChart({ title: "G", ...axes, logX: true, series: { rnn: [1, 2] } }), /series "rnn" has x value 0 at index 0, which a log x axis cannot show/);
  assert.throws(() => lineChart({ title: "G", ...axes, x: [0, NaN], series: { rnn: [1, 2] } }), /series "rnn" has x value NaN at index 1; x values must be finite/);
});

test("a chart that shows a note is still sent as a full bundle (visible, never blank)", () => {
  const world = fakeWorld({ version: "1.0.22" });
  withWorld(world, () => show(lineChart({ title: "Loss", ...axes, series: { rnn: [NaN, NaN] } })));
  const data = world.sent[0].content.data;
  assert.match(data["text/plain"], /2 NaN values in series "rnn" not drawn/);
  assert.match((data[PLOTLY_MIME] as { layout: { title: { text: string } } }).layout.title.text, /2 NaN values/);
});

test("series accept typed arrays and Tensors", () => {
  const chart = lineChart({ title: "Loss", ...axes, x: new Float64Array([1, 2, 3]), series: { a: tensor([0.5, 0.25, 0.125]) } });
  assert.deepEqual((chart.figure.data[0] as { x: number[]; y: number[] }).y, [0.5, 0.25, 0.125]);
  assert.deepEqual((chart.figure.data[0] as { x: number[] }).x, [1, 2, 3]);
});

test("heatmap: repeated tokens stay separate columns; labels are escaped; checks name the chart", () => {
  const tokens = ["the", " ", "cat", " ", "the", "<b>"];
  const z = [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0.6, 0.5, 0.4, 0.3, 0.2, 0.1]];
  const chart = heatmap({ title: "Forget gate", z, xTitle: "input token", yTitle: "hidden unit", xLabels: tokens, colorTitle: "f_t (0-1)" });
  const trace = chart.figure.data[0] as { x: number[]; colorscale: string };
  assert.deepEqual(trace.x, [0, 1, 2, 3, 4, 5], "positions, not categories: the two 'the' would merge");
  const xaxis = chart.figure.layout.xaxis as { ticktext: string[]; tickvals: number[] };
  assert.deepEqual(xaxis.ticktext, ["the", "␣", "cat", "␣", "the", "&lt;b&gt;"]);
  assert.equal(trace.colorscale, "Viridis", "one-signed values: a sequential scale");
  assert.equal((chart.figure.layout.yaxis as { autorange: string }).autorange, "reversed");
  assert.equal(chart.summary, 'heatmap "Forget gate": 2 x 6 cells, x labels: "the" " " "cat" " " "the" "<b>"');

  assert.throws(() => heatmap({ title: "G", z, xTitle: "t", yTitle: "u", xLabels: tokens.slice(1) }), /heatmap "G": 5 x labels but z has 6 columns/);
  assert.throws(() => heatmap({ title: "G", z: [[1, 2], [3]], xTitle: "t", yTitle: "u" }), /heatmap "G": z row 1 has 1 values but row 0 has 2/);
  assert.throws(() => heatmap({ title: "G", z: [], xTitle: "t", yTitle: "u" }), /heatmap "G": z is empty \(0 rows\)/);
  assert.throws(() => heatmap({ title: "G", z: tensor([1, 2, 3]), xTitle: "t", yTitle: "u" }), /heatmap "G": z must be a 2-D tensor \[rows, cols\]; got shape \[3\]/);
  const withNaN = heatmap({ title: "H", z: tensor([[-1, NaN], [1, 0.5]]), xTitle: "t", yTitle: "u" });
  assert.deepEqual(withNaN.notes, ["1 NaN value in z not drawn"]);
  assert.equal((withNaN.figure.data[0] as { colorscale: string; zmid: number }).zmid, 0, "both signs: a diverging scale centred on 0");
});

test("spectrogram: one waveform's band energies, time across, the highest band on top, labelled in Hz", () => {
  // features [T = 2, B = 2, bands = 3]: value = 100·t + 10·b + band
  const data: number[] = [];
  for (let t = 0; t < 2; t++) for (let b = 0; b < 2; b++) for (let j = 0; j < 3; j++) data.push(100 * t + 10 * b + j);
  const chart = spectrogram({ title: "chirp", features: tensor(data, [2, 2, 3]), example: 1, bandHz: 250 });
  const trace = chart.figure.data[0] as { z: number[][] };
  assert.deepEqual(trace.z, [[12, 112], [11, 111], [10, 110]]);
  const yaxis = chart.figure.layout.yaxis as { ticktext: string[] };
  assert.deepEqual(yaxis.ticktext, ["500", "250", "0"]);
  assert.throws(() => spectrogram({ title: "x", features: tensor([1, 2]) }), /spectrogram "x": features must be band energies \[T, B, bands\], got shape \[2\]/);
  assert.throws(() => spectrogram({ title: "x", features: tensor(data, [2, 2, 3]), example: 2 }), /example 2 is out of range for a batch of 2/);
});

test("bar chart: one value per label, categories kept as text", () => {
  const chart = barChart({ title: "Step time", xTitle: "model", yTitle: "ms per step", labels: ["1", "2", "3"], series: { cpu: [1.5, 3.25, 2] } });
  assert.equal((chart.figure.layout.xaxis as { type: string }).type, "category");
  assert.equal(chart.summary, 'bar chart "Step time": 3 bars');
  assert.throws(() => barChart({ title: "T", xTitle: "m", yTitle: "ms", labels: ["a", "b"], series: { cpu: [1] } }), /barChart "T": series "cpu" has 1 values but there are 2 labels/);
  assert.throws(() => barChart({ title: "T", xTitle: "m", yTitle: "ms", labels: ["a", "a"], series: { cpu: [1, 2] } }), /barChart "T": label "a" appears twice/);
});

test("scatter: a point with NaN in x or y is left out whole, and said", () => {
  const chart = scatterChart({ title: "h", xTitle: "h_3", yTitle: "h_10", series: { lstm: { x: [1, NaN, 3], y: [1, 2, Infinity], labels: ["a", "b", "c"] } } });
  const t = chart.figure.data[0] as { x: (number | null)[]; y: (number | null)[] };
  assert.deepEqual(t.x, [1, null, null]);
  assert.deepEqual(t.y, [1, null, null]);
  assert.deepEqual(chart.notes, ['1 NaN value in series "lstm" (x) not drawn', '1 Infinity value in series "lstm" (y) not drawn']);
  assert.throws(() => scatterChart({ title: "h", xTitle: "a", yTitle: "b", series: { s: { x: [1, 2], y: [1, 2], labels: ["a"] } } }), /series "s" has 1 labels but 2 points/);
});

test("subplots: each chart keeps its axes in its own cell; a series keeps one colour and one legend entry", () => {
  const a = lineChart({ title: "Loss", ...axes, series: { rnn: [3, 2, 1], lstm: [3, 1, 0.5] } });
  const b = lineChart({ title: "Grad norm", xTitle: "t", yTitle: "norm", logY: true, series: { lstm: [1, 0.1], rnn: [1, 1e-3, NaN] } });
  const h = heatmap({ title: "Gate", z: [[0, 1]], xTitle: "token", yTitle: "unit", xLabels: ["a", "b"] });
  const grid = subplots({ title: "Overview", charts: [a, b, h], cols: 2 });
  const layout = grid.figure.layout as { [k: string]: { domain?: number[]; anchor?: string; type?: string } & { [k: string]: unknown } };
  assert.equal(layout.yaxis2.type, "log");
  assert.equal(layout.xaxis3.anchor, "y3");
  assert.ok(layout.xaxis.domain![1] < layout.xaxis2.domain![0], "columns do not overlap");
  assert.ok(layout.yaxis3.domain![1] < layout.yaxis.domain![0], "rows do not overlap");
  const traces = grid.figure.data as { name?: string; showlegend?: boolean; line?: { color: string }; xaxis: string }[];
  const lstm = traces.filter((t) => t.name === "lstm");
  assert.equal(lstm[0].line!.color, lstm[1].line!.color);
  assert.deepEqual(lstm.map((t) => t.showlegend), [true, false]);
  assert.deepEqual(traces.map((t) => t.xaxis), ["x", "x", "x2", "x2", "x3"]);
  assert.deepEqual(grid.notes, ['"Grad norm": 1 NaN value in series "rnn" not drawn']);
  assert.match(grid.summary, /^subplots "Overview": 2x2 grid: line chart "Loss" \(2 series x 3 points\), line chart "Grad norm" \(2 series x 2-3 points, y log\), heatmap "Gate"/);
  const bars = barChart({ title: "Params", xTitle: "cell", yTitle: "count", labels: ["RNN"], series: { only: [1] } });
  const withBars = subplots({ title: "B", charts: [a, bars] });
  assert.equal((withBars.figure.data[2] as { showlegend: boolean }).showlegend, false, "a chart that hid its legend keeps it hidden");
  assert.equal((withBars.figure.layout.legend as { orientation: string }).orientation, "h", "the legend sits under the grid, clear of colour bars");
  assert.throws(() => subplots({ title: "S", charts: [] }), /subplots "S": charts is empty/);
  assert.throws(() => subplots({ title: "S", charts: [grid] }), /subplots "S": charts\[0\] \(subplots "Overview"\) is itself a grid/);
});

test("show refuses what is not a chart, a table or a plotly figure, naming what it got", () => {
  const world = fakeWorld({ version: "1.0.22" });
  withWorld(world, () => {
    assert.throws(() => show({ x: [1, 2] } as never), /show: this object is not a plotly figure: it has no data array/);
    assert.throws(() => show(null as never), /show: expected a chart .*; got null/);
  });
  assert.equal(world.sent.length, 0);
});
