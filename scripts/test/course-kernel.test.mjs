// The course kernel (scripts/kernel/course-kernel.js) as a learner sees it in JupyterLab: an error
// in work a cell started, thrown after that cell finished, shows in full under that cell (JupyterLab
// 4 keeps a finished cell's output open until the cell runs again), and fails the cell running at
// that moment with one line naming the cell that started the work, so Run All stops there.
// (The notebook runner's side of the same errors: notebook-runner.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, chooseEnvironment, sysPrefix } from "../lib/project.mjs";
import { chromiumMissing, launchChromium } from "../lib/browser/chromium.mjs";
import { startJupyterLab } from "../lib/browser/jupyterlab.mjs";
import { runInLab } from "../lib/browser/lab-notebook.mjs";
import { courseKernelSpec } from "../setup.mjs";

const FIXTURES = "scripts/test/fixtures/notebook-runner";

/** Each request's reply over the real protocol (scripts/test/kernel_replies.py): status, ename, evalue, traceback, iopub. */
function kernelReplies(requests, env = process.env) {
  const r = spawnSync(chooseEnvironment().python, [join(ROOT, "scripts", "test", "kernel_replies.py"), JSON.stringify(requests)], { cwd: ROOT, encoding: "utf8", timeout: 170_000, env });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split("\n").map((l) => JSON.parse(l));
}
/** The text a reply's execution wrote to one stream ("stdout" or "stderr"). */
const streams = (reply, name) => reply.iopub.filter(([kind, n]) => kind === "stream" && n === name).map((m) => m[2]).join("");

test("the tslab kernelspec set-up registers runs the course kernel, named TypeScript", () => {
  const spec = courseKernelSpec("/usr/bin/node", "linux");
  assert.deepEqual(spec.argv, ["/usr/bin/node", join(ROOT, "scripts", "kernel", "course-kernel.js"), "--config-path", "{connection_file}"]);
  assert.equal(spec.display_name, "TypeScript");
  assert.equal(spec.interrupt_mode, undefined, "Linux: Kernel ▸ Interrupt is SIGINT, which can stop a cell's synchronous code");
  assert.equal(courseKernelSpec("C:\\node\\node.exe", "win32").interrupt_mode, "message", "Windows: by message, the one way Jupyter can interrupt a kernel there");
  const registered = JSON.parse(readFileSync(join(sysPrefix(chooseEnvironment().python), "share", "jupyter", "kernels", "tslab", "kernel.json"), "utf8"));
  assert.equal(registered.argv[1], join(ROOT, "scripts", "kernel", "course-kernel.js"), "set-up registered the course kernel");
  assert.deepEqual(registered, courseKernelSpec(registered.argv[0]), "the kernelspec is the one set-up writes for this system");
});

