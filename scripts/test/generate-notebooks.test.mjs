// Learner notebooks are generated from solutions/: solution regions become stubs, and the
// committed notebooks/ must match what the generator writes; a learner's edits are never lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../lib/project.mjs";
import { learnerNotebook, serialise, stubSolutions } from "../generate-notebooks.mjs";

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

test("every cell of every solution notebook has an id, unique in its notebook (nbformat 4.5; nbgrader and nbconvert warn otherwise)", () => {
  for (const file of readdirSync(join(ROOT, "solutions")).filter((f) => f.endsWith(".ipynb"))) {
    const nb = JSON.parse(readFileSync(join(ROOT, "solutions", file), "utf8"));
    const ids = nb.cells.map((c) => c.id);
    const missing = ids.map((id, i) => (typeof id === "string" && id ? null : i)).filter((i) => i !== null);
    assert.deepEqual(missing, [], `solutions/${file}: cells without an id`);
    assert.equal(new Set(ids).size, ids.length, `solutions/${file}: ids repeat`);
  }
});

test("the committed learner notebooks are up to date with solutions/", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "generate-notebooks.mjs"), "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

// A learner's saved work is never lost, and never fails `npm test`. A scratch course (a git
// repository with one solution and its generated notebook, committed) stands in for a clone.
function scratchCourse() {
  const root = mkdtempSync(join(tmpdir(), "course-generate-"));
  mkdirSync(join(root, "solutions"));
  writeFileSync(join(root, "solutions", "01-a.ipynb"), JSON.stringify(solutionNotebook("return 2 * x;")));
  const git = (...args) => {
    const r = spawnSync("git", ["-c", "user.name=course-test", "-c", "user.email=course-test@example.invalid", "-c", "init.defaultBranch=main", ...args], { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
  };
  const cli = (...args) => spawnSync(process.execPath, [join(ROOT, "scripts", "generate-notebooks.mjs"), "--root", root, ...args], { encoding: "utf8" });
  assert.equal(cli().status, 0);
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "course");
  rmSync(join(root, "build"), { recursive: true, force: true }); // a fresh clone has no build/
  return { root, cli, notebook: join(root, "notebooks", "01-a.ipynb"), solution: join(root, "solutions", "01-a.ipynb") };
}

function solutionNotebook(answer) {
  return {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: "# A chapter" },
      { cell_type: "code", metadata: { nbgrader: { grade_id: "double" } }, execution_count: null, outputs: [], source: `function f(x: number) {\n  // BEGIN SOLUTION\n  ${answer}\n  // END SOLUTION\n}` },
    ],
  };
}

/** What a learner does: types in the stub cell and saves (JupyterLab writes the whole file). */
function learnerEdits(path) {
  const nb = JSON.parse(readFileSync(path, "utf8"));
  nb.cells[1].source = nb.cells[1].source.replace(/ *\/\/ YOUR CODE HERE\n.*\n/, "  return x + x; // my answer\n");
  nb.cells[1].outputs = [{ output_type: "stream", name: "stdout", text: "4\n" }];
  writeFileSync(path, JSON.stringify(nb, null, 1));
  return readFileSync(path, "utf8");
}

const hasGit = spawnSync("git", ["--version"]).status === 0;

