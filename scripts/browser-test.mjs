#!/usr/bin/env node
// `npm run browser [-- solutions/99-gallery.ipynb ...] [--out DIR] [--timeout S]` (default: solutions/)
//
// The course in a real browser: JupyterLab served as `npm start` serves it, headless Chromium
// (the first Chromium or Chrome found, set-up installing Debian's chromium where it can; driven
// by playwright-core: lib/browser/chromium.mjs), each notebook opened and run with
// Run > Run All Cells. A notebook passes when
//   - no cell shows an error (kernel error replies, aborted cells, TypeScript diagnostics,
//     JupyterLab's "Javascript Error" for an output it could not render), except the one cell
//     the notebook expects to fail, as the notebook runner reads it ({"course": {"expect_error":
//     "substring"}}): that cell must fail with an error output that contains the substring, and
//     the run stops there. An expected error that is course feedback (the substring begins with
//     ✘: a failed exercise check, a claim that does not hold) must show that feedback alone, the
//     ✘ line and its hint, with no source line, caret or stack frames (verdict.mjs, notFeedback);
//   - every output that carried a plotly figure was drawn by JupyterLab's plotly renderer;
//   - every display updated in place (a live view) shows its last update, and that update does
//     not read as unfinished ("150/200");
//   - the work the cells started (timers, un-awaited loops) ends without an error: one more
//     request after the last cell waits for it, as the notebook runner's does (lab-notebook.mjs);
//   - exported to HTML by nbconvert and opened from disk with the network cut off, the notebook
//     draws the same charts (html-export.mjs explains how nbconvert picks the HTML).
// Artifacts go to build/browser/ (or --out): the executed notebook, its HTML export, and
// screenshots of both. One line per notebook, then `browser: N passed, M failed`.
//
// `--chart-screenshot "TITLE=FILE.png"` (repeatable) also saves one chart as JupyterLab draws it:
// the first chart whose title contains TITLE, in the notebooks checked, drawn 900 px wide and
// captured alone (an element screenshot). This is how the README's image is made:
//   node scripts/browser-test.mjs solutions/06-gru.ipynb \
//     --chart-screenshot "Gradient reaching step t: RNN, LSTM and GRU=docs/screenshot-gradient-norms.png"
// A TITLE found in no notebook counts as a failure.
//
// One server and one browser serve all notebooks; each notebook gets its own page and kernel, two
// notebooks at a time (BROWSER_JOBS=1 for one), each kernel shut down when its notebook is judged.
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { BUILD, ROOT, SetupError, claimArtifactsDir } from "./lib/project.mjs";
import { ensureSetupOrExit } from "./setup.mjs";
import { ensureChromium, launchChromium } from "./lib/browser/chromium.mjs";
import { startJupyterLab } from "./lib/browser/jupyterlab.mjs";
import { runInLab } from "./lib/browser/lab-notebook.mjs";
import { checkHtmlExport } from "./lib/browser/html-export.mjs";
import { judgeLab } from "./lib/browser/verdict.mjs";
import { exitAfterOutput } from "./lib/exit-after-output.mjs";

const USAGE = [
  "usage: npm run browser [-- notebook.ipynb|folder ...] [--out DIR] [--timeout SECONDS] [--chart-screenshot \"TITLE=FILE.png\" ...]",
  "  --chart-screenshot \"TITLE=FILE.png\"  save the first chart whose title contains TITLE, drawn 900 px wide, as FILE.png",
  "                                     (an element screenshot of JupyterLab's rendering; repeatable)",
].join("\n");

/** "TITLE=FILE.png" → { title, path }: split at the last "=" (a title may contain one, a path rarely does). */
function chartShot(value) {
  const at = String(value ?? "").lastIndexOf("=");
  const title = at > 0 ? value.slice(0, at).trim() : "";
  const file = at > 0 ? value.slice(at + 1).trim() : "";
  if (!title || !file.endsWith(".png")) throw new Error(`--chart-screenshot needs "TITLE=FILE.png", got ${JSON.stringify(value ?? "")}\n${USAGE}`);
  return { title, path: resolve(file) };
}

