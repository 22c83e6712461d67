// The text/html fallback draws charts with plotly.js, and the machines are offline: no CDN. So
// the first chart of a kernel session carries plotly.js itself (from the plotly.js-dist-min npm
// package), and every later chart draws with the window.Plotly it left behind.
//
// Size: plotly.min.js is 4.8 MB, too much for a notebook that should stay small. It travels
// gzip-compressed and base64-encoded (about 2 MB) and the browser unpacks it with
// DecompressionStream (every current browser has it). That one output is the only large one;
// every other chart's HTML is a few kB.
//
// "Once per session" is what the kernel knows: it cannot see the page. If the output that
// carried plotly.js is cleared or the page reloaded without it, later HTML charts say so in a
// visible note, and `resendPlotly()` makes the next chart carry it again.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { RenderContext } from "./mime";

/** Marks the carrier in the HTML, so tests (and curious readers) can count it. */
export const CARRIER_MARKER = "kernel-lib: inlined plotly.js";

/** The window global holding the promise of window.Plotly while the carrier unpacks it. */
export const PLOTLY_PROMISE_GLOBAL = "__kernelLibPlotly";

/**
 * Browser code that turns the base64 gzip text back into plotly.js source. Kept as a string so
 * the same text goes into the HTML and into the unit test that runs it (Node 20 has atob, Blob,
 * Response and DecompressionStream too).
 */
export const DECODE_FUNCTION = `async function (b64) {
  if (typeof DecompressionStream === "undefined") throw new Error("this browser cannot unpack the inlined plotly.js (it has no DecompressionStream)");
  var bin = atob(b64), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}`;

let cachedPayload: string | null = null;

/** plotly.min.js, gzipped and base64-encoded; read and compressed once per process. */
export function plotlyPayload(): string {
  if (cachedPayload === null) {
    let path: string;
    try {
      path = require.resolve("plotly.js-dist-min/plotly.min.js");
    } catch {
      throw new Error("kernel-lib viz: the package plotly.js-dist-min is not installed (it is a dependency of kernel-lib: run npm ci)");
    }
    cachedPayload = gzipSync(readFileSync(path), { level: 9 }).toString("base64");
  }
  return cachedPayload;
}

/** The <script> that defines window.Plotly (unless the page already has it). */
export function carrierHtml(payload: string): string {
  const g = `window.${PLOTLY_PROMISE_GLOBAL}`;
  // plotly.js's wrapper exports through `module` when it sees one; passing none as parameters
  // makes it take its browser path, which sets window.Plotly.
  return `<script>/* ${CARRIER_MARKER} (plotly.js-dist-min, gzip + base64) */
(function () {
  if (window.Plotly || ${g}) return;
  var decode = ${DECODE_FUNCTION};
  ${g} = decode("${payload}").then(function (src) {
    new Function("module", "exports", "define", src)();
    if (!window.Plotly) throw new Error("the inlined plotly.js ran but did not define window.Plotly");
    return window.Plotly;
  });
  ${g}.catch(function () {});
})();
</script>`;
}

/** Whether this kernel session has sent plotly.js to the page yet. */
export class PlotlyInliner {
  private sent = false;

  constructor(private readonly payload: () => string = plotlyPayload) {}

  /** A context for building one bundle; call `commit` on it once the bundle was really sent. */
  context(): RenderContext & { commit(): void } {
    let handedOut = false;
    return {
      plotlyCarrier: () => {
        if (this.sent || handedOut) return "";
        handedOut = true;
        return carrierHtml(this.payload());
      },
      commit: () => {
        if (handedOut) this.sent = true;
      },
    };
  }

  /** Makes the next chart carry plotly.js again. */
  reset(): void {
    this.sent = false;
  }

  get hasSent(): boolean {
    return this.sent;
  }
}

/** A context for sinks that never send HTML charts (plain Node, single-MIME fallback): no carrier. */
export const NO_CARRIER: RenderContext = { plotlyCarrier: () => "" };
