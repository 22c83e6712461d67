// Runs one notebook in JupyterLab the way a learner does (open it, Run > Run All Cells) and
// collects what the page shows: every cell's outputs as rendered, the plotly charts, the kernel's
// messages (to know which displays were updated in place), and a screenshot. Judging what was
// collected is verdict.mjs's job.
import { writeFileSync } from "node:fs";
import { installProbe } from "./page-probes.mjs";

const VIEWPORT = { width: 1280, height: 900 };
// Chromium cannot capture taller images; a notebook longer than this is cut at the bottom.
const MAX_SCREENSHOT_HEIGHT = 16_000;

/** BROWSER_DEBUG=1 prints how long each step took, to stderr (where the time goes). */
function stopwatch(label) {
  const t0 = Date.now();
  return (step) => {
    if (process.env.BROWSER_DEBUG) console.error(`  ${label} [${((Date.now() - t0) / 1000).toFixed(1)} s] ${step}`);
  };
}

/**
 * @param {object} o
 * @param {import("playwright-core").BrowserContext} o.context
 * @param {Awaited<ReturnType<import("./jupyterlab.mjs").startJupyterLab>>} o.lab
 * @param {string} o.rel          the notebook's path relative to the server's root (ROOT)
 * @param {string} o.screenshot   where to save the screenshot of the executed notebook
 * @param {string} o.executed     where to write the executed notebook (what JupyterLab would save)
 * @param {number} o.timeoutSeconds  time limit for running all cells
 * @param {string} o.workspace    a workspace name of its own, so no earlier notebook is reopened
 * @param {{ title: string, path: string }[]} [o.chartShots]  charts to save as element screenshots:
 *   the first drawn chart whose title (as shown) contains `title` is saved to `path`, about
 *   CHART_SHOT_WIDTH pixels wide (see shootCharts); the ones found are listed in facts.chartShots
 */
