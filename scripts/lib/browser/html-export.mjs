// The second check: the executed notebook exported to HTML with nbconvert, opened from disk
// (file://) with every network request refused, must draw the same charts.
//
// Why the export draws charts at all: nbconvert 7's HTMLExporter picks one MIME type per output
// from its display_data_priority list (widget view, application/javascript, text/html,
// text/markdown, image/svg+xml, ..., image/png, image/jpeg, text/plain). The plotly MIME type is
// not on that list, so it is never exported; an output that also carries text/html is exported as
// that HTML, which inlines plotly.js (once per notebook) and draws the chart. So no exporter option
// is needed, and none is set: this checks what `jupyter nbconvert --to html` gives a learner. An
// output with only the plotly JSON and text/plain would export as text (or as the PNG snapshot
// that JupyterLab's plotly renderer adds to the output when it draws): the check reports that.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { jupyterEnv } from "../project.mjs";
import { installProbe } from "./page-probes.mjs";
import { PLOTLY_MIME } from "./verdict.mjs";

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Runs nbconvert; resolves to the HTML file's path, or rejects with nbconvert's own message. */
function nbconvert(python, notebook, outDir) {
  const stem = basename(notebook, ".ipynb");
  // An empty config dir: a user's ~/.jupyter/jupyter_nbconvert_config.py must not change the test.
  const config = mkdtempSync(join(tmpdir(), "course-browser-nbconvert-"));
  const args = ["-m", "nbconvert", "--to", "html", "--output-dir", outDir, "--output", stem, notebook];
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { cwd: dirname(notebook), env: jupyterEnv(python, { JUPYTER_CONFIG_DIR: config }), stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      rmSync(config, { recursive: true, force: true });
      if (code === 0) resolve(join(outDir, `${stem}.html`));
      else reject(new Error(`nbconvert failed (exit ${code}): ${err.trim().split("\n").slice(-3).join(" | ")}`));
    });
  });
}

/**
 * @returns {{ html, screenshot, expected, drawn, blocked: string[], problems: {cell, kind, message}[] }}
 */
export async function checkHtmlExport({ context, python, executed, outDir }) {
  const nb = JSON.parse(readFileSync(executed, "utf8"));
  const result = { html: null, screenshot: null, expected: 0, drawn: 0, blocked: [], problems: [] };
  const expectedPerCell = nb.cells.map((c) => (c.outputs ?? []).filter((o) => o.data?.[PLOTLY_MIME]).length);
  result.expected = expectedPerCell.reduce((a, b) => a + b, 0);

  try {
    result.html = await nbconvert(python, executed, outDir);
  } catch (e) {
    result.problems.push({ cell: 0, kind: "export", message: e.message });
    return result;
  }

  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  // Offline, for real: the page may read its own file and inline data, nothing else. nbconvert's
  // template asks for require.js and MathJax from a CDN: those fail here, as on a closed network.
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url)) return route.continue();
    result.blocked.push(url);
    return route.abort();
  });
  try {
    await page.goto(pathToFileURL(result.html).href, { waitUntil: "load" });
    await page.evaluate(installProbe);
    // Charts may draw after "load" (the inlined plotly.js can be unpacked asynchronously): poll
    // until all are drawn, or nothing has changed for two seconds.
    // nbconvert's lab template writes one .jp-Notebook-cell per cell, with id="cell-id=<the cell's id>".
    const ids = nb.cells.map((c) => c.id ?? null);
    const read = () =>
      page.evaluate((cellIds) => {
        const all = [...document.querySelectorAll(".jp-Cell.jp-Notebook-cell")];
        return cellIds.map((id, i) => {
          const cell = (id && document.getElementById(`cell-id=${id}`)) || all[i];
          return cell ? [...cell.querySelectorAll(".js-plotly-plot")].map((el) => window.__courseProbe.chartState(el)) : null;
        });
      }, ids);
    let states = await read();
    let same = 0;
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      const drawn = states.flat().filter((s) => s?.drawn).length;
      if (drawn >= result.expected || same >= 8) break;
      await page.waitForTimeout(250);
      const next = await read();
      same = JSON.stringify(next) === JSON.stringify(states) ? same + 1 : 0;
      states = next;
    }

    const lost = states.filter((s) => s === null).length;
    if (lost) result.problems.push({ cell: 0, kind: "export", message: `${plural(lost, "cell")} of the notebook not found in the HTML` });
    for (const [i, cell] of nb.cells.entries()) {
      const want = expectedPerCell[i];
      if (!want) continue;
      const got = (states[i] ?? []).filter((s) => s.drawn).length;
      result.drawn += Math.min(got, want);
      if (got >= want) continue;
      const plotly = (cell.outputs ?? []).filter((o) => o.data?.[PLOTLY_MIME]);
      const noHtml = plotly.filter((o) => typeof o.data["text/html"] !== "string" && !Array.isArray(o.data["text/html"])).length;
      const notDrawn = (states[i] ?? []).filter((s) => !s.drawn).map((s) => s.why);
      let why;
      if (noHtml) {
        const instead = plotly[0].data["image/png"] ? "the PNG snapshot JupyterLab added" : "the text";
        why = `${noHtml} of its ${plural(plotly.length, "chart output")} ${noHtml === 1 ? "carries" : "carry"} no text/html, so nbconvert exports ${instead} instead of a chart`;
      } else if (notDrawn.length) {
        why = notDrawn[0];
      } else {
        const shows = await page.evaluate(({ id, index }) => {
          const el = (id && document.getElementById(`cell-id=${id}`)) || document.querySelectorAll(".jp-Cell.jp-Notebook-cell")[index];
          return (el?.querySelector(".jp-Cell-outputWrapper")?.innerText ?? "").replace(/\s+/g, " ").trim().slice(0, 160);
        }, { id: cell.id ?? null, index: i });
        why = `its text/html draws no plotly chart${shows ? ` (the output shows: ${shows})` : ""}`;
      }
      result.problems.push({ cell: i + 1, kind: "export", message: `HTML export: ${got}/${want} charts drawn offline: ${why}` });
    }
    if (result.drawn < result.expected) {
      // nbconvert's template always asks for require.js and MathJax (charts do not need them):
      // name only the other refused requests, which may be why a chart is missing.
      const urls = [...new Set(result.blocked)].filter((u) => !/\/ajax\/libs\/(require\.js|mathjax)\//.test(u));
      if (urls.length) {
        result.problems.push({ cell: 0, kind: "export", message: `HTML export: network requests refused (the page must work offline): ${urls.slice(0, 3).join(", ")}${urls.length > 3 ? ", ..." : ""}` });
      }
      for (const message of [...new Set(pageErrors)].slice(0, 3)) result.problems.push({ cell: 0, kind: "export", message: `HTML export page error: ${message}` });
    }
    const shot = join(outDir, `${basename(result.html)}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    result.screenshot = shot;
  } catch (e) {
    result.problems.push({ cell: 0, kind: "export", message: `HTML export check failed: ${String(e.message).split("\n")[0]}` });
  } finally {
    await page.close().catch(() => {});
  }
  return result;
}
