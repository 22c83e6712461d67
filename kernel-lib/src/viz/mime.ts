// What a Jupyter display is made of: one bundle of MIME types, each a different rendering of the
// same thing. The front end picks the richest one it can draw (JupyterLab: the plotly chart;
// a plain viewer: the HTML; a terminal or a test: the text), so every bundle carries a
// text/plain summary and whatever richer forms the item has.

/** The MIME type JupyterLab's plotly extension draws offline; its value is the figure object. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** One display: `text/plain` always, richer types beside it (strings, or JSON objects). */
export interface MimeBundle {
  "text/plain": string;
  [mime: string]: string | object;
}

/** What `show` needs from the page it draws into: whether plotly.js is already there. */
export interface RenderContext {
  /** The script that defines window.Plotly, the first time a chart needs it; "" after that. */
  plotlyCarrier(): string;
}

/** Anything `show()` can display: a chart, a table, an equation. */
export interface Displayable {
  /** A one-line name for error messages and summaries, e.g. `line chart "Loss"`. */
  readonly label: string;
  toBundle(context: RenderContext): MimeBundle;
}

export function isDisplayable(x: unknown): x is Displayable {
  return typeof x === "object" && x !== null && typeof (x as Displayable).toBundle === "function";
}
