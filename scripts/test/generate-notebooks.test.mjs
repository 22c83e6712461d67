// Learner notebooks are generated from solutions/: solution regions become stubs, and the
// committed notebooks/ must match what the generator writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../lib/project.mjs";
import { learnerNotebook, stubSolutions } from "../generate-notebooks.mjs";

test("a solution region becomes a stub at the same indent, naming the exercise", () => {
  const src = "function f(x: number) {\n  // BEGIN SOLUTION\n  return 2 * x;\n  // END SOLUTION\n}";
  assert.equal(stubSolutions(src, "nb cell 1", "rnn-forward"), 'function f(x: number) {\n  // YOUR CODE HERE\n  throw new Error("not implemented yet: rnn-forward");\n}');
});

test("unbalanced markers are errors naming the cell and line", () => {
  assert.throws(() => stubSolutions("// BEGIN SOLUTION\nx", "nb.ipynb cell 4", "e"), /nb\.ipynb cell 4: BEGIN SOLUTION is never closed/);
  assert.throws(() => stubSolutions("x\n// END SOLUTION", "nb.ipynb cell 2", "e"), /nb\.ipynb cell 2 line 2: END SOLUTION without a BEGIN/);
});

test("outputs and execution counts are dropped; the grade_id names the exercise", () => {
  const nb = learnerNotebook({
    cells: [{ cell_type: "code", metadata: { nbgrader: { grade_id: "clip-norm" } }, execution_count: 3, outputs: [{ output_type: "stream" }], source: ["// BEGIN SOLUTION\n", "x\n", "// END SOLUTION"] }],
  }, "t");
  assert.deepEqual(nb.cells[0].outputs, []);
  assert.equal(nb.cells[0].execution_count, null);
  assert.match(nb.cells[0].source, /not implemented yet: clip-norm/);
  assert.equal(nb.cells[0].metadata.course.stub, true, "the runner's cue that this cell is a stub");
});

test("the committed learner notebooks are up to date with solutions/", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "generate-notebooks.mjs"), "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});
