// The notebook runner against the real kernel (the course's `tslab` kernelspec): it must fail on a
// TypeScript error, a runtime error, and an error in work a cell started that fails after the cell
// finished (naming that cell), never count a cell after a failure as passed whatever the timing,
// name notebooks by their paths, say where a broken notebook file is broken, and stop cleanly on
// Ctrl-C.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, chooseEnvironment, jupyterEnv } from "../lib/project.mjs";

const RUNNER = join(ROOT, "scripts", "run_notebooks.py");
const FIXTURES = "scripts/test/fixtures/notebook-runner";
const python = chooseEnvironment().python;

function notebook(cells) {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    cells: cells.map((c, i) => ({
      id: `c${i}`,
      cell_type: "code",
      execution_count: null,
      metadata: typeof c === "string" ? {} : c.metadata,
      outputs: [],
      source: typeof c === "string" ? c : c.source,
    })),
  });
}

/** A regular expression matching `text` literally. */
const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A folder in the system's temporary folder, removed when test t ends, passed or failed. */
function tempDir(t, prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes the notebooks ({ "name.ipynb": cells } or { "name.ipynb": "raw file text" }) to a scratch folder. */
function scratch(t, files) {
  const dir = tempDir(t, "nbrun-");
  for (const [name, cells] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), typeof cells === "string" ? cells : notebook(cells));
  }
  return dir;
}

function runRunner(t, args, { env = {} } = {}) {
  const out = tempDir(t, "nbrun-out-");
  const r = spawnSync(python, [RUNNER, "--out", out, ...(args.includes("--jobs") ? [] : ["--jobs", "1"]), ...args], {
    cwd: ROOT, encoding: "utf8", env: { ...jupyterEnv(python), ...env },
  });
  return { ...r, out };
}

function runNotebooks(t, files, extra = []) {
  const dir = scratch(t, files);
  return { ...runRunner(t, [...extra, dir]), dir };
}

