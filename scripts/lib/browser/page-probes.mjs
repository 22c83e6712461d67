// Code that runs inside the browser pages (JupyterLab and the exported HTML). Playwright sends a
// function to the page as its source text, so each function here must be self-contained: no
// imports, no closures over module variables.

/**
 * Installs `window.__courseProbe` in a page: the tests' one definition of "this chart was drawn".
 * A plotly chart counts as drawn when plotly made its SVG (`svg.main-svg`) and put at least one
 * data mark in it: a trace group (scatter, line, bar, box, histogram, violin), a pie slice, a
 * heatmap's image, a contour, or a WebGL trace's canvas. Axes alone do not count: that is what
 * plotly draws for a figure whose data is broken.
 */
export function installProbe() {
  const MARKS = ["g.trace", "g.hm image", ".imagelayer image", "g.contour", ".pielayer .slice"].join(", ");
  window.__courseProbe = {
    chartState(el) {
      if (!el.querySelector("svg.main-svg")) {
        const text = (el.innerText || "").trim().replace(/\s+/g, " ").slice(0, 160);
        return { drawn: false, why: text ? `no plotly drawing; the output shows: ${text}` : "plotly drew nothing (no svg)" };
      }
      if (el.querySelector(MARKS)) return { drawn: true };
      // WebGL traces (scattergl, ...) draw into a canvas, not the SVG: trust plotly's own record
      // of a visible, non-empty WebGL trace when its canvas exists.
      const gl = (el._fullData || []).some((t) => /gl/.test(t.type) && t.visible === true && t._length > 0);
      if (gl && el.querySelector(".gl-container canvas")) return { drawn: true };
      return { drawn: false, why: "plotly drew the axes but no data (the figure's data is missing or invalid)" };
    },
    /**
     * What a drawn chart was drawn from: its title as shown, and the traces plotly holds (without
     * the uid plotly adds), to tell a chart redrawn for its last update from one left at an
     * earlier state.
     */
    plotOf(el) {
      const title = el.querySelector(".g-gtitle");
      return {
        // plotly draws a <br> in a title as a line of its own, joined here by a zero-width space.
        title: title ? title.textContent.replace(/[\s\u200b]+/g, " ").trim() : "",
        data: JSON.stringify(el.data ?? null, (k, v) => (k === "uid" ? undefined : v)),
      };
    },
    /** The visible text of HTML, for comparing a live display's last update with what is shown. */
    textOf(html) {
      const t = document.createElement("template");
      t.innerHTML = html;
      t.content.querySelectorAll("script, style").forEach((n) => n.remove());
      return (t.content.textContent || "").replace(/\s+/g, " ").trim();
    },
    /**
     * The text of an output as the page shows it, line breaks kept: an error output's lines tell
     * feedback (a ✘ line and a hint) from a crash (a source line, a caret, stack frames).
     */
    shownLines(el) {
      return (el.innerText || el.textContent || "").replace(/\r\n?/g, "\n").replace(/\u00a0/g, " ").trim();
    },
    visibleText(el) {
      const clone = el.cloneNode(true);
      clone.querySelectorAll("script, style").forEach((n) => n.remove());
      return (clone.textContent || "").replace(/\s+/g, " ").trim();
    },
  };
}
