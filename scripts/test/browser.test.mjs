// `npm run browser` must pass a notebook whose charts and live display work, and fail each way a
// notebook can be wrong in a browser: a cell that errors, a chart plotly cannot draw, a chart
// whose HTML export needs the network, a live display that does not end in its final state.
// A failing exercise check (a real course exercise given a wrong answer, the cell marked as
// expected to fail) must show the learner its ✘ line and hint and nothing else; the same feedback
// with a stack (source line, caret, frames) must fail. The fixtures are in
// scripts/test/fixtures/browser; one run checks them all (one JupyterLab server, one Chromium), as
// `npm test` checks the course.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../lib/project.mjs";
import { chromiumMissing } from "../lib/browser/chromium.mjs";
import { firstLine, judgeLab, notFeedback, unfinishedProgress } from "../lib/browser/verdict.mjs";

const FIXTURES = join(ROOT, "scripts", "test", "fixtures", "browser");
const REL = "scripts/test/fixtures/browser";

/** Height in pixels of a PNG file (from its IHDR chunk), or null if it is not a PNG. */
function pngHeight(path) {
  const b = readFileSync(path);
  return b.subarray(1, 4).toString("latin1") === "PNG" ? b.readUInt32BE(20) : null;
}
/** Width in pixels of a PNG file, or null if it is not a PNG. */
function pngWidth(path) {
  const b = readFileSync(path);
  return b.subarray(1, 4).toString("latin1") === "PNG" ? b.readUInt32BE(16) : null;
}

test("progress and error lines are read as the notebook runner reads them", () => {
  assert.equal(unfinishedProgress("done: 200/200 steps"), null);
  assert.equal(unfinishedProgress("training: 150 / 200 steps"), "150/200");
  assert.equal(unfinishedProgress("epoch 3/3, batch 10/40"), "10/40", "the last count is the one that must be complete");
  assert.equal(unfinishedProgress("loss 0.25"), null);
  assert.equal(firstLine("evalmachine.<anonymous>:3\n    f();\n\nRangeError: window longer than series\n    at f"), "RangeError: window longer than series");
  assert.equal(firstLine("1:7 - Type 'string' is not assignable to type 'number'."), "1:7 - Type 'string' is not assignable to type 'number'.");
});

// What tslab prints for a failing check, as the page shows it: the feedback alone (kernel-lib's
// FeedbackError), and the same error as Node prints one that keeps its stack.
const FEEDBACK = "✘ ch03-perplexity: guessing uniformly among 28 characters gives perplexity 28: is off by 26% (relative to the expected value), more than the tolerance of 0.0001%.\nHint: each token costs ln 28 nats here: what turns that back into 28?";
const CRASH = [
  "/work/main/kernel-lib/dist/testing/exercise.js:72",
  "        throw new ExerciseError(`✘ ${this.exercise}: ${what}: ${problem}.${tip}`);",
  "        ^",
  "",
  `ExerciseError: ${FEEDBACK}`,
  "    at ExerciseChecker.fail (/work/main/kernel-lib/dist/testing/exercise.js:72:15)",
  "    at ExerciseChecker.close (/work/main/kernel-lib/dist/testing/exercise.js:120:18)",
  "    at evalmachine.<anonymous>:3:48",
].join("\n");