test("a TypeScript compile error fails the notebook with cell number and message; later cells are not run, not passes", (t) => {
  const r = runNotebooks(t, { "compile.ipynb": ["const a = 1;", 'const b: number = "x";', "const c = 3;", "const d = 4;"] });
  const nb = literal(join(r.dir, "compile.ipynb"));
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^FAIL {2}${nb} {2}1/4 code cells ok`, "m"));
  assert.match(r.stdout, new RegExp(`${nb} cell 2: error: 1:7 - Type 'string' is not assignable to type 'number'\\.`));
  assert.match(r.stdout, new RegExp(`${nb} cells 3-4: not run \\(2 cells after the failure above: none of them counts as passed\\)`));
  assert.match(r.stdout, /^notebooks: 0 passed, 1 failed$/m);
});

test("the count of ok cells does not depend on timing: nothing is sent after a failing cell", (t) => {
  // tslab aborts only the requests that reach it within 200 ms of an error, and runs the ones
  // after. Here the kernel is busy for 500 ms after the error (as on a loaded machine, or after a
  // cell with a lot of output): a runner that kept sending cells got "2/4 code cells ok".
  const r = runNotebooks(t, {
    "busy.ipynb": [
      "const a = 1;",
      'setTimeout(() => { const t0 = Date.now(); while (Date.now() - t0 < 500) {} }, 0);\nthrow new Error("failed");',
      "const c = 3;",
      "const d = 4;",
    ],
  });
  const nb = literal(join(r.dir, "busy.ipynb"));
  assert.match(r.stdout, new RegExp(`^FAIL {2}${nb} {2}1/4 code cells ok`, "m"), r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`${nb} cell 2: error: Error: failed`));
  assert.match(r.stdout, new RegExp(`${nb} cells 3-4: not run \\(2 cells`));
});

test("a runtime error names its cell and the exception; a clean notebook passes beside it", (t) => {
  const r = runNotebooks(t, {
    "a-clean.ipynb": ["const x: number[] = [1, 2, 3];", "console.log(x.length)"],
    "b-throws.ipynb": ["const y = 2;", 'throw new RangeError("window longer than series")'],
  }, ["--jobs", "2"]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`^PASS {2}${literal(join(r.dir, "a-clean.ipynb"))} {2}2/2 code cells ok`, "m"));
  assert.match(r.stdout, new RegExp(`${literal(join(r.dir, "b-throws.ipynb"))} cell 2: error: RangeError: window longer than series`));
  assert.match(r.stdout, /^notebooks: 1 passed, 1 failed$/m);
  assert.ok(existsSync(join(r.out, "external", r.dir, "a-clean.ipynb")), "the executed copy is written, under the notebook's own path");
});

test("an expected error stops the run there and passes only if the message matches", (t) => {
  const stub = (msg) => ({ source: 'throw new Error("not implemented yet: exercise 1")', metadata: { course: { expect_error: msg } } });
  const r = runNotebooks(t, {
    "matches.ipynb": ["const z = 1;", stub("not implemented yet"), "this cell is never run"],
    "differs.ipynb": ["const z = 1;", stub("something else")],
  }, ["--jobs", "2"]);
  assert.match(r.stdout, /^FAIL {2}\S+\/differs\.ipynb/m);
  assert.match(r.stdout, /differs\.ipynb cell 2: expected-error-mismatch: expected an error containing 'something else'/);
  assert.match(r.stdout, /^PASS {2}\S+\/matches\.ipynb {2}1\/3 code cells ok .* stopped at the expected error in cell 2/m);
});

test("a learner notebook stops at its first unsolved exercise; the same error without a stub fails", (t) => {
  const stub = { source: 'function rnnStep(x: number): number {\n  // YOUR CODE HERE\n  throw new Error("not implemented yet: rnn-step");\n}', metadata: { course: { stub: true } } };
  const check = "const y = rnnStep(1);";
  const r = runNotebooks(t, {
    "learner.ipynb": ["const a = 1;", stub, check, "console.log(y)"],
    "solution.ipynb": ["const a = 1;", { source: stub.source, metadata: {} }, check],
  }, ["--jobs", "2"]);
  assert.match(r.stdout, /^PASS {2}\S+\/learner\.ipynb {2}2\/4 code cells ok .* stopped at the expected error in cell 3/m);
  assert.match(r.stdout, /^FAIL {2}\S+\/solution\.ipynb/m);
  assert.match(r.stdout, /solution\.ipynb cell 3: error: ✘ exercise rnn-step is not written yet: its solution cell still says \/\/ YOUR CODE HERE/);
});

test("the per-notebook time limit stops a notebook that runs too long", (t) => {
  const r = runNotebooks(t, { "slow.ipynb": ["const t0 = Date.now(); while (Date.now() - t0 < 20000) {}"] }, ["--timeout", "3"]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /slow\.ipynb cell 1: timeout: notebook time limit of 3 s reached/);
});

test("errors in work a cell started fail the notebook after that cell finished, naming the cell that started it", (t) => {
  // The three cases of the issue, and the same after the last cell (fixtures: they import
  // kernel-lib, which resolves inside the project). Before the course kernel all four passed.
  const names = ["forgotten-await", "bare-reject", "throw-in-timer", "after-last-cell"];
  const r = runRunner(t, ["--jobs", "2", ...names.map((n) => `${FIXTURES}/${n}.ipynb`)]);
  const line = (name, rest) => new RegExp(`^ {6}${literal(`${FIXTURES}/${name}.ipynb`)} ${rest}`, "m");
  assert.equal(r.status, 1, r.stdout + r.stderr);
  // A forgotten await on a training loop: the cell that starts it fails at once, the loop stopped
  // (the kernel's hold), so step 50's shape error never comes and nothing after it runs.
  assert.match(r.stdout, new RegExp(`^FAIL {2}${literal(FIXTURES)}/forgotten-await\\.ipynb {2}2/5 code cells ok`, "m"));
  assert.match(r.stdout, line("forgotten-await", literal('cell 4: error: ✘ cell [3] finished while its training loop "forgot await" (at step 0 of 200) was still running: a missing await?')));
  assert.match(r.stdout, line("forgotten-await", literal("cells 5-6: not run (2 cells after the failure above")));
  assert.doesNotMatch(r.stdout, /mse: pred \[3\] and target \[4\]/, "the loop never reached step 50");
  // A bare Promise.reject, and a throw inside setTimeout (while the next cell awaits).
  assert.match(r.stdout, line("bare-reject", literal("cell 2: error: work this cell started failed after the cell finished (reported when cell 3 ran): Error: the data file is missing")));
  assert.match(r.stdout, line("throw-in-timer", literal("cell 2: error: work this cell started failed after the cell finished (reported when cell 3 ran): RangeError: window longer than series")));
  assert.match(r.stdout, new RegExp(`^FAIL {2}${literal(FIXTURES)}/throw-in-timer\\.ipynb {2}2/4 code cells ok`, "m"));
  // Thrown 1.5 s after the last cell finished: the request after the last cell waits for it.
  assert.match(r.stdout, line("after-last-cell", literal("cell 2: error: work this cell started failed after the cell finished (after the last cell): Error: thrown 1.5 s after the last cell")));
  assert.match(r.stdout, /^notebooks: 0 passed, 4 failed$/m);

  // The executed copy shows the learner's view: the kernel's line in the cell it failed.
  const executed = JSON.parse(readFileSync(join(r.out, FIXTURES, "bare-reject.ipynb"), "utf8"));
  const stderr = executed.cells[2].outputs.filter((o) => o.name === "stderr").map((o) => o.text).join("");
  assert.match(stderr, /^✘ cell \[2\] started work that failed after the cell finished: Error: the data file is missing/m);
  assert.match(stderr, /This cell did not run/);
  assert.equal(executed.cells.length, 3, "the runner's extra request is not saved in the copy");
  const forgot = JSON.parse(readFileSync(join(r.out, FIXTURES, "forgotten-await.ipynb"), "utf8"));
  assert.match(forgot.cells[3].outputs.filter((o) => o.name === "stderr").map((o) => o.text).join(""), /^✘ cell \[3\] finished while its training loop "forgot await"/m);
});

test("a cell whose own un-awaited work fails while it runs fails itself; a cell failed by another's error keeps its own error too", (t) => {
  const r = runNotebooks(t, {
    "own.ipynb": ["const a = 1;", 'Promise.reject(new Error("lost batch"));\nawait new Promise((r) => setTimeout(r, 300));', "const c = 3;"],
    // Cell 1's work waits for a gate that cell 2 opens, so it fails while cell 2 runs, whatever the timing.
    "both.ipynb": [
      'let open!: () => void;\nnew Promise<void>((r) => (open = r)).then(() => { throw new Error("from cell 1"); });',
      'open();\nawait new Promise((r) => setTimeout(r, 300));\nthrow new TypeError("own error of cell 2");',
    ],
  }, ["--jobs", "2"]);
  const own = literal(join(r.dir, "own.ipynb"));
  assert.match(r.stdout, new RegExp(`^FAIL {2}${own} {2}1/3 code cells ok`, "m"), r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`${own} cell 2: error: work this cell started failed while the cell ran: Error: lost batch`));
  assert.doesNotMatch(r.stdout, new RegExp(`${own} cell 2: error: Error: lost batch`), "the same error once");
  assert.match(r.stdout, new RegExp(`${own} cell 3: not run`));
  const both = literal(join(r.dir, "both.ipynb"));
  assert.match(r.stdout, new RegExp(`${both} cell 1: error: work this cell started failed after the cell finished \\(reported when cell 2 ran\\): Error: from cell 1`));
  assert.match(r.stdout, new RegExp(`${both} cell 2: error: TypeError: own error of cell 2`));
});

test("work still running long after the last cell fails the notebook instead of being cut off unseen", (t) => {
  // The limit covers the kernel's start too: 8 s was not enough on a busy machine (the start took
  // most of it, and the notebook timed out before the wait for its work could say why).
  const r = runNotebooks(t, { "interval.ipynb": ["const a = 1;", "setInterval(() => {}, 100);"] }, ["--timeout", "20"]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /interval\.ipynb notebook: error: after the last cell: ✘ work the notebook started was still running \d+ s after its last cell finished \(1 timer pending\)/);
});

test("a kernelspec that is not the course kernel fails the run: async errors would go unseen", (t) => {
  const specs = tempDir(t, "nbrun-kernels-");
  mkdirSync(join(specs, "kernels", "tslab"), { recursive: true });
  const tslab = join(ROOT, "node_modules", ".bin", "tslab");
  writeFileSync(join(specs, "kernels", "tslab", "kernel.json"), JSON.stringify({ argv: [tslab, "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript", language: "typescript" }));
  const dir = scratch(t, { "plain.ipynb": ["const a = 1;"] });
  const r = runRunner(t, [dir], { env: { JUPYTER_PATH: specs } });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /plain\.ipynb notebook: error: the 'tslab' kernel is not the course kernel \(scripts\/kernel\/course-kernel\.js\)/);
});

test("a kernel that dies before it starts is started once more (nothing had run); one that dies twice is reported", (t) => {
  // A kernelspec "tslab" whose kernel exits at once while a counter file says so, then is the course kernel.
  const specs = tempDir(t, "nbrun-kernels-");
  mkdirSync(join(specs, "kernels", "tslab"), { recursive: true });
  const launcher = join(specs, "launch.sh");
  const deaths = join(specs, "deaths-left");
  writeFileSync(launcher, `#!/bin/sh\nn=$(cat ${JSON.stringify(deaths)})\nif [ "$n" -gt 0 ]; then echo $((n - 1)) > ${JSON.stringify(deaths)}; exit 1; fi\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, "scripts", "kernel", "course-kernel.js"))} --config-path "$1"\n`);
  chmodSync(launcher, 0o755);
  writeFileSync(join(specs, "kernels", "tslab", "kernel.json"), JSON.stringify({ argv: [launcher, "{connection_file}"], display_name: "TypeScript", language: "typescript" }));
  const dir = scratch(t, { "plain.ipynb": ["const a = 1;"] });
  writeFileSync(deaths, "1\n");
  const once = runRunner(t, [dir], { env: { JUPYTER_PATH: specs } });
  assert.equal(once.status, 0, once.stdout + once.stderr);
  assert.match(once.stdout, /^PASS {2}.*plain\.ipynb {2}1\/1/m);
  assert.match(once.stdout + once.stderr, /the kernel died before it started \(Kernel died before replying to kernel_info\); starting another, nothing had run/);
  writeFileSync(deaths, "2\n");
  const twice = runRunner(t, [dir], { env: { JUPYTER_PATH: specs } });
  assert.equal(twice.status, 1, twice.stdout + twice.stderr);
  assert.match(twice.stdout, /plain\.ipynb notebook: error: RuntimeError: Kernel died before replying to kernel_info/);
});

test("notebooks with the same file name in different folders are named and saved by their own paths", (t) => {
  const dir = scratch(t, {
    "a/lesson.ipynb": ["console.log('from a')"],
    "b/lesson.ipynb": ['throw new Error("from b")'],
  });
  const r = runRunner(t, ["--jobs", "2", join(dir, "a", "lesson.ipynb"), join(dir, "b", "lesson.ipynb")]);
  assert.match(r.stdout, new RegExp(`^PASS {2}${literal(join(dir, "a", "lesson.ipynb"))} {2}1/1`, "m"), r.stdout);
  assert.match(r.stdout, new RegExp(`^FAIL {2}${literal(join(dir, "b", "lesson.ipynb"))} {2}0/1`, "m"));
  const copy = (sub) => JSON.parse(readFileSync(join(r.out, "external", dir, sub, "lesson.ipynb"), "utf8")).cells[0].outputs.map((o) => o.text).join("");
  assert.match(copy("a"), /from a/);
  assert.match(copy("b"), /from b/);
});

test("a notebook file that is not valid JSON is named with the line and column, and what is wrong", (t) => {
  const whole = `${JSON.stringify(JSON.parse(notebook(["const a = 1;", "const b = 2;"])), null, 1)}\n`;
  const cut = whole.slice(0, whole.indexOf('"const b'));
  const lines = whole.split("\n");
  assert.equal(lines[1], ' "nbformat": 4,');
  const broken = [lines[0], ' "nbformat": 4', ...lines.slice(2)].join("\n"); // a comma missing at the end of line 2
  const dir = scratch(t, { "cut.ipynb": cut, "comma.ipynb": broken, "empty.ipynb": "" });
  const r = runRunner(t, [dir]);
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stdout + r.stderr, /Traceback/);
  const cutLines = cut.trimEnd().split("\n");
  assert.match(r.stdout, new RegExp(`^FAIL {2}${literal(join(dir, "cut.ipynb"))} {2}not a notebook that can be run$`, "m"));
  assert.match(r.stdout, new RegExp(`${literal(join(dir, "cut.ipynb"))} line ${cutLines.length}, column ${cutLines.at(-1).length}: not valid JSON: the file ends in the middle of the notebook`));
  assert.match(r.stdout, new RegExp(`${literal(join(dir, "comma.ipynb"))} line 3, column 2: not valid JSON: expecting ',' delimiter`));
  assert.match(r.stdout, new RegExp(`${literal(join(dir, "empty.ipynb"))} notebook: the file is empty`));
});

