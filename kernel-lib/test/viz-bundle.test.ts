// Bundle construction: one display, three MIME types, layout always there, plotly.js inlined in
// the first chart's HTML of a session and never again, outputs of bounded size.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { lineChart, heatmap, show, resendPlotly, showLatex, showMarkdown } from "../src/viz";
import { PLOTLY_MIME, type MimeBundle } from "../src/viz/mime";
import { CARRIER_MARKER, DECODE_FUNCTION, PlotlyInliner, plotlyPayload } from "../src/viz/plotly-inline";
import { sessionInliner } from "../src/viz/show";
import { fakeWorld, withWorld } from "./viz-fakes";

const decay = (rate: number, n = 50) => Array.from({ length: n }, (_, t) => rate ** (n - t));

function gradChart(title = "Gradient norm vs time step") {
  return lineChart({ title, xTitle: "time step t", yTitle: "||dL/dh_t||", logY: true, series: { rnn: decay(0.8), lstm: decay(0.98), gru: decay(0.95) } });
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

test("a chart's bundle has the plotly JSON (with layout), an HTML fallback and a text summary", () => {
  const bundle = gradChart().toBundle({ plotlyCarrier: () => "" });
  assert.deepEqual(Object.keys(bundle).sort(), [PLOTLY_MIME, "text/html", "text/plain"].sort());
  const fig = bundle[PLOTLY_MIME] as { data: unknown[]; layout: { title: { text: string }; yaxis: { type: string; title: { text: string } }; xaxis: { title: { text: string } } } };
  assert.equal(fig.data.length, 3);
  assert.equal(fig.layout.title.text, "Gradient norm vs time step");
  assert.equal(fig.layout.yaxis.type, "log");
  assert.equal(fig.layout.xaxis.title.text, "time step t");
  assert.equal(bundle["text/plain"], 'line chart "Gradient norm vs time step": 3 series x 50 points, y log');
  assert.match(bundle["text/html"] as string, /newPlot/);
});

test("a figure without a layout is shown with layout {} (JupyterLab's plotly renderer needs one)", () => {
  const world = fakeWorld({ version: "1.0.22" });
  withWorld(world, () => show({ data: [{ type: "bar", x: ["a"], y: [1] }] } as never));
  const data = world.sent[0].content.data;
  assert.deepEqual((data[PLOTLY_MIME] as { layout: object }).layout, {});
  assert.equal(data["text/plain"], 'plotly figure "untitled": 1 trace (bar)');
});

test("the HTML carries plotly.js exactly once per session: the first chart, then never again", () => {
  const world = fakeWorld({ version: "1.0.22" });
  resendPlotly();
  withWorld(world, () => {
    show(gradChart("first"));
    show(heatmap({ title: "second", z: [[1, 2], [3, 4]], xTitle: "token", yTitle: "unit" }));
    show(gradChart("third"));
  });
  const htmls = world.sent.map((s) => s.content.data["text/html"] as string);
  assert.deepEqual(htmls.map((h) => count(h, CARRIER_MARKER)), [1, 0, 0]);
  assert.ok(sessionInliner.hasSent);
  // Later charts draw with the page's window.Plotly, or say visibly that it is missing.
  for (const h of htmls.slice(1)) {
    assert.match(h, /window\.Plotly/);
    assert.match(h, /plotly\.js is not loaded in this page/);
  }
  // resendPlotly() makes the next chart carry it again.
  resendPlotly();
  withWorld(world, () => show(gradChart("fourth")));
  assert.equal(count(world.sent[3].content.data["text/html"] as string, CARRIER_MARKER), 1);
});

test("sizes are bounded: a chart's HTML is a few kB; the one carrier is about 2 MB, not the 4.8 MB file", () => {
  const inliner = new PlotlyInliner();
  const first = gradChart().toBundle(inliner.context());
  const later = gradChart().toBundle({ plotlyCarrier: () => "" });
  const raw = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js")).length;
  const firstSize = JSON.stringify(first).length;
  const laterSize = JSON.stringify(later).length;
  assert.ok(laterSize < 20_000, `a 3 x 50 line chart's bundle is ${laterSize} bytes`);
  assert.ok(firstSize < 2.2e6 && firstSize < raw / 2, `the carrier bundle is ${firstSize} bytes (plotly.min.js: ${raw})`);
});

test("the carrier's decoder, run as the browser would (Node has the same APIs), gives back plotly.min.js byte for byte", async () => {
  const decode = new Function(`return (${DECODE_FUNCTION});`)() as (b64: string) => Promise<string>;
  const src = await decode(plotlyPayload());
  const original = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  assert.equal(src.length, original.length);
  assert.ok(src === original);
});

test("a send that fails does not count as having carried plotly.js", () => {
  const world = fakeWorld({ version: "1.0.22" });
  resendPlotly();
  world.deps.loadKernel = () => ({ lastWriteDisplayData: (_c: unknown, _u: boolean) => { throw new Error("Socket is closed"); } });
  withWorld(world, () => {
    assert.throws(() => show(gradChart("Loss")), /show: sending the line chart "Loss" to Jupyter failed \(tslab 1\.0\.22: .*\): Socket is closed/);
  });
  assert.equal(sessionInliner.hasSent, false);
});

test("a title with </script> cannot end the HTML's script early", () => {
  const bundle: MimeBundle = lineChart({ title: "a </script><script>alert(1)</script>", xTitle: "x", yTitle: "y", series: { s: [1, 2] } }).toBundle({ plotlyCarrier: () => "" });
  const html = bundle["text/html"] as string;
  assert.equal(count(html, "</script>"), 1, "only the chart's own closing tag");
  assert.match(html, /\\u003c\/script>/);
});

test("showLatex sends text/latex (delimited) and text/plain; showMarkdown sends text/markdown", () => {
  const world = fakeWorld({ version: "1.0.22" });
  withWorld(world, () => {
    showLatex("h_t = \\tanh(W h_{t-1} + b)");
    showLatex("$$x^2$$");
    showMarkdown("**bold**");
  });
  assert.deepEqual(world.sent[0].content.data, { "text/plain": "h_t = \\tanh(W h_{t-1} + b)", "text/latex": "$$h_t = \\tanh(W h_{t-1} + b)$$" });
  assert.equal(world.sent[1].content.data["text/latex"], "$$x^2$$");
  assert.deepEqual(world.sent[2].content.data, { "text/plain": "**bold**", "text/markdown": "**bold**" });
  assert.throws(() => showLatex(""), /showLatex: the LaTeX source is empty/);
});