function parseArgs(argv) {
  const opts = { paths: [], out: join(BUILD, "browser"), timeout: Number(process.env.BROWSER_TIMEOUT ?? 300), chartShots: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out") opts.out = resolve(argv[++i] ?? "");
    else if (a.startsWith("--out=")) opts.out = resolve(a.slice(6));
    else if (a === "--timeout") opts.timeout = Number(argv[++i]);
    else if (a.startsWith("--timeout=")) opts.timeout = Number(a.slice(10));
    else if (a === "--chart-screenshot") opts.chartShots.push(chartShot(argv[++i]));
    else if (a.startsWith("--chart-screenshot=")) opts.chartShots.push(chartShot(a.slice(19)));
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else opts.paths.push(a);
  }
  if (!(opts.timeout > 0)) throw new Error(`--timeout needs a number of seconds\n${USAGE}`);
  return opts;
}

/** The notebooks to check, as paths relative to ROOT (JupyterLab serves ROOT and nothing else). */
function collectNotebooks(args) {
  const found = [];
  // By default the complete notebooks: a learner's copy stops at its first unsolved exercise (by
  // design), so only solutions/ draws every chart of the course.
  for (const arg of args.length ? args : ["solutions"]) {
    const full = isAbsolute(arg) ? arg : resolve(process.cwd(), arg);
    if (!existsSync(full)) throw new Error(`no such notebook or folder: ${arg}`);
    if (relative(ROOT, full).startsWith("..")) throw new Error(`${arg} is outside the project: JupyterLab serves ${ROOT} only`);
    const files = statSync(full).isDirectory()
      ? readdirSync(full).filter((n) => n.endsWith(".ipynb")).sort().map((n) => join(full, n))
      : [full];
    for (const f of files) {
      const rel = relative(ROOT, f);
      if (!f.endsWith(".ipynb")) throw new Error(`${arg} is not a notebook (.ipynb)`);
      found.push(rel.split(sep).join("/"));
    }
  }
  return [...new Set(found)];
}