test("Ctrl-C stops the run: the notebooks not finished are named, the kernels shut down, no traceback, exit 130", async (t) => {
  const dir = scratch(t, {
    "1-slow.ipynb": ['require("fs").writeFileSync(process.cwd() + "/kernel.pid", String(process.pid));', "await new Promise((r) => setTimeout(r, 60000));"],
    "2-queued.ipynb": ["const a = 1;"],
  });
  const out = tempDir(t, "nbrun-out-");
  const runner = spawn(python, [RUNNER, "--out", out, "--jobs", "1", dir], { cwd: ROOT, env: jupyterEnv(python) });
  let stdout = "";
  let stderr = "";
  runner.stdout.on("data", (d) => (stdout += d));
  runner.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((res) => runner.on("exit", (code) => res(code)));
  try {
    const pidFile = join(dir, "kernel.pid");
    for (let i = 0; i < 600 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(pidFile), `the first notebook never started: ${stdout}${stderr}`);
    const kernelPid = Number(readFileSync(pidFile, "utf8"));
    runner.kill("SIGINT");
    const code = await exited;
    assert.equal(code, 130, stdout + stderr);
    assert.match(stdout, new RegExp(`^STOP {2}${literal(join(dir, "1-slow.ipynb"))} {2}interrupted after [\\d.]+ s: not finished`, "m"));
    assert.match(stdout, new RegExp(`^STOP {2}${literal(join(dir, "2-queued.ipynb"))} {2}not started`, "m"));
    assert.match(stdout, new RegExp(`^notebooks: 0 passed, 0 failed; interrupted \\(Ctrl-C\\): not finished: ${literal(join(dir, "1-slow.ipynb"))}, ${literal(join(dir, "2-queued.ipynb"))}$`, "m"));
    assert.doesNotMatch(stdout + stderr, /Traceback|AssertionError|0\/0 code cells/);
    const alive = () => {
      try {
        process.kill(kernelPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(), false, `the kernel (pid ${kernelPid}) is still running`);
  } finally {
    // The scratch folders are removed after the test: if an assertion failed early, stop the runner first.
    if (runner.exitCode === null && runner.signalCode === null) runner.kill("SIGINT");
    await exited;
  }
});

// The default run (npm test) runs a learner copy only when it differs from its solution: a copy
// with the same cells (no exercises) would be the same run twice.
test("the default run skips a learner copy with its solution's cells, and only such a copy", () => {
  const code = [
    "import json, sys",
    `sys.path.insert(0, ${JSON.stringify(join(ROOT, "scripts"))})`,
    "import run_notebooks as r",
    "print(json.dumps({p: r.same_as_solution(p) for p in r.collect([])}))",
  ].join("\n");
  const out = spawnSync(python, ["-c", code], { cwd: ROOT, encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  const same = JSON.parse(out.stdout);
  const rel = (p) => (p ? p.slice(ROOT.length + 1) : p);
  assert.equal(rel(same[join(ROOT, "notebooks", "00-welcome.ipynb")]), "solutions/00-welcome.ipynb", "the welcome has no exercises");
  assert.equal(same[join(ROOT, "notebooks", "01-order-matters.ipynb")], null, "a copy with stubs is run");
  assert.equal(same[join(ROOT, "solutions", "00-welcome.ipynb")], null, "solutions always run");
  for (const [p, solution] of Object.entries(same)) {
    if (!solution) continue;
    const cells = (f) => JSON.parse(readFileSync(f, "utf8")).cells.map((c) => [c.cell_type, [].concat(c.source).join("")]);
    assert.deepEqual(cells(p), cells(solution), `${rel(p)} is skipped only when its cells are its solution's`);
  }
});

test("--out never lands on a learner's notebooks: a folder holding files the runner did not write (my-work, or . beside the notebook) is refused, the notebook unchanged", (t) => {
  const dir = scratch(t, { "my-work/ok.ipynb": ["console.log(1)"] });
  const before = readFileSync(join(dir, "my-work", "ok.ipynb"), "utf8");
  for (const [out, cwd] of [[join(dir, "my-work"), ROOT], [".", dir]]) {
    const r = spawnSync(python, [RUNNER, "--out", out, "--jobs", "1", join(dir, "my-work", "ok.ipynb")], { cwd, encoding: "utf8", env: jupyterEnv(python) });
    assert.equal(r.status, 2, `${out}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^notebooks: --out \S+ holds files the runner did not write: give an empty folder, or one under build\/ \(nothing is overwritten/m);
    assert.equal(readFileSync(join(dir, "my-work", "ok.ipynb"), "utf8"), before);
  }
  // An empty folder is taken and marked, and a second run writes there again.
  const fresh = join(dir, "executed");
  mkdirSync(fresh);
  for (let k = 0; k < 2; k++) {
    const r = spawnSync(python, [RUNNER, "--out", fresh, "--jobs", "1", join(dir, "my-work", "ok.ipynb")], { cwd: ROOT, encoding: "utf8", env: jupyterEnv(python) });
    assert.equal(r.status, 0, `run ${k + 1} into an empty, then marked, folder: ${r.stdout}${r.stderr}`);
  }
});