export async function runInLab({ context, lab, rel, screenshot, executed, timeoutSeconds, workspace, chartShots = [] }) {
  const lap = stopwatch(rel);
  const started = Date.now();
  const facts = { problems: [], blocked: [], msgs: [], cells: [], notebook: null, screenshot: null, executed: null, chartShots: [] };
  const page = await context.newPage();
  // The course must render offline: anything the page asks of another host is refused (and
  // reported), so a chart that needs a CDN fails here as it would on a learner's closed network.
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${lab.base}/`) || /^(data|blob):/.test(url)) return route.continue();
    facts.blocked.push(url);
    return route.abort();
  });
  let sessionId = null;
  let kernelId = null;
  try {
    const path = rel.split("/").map(encodeURIComponent).join("/");
    // ?reset starts from an empty layout: only this notebook is opened (and only its kernel started).
    await page.goto(lab.labUrl(`/lab/workspaces/${workspace}/tree/${path}?reset`));
    try {
      await page.waitForFunction((p) => {
        for (const w of window.jupyterapp?.shell?.widgets("main") ?? []) {
          if (w.context?.path === p && w.content?.model && w.sessionContext) {
            window.__course = { panel: w, msgs: [], stable: 0 };
            return true;
          }
        }
        return false;
      }, rel, { timeout: 60_000, polling: 200 });
    } catch {
      facts.problems.push({ cell: 0, kind: "open", message: "JupyterLab did not open the notebook within 60 s" });
      return facts;
    }

    lap("notebook open");

    // Wait for the kernel, then record every message it sends or receives. The page is what the
    // learner sees; the messages say which displays were updated in place, and how each cell's
    // execution ended (tslab reports errors as a reply status, with the message on stderr).
    const kernel = await page.evaluate(async () => {
      const { panel } = window.__course;
      // A kernel dialog (no such kernelspec) would keep these waiting: give up after 60 s.
      await Promise.race([Promise.all([panel.context.ready, panel.sessionContext.ready]), new Promise((r) => setTimeout(r, 60_000))]);
      const session = panel.sessionContext.session;
      if (!session?.kernel) return null;
      session.kernel.anyMessage.connect((_, { msg, direction }) => {
        const c = msg.content ?? {};
        const keep = { direction, type: msg.header.msg_type, id: msg.header.msg_id, parent: msg.parent_header?.msg_id };
        if (keep.type === "execute_request") keep.code = c.code;
        else if (keep.type === "execute_reply") Object.assign(keep, { status: c.status, ename: c.ename, evalue: c.evalue });
        else if (keep.type === "display_data" || keep.type === "update_display_data") Object.assign(keep, { data: c.data, displayId: c.transient?.display_id });
        else if (keep.type === "status") keep.state = c.execution_state;
        else return;
        window.__course.msgs.push(keep);
      });
      return { sessionId: session.id, kernelId: session.kernel.id, name: session.kernel.name };
    });
    if (!kernel) {
      facts.problems.push({ cell: 0, kind: "kernel", message: "JupyterLab started no kernel for the notebook (does its kernelspec name one this server has?)" });
      return facts;
    }
    ({ sessionId, kernelId } = kernel);
    try {
      await page.waitForFunction(() => window.__course.panel.sessionContext.session?.kernel?.status === "idle", null, { timeout: 60_000, polling: 200 });
    } catch {
      facts.problems.push({ cell: 0, kind: "kernel", message: `the ${kernel.name} kernel did not become idle within 60 s of starting` });
      return facts;
    }
    lap("kernel idle");

    // Run everything through the UI, as a learner would: the Run menu, then Run All Cells.
    await page.getByRole("menuitem", { name: "Run", exact: true }).click();
    await page.getByRole("menuitem", { name: /^Run All Cells/ }).click();
    try {
      await page.waitForFunction(() => window.__course.msgs.some((m) => m.type === "execute_request"), null, { timeout: 15_000, polling: 100 });
    } catch {
      facts.problems.push({ cell: 0, kind: "run", message: "Run > Run All Cells sent nothing to the kernel within 15 s" });
      return facts;
    }
    lap("Run All Cells clicked");
    // Done when no cell is queued or running ([*]) and the kernel is idle (or dead), for a whole
    // second: a cell that ends lets the next one start, with an idle moment between the two.
    try {
      await page.waitForFunction(() => {
        const c = window.__course;
        const status = c.panel.sessionContext.session?.kernel?.status;
        const running = c.panel.content.widgets.some((w) => w.model.type === "code" && w.model.executionState === "running");
        const settled = !running && (status === "idle" || status === "dead");
        c.stable = settled ? c.stable + 1 : 0;
        return c.stable >= 4;
      }, null, { timeout: timeoutSeconds * 1000, polling: 250 });
    } catch {
      facts.problems.push({ cell: 0, kind: "timeout", message: `the cells were still running after ${timeoutSeconds} s (time limit; --timeout changes it)` });
      await lab.api(`/api/kernels/${kernelId}/interrupt`, { method: "POST" }).catch(() => {});
    }
    if ((await page.evaluate(() => window.__course.panel.sessionContext.session?.kernel?.status)) === "dead") {
      facts.problems.push({ cell: 0, kind: "kernel", message: "the kernel died while running the notebook" });
    }
    lap("cells done");
    if (!facts.problems.length) {
      const left = timeoutSeconds - (Date.now() - started) / 1000;
      const after = await settleAfterLastCell(page, Math.min(SETTLE_MAX, left - SETTLE_MARGIN));
      if (after) facts.problems.push(after);
      lap("work after the last cell settled");
    }

    await waitForCharts(page);
    lap("charts settled");
    await page.evaluate(installProbe);
    Object.assign(facts, await collect(page));
    writeFileSync(executed, `${JSON.stringify(facts.notebook, null, 1)}\n`);
    facts.executed = executed;
    lap("page read");
    if (chartShots.length) {
      facts.chartShots = await shootCharts(page, chartShots);
      lap("charts shot");
    }
    await shootWholeNotebook(page, screenshot);
    lap("screenshot taken");
    facts.screenshot = screenshot;
    return facts;
  } catch (e) {
    // Playwright gave up on something (a click, the page itself): this notebook fails, with
    // Playwright's first line, and the run goes on with the next one.
    facts.problems.push({ cell: 0, kind: "browser", message: String(e.message).split("\n")[0] });
    return facts;
  } finally {
    // Close the kernel before the next notebook opens: one kernel at a time, nothing left running.
    if (sessionId) await lab.api(`/api/sessions/${sessionId}`, { method: "DELETE" }).catch(() => {});
    await page.close().catch(() => {});
  }
}

// The request after the last cell, as the notebook runner sends it (scripts/run_notebooks.py,
// probe_source): it waits until the work the cells started (timers, un-awaited loops) is done, at
// most SETTLE_MAX seconds and never past the notebook's time limit. An error that work throws
// then, or work that never ends, fails the notebook: Run All would end with every cell green
// while a learner's next cell would fail.
const SETTLE_MAX = 60;
const SETTLE_MARGIN = 4;
const NO_COURSE_KERNEL = "course-runner: this kernel has no __courseKernel__";

/** Sends that request on the notebook's kernel; returns a problem, or null when all was quiet. */
async function settleAfterLastCell(page, seconds) {
  const ms = Math.max(1000, Math.round(seconds * 1000));
  const kernel = "(globalThis as any).__courseKernel__";
  const code = `await Promise.resolve(${kernel} ? ${kernel}.settle(${ms}) : console.log("${NO_COURSE_KERNEL}"));`;
  const r = await page.evaluate(async ({ code, ms }) => {
    const k = window.__course.panel.sessionContext.session?.kernel;
    if (!k) return { status: "no kernel", text: "" };
    let text = "";
    const future = k.requestExecute({ code, silent: false, store_history: false, stop_on_error: true });
    window.__course.probe = future.msg.header.msg_id; // its messages are not a cell's (collect drops them)
    future.onIOPub = (msg) => {
      const c = msg.content ?? {};
      if (msg.header.msg_type === "stream") text += c.text;
      else if (msg.header.msg_type === "error") text += `${c.ename}: ${c.evalue}\n`;
    };
    const late = new Promise((resolve) => setTimeout(() => resolve(null), ms + 15_000));
    const reply = await Promise.race([future.done, late]);
    return reply ? { status: reply.content.status, text, evalue: reply.content.evalue ?? "" } : { status: "no reply", text };
  }, { code, ms });
  if (r.status === "ok" && !r.text.includes(NO_COURSE_KERNEL)) return null;
  if (r.text.includes(NO_COURSE_KERNEL)) return { cell: 0, kind: "kernel", message: "the notebook's kernel is not the course kernel (scripts/kernel/course-kernel.js), so errors after a cell finishes go unseen: run `npm run setup`" };
  const first = (r.text.split("\n").find((l) => l.trim()) ?? r.evalue ?? "").trim();
  return { cell: 0, kind: "error", message: `after the last cell: ${first || `the request that waits for the cells' work ended with status '${r.status}'`}` };
}

/**
 * plotly's renderer loads plotly.js lazily and draws asynchronously: wait until every chart of
 * the notebook has its SVG, or nothing has changed on the page for 5 s (a chart that failed to
 * render never will), or 30 s have passed. What is still missing is then reported, with why.
 */
async function waitForCharts(page) {
  const read = () =>
    page.evaluate(() => {
      const { panel } = window.__course;
      const wanted = panel.content.model.toJSON().cells.reduce((n, c) => n + (c.outputs ?? []).filter((o) => o.data?.["application/vnd.plotly.v1+json"]).length, 0);
      const plots = [...panel.content.node.querySelectorAll(".jp-OutputArea-output.jp-RenderedPlotly")];
      const withSvg = plots.filter((el) => el.querySelector("svg.main-svg")).length;
      return { done: withSvg >= wanted, signature: `${wanted}/${plots.length}/${withSvg}/${panel.content.node.querySelectorAll(".jp-OutputArea-child").length}` };
    });
  const until = Date.now() + 30_000;
  let last = null;
  let since = Date.now();
  while (Date.now() < until) {
    const { done, signature } = await read();
    if (done) return;
    if (signature !== last) [last, since] = [signature, Date.now()];
    else if (Date.now() - since > 5_000) return;
    await page.waitForTimeout(250);
  }
}

/** Everything the verdict needs, read from the page in one go. */
async function collect(page) {
  return page.evaluate(() => {
    const { panel, probe: settleId } = window.__course;
    const msgs = window.__course.msgs.filter((m) => !settleId || (m.id !== settleId && m.parent !== settleId));
    const probe = window.__courseProbe;
    const notebook = panel.content.model.toJSON();
    const cells = panel.content.widgets.map((w, i) => ({
      index: i + 1,
      type: w.model.type,
      // One entry per output, in the model's order: how JupyterLab rendered it.
      outputs: [...w.node.querySelectorAll(".jp-OutputArea-child")].map((child) => {
        const el = child.querySelector(".jp-OutputArea-output");
        if (!el) return { mime: null, text: "" };
        const plotly = el.classList.contains("jp-RenderedPlotly");
        const mime = plotly ? "application/vnd.plotly.v1+json" : el.getAttribute("data-mime-type");
        return {
          mime,
          text: probe.visibleText(el).slice(0, 20_000),
          // An error output's lines as shown, for the verdict on an expected error.
          lines: mime === "application/vnd.jupyter.stderr" ? probe.shownLines(el).slice(0, 20_000) : undefined,
          chart: plotly ? probe.chartState(el) : null,
          plot: plotly ? probe.plotOf(el) : null,
        };
      }),
    }));
    // The visible text of each live display's last HTML, to compare with what the page shows.
    const last = new Map(msgs.filter((m) => m.displayId).map((m) => [m.displayId, m]));
    for (const m of last.values()) if (typeof m.data?.["text/html"] === "string") m.htmlText = probe.textOf(m.data["text/html"]);
    return { notebook, cells, msgs };
  });
}

// The width a chart is drawn at for its element screenshot (a README-sized image).
const CHART_SHOT_WIDTH = 900;

/**
 * Saves each requested chart as an element screenshot: the first drawn plotly output whose title,
 * as the page shows it, contains the requested text. The window is narrowed (or widened) so that
 * the output is CHART_SHOT_WIDTH pixels wide, plotly redraws at that width (JupyterLab's plotly
 * renderer follows its output's size), and only the chart's own box is captured. Returns what
 * was saved: { title, path, shownTitle, width, height }; a title found nowhere is left out.
 */
async function shootCharts(page, shots) {
  await page.evaluate(() => window.jupyterapp.shell.collapseLeft());
  const saved = [];
  for (const { title, path } of shots) {
    const find = () =>
      page.evaluate((wanted) => {
        const outputs = [...window.__course.panel.content.node.querySelectorAll(".jp-OutputArea-output.jp-RenderedPlotly")];
        const index = outputs.findIndex((el) => el.querySelector("svg.main-svg") && (el.querySelector(".g-gtitle")?.textContent ?? "").replace(/[\s\u200b]+/g, " ").includes(wanted));
        if (index < 0) return null;
        const el = outputs[index];
        el.scrollIntoView({ block: "center" });
        const box = el.getBoundingClientRect();
        return { index, width: Math.round(box.width), shownTitle: el.querySelector(".g-gtitle").textContent.replace(/[\s\u200b]+/g, " ").trim() };
      }, title);
    let found = await find();
    if (!found) continue;
    const viewport = page.viewportSize();
    if (Math.abs(found.width - CHART_SHOT_WIDTH) > 2) {
      await page.setViewportSize({ width: Math.max(400, viewport.width + CHART_SHOT_WIDTH - found.width), height: viewport.height });
      await page.waitForTimeout(1000); // the layout, then plotly's redraw at the new width
      found = await find();
    }
    const element = page.locator(".jp-OutputArea-output.jp-RenderedPlotly").nth(found.index);
    // The pointer away from the chart, so that plotly's toolbar (shown on hover) is not in the picture.
    await page.mouse.move(0, 0);
    await element.screenshot({ path });
    const box = await element.boundingBox();
    saved.push({ title, path, shownTitle: found.shownTitle, width: Math.round(box?.width ?? 0), height: Math.round(box?.height ?? 0) });
    await page.setViewportSize(viewport);
  }
  return saved;
}

/**
 * JupyterLab scrolls the notebook inside a fixed-height panel, so a page screenshot shows only the
 * first screen. Hide the file browser, make the window as tall as the notebook, then shoot.
 */
async function shootWholeNotebook(page, path) {
  await page.evaluate(() => window.jupyterapp.shell.collapseLeft());
  // The notebook scrolls inside its outer node; Run All left it at the bottom. Measure down to
  // the last cell (not scrollHeight: JupyterLab adds blank room to scroll past the end).
  const toTop = () =>
    page.evaluate(() => {
      const notebook = window.__course.panel.content;
      const scroller = notebook.outerNode ?? notebook.node;
      scroller.scrollTop = 0;
      const last = notebook.widgets[notebook.widgets.length - 1]?.node;
      if (!last) return 0;
      return Math.ceil(last.getBoundingClientRect().bottom - scroller.getBoundingClientRect().top + 16 - scroller.clientHeight);
    });
  // Cells below the window are only estimated (JupyterLab skips laying them out), so grow the
  // window until the measure stops changing: each step lays out the cells that came into view.
  let height = VIEWPORT.height;
  for (let round = 0; round < 6; round++) {
    const wanted = Math.min(height + Math.max(0, await toTop()), MAX_SCREENSHOT_HEIGHT);
    if (round > 0 && wanted <= height) break;
    height = wanted;
    await page.setViewportSize({ width: VIEWPORT.width, height });
    // Let JupyterLab lay out the taller window and plotly redraw at the new size.
    await page.waitForTimeout(500);
  }
  await toTop();
  await page.screenshot({ path });
}