test("an error output reads as feedback only when it shows the ✘ line and its hint, nothing else", () => {
  assert.equal(notFeedback(FEEDBACK), null);
  assert.equal(notFeedback("✘ claim does not hold: the loss falls (first = 2.3, last = 2.9)"), null);
  const crash = notFeedback(CRASH);
  assert.match(crash, /^it does not begin with the ✘ line; it shows a source line \("\/work\/main\/kernel-lib\/dist\/testing\/exercise\.js:72"\), a caret \("\^"\), 3 stack frames \("at ExerciseChecker\.fail /);
  assert.match(crash, /the error's name \("ExerciseError: ✘ ch03-perplexity/);
  // Each piece of a crash alone is enough to fail.
  assert.match(notFeedback(`${FEEDBACK}\n    at checkExercise (exercise.js:143:5)`), /^it shows 1 stack frame /);
  assert.match(notFeedback(`evalmachine.<anonymous>:3\n${FEEDBACK}`), /does not begin with the ✘ line; it shows a source line/);
  assert.match(notFeedback(`${FEEDBACK}\n  ^^^`), /^it shows a caret/);
  assert.match(notFeedback(`ExerciseError: ${FEEDBACK}`), /it shows the error's name/);
  assert.equal(notFeedback(""), "it shows nothing");
});

test("a cell expected to fail: the run stops there; its error must match, and feedback must show alone", () => {
  const source = ["import * as kl from \"kernel-lib\";", "kl.exercises.ch03.checkPerplexity(wrong);", "console.log(1);"];
  const facts = (status, shown) => ({
    problems: [],
    notebook: {
      cells: source.map((code, i) => ({
        cell_type: "code", source: code, execution_count: i + 1, outputs: [],
        metadata: i === 1 ? { course: { expect_error: "✘ ch03-perplexity: " } } : {},
      })),
    },
    cells: source.map((_, i) => ({ outputs: i === 1 && shown !== null ? [{ mime: "application/vnd.jupyter.stderr", text: shown.replace(/\s+/g, " "), lines: shown }] : [] })),
    msgs: source.flatMap((code, i) => [
      { type: "execute_request", id: `r${i}`, code },
      { type: "execute_reply", parent: `r${i}`, status: i === 0 ? "ok" : i === 1 ? status : status === "error" ? "aborted" : "ok" },
    ]),
  });
  const ok = judgeLab(facts("error", FEEDBACK));
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.aborted, [], "the cell after the expected error is not run, by design: not an aborted cell");
  assert.deepEqual(ok.expected, { cell: 2, shown: FEEDBACK });

  const crashed = judgeLab(facts("error", CRASH));
  assert.equal(crashed.problems.length, 1);
  assert.equal(crashed.problems[0].kind, "feedback");
  assert.match(crashed.problems[0].message, /^the expected error does not read as feedback \(the ✘ line and its hint, nothing else\): it does not begin with the ✘ line; it shows a source line/);

  const other = judgeLab(facts("error", "RangeError: window longer than series"));
  assert.deepEqual(other.problems.map((p) => `${p.cell} ${p.kind}: ${p.message}`), ['2 expected error: expected an error containing "✘ ch03-perplexity: ", but the page shows: RangeError: window longer than series']);
  const none = judgeLab(facts("ok", null));
  assert.deepEqual(none.problems.map((p) => `${p.cell} ${p.kind}: ${p.message}`), ["2 expected error: expected an error containing \"✘ ch03-perplexity: \", but it ran without one (reply 'ok')"]);
  assert.equal(none.expected, null);
});

// Without Chromium this cannot run; CI installs it (.ci/run), so there a missing browser fails.
const missing = chromiumMissing();
const skip = missing && !process.env.CI ? `needs Chromium: ${missing}` : false;

test("npm run browser passes the good fixture and a failing check shown as feedback, and fails a failing cell, an error after the last cell, charts not drawn, live displays not final, feedback with a stack", { skip, timeout: 300_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), "browser-test-"));
  const listing = readdirSync(FIXTURES).sort();
  const before = Object.fromEntries(listing.filter((f) => f.endsWith(".ipynb")).map((f) => [f, readFileSync(join(FIXTURES, f), "utf8")]));
  let stdout = "";
  let code = 0;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "scripts", "browser-test.mjs"), "--out", out, FIXTURES], { cwd: ROOT, timeout: 280_000, maxBuffer: 10 * 1024 * 1024 }));
  } catch (e) {
    ({ stdout = "", code } = e);
  }
  const say = `\n--- npm run browser printed (artifacts in ${out}) ---\n${stdout}`;
  assert.equal(code, 1, `exit code 1 when a notebook fails${say}`);
  assert.match(stdout, /^browser: 2 passed, 5 failed$/m, say);

  // The good fixture: every chart drawn in JupyterLab and in the offline HTML export, the live
  // display in its last state, screenshots of both (the whole notebook, not just one screen).
  assert.match(stdout, new RegExp(`^PASS  ${REL}/good\\.ipynb  3 charts drawn, live display final, 0 errors, screenshot ${out}/good\\.png  `, "m"), say);
  assert.match(stdout, new RegExp(`^      HTML export ${out}/good\\.html: 3/3 charts drawn offline .*screenshot ${out}/good\\.html\\.png$`, "m"), say);
  assert.ok(pngHeight(join(out, "good.png")) > 1500, "the JupyterLab screenshot shows the whole notebook");
  assert.ok(pngHeight(join(out, "good.html.png")) > 1500, "the export screenshot shows the whole page");
  const executed = JSON.parse(readFileSync(join(out, "good.ipynb"), "utf8"));
  assert.ok(executed.cells.filter((c) => c.cell_type === "code").every((c) => c.execution_count > 0), "the executed notebook is written with its outputs");

  // A TypeScript error: named with its cell, and the cell after it is aborted, not passed.
  assert.match(stdout, new RegExp(`^FAIL  ${REL}/failing-cell\\.ipynb  0 charts drawn, no live display, 1 error, `, "m"), say);
  assert.match(stdout, new RegExp(`${REL}/failing-cell\\.ipynb cell 3: error: 1:7 - Type 'string' is not assignable to type 'number'\\.`), say);
  assert.match(stdout, new RegExp(`${REL}/failing-cell\\.ipynb cell 4: aborted`), say);

  // An error thrown by a cell's timer after the last cell: every cell green, the notebook failed
  // by the request that waits for that work (as the notebook runner's).
  assert.match(stdout, new RegExp(`^FAIL  ${REL}/late-error\\.ipynb  0 charts drawn, no live display, 2 errors, `, "m"), say);
  assert.match(stdout, new RegExp(`${REL}/late-error\\.ipynb notebook: error: after the last cell: .*late boom: thrown 3 s after its cell finished`), say);
  assert.match(stdout, new RegExp(`${REL}/late-error\\.ipynb cell 2: error: Error: late boom`), say); // shown under the cell that started it, as JupyterLab shows it

  // Charts not drawn: a figure plotly cannot draw (the cell itself runs fine), and a valid chart
  // that JupyterLab draws (its plotly extension is offline) but whose HTML needs a CDN.
  assert.match(stdout, new RegExp(`^FAIL  ${REL}/broken-chart\\.ipynb  1/2 charts drawn, no live display, 0 errors, `, "m"), say);
  assert.match(stdout, new RegExp(`${REL}/broken-chart\\.ipynb cell 2: chart: the chart in output 1 is not drawn: plotly drew the axes but no data`), say);
  assert.match(stdout, new RegExp(`${REL}/broken-chart\\.ipynb cell 3: export: HTML export: 0/1 charts drawn offline`), say);
  assert.match(stdout, /broken-chart\.ipynb notebook: export: .*network requests refused \(the page must work offline\): https:\/\/cdn\.plot\.ly\//, say);

  // Live displays: one whose last update reads as unfinished, and a chart updated in place that
  // the page still shows in its first state.
  assert.match(stdout, new RegExp(`^FAIL  ${REL}/live-not-final\\.ipynb  2 charts drawn, 0/2 live displays final, 0 errors, `, "m"), say);
  assert.match(stdout, new RegExp(`${REL}/live-not-final\\.ipynb cell 3: live: live display "training: 150/200 steps" is not in its final state: its last update stops at 150/200`), say);
  assert.match(stdout, new RegExp(`${REL}/live-not-final\\.ipynb cell 4: live: live display "loss after 200/200 steps" is not in its final state: the chart on the page was drawn from an earlier update \\(its title reads "loss after 50/200 steps"\\)`), say);

  // A real exercise check given a wrong answer, in a cell marked as expected to fail: the page
  // shows its ✘ line and its hint, nothing else, and the run stops there (cell 4 is not aborted).
  assert.match(stdout, new RegExp(`^PASS  ${REL}/exercise-feedback\\.ipynb  0 charts drawn, no live display, 0 errors, .*, stopped at the expected error in cell 3$`, "m"), say);
  const shown = new RegExp(`^      ${REL}/exercise-feedback\\.ipynb cell 3 shows the expected error as:\\n((?:        \\|.*\\n)+)`, "m").exec(stdout);
  assert.ok(shown, `the report shows what the page showed${say}`);
  const lines = shown[1].split("\n").filter(Boolean).map((l) => l.replace(/^        \| ?/, ""));
  assert.equal(lines.length, 2, `the ✘ line and the hint, nothing else${say}`);
  assert.match(lines[0], /^✘ ch03-perplexity: guessing uniformly among 28 characters gives perplexity 28: is off by /);
  assert.equal(lines[1], "Hint: each token costs ln 28 nats here: what turns that back into 28?");
  assert.doesNotMatch(stdout, /exercise-feedback\.ipynb cells? \d+(-\d+)?: /, `no problem and no aborted cell reported${say}`);

  // The same feedback thrown with its stack (what a learner saw before FeedbackError): it fails,
  // naming what else the output shows.
  assert.match(stdout, new RegExp(`^FAIL  ${REL}/feedback-with-stack\\.ipynb  0 charts drawn, no live display, 1 error, `, "m"), say);
  assert.match(stdout, new RegExp(`${REL}/feedback-with-stack\\.ipynb cell 2: feedback: the expected error does not read as feedback \\(the ✘ line and its hint, nothing else\\): it does not begin with the ✘ line; it shows 1 stack frame \\("at this cell, line 14: throw new StackedExerciseError[^"]*"\\), the error's name \\("ExerciseError: ✘ ch03-perplexity`), say);

  // Autosave is off and checkpoints go elsewhere: nothing is written to or beside the notebooks.
  assert.deepEqual(readdirSync(FIXTURES).sort(), listing, "no file appeared beside the fixtures");
  for (const [f, text] of Object.entries(before)) assert.equal(readFileSync(join(FIXTURES, f), "utf8"), text, `${f} was modified`);
  rmSync(out, { recursive: true, force: true }); // kept when an assertion above fails, to look at
});

// --chart-screenshot (how the README's image is made), on the good fixture alone: one notebook at
// a time, since "the first notebook that has the chart" needs an order.
test("npm run browser --chart-screenshot saves the chart alone, drawn 900 px wide, as JupyterLab draws it", { skip, timeout: 200_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), "browser-shot-"));
  const shot = join(out, "step-time.png");
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "scripts", "browser-test.mjs"), "--out", out, "--chart-screenshot", `Step time=${shot}`, join(FIXTURES, "good.ipynb")], { cwd: ROOT, timeout: 180_000, maxBuffer: 10 * 1024 * 1024 });
  const say = `\n--- npm run browser printed ---\n${stdout}`;
  assert.match(stdout, new RegExp(`^      chart "Step time": element screenshot ${out}/step-time\\.png \\(\\d+ x \\d+ px\\)$`, "m"), say);
  assert.ok(Math.abs(pngWidth(shot) - 900) <= 2, `the chart screenshot is 900 px wide, got ${pngWidth(shot)}`);
  assert.ok(pngHeight(shot) < 900, "the chart screenshot shows the chart, not the page");
  rmSync(out, { recursive: true, force: true });
});
