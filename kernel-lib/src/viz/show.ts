// `show(x)`: one call for everything displayable. It builds x's bundle for the current sink
// (full bundle, one MIME type, or text; see jupyter.ts), sends it, and only then records that
// plotly.js reached the page (a bundle that failed to send did not carry it).
import { ChartInputError } from "./checks";
import type { PlotlyFigure } from "./figure";
import { displayAdapter, type DisplayMode } from "./jupyter";
import { isDisplayable, type Displayable, type MimeBundle } from "./mime";
import { figureChart } from "./plotly-figure";
import { NO_CARRIER, PlotlyInliner } from "./plotly-inline";
import { LatexDisplay, MarkdownDisplay } from "./rich";

/** The kernel session's record of whether plotly.js was sent to the page. */
export const sessionInliner = new PlotlyInliner();

/** Displays a chart, table or equation, or a plotly figure `{ data, layout }`. Returns nothing (so tslab prints nothing). */
export function show(item: Displayable | PlotlyFigure): void {
  sendDisplay(isDisplayable(item) ? item : figureChart(item));
}

/** `showLatex("h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t + b)")` */
export function showLatex(tex: string): void {
  sendDisplay(new LatexDisplay(tex));
}

/** `showMarkdown("**Note:** the loss is in nats")` */
export function showMarkdown(markdown: string): void {
  sendDisplay(new MarkdownDisplay(markdown));
}

/** Builds and sends one display; used by show and by the live view (with an id, for updates). */
export function sendDisplay(item: Displayable, options: { displayId?: string; update?: boolean; final?: boolean } = {}): MimeBundle {
  if (!isDisplayable(item)) throw new ChartInputError("show: expected a chart, a table or an equation");
  const sink = displayAdapter().sink();
  const context = sink.mode === "bundle" ? sessionInliner.context() : { ...NO_CARRIER, commit() {} };
  const bundle = item.toBundle(context);
  try {
    sink.send(bundle, options);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`show: sending the ${item.label} to Jupyter failed (${sink.reason}): ${message}`);
  }
  context.commit();
  return bundle;
}

/** Makes the next chart carry plotly.js again (after the output that carried it was cleared). */
export function resendPlotly(): void {
  sessionInliner.reset();
}

/** How displays are sent in this process, and why: `{ mode: "bundle", reason: "tslab 1.0.22: ..." }`. */
export function displayInfo(): { mode: DisplayMode; reason: string; plotlySent: boolean } {
  const sink = displayAdapter().sink();
  return { mode: sink.mode, reason: sink.reason, plotlySent: sessionInliner.hasSent };
}