test("the staleness check passes a learner's saved edits in notebooks/, and still fails a solution changed without regenerating", { skip: !hasGit && "needs git" }, () => {
  const { root, cli, notebook, solution } = scratchCourse();
  try {
    const edited = learnerEdits(notebook);
    const ok = cli("--check");
    assert.equal(ok.status, 0, `a learner's saved work must not fail npm test: ${ok.stderr}`);
    assert.match(ok.stdout, /notebooks\/01-a\.ipynb has edits of your own, left alone/);
    assert.equal(readFileSync(notebook, "utf8"), edited, "the check never writes");

    const nb = solutionNotebook("return 2 * x;");
    writeFileSync(solution, JSON.stringify({ ...nb, cells: [...nb.cells, { cell_type: "markdown", metadata: {}, source: "A new section" }] }));
    const stale = cli("--check");
    assert.equal(stale.status, 1, "a solution changed without regenerating fails the check");
    assert.match(stale.stderr, /^generate-notebooks: out of date with solutions\/: notebooks\/01-a\.ipynb \(what the generator writes matches neither the file nor what git has committed\)\. Run `npm run notebooks:generate` and commit\.$/m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a learner copy whose solution was renamed or removed is named by the generator, and the check fails", { skip: !hasGit && "needs git" }, () => {
  const { root, cli, notebook } = scratchCourse();
  try {
    const orphan = join(root, "notebooks", "14-gone.ipynb");
    writeFileSync(orphan, readFileSync(notebook, "utf8"));
    const checked = cli("--check");
    assert.equal(checked.status, 1, "an orphan fails the check");
    assert.match(checked.stderr, /^generate-notebooks: notebooks\/14-gone\.ipynb has no solution in solutions\/ \(renamed or removed\?\): remove it \(git rm\), or npm run release hands it to students\.$/m);
    const written = cli();
    assert.equal(written.status, 0, "generating still works, and says it");
    assert.match(written.stderr, /notebooks\/14-gone\.ipynb has no solution/);
    assert.ok(existsSync(orphan), "nothing is deleted");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the generator keeps a learner's edits in notebooks/ (in my-work/, and says where) before it regenerates the file", { skip: !hasGit && "needs git" }, () => {
  const { root, cli, notebook, solution } = scratchCourse();
  try {
    const edited = learnerEdits(notebook);
    const changed = { ...solutionNotebook("return 2 * x;"), metadata: { changed: true } };
    writeFileSync(solution, JSON.stringify(changed));
    const r = cli();
    assert.equal(r.status, 0, r.stderr);
    const m = /^generate-notebooks: notebooks\/01-a\.ipynb had edits of your own: kept them as (.*\/my-work\/01-a\.your-edits-from-notebooks-\d{4}-\d{2}-\d{2}\.ipynb) before regenerating it\.$/m.exec(r.stdout);
    assert.ok(m, `the generator says where it kept the edits:\n${r.stdout}`);
    assert.equal(readFileSync(m[1], "utf8"), edited, "the kept file is the learner's, byte for byte");
    assert.equal(readFileSync(notebook, "utf8"), serialise(learnerNotebook(changed, "solutions/01-a.ipynb")), "notebooks/ is regenerated");

    // Its own output is not someone's work: regenerating over it keeps nothing more.
    writeFileSync(solution, JSON.stringify({ ...changed, metadata: { changed: 2 } }));
    const again = cli();
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /edits of your own/);
    assert.deepEqual(readdirSync(join(root, "my-work")), [m[1].split("/").pop()]);

    // The committed version is not someone's work either (a fresh clone, a solution changed).
    const clean = scratchCourse();
    try {
      writeFileSync(clean.solution, JSON.stringify(changed));
      const fresh = clean.cli();
      assert.equal(fresh.status, 0, fresh.stderr);
      assert.doesNotMatch(fresh.stdout, /edits of your own/);
      assert.equal(existsSync(join(clean.root, "my-work")), false);
    } finally {
      rmSync(clean.root, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a solution notebook the generator cannot read stops it with one line naming the file (and where), before it writes anything", { skip: !hasGit && "needs git" }, () => {
  const { root, cli, notebook, solution } = scratchCourse();
  try {
    writeFileSync(join(root, "solutions", "00-first.ipynb"), JSON.stringify(solutionNotebook("return 1;")));
    const text = readFileSync(solution, "utf8");
    writeFileSync(solution, text.slice(0, text.length - 40));
    const r = cli();
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^generate-notebooks: solutions\/01-a\.ipynb is not valid JSON \(line 1, column \d+\): nothing was written; fix the file/);
    assert.equal(r.stderr.trim().split("\n").length, 1, `one line, no stack: ${r.stderr}`);
    assert.ok(!existsSync(join(root, "notebooks", "00-first.ipynb")), "the notebook before it in order was not written either");
    writeFileSync(solution, JSON.stringify(solutionNotebook("return 2 * x;")).replace("// END SOLUTION", "// the end"));
    const unclosed = cli();
    assert.equal(unclosed.status, 1);
    assert.match(unclosed.stderr, /^generate-notebooks: solutions\/01-a\.ipynb.*BEGIN SOLUTION is never closed by END SOLUTION\n$/);
    assert.ok(existsSync(notebook));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