/** Artifact names: the notebook's file name, or its whole path when two notebooks share one. */
function artifactStems(rels) {
  const count = new Map();
  for (const r of rels) count.set(basename(r), (count.get(basename(r)) ?? 0) + 1);
  return rels.map((r) => (count.get(basename(r)) > 1 ? r.replace(/\//g, "__") : basename(r)).replace(/\.ipynb$/, ""));
}

const show = (path) => (path ? (relative(ROOT, path).startsWith("..") ? path : relative(ROOT, path)) : "(none)");
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

function describe(rel, lab, exp, seconds) {
  const problems = [...lab.problems, ...(exp?.problems ?? [])];
  const passed = problems.length === 0 && lab.aborted.length === 0; // an aborted cell never passes
  const { expected, drawn } = lab.charts;
  const charts = drawn === expected ? `${plural(drawn, "chart")} drawn` : `${drawn}/${expected} charts drawn`;
  const { count, final } = lab.live;
  const live = count === 0 ? "no live display" : final === count ? `${count === 1 ? "live display" : `${count} live displays`} final` : `${final}/${count} live displays final`;
  const stop = lab.expected ? `, stopped at the expected error in cell ${lab.expected.cell}` : "";
  const lines = [`${passed ? "PASS" : "FAIL"}  ${rel}  ${charts}, ${live}, ${plural(lab.errors, "error")}, screenshot ${show(lab.screenshot)}  ${seconds.toFixed(1)} s${stop}`];
  if (lab.expected) {
    // What the learner reads in that cell's error output, line by line (at most 12 lines).
    const shown = lab.expected.shown.split("\n");
    lines.push(`      ${rel} cell ${lab.expected.cell} shows the expected error as:`);
    for (const l of shown.slice(0, 12)) lines.push(`        | ${l}`.trimEnd());
    if (shown.length > 12) lines.push(`        | (${shown.length - 12} more lines)`);
  }
  if (exp?.html) {
    const offline = `${exp.drawn}/${exp.expected} charts drawn offline${exp.blocked.length ? ` (${plural(exp.blocked.length, "network request")} refused)` : ""}`;
    lines.push(`      HTML export ${show(exp.html)}: ${offline}, screenshot ${show(exp.screenshot)}`);
  }
  for (const c of lab.chartShots ?? []) lines.push(`      chart "${c.shownTitle}": element screenshot ${show(c.path)} (${c.width} x ${c.height} px)`);
  for (const p of problems) lines.push(`      ${rel} ${p.cell ? `cell ${p.cell}` : "notebook"}: ${p.kind}: ${p.message}`);
  if (lab.aborted.length) {
    const a = lab.aborted;
    const span = a.length === 1 ? `cell ${a[0]}` : `cells ${a[0]}-${a[a.length - 1]}`;
    lines.push(`      ${rel} ${span}: aborted (${plural(a.length, "cell")} not run because of the error above)`);
  }
  return { passed, lines };
}

async function main() {
  let opts;
  let rels;
  try {
    opts = parseArgs(process.argv.slice(2));
    rels = collectNotebooks(opts.paths);
    claimArtifactsDir(opts.out, "the browser test");
  } catch (e) {
    console.error(`browser: ${e.message}`);
    process.exit(2);
  }
  if (rels.length === 0) {
    console.log("browser: nothing to check (no .ipynb found)");
    console.log("browser: 0 passed, 1 failed");
    process.exit(1);
  }
  const env = ensureSetupOrExit();
  let chromiumPath;
  try {
    // Finds a Chromium or Chrome; as root with apt-get, installs Debian's chromium if there is none.
    chromiumPath = ensureChromium();
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    console.log(`browser: ${e.message}`);
    console.log(`browser: 0 passed, ${rels.length} failed`);
    process.exit(1);
  }
  mkdirSync(opts.out, { recursive: true });

  const t0 = Date.now();
  let lab = null;
  let browser = null;
  const cleanUp = async () => {
    await browser?.close();
    await lab?.stop();
  };
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => cleanUp().finally(() => process.exit(130)));

  let passed = 0;
  let failed = 0;
  const shotsTaken = new Set();
  try {
    lab = await startJupyterLab(env.python);
    browser = await launchChromium({ executablePath: chromiumPath });
    console.log(`browser: JupyterLab at ${lab.base}, Chromium headless; checking ${plural(rels.length, "notebook")}`);
    const stems = artifactStems(rels);
    const checkOne = async (k) => {
      const rel = rels[k];
      const started = Date.now();
      const stem = stems[k];
      const facts = await runInLab({
        context: browser.context,
        lab,
        rel,
        screenshot: join(opts.out, `${stem}.png`),
        executed: join(opts.out, `${stem}.ipynb`),
        timeoutSeconds: opts.timeout,
        workspace: `browser-test-${k}`,
        // Each requested chart is saved once, from the first notebook that has it.
        chartShots: opts.chartShots.filter((c) => !shotsTaken.has(c)),
      });
      for (const c of facts.chartShots ?? []) shotsTaken.add(opts.chartShots.find((s) => s.title === c.title && s.path === c.path));
      const verdict = { ...judgeLab(facts), screenshot: facts.screenshot, chartShots: facts.chartShots };
      const exp = facts.executed ? await checkHtmlExport({ context: browser.context, python: env.python, executed: facts.executed, outDir: opts.out }) : null;
      const { passed: ok, lines } = describe(rel, verdict, exp, (Date.now() - started) / 1000);
      console.log(lines.join("\n"));
      if (ok) passed++;
      else failed++;
    };
    // Each notebook's kernel keeps one core busy; the server and the browser mostly wait. So two
    // notebooks run at once (each in its own page and kernel, its lines printed whole when it is
    // judged), one at a time when chart screenshots are asked for ("the first notebook that has
    // it" needs an order) or BROWSER_JOBS says so.
    const jobs = opts.chartShots.length ? 1 : Math.max(1, Number(process.env.BROWSER_JOBS ?? 2) || 1);
    let next = 0;
    const lane = async () => {
      while (next < rels.length) await checkOne(next++);
    };
    await Promise.all(Array.from({ length: Math.min(jobs, rels.length) }, lane));
  } catch (e) {
    // The server or the browser failed: every notebook not yet judged counts as failed.
    console.log(`browser: ${e.message}`);
    failed = rels.length - passed;
  } finally {
    await cleanUp();
  }
  for (const c of opts.chartShots.filter((s) => !shotsTaken.has(s))) {
    console.log(`browser: --chart-screenshot: no drawn chart whose title contains ${JSON.stringify(c.title)} in the notebooks checked; ${show(c.path)} not written`);
    failed++;
  }
  console.log(`browser: ${plural(rels.length, "notebook")} in ${((Date.now() - t0) / 1000).toFixed(1)} s, artifacts in ${show(opts.out)}`);
  console.log(`browser: ${passed} passed, ${failed} failed`);
  exitAfterOutput(failed ? 1 : 0);
}

main();
