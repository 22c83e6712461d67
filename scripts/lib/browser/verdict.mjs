// Judges what lab-notebook.mjs collected from JupyterLab: errors, charts, live displays.
// Plain functions on plain data, so the rules can be read (and tested) without a browser.

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
const STDERR_MIME = "application/vnd.jupyter.stderr";
// tslab prints compiler diagnostics as "LINE:COL - message" (the notebook runner reads the same).
const TS_DIAGNOSTIC = /^\d+:\d+ - /m;
// Text that makes a stderr output an error, not a warning: a TypeScript diagnostic, an exception
// ("RangeError: ...", "Uncaught ..."), or JupyterLab's own "Javascript Error: ..." that replaces
// an output whose renderer failed.
const ERROR_TEXT = /(^|\n)\s*(\d+:\d+ - |[A-Za-z]*Error\b|Uncaught\b)/;

const sourceOf = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "");
/** A cell expected to fail, as the notebook runner reads it: {"course": {"expect_error": "substring"}}. */
export const expectedError = (cell) => cell.metadata?.course?.expect_error ?? null;
// Course feedback (kernel-lib's FeedbackError: a failed exercise check, a claim that does not
// hold) begins with this mark; an expected error that begins with it must read as feedback.
const FEEDBACK_MARK = "✘";
const squash = (text) => String(text ?? "").replace(/\s+/g, " ").trim();
const clip = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** The line of a message that names the error, as the notebook runner picks it. */
export function firstLine(text, limit = 300) {
  const lines = String(text ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
  const named = lines.find((l) => TS_DIAGNOSTIC.test(l) || /^[A-Za-z]*Error\b/.test(l) || /^Javascript Error\b/.test(l));
  return (named ?? lines[0] ?? "(no message)").slice(0, limit);
}

/**
 * What an error output shows besides course feedback, or null when it shows the feedback alone:
 * the ✘ line, then (optionally) its hint, and nothing else. Node's decoration of a thrown error
 * (the throwing source line, the code with a caret under it, the error's name, stack frames)
 * makes feedback look like a crash of the library; each kind found is named, with an example.
 * @param text the output's text with its line breaks, as the page shows it
 */
export function notFeedback(text) {
  const lines = String(text ?? "").split("\n").map((l) => l.trimEnd()).filter((l) => l.trim());
  if (lines.length === 0) return "it shows nothing";
  const kinds = [
    { what: "a source line", re: /^\S*(\.[cm]?[jt]sx?|<anonymous>):\d+(:\d+)?$/, found: [] },
    { what: "a caret", re: /^\s*\^+\s*$/, found: [] },
    { what: "stack frames", re: /^\s*at\s/, found: [] },
    { what: "the error's name", re: /^[A-Za-z]*Error\b[^:]*:/, found: [] },
    { what: "other lines", re: /(?:)/, found: [] },
  ];
  lines.forEach((line, k) => {
    const t = line.trim();
    if (k === 0 && t.startsWith(FEEDBACK_MARK)) return;
    if (k > 0 && t.startsWith("Hint:")) return;
    kinds.find((kind) => kind.re.test(t)).found.push(t);
  });
  const said = kinds.filter((k) => k.found.length).map(({ what, found }) => {
    const n = what === "stack frames" || what === "other lines" ? `${found.length} ${found.length === 1 ? what.replace(/s$/, "") : what}` : what;
    return `${n} ("${clip(found[0], 70)}")`;
  });
  const parts = [];
  if (!lines[0].trim().startsWith(FEEDBACK_MARK)) parts.push(`it does not begin with the ${FEEDBACK_MARK} line`);
  if (said.length) parts.push(`it shows ${said.join(", ")}`);
  return parts.length ? parts.join("; ") : null;
}

/** A progress count that stopped short, e.g. "epoch 150/200" (a finished one reads 200/200). */
export function unfinishedProgress(text) {
  const counts = [...String(text ?? "").matchAll(/(\d+)\s*\/\s*(\d+)/g)];
  if (counts.length === 0) return null;
  const [whole, done, total] = counts[counts.length - 1];
  return Number(done) < Number(total) ? whole.replace(/\s+/g, "") : null;
}

/** Does an output's data hold every MIME type of a display message, with the same values? */
function sameData(outputData, messageData) {
  if (!outputData) return false;
  return Object.entries(messageData).every(([mime, value]) => JSON.stringify(outputData[mime]) === JSON.stringify(value));
}

function stderrOf(cell) {
  return (cell.outputs ?? [])
    .map((o) => (o.output_type === "stream" && o.name === "stderr" ? [o.text].flat().join("") : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : ""))
    .join("");
}

/**
 * @param facts what runInLab returned: { problems, notebook, cells (as rendered), msgs }
 * @returns {{ problems, charts: {expected, drawn}, live: {count, final}, errors, aborted, expected }}
 *   problems: [{ cell (1-based, 0 = the notebook), kind, message }]
 *   expected: null, or { cell, shown } when the run stopped at its expected error (`shown`: the
 *   error output's text, as the page shows it)
 */
export function judgeLab(facts) {
  const problems = [...facts.problems];
  const result = { problems, charts: { expected: 0, drawn: 0 }, live: { count: 0, final: 0 }, aborted: [], expected: null };
  const nb = facts.notebook;
  if (!nb) return { ...result, errors: problems.length };
  const timedOut = problems.some((p) => p.kind === "timeout");

  // How each cell's execution ended, from the kernel's replies (requests are matched to cells by
  // their code, in order: Run All sends one request per non-empty code cell, top to bottom).
  const replies = new Map(facts.msgs.filter((m) => m.type === "execute_reply").map((m) => [m.parent, m]));
  const statusOf = new Map();
  let from = 0;
  for (const req of facts.msgs.filter((m) => m.type === "execute_request")) {
    const i = nb.cells.findIndex((c, k) => k >= from && c.cell_type === "code" && sourceOf(c) === req.code);
    if (i < 0) continue;
    statusOf.set(i, replies.get(req.id)?.status ?? "no reply");
    from = i + 1;
  }

  // A cell may be expected to fail, as in the notebook runner: the first code cell marked
  // {"course": {"expect_error": "substring"}} must end in an error whose output, as the page shows
  // it, contains the substring; the run stops there (JupyterLab aborts the cells after it, which
  // then count neither as run nor as failed). An expected error that is course feedback (the
  // substring begins with ✘) must also show nothing but the feedback: see notFeedback().
  const marked = nb.cells.findIndex((c) => c.cell_type === "code" && expectedError(c));
  let stopped = false;

  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const index = i + 1;
    const shown = facts.cells[i]?.outputs ?? [];
    const status = statusOf.get(i);
    if (stopped) return; // after the expected error: not run, by design
    if (i === marked && sourceOf(cell).trim() && !["abort", "aborted"].includes(status)) {
      // The page's error output, line breaks kept (`lines`), is what the learner reads.
      const want = expectedError(cell);
      const errorText = shown.filter((o) => o.mime === STDERR_MIME).map((o) => o.lines ?? o.text).join("\n");
      if (status !== "error") {
        const never = status === undefined || status === "no reply";
        const got = never ? "the cell never ran" : `it ran without one (reply '${status}')`;
        if (!(never && timedOut)) problems.push({ cell: index, kind: "expected error", message: `expected an error containing "${want}", but ${got}` });
      } else if (!errorText.includes(want)) {
        const got = errorText ? `the page shows: ${firstLine(errorText)}` : "the page shows no error output for it";
        problems.push({ cell: index, kind: "expected error", message: `expected an error containing "${want}", but ${got}` });
        stopped = true;
      } else {
        result.expected = { cell: index, shown: errorText.trim() };
        const extra = want.startsWith(FEEDBACK_MARK) ? notFeedback(errorText) : null;
        if (extra) problems.push({ cell: index, kind: "feedback", message: `the expected error does not read as feedback (the ${FEEDBACK_MARK} line and its hint, nothing else): ${extra}` });
        stopped = true;
      }
    } else if (sourceOf(cell).trim()) {
      if (status === "error") {
        problems.push({ cell: index, kind: "error", message: firstLine(stderrOf(cell) || "the kernel replied 'error' with nothing on stderr") });
      } else if (status === "abort" || status === "aborted") {
        result.aborted.push(index);
      } else if (status === undefined || status === "no reply" || cell.execution_count == null) {
        if (!timedOut) problems.push({ cell: index, kind: "not run", message: "the cell has no execution count: it was never run" });
      }
      if (status !== "error") {
        // An error the kernel did not report as one: a TypeScript diagnostic printed beside an
        // ok reply, an error output, or JupyterLab's "Javascript Error" for a failed renderer.
        const text = [stderrOf(cell), ...shown.filter((o) => o.mime === STDERR_MIME).map((o) => o.text)].find((t) => ERROR_TEXT.test(t));
        if (text) problems.push({ cell: index, kind: TS_DIAGNOSTIC.test(text) ? "diagnostic" : "error", message: firstLine(text) });
      }
    }

    // Every output that carried a plotly figure must be drawn by JupyterLab's plotly renderer.
    (cell.outputs ?? []).forEach((output, j) => {
      if (!output.data?.[PLOTLY_MIME]) return;
      result.charts.expected++;
      const dom = shown[j];
      let why;
      if (!dom) why = "JupyterLab rendered nothing for it";
      else if (dom.mime !== PLOTLY_MIME) why = `JupyterLab rendered it as ${dom.mime ?? "nothing"}, not with the plotly extension (is jupyterlab-plotly installed?)${dom.text ? `: ${dom.text.slice(0, 160)}` : ""}`;
      else if (!dom.chart?.drawn) why = dom.chart?.why ?? "not drawn";
      if (why) problems.push({ cell: index, kind: "chart", message: `the chart in output ${j + 1} is not drawn: ${why}` });
      else result.charts.drawn++;
    });
  });

  // Live displays: a display the kernel updated in place (update_display_data with its
  // display_id) must show its last update, and that update must not read as unfinished.
  const versions = new Map();
  for (const m of facts.msgs) {
    if ((m.type !== "display_data" && m.type !== "update_display_data") || !m.displayId) continue;
    if (!versions.has(m.displayId)) versions.set(m.displayId, { list: [], updated: false });
    const v = versions.get(m.displayId);
    v.list.push(m);
    v.updated ||= m.type === "update_display_data";
  }
  for (const { list, updated } of versions.values()) {
    if (!updated) continue;
    result.live.count++;
    const last = list[list.length - 1];
    const lastText = squash(last.data["text/plain"]);
    const label = lastText ? `"${clip(lastText, 80)}"` : `(${Object.keys(last.data).join(", ")})`;
    let where = null;
    nb.cells.forEach((c, i) => (c.outputs ?? []).forEach((o, j) => { if (!where && sameData(o.data, last.data)) where = { i, j }; }));
    if (!where) {
      const stuck = list.findLastIndex((m) => nb.cells.some((c) => (c.outputs ?? []).some((o) => sameData(o.data, m.data))));
      const what = stuck >= 0 ? `it shows update ${stuck} of ${list.length - 1}: "${clip(squash(list[stuck].data["text/plain"]), 80)}"` : "no output of the notebook holds it";
      problems.push({ cell: 0, kind: "live", message: `live display ${label} is not in its final state: ${what}` });
      continue;
    }
    const dom = facts.cells[where.i]?.outputs?.[where.j];
    let why = null;
    if (!dom) why = "JupyterLab shows nothing for it";
    else if (dom.mime === "text/plain" && dom.text !== lastText) why = `the page shows "${clip(dom.text, 80)}"`;
    // HTML may run scripts that add to what it shows; its own text must still be there.
    else if (dom.mime === "text/html" && last.htmlText !== undefined && !dom.text.includes(last.htmlText.slice(0, 10_000))) why = `the page shows "${clip(dom.text, 80)}"`;
    else if (dom.mime === PLOTLY_MIME && !dom.chart?.drawn) why = "its chart is not drawn";
    else if (dom.mime === PLOTLY_MIME && dom.plot?.data !== JSON.stringify(last.data[PLOTLY_MIME]?.data ?? null, (k, v) => (k === "uid" ? undefined : v))) {
      // JupyterLab hands an updated output to the renderer already on the page; a renderer that
      // keeps its first drawing (jupyterlab-plotly does) shows a stale chart.
      why = `the chart on the page was drawn from an earlier update${dom.plot?.title ? ` (its title reads "${clip(dom.plot.title, 100)}")` : ""}, not from the last one`;
    }
    const unfinished = unfinishedProgress(last.data["text/plain"]);
    if (!why && unfinished) why = `its last update stops at ${unfinished}`;
    if (why) problems.push({ cell: where.i + 1, kind: "live", message: `live display ${label} is not in its final state: ${why}` });
    else result.live.final++;
  }

  // The page may not reach other hosts (the course runs offline): when a chart is missing, a
  // refused request is a likely reason, so name them.
  if (result.charts.drawn < result.charts.expected && facts.blocked?.length) {
    const urls = [...new Set(facts.blocked)];
    problems.push({ cell: 0, kind: "chart", message: `network requests refused (JupyterLab must work offline): ${urls.slice(0, 3).join(", ")}${urls.length > 3 ? ", ..." : ""}` });
  }

  result.errors = problems.filter((p) => !["chart", "live"].includes(p.kind)).length;
  return result;
}
