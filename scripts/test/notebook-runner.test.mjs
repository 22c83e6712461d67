// The notebook runner against the real tslab kernel: it must fail on a TypeScript error, a runtime
// error and the aborted cells after it (never counting those as passed), and name the notebook,
// the cell and the message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, chooseEnvironment, jupyterEnv } from "../lib/project.mjs";

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

function runNotebooks(files, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), "nbrun-"));
  for (const [name, cells] of Object.entries(files)) writeFileSync(join(dir, name), notebook(cells));
  const python = chooseEnvironment().python;
  const out = join(dir, "executed");
  const r = spawnSync(python, [join(ROOT, "scripts", "run_notebooks.py"), "--out", out, "--jobs", "1", ...extra, dir], {
    cwd: ROOT, encoding: "utf8", env: jupyterEnv(python),
  });
  return { ...r, dir, out };
}

test("a TypeScript compile error fails the notebook with cell number and message; later cells are aborts, not passes", () => {
  const r = runNotebooks({ "compile.ipynb": ["const a = 1;", 'const b: number = "x";', "const c = 3;", "const d = 4;"] });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^FAIL {2}external\/compile\.ipynb {2}1\/4 code cells ok/m);
  assert.match(r.stdout, /external\/compile\.ipynb cell 2: error: 1:7 - Type 'string' is not assignable to type 'number'\./);
  assert.match(r.stdout, /external\/compile\.ipynb cells 3-4: aborted \(2 cells not run/);
  assert.match(r.stdout, /^notebooks: 0 passed, 1 failed$/m);
});

test("a runtime error names its cell and the exception; a clean notebook passes beside it", () => {
  const r = runNotebooks({
    "a-clean.ipynb": ["const x: number[] = [1, 2, 3];", "console.log(x.length)"],
    "b-throws.ipynb": ["const y = 2;", 'throw new RangeError("window longer than series")'],
  });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^PASS {2}external\/a-clean\.ipynb {2}2\/2 code cells ok/m);
  assert.match(r.stdout, /external\/b-throws\.ipynb cell 2: error: RangeError: window longer than series/);
  assert.match(r.stdout, /^notebooks: 1 passed, 1 failed$/m);
  assert.ok(existsSync(join(r.out, "external", "a-clean.ipynb")), "the executed copy is written");
});

test("an expected error stops the run there and passes only if the message matches", () => {
  const stub = (msg) => ({ source: 'throw new Error("not implemented yet: exercise 1")', metadata: { course: { expect_error: msg } } });
  const r = runNotebooks({
    "matches.ipynb": ["const z = 1;", stub("not implemented yet"), "this cell is never run"],
    "differs.ipynb": ["const z = 1;", stub("something else")],
  });
  assert.match(r.stdout, /^FAIL {2}external\/differs\.ipynb/m);
  assert.match(r.stdout, /differs\.ipynb cell 2: expected-error-mismatch: expected an error containing 'something else'/);
  assert.match(r.stdout, /^PASS {2}external\/matches\.ipynb {2}1\/3 code cells ok .* stopped at the expected error in cell 2/m);
});

test("a learner notebook stops at its first unsolved exercise; the same error without a stub fails", () => {
  const stub = { source: 'function rnnStep(x: number): number {\n  // YOUR CODE HERE\n  throw new Error("not implemented yet: rnn-step");\n}', metadata: { course: { stub: true } } };
  const check = "const y = rnnStep(1);";
  const r = runNotebooks({
    "learner.ipynb": ["const a = 1;", stub, check, "console.log(y)"],
    "solution.ipynb": ["const a = 1;", { source: stub.source, metadata: {} }, check],
  });
  assert.match(r.stdout, /^PASS {2}external\/learner\.ipynb {2}2\/4 code cells ok .* stopped at the expected error in cell 3/m);
  assert.match(r.stdout, /^FAIL {2}external\/solution\.ipynb/m);
  assert.match(r.stdout, /solution\.ipynb cell 3: error: Error: not implemented yet: rnn-step/);
});

test("the per-notebook time limit stops a notebook that runs too long", () => {
  const r = runNotebooks({ "slow.ipynb": ["const t0 = Date.now(); while (Date.now() - t0 < 20000) {}"] }, ["--timeout", "3"]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /slow\.ipynb cell 1: timeout: notebook time limit of 3 s reached/);
});
