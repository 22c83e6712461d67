// A chart as plotly sees it ({data, layout}), plus what the course adds: a label for errors,
// a one-line text summary, and notes about values that could not be drawn. `Chart` is what every
// helper (lineChart, heatmap, ...) returns and what `show` displays.
import { escapeHtml, jsonForScript } from "./format";
import { PLOTLY_MIME, type Displayable, type MimeBundle, type RenderContext } from "./mime";
import { PLOTLY_PROMISE_GLOBAL } from "./plotly-inline";

/** One plotly trace (`{type: "scatter", x, y, ...}`); plotly's schema is too large to type fully. */
export interface PlotlyTrace {
  type?: string;
  [attribute: string]: unknown;
}

/** A plotly figure as JupyterLab's plotly extension expects it; `layout` is always present. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: { [attribute: string]: unknown };
  config?: { [option: string]: unknown };
}

export type ChartKind = "line chart" | "heatmap" | "bar chart" | "scatter plot" | "subplots" | "plotly figure" | "training";

/** plotly's default colours (D3 category10), assigned explicitly so a series keeps its colour in subplots. */
export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** The default drawing height in pixels (plotly's own default). */
export const DEFAULT_HEIGHT = 450;

/** How many notes fit in the chart's title before the rest is only in the text summary. */
const NOTES_IN_TITLE = 2;

export class Chart implements Displayable {
  constructor(
    readonly kind: ChartKind,
    readonly title: string,
    /** The plotly figure, title already carrying the notes. */
    readonly figure: PlotlyFigure,
    /** What the summary says after the title: `3 series x 50 points, y log`. */
    readonly details: string,
    /** Values not drawn and why, e.g. `2 NaN values in series "rnn" not drawn`. */
    readonly notes: readonly string[] = [],
  ) {}

  get label(): string {
    return `${this.kind} "${this.title}"`;
  }

  /** The text/plain form: `line chart "Loss": 3 series x 50 points, y log; 2 NaN values in ...`. */
  get summary(): string {
    return [`${this.label}: ${this.details}`, ...this.notes].join("; ");
  }

  get height(): number {
    const h = this.figure.layout.height;
    return typeof h === "number" ? h : DEFAULT_HEIGHT;
  }

  toBundle(context: RenderContext): MimeBundle {
    return {
      "text/plain": this.summary,
      [PLOTLY_MIME]: this.figure,
      "text/html": context.plotlyCarrier() + chartHtml(this.figure, this.label, this.summary, this.height),
    };
  }
}

/** The title plotly draws: the chart's title, then the notes in small print (never silent). */
export function titleWithNotes(title: string, notes: readonly string[]): string {
  if (notes.length === 0) return title;
  const shown = notes.slice(0, NOTES_IN_TITLE).join("; ");
  const more = notes.length > NOTES_IN_TITLE ? `; and ${notes.length - NOTES_IN_TITLE} more (see the text summary)` : "";
  return `${title}<br><sub>⚠ ${shown}${more}</sub>`;
}

function randomId(): string {
  return `kl-chart-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}

/**
 * HTML that draws the figure with the page's window.Plotly (left there by the first chart of the
 * session), or waits for it while the carrier unpacks it, or else shows a visible note. The
 * element is found by id, or as the script's previous sibling when a copied notebook repeats ids.
 */
export function chartHtml(figure: PlotlyFigure, label: string, summary: string, height: number): string {
  const id = randomId();
  const note =
    `<div style="border:1px solid #b00;color:#b00;padding:6px 10px;font:13px sans-serif">` +
    `kernel-lib: plotly.js is not loaded in this page, so the ${escapeHtml(label)} cannot be drawn here. ` +
    `It is sent once per kernel session, with the first chart: run that cell again, or run ` +
    `<code>kl.viz.resendPlotly()</code> and then this cell.<br><small>${escapeHtml(summary)}</small></div>`;
  return `<div id="${id}" class="kernel-lib-chart" style="width:100%;height:${height}px"></div>
<script>
(function () {
  var script = document.currentScript;
  var el = document.getElementById("${id}") || (script && script.previousElementSibling);
  if (!el) return;
  var fig = ${jsonForScript(figure)};
  var note = ${jsonForScript(note)};
  function draw(P) { P.newPlot(el, fig.data, fig.layout, Object.assign({ responsive: true }, fig.config || {})); }
  function missing(why) { el.style.height = "auto"; el.innerHTML = note + (why ? "<small> (" + String(why).replace(/</g, "&lt;") + ")</small>" : ""); }
  if (window.Plotly) draw(window.Plotly);
  else if (window.${PLOTLY_PROMISE_GLOBAL}) window.${PLOTLY_PROMISE_GLOBAL}.then(draw, function (e) { missing(e && e.message || e); });
  else missing("");
})();
</script>`;
}

/** Axis layout with a title (units) and an optional log scale. */
export function axis(title: string, log = false, extra: { [attribute: string]: unknown } = {}): { [attribute: string]: unknown } {
  // Powers of ten on log axes: plotly's default SI ticks ("1µ", "100µ") read badly for gradient norms.
  return { title: { text: title }, ...(log ? { type: "log", exponentformat: "power" } : {}), ...extra };
}

/** The layout every helper starts from: title (with notes), axis titles, room for the title. */
export function baseLayout(title: string, notes: readonly string[], xaxis: object, yaxis: object): PlotlyFigure["layout"] {
  return {
    title: { text: titleWithNotes(title, notes) },
    xaxis,
    yaxis,
    margin: { t: notes.length ? 90 : 60 },
  };
}

/** `50 points` or `40-50 points` when series differ in length. */
export function pointsRange(lengths: readonly number[]): string {
  const lo = Math.min(...lengths);
  const hi = Math.max(...lengths);
  return lo === hi ? `${lo} points` : `${lo}-${hi} points`;
}