// tslab started reading before its sockets were bound, so on a loaded machine an early client's
// request was answered while iopub was still binding and zeromq threw "Socket is blocked by a bind
// or unbind operation" outside any cell (two test lanes at once failed the first cell of runner tests).
test("the kernel binds all five sockets before it reads a message from any", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "course-kernel-"));
  try {
    const ports = { shell_port: "*", iopub_port: "*", stdin_port: "*", control_port: "*", hb_port: "*" };
    writeFileSync(join(dir, "kernel.json"), JSON.stringify({ transport: "tcp", ip: "127.0.0.1", key: "k", signature_scheme: "hmac-sha256", ...ports }));
    const spy = join(ROOT, "scripts", "test", "fixtures", "course-kernel", "zeromq-spy.cjs");
    const r = spawnSync(process.execPath, ["-r", spy, join(ROOT, "scripts", "kernel", "course-kernel.js"), "--config-path", join(dir, "kernel.json")], { cwd: dir, encoding: "utf8", timeout: 50_000 });
    assert.equal(r.status, 0, r.stderr);
    const events = JSON.parse(r.stdout.trim().split("\n").pop());
    assert.equal(events.filter((e) => e === "bind done").length, 5, events.join(", "));
    const lastBind = events.lastIndexOf("bind done");
    assert.ok(lastBind >= 0 && events.indexOf("read") > lastBind, `every bind done before the first read: ${events.join(", ")}`);
    assert.equal(events.filter((e) => e === "read").length, 3, "reads shell, control and the heartbeat");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const missing = chromiumMissing();
test("in JupyterLab, an error after its cell finished shows under that cell and fails the cell then running", { skip: missing ?? false, timeout: 300_000 }, async () => {
  const lab = await startJupyterLab(chooseEnvironment().python);
  const browser = await launchChromium();
  const out = mkdtempSync(join(tmpdir(), "course-kernel-lab-"));
  try {
    const run = (name) =>
      runInLab({
        context: browser.context, lab, rel: `${FIXTURES}/${name}.ipynb`, timeoutSeconds: 120, workspace: `kernel-${name}`,
        screenshot: join(out, `${name}.png`), executed: join(out, `${name}.ipynb`),
      });
    const text = (facts, n) => facts.cells[n - 1].outputs.map((o) => o.text).join("\n");

    // Cell 2 starts a timer that throws while cell 3 awaits: the stack under cell 2, one line under
    // cell 3 (which fails), and cell 4 is not run (Run All stops at the failed cell).
    const timer = await run("throw-in-timer");
    assert.deepEqual(timer.problems, [], JSON.stringify(timer.problems));
    assert.match(text(timer, 2), /^✘ this cell started work that failed after the cell finished:\s*RangeError: window longer than series/m);
    assert.match(text(timer, 3), /^✘ cell \[2\] started work that failed after the cell finished: RangeError: window longer than series\s*The error is shown in full under cell \[2\]\./m);
    const cell3 = timer.notebook.cells[2];
    const replies = timer.msgs.filter((m) => m.type === "execute_reply");
    assert.equal(replies.find((m) => m.parent === timer.msgs.find((q) => q.type === "execute_request" && q.code === cell3.source)?.id)?.status, "error", "cell 3 fails");
    assert.equal(timer.notebook.cells[3].execution_count, null, "cell 4 did not run");

    // A forgotten await on a training loop: the cell that started it fails at once, saying so, and
    // Run All stops there.
    const loop = await run("forgotten-await");
    assert.match(text(loop, 4), /^✘ cell \[3\] finished while its training loop "forgot await" \(at step 0 of 200\) was still running: a missing await\?/m);
    assert.equal(loop.notebook.cells[4].execution_count, null, "cell 5 did not run");
  } finally {
    await browser.close();
    await lab.stop();
    rmSync(out, { recursive: true, force: true });
  }
});

// What a Jupyter client learns from an execute reply (nbclient, and so nbgrader's autograde and
// Validate, read ename/evalue/traceback; they send stop_on_error: false when they run on past errors).
test("error replies carry ename, evalue and traceback; a request with stop_on_error false is not aborted by the error before it", { timeout: 180_000 }, () => {
  const requests = [
    { code: 'throw new RangeError("boom at step 50")', stop_on_error: false },
    { code: "1 + 1", stop_on_error: false },
    { code: 'const wrong: number = "a";', stop_on_error: false },
    { code: 'import * as kl from "kernel-lib";\nkl.testing.claim("two is three", false, { two: 2 });', stop_on_error: false },
    { code: 'setTimeout(() => { throw new Error("late"); }, 10);', stop_on_error: false },
    { code: "await new Promise((r) => setTimeout(r, 200));", stop_on_error: false },
    { code: 'throw new Error("stop here")' },
    { code: "2 + 2" },
  ];
  const replies = kernelReplies(requests);
  assert.equal(replies.length, requests.length);
  const [thrown, next, diagnostic, feedbackReply, timerCell, escaped, stopping, afterStop] = replies;
  assert.deepEqual([thrown.status, thrown.ename, thrown.evalue], ["error", "RangeError", "boom at step 50"]);
  assert.ok(thrown.traceback.some((l) => l.includes("RangeError: boom at step 50")), thrown.traceback.join("\n"));
  assert.equal(next.status, "ok", "the next request runs: stop_on_error false starts no abort window");
  assert.deepEqual([diagnostic.status, diagnostic.ename], ["error", "TSError"]);
  assert.match(diagnostic.evalue, /^1:7 - Type 'string' is not assignable to type 'number'\.$/);
  assert.deepEqual([feedbackReply.ename, feedbackReply.evalue], ["ClaimError", "✘ claim does not hold: two is three (two = 2)"]);
  assert.deepEqual(feedbackReply.traceback, ["✘ claim does not hold: two is three (two = 2)"], "feedback is its message alone, no stack");
  assert.equal(timerCell.status, "ok");
  assert.deepEqual([escaped.status, escaped.ename], ["error", "EscapedError"]);
  assert.match(escaped.evalue, /^✘ cell \[\d+\] started work that failed after the cell finished: Error: late$/);
  assert.equal(stopping.status, "error");
  assert.equal(afterStop.status, "abort", "with stop_on_error true (the protocol's default) tslab's abort window stands");
});

// Node prints an error thrown in library code with the library's line first (file:line, source,
// caret), and tslab's frames counted lines of its converted, wrapped code (a trial's 3-line cell
// said line 7). The course kernel prints the error's own line first, then the library's frames,
// then the cell's: its label and its own line, traced back by the line's text.
test("a cell's exception shows the error first, the library's frames, and the cell's own line (no line numbers of tslab's wrapper)", { timeout: 180_000 }, () => {
  const requests = [
    'import * as kl from "kernel-lib";',
    "const a = kl.zeros([2, 3]);\nconst b = kl.zeros([2, 3]);\nconst c = kl.matmul(a, b);",
    "function square(x: kl.Tensor) {\n  return kl.matmul(x, x);\n}",
    "square(kl.zeros([2, 3]));",
    'await new Promise((r) => setTimeout(r, 10));\nthrow new RangeError("after an await");',
    // A line TypeScript changes (its type and cast removed), and the same line twice: the second.
    "const w: kl.Tensor = kl.zeros([2, 2]);\nconst shapes: number[][] = [[2, 2], [3, 1]];\nfor (const s of shapes) {\n  const x: kl.Tensor = kl.matmul(w, kl.zeros(s as number[]));\n}",
    "const m = kl.zeros([2, 3]);\nlet n = 3;\nkl.matmul(m, kl.zeros([n, 1]));\nn = 2;\nkl.matmul(m, kl.zeros([n, 1]));",
    'function perplexity(totalNats: number, tokens: number): number {\n  // YOUR CODE HERE\n  throw new Error("not implemented yet: ch03-perplexity");\n}',
    "kl.exercises.ch03.checkPerplexity(perplexity);",
  ].map((code) => ({ code, stop_on_error: false }));
  const [, direct, defined, viaFunction, afterAwait, typed, twice, , unwritten] = kernelReplies(requests);
  // A check run before its exercise is written: what to do, and no stack through the check's code.
  assert.deepEqual(streams(unwritten, "stderr").trim().split("\n"), [
    "Error: not implemented yet: ch03-perplexity",
    "✘ exercise ch03-perplexity is not written yet: its solution cell still says // YOUR CODE HERE. Write your solution there and run that cell, then run this one again.",
  ]);
  const stderr = (reply) => streams(reply, "stderr");
  const lines = (reply) => stderr(reply).trim().split("\n");
  const matmulError = (shapes) => `RangeError: matmul: ${shapes}`;
  assert.deepEqual([lines(direct)[0], lines(direct).slice(-1)[0]], [`${matmulError("[2,3] x [2,3]")}: inner sizes 3 and 2 differ`, "    at this cell, line 3: const c = kl.matmul(a, b);"]);
  assert.match(lines(direct)[1], /^ {4}at Object\.matmul \(.*kernel-lib[\\/]dist[\\/]ops[\\/]linalg\.js:\d+:\d+\)$/);
  // A function defined in an earlier cell: that cell by its label, and its line.
  const definedIn = defined.iopub.find(([kind]) => kind === "execute_input")?.[3];
  assert.ok(Number.isInteger(definedIn), "the defining cell's execution count");
  assert.deepEqual(lines(viaFunction).slice(0, 1).concat(lines(viaFunction).slice(-2)), [
    `${matmulError("[2,3] x [2,3]")}: inner sizes 3 and 2 differ`,
    `    at square (cell [${definedIn}], line 2: return kl.matmul(x, x);)`,
    "    at this cell, line 1: square(kl.zeros([2, 3]));",
  ]);
  assert.deepEqual(lines(afterAwait), ["RangeError: after an await", '    at this cell, line 2: throw new RangeError("after an await");']);
  assert.equal(lines(typed).slice(-1)[0], "    at this cell, line 4: const x: kl.Tensor = kl.matmul(w, kl.zeros(s as number[]));");
  assert.deepEqual([lines(twice)[0], lines(twice).slice(-1)[0]], [`${matmulError("[2,3] x [2,1]")}: inner sizes 3 and 2 differ`, "    at this cell, line 5: kl.matmul(m, kl.zeros([n, 1]));"]);
  for (const reply of [direct, viaFunction, afterAwait, typed, twice]) {
    assert.doesNotMatch(stderr(reply), /evalmachine|node_modules[\\/]tslab|course-kernel\.js|cell-sources\.js|node:vm|\^/, "no frame of tslab's wrapper, the kernel or Node, no caret");
    assert.deepEqual(reply.traceback, lines(reply), "the reply's traceback is what the cell shows");
  }
});

// tslab keeps no name from a cell that was skipped, not yet run, or failed: TypeScript's "Cannot
// find name" then gets a line saying which of those to look for (a typo gets TypeScript's own
// "Did you mean"). In a cell of several lines a diagnostic shows the line it names (JupyterLab
// shows no line numbers by default; tslab gives line:column).
test("a name no cell run so far defines: the diagnostic says to run (or fix) the cell that defines it; in a longer cell, it shows its line", { timeout: 180_000 }, () => {
  const requests = [
    "const model = { forward: (x: number) => x };",
    "console.log(modle.forward(1));",
    "function f(x: number) {\n  return x;\n}\nthrow new Error(\"this cell fails\");",
    "console.log(f(1), optimizer);",
    "const a = 1;\nconst b: number = model.forwrd(a);\nconst c = b + 1;",
  ].map((code) => ({ code, stop_on_error: false }));
  const [, typo, , skipped, longer] = kernelReplies(requests);
  assert.equal(longer.traceback[0].replace(/ Did you mean.*$/, ""), "2:25 - Property 'forwrd' does not exist on type '{ forward: (x: number) => number; }'.");
  assert.deepEqual(longer.traceback.slice(1), ["    line 2: const b: number = model.forwrd(a);"]);
  assert.deepEqual(typo.traceback, ["1:13 - Cannot find name 'modle'. Did you mean 'model'?"]);
  const hint = (name) => `  ✘ no cell run so far in this session defines '${name}': run the cell that defines it first (Run ▸ Run All Above Selected Cell), or fix it if it failed. A restarted kernel has forgotten every cell.`;
  assert.deepEqual(skipped.traceback, ["1:13 - Cannot find name 'f'.", hint("f"), "1:19 - Cannot find name 'optimizer'.", hint("optimizer")]);
  assert.equal(streams(skipped, "stderr").trim(), skipped.traceback.join("\n"), "the cell shows what the reply says");
});

// A learner's forgotten await on a training loop: the cell ends at once, the loop would train on in
// the background while the next cells read a half-trained model. The kernel stops it and fails
// the cell, naming the loop (its promise, the cell's value, shows as a promise still running);
// awaited, the loop carries on; a finished loop run again says so.
test("a cell that ends while its training loop runs (a missing await) fails, and the loop stops there", { timeout: 180_000 }, () => {
  const requests = [
    'import * as kl from "kernel-lib";\nconst loop = kl.viz.trainingLoop({ steps: 20000, title: "forgot await", show: false });\nconst seen = { calls: 0 };',
    "loop.run(() => { seen.calls++; });",
    "await new Promise((r) => setTimeout(r, 500));\nconsole.log(JSON.stringify({ done: loop.stepsDone, why: loop.stoppedBecause, calls: seen.calls }));",
    "await loop.run(() => { seen.calls++; });\nconsole.log(JSON.stringify({ done: loop.stepsDone, calls: seen.calls }));",
    "await loop.run(() => { seen.calls++; });",
    'const quick = kl.viz.trainingLoop({ steps: 3, show: false });\nquick.run(() => { throw new Error("step failed"); }).catch(() => {});\nawait new Promise((r) => setTimeout(r, 100));',
  ].map((code) => ({ code, stop_on_error: false }));
  const replies = kernelReplies(requests);
  const [made, unawaited, after, resumed, again, settledInCell] = replies;
  assert.equal(made.status, "ok", JSON.stringify(made));
  assert.deepEqual([unawaited.status, unawaited.ename], ["error", "MissingAwait"], JSON.stringify(unawaited));
  assert.match(unawaited.evalue, /^✘ cell \[2\] finished while its training loop "forgot await" \(at step \d+ of 20000\) was still running: a missing await\? It is stopped there/);
  assert.match(streams(unawaited, "stderr"), /✘ cell \[2\] finished while its training loop "forgot await"/, "shown under the cell");
  // The cell's value, the loop's pending promise, without the three async-hook symbols util.inspect showed around it.
  assert.equal(streams(unawaited, "stdout").trim(), "Promise { <pending> }  (the cell's value is a promise still running: await it to get its result)");
  const stopped = JSON.parse(streams(after, "stdout").trim());
  assert.equal(stopped.why, "not awaited");
  assert.ok(stopped.done < 20000 && stopped.calls === stopped.done, `the loop stopped at its next step (${JSON.stringify(stopped)})`);
  assert.equal(resumed.status, "ok", JSON.stringify(resumed));
  assert.deepEqual(JSON.parse(streams(resumed, "stdout").trim()), { done: 20000, calls: 20000 }, "awaited, it carries on from where it stopped, each step once");
  assert.deepEqual([again.status, again.ename], ["error", "FeedbackError"], JSON.stringify(again));
  assert.match(again.evalue, /^✘ trainingLoop "forgot await" has already run all its 20000 steps, so running it again would train nothing/);
  // A loop whose run ends (here by its own error, handled) before the cell does holds nothing.
  assert.equal(settledInCell.status, "ok", JSON.stringify(settledInCell));
});

// Under nbgrader (autograde and validate set NBGRADER_EXECUTION): a cell is failed only by its own
// run (the work it started included, within the grace period), an error from an earlier cell's work
// is shown where it surfaces and fails nothing, errors come as `error` messages and nothing as stderr.
test("under nbgrader, errors are error messages charged to the cell whose work threw them; stderr is text; every cell runs", { timeout: 180_000 }, () => {
  const requests = [
    'throw new RangeError("boom")',
    'console.warn("a learner\'s debug line"); 1 + 1',
    'setTimeout(() => { throw new Error("from this cell\'s timer"); }, 30); 3',
    'function f(): number { setTimeout(() => { throw new Error("from f\'s timer"); }, 10); return 4; }',
    "f()",
    'setTimeout(() => { throw new Error("late, from an earlier cell"); }, 4000); 5',
    "6",
    "await new Promise((r) => setTimeout(r, 1000)); 7",
    "8",
  ].map((code) => ({ code, stop_on_error: false }));
  const replies = kernelReplies(requests, { ...process.env, NBGRADER_EXECUTION: "autograde" });
  const [thrown, warned, ownTimer, defined, called, lateTimer, afterLate, surfaced, last] = replies;
  const errors = (reply) => reply.iopub.filter(([kind]) => kind === "error");
  // Nothing reaches stderr; each execution announces its count (execute_input).
  for (const [i, reply] of replies.entries()) {
    assert.equal(streams(reply, "stderr"), "", `request ${i + 1} wrote to stderr`);
    assert.deepEqual(reply.iopub.find(([kind]) => kind === "execute_input")?.[3], i + 1, `request ${i + 1}: execute_input with its count`);
  }
  // An exception: one error message, the reply's, and no copy of it as text.
  assert.deepEqual([thrown.status, thrown.ename], ["error", "RangeError"]);
  assert.deepEqual(errors(thrown).map((m) => m.slice(0, 3)), [["error", "RangeError", "boom"]]);
  assert.doesNotMatch(streams(thrown, "stdout"), /boom/);
  // console.warn: text on stdout, the cell passes.
  assert.equal(warned.status, "ok");
  assert.match(streams(warned, "stdout"), /a learner's debug line/);
  // A cell's own timer, and a timer its function starts when called: those cells fail.
  assert.deepEqual([ownTimer.status, ownTimer.ename], ["error", "EscapedError"]);
  assert.match(ownTimer.evalue, /^✘ cell \[3\] started work that failed while the cell ran: Error: from this cell's timer$/);
  assert.equal(defined.status, "ok");
  assert.deepEqual([called.status, called.ename], ["error", "EscapedError"]);
  assert.match(called.evalue, /Error: from f's timer/);
  // A timer that fires after its cell's grace period: shown (with its origin) in the cell then
  // running, which runs and passes, as does every other cell.
  for (const reply of [lateTimer, afterLate, surfaced, last]) assert.equal(reply.status, "ok", JSON.stringify(reply));
  const shown = replies.map((reply) => streams(reply, "stdout")).join("");
  assert.match(shown, /✘ cell \[6\] started work that failed after the cell finished: Error: late, from an earlier cell/);
  assert.match(shown, /Under nbgrader it fails no cell: it came from cell \[6\]/);
});

// zeromq 6 refused a send while the previous one was in progress, tslab never awaited its sends,
// and the publisher dropped what was beyond 1,000 queued messages: a cell printing a few thousand
// lines (or showing 1,500 displays) at once lost output, and even the "idle" that ends it, so the
// client waited forever (a learner's trial on a loaded machine; here the client timed out).
test("a burst of output (3,000 lines, 1,500 displays) arrives whole, and the cell and the next one finish", { timeout: 180_000 }, () => {
  const requests = [
    "for (let i = 0; i < 3000; i++) console.log(`line ${i}`);",
    'import * as tslab from "tslab";\nfor (let i = 0; i < 1500; i++) tslab.display.text(`shown ${i}`);',
    'console.log("after");',
  ].map((code) => ({ code, stop_on_error: false }));
  const [lines, displays, after] = kernelReplies(requests);
  assert.deepEqual([lines.status, displays.status, after.status], ["ok", "ok", "ok"]);
  const printed = streams(lines, "stdout").split("\n").filter(Boolean);
  assert.equal(printed.length, 3000);
  assert.equal(printed[2999], "line 2999");
  assert.equal(displays.iopub.filter(([kind]) => kind === "display_data").length, 1500);
  assert.equal(streams(after, "stdout"), "after\n");
});
