// npm run new-notebook, in a scratch course (--root / `root`): it refuses a bad name, a number or a
// name in use, the welcome's and the appendices' numbers, and a file that exists, writing nothing;
// and the skeleton it writes works on every route: the notebook passes the notebook runner (its
// check cell included), its learner copy is generated and stops at its stub, the check cell fails
// the typical wrong answer (what nbgrader grades by), and graded as npm run grade does (the
// teacher's check cells run on the solution first), the solution earns every point while the
// learner copy and the wrong answer earn none, with feedback naming the place and the case's input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ROOT, chooseEnvironment, jupyterEnv } from "../lib/project.mjs";
import { generate, serialise } from "../generate-notebooks.mjs";
import { gradeIdOf, isSolutionCell, loadAssignment } from "../grade/assignments.mjs";
import { gradeClass, prepare } from "../grade/grade-class.mjs";
import { makeRuntime } from "../grade/runtime.mjs";
import { hasExercises } from "../nbgrader-course.mjs";
import { newNotebook } from "../new-notebook.mjs";

const SCRIPT = join(ROOT, "scripts", "new-notebook.mjs");
const NAME = "14-running-means";
const ID = "ch14-running-mean";
const WRONG = `scripts/test/fixtures/grading/wrong/${ID}.ts`;

/** A folder in the system's temporary folder, removed when test t ends, passed or failed. */
function tempDir(t, prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A scratch course: the folders the scaffold writes into, and the notebooks of solutions/ named. */
function scratchCourse(t, notebooks = []) {
  const root = tempDir(t, "new-notebook-");
  for (const d of ["solutions", "grading/hidden", "scripts/test/fixtures/grading/wrong"]) mkdirSync(join(root, d), { recursive: true });
  for (const f of notebooks) cpSync(join(ROOT, "solutions", f), join(root, "solutions", f));
  return root;
}

/** Every file under `dir`, relative to it, sorted. */
function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath ?? e.path, e.name))).sort();
}

const cli = (...args) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });

test("a bad name, a number or a name in use, 00/98/99 and an existing file are refused in one line, and nothing is written", (t) => {
  const root = scratchCourse(t, ["01-order-matters.ipynb"]);
  writeFileSync(join(root, "grading", "hidden", "14-mine.ts"), "// the teacher's own\n");
  writeFileSync(join(root, "scripts", "test", "fixtures", "grading", "wrong", "ch15-running-mean.ts"), "// left from another notebook\n");
  const before = files(root);

  const r = cli("7-x", "--root", root);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^new-notebook: "7-x" is not a notebook name: two digits, a dash and lowercase words joined by dashes, e\.g\. 14-moving-averages [^\n]*\n$/);
  const none = cli("--root", root);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /^new-notebook: no notebook name given \(usage: npm run new-notebook -- NN-name \[--title "Title"\][^\n]*\n$/);

  for (const name of ["7-x", "014-x", "14_x", "14-", "14-Moving", "14-moving--mean", "14-moving mean", "moving-mean"]) {
    assert.throws(() => newNotebook({ root, name }), /is not a notebook name/, name);
  }
  for (const n of ["00", "98", "99"]) assert.throws(() => newNotebook({ root, name: `${n}-more` }), new RegExp(`^SetupError: ${n} is .* number: npm run release hands notebooks 00, 98 and 99 to every class`));
  assert.throws(() => newNotebook({ root, name: "01-new" }), /^SetupError: number 01 is taken by solutions\/01-order-matters\.ipynb: /);
  assert.throws(() => newNotebook({ root, name: "15-order-matters" }), /^SetupError: the name order-matters is taken by solutions\/01-order-matters\.ipynb/);
  assert.throws(() => newNotebook({ root, name: "14-mine" }), /^SetupError: grading\/hidden\/14-mine\.ts exists: nothing was written/);
  assert.throws(() => newNotebook({ root, name: "15-other" }), /^SetupError: scripts\/test\/fixtures\/grading\/wrong\/ch15-running-mean\.ts exists: nothing was written/);
  assert.throws(() => newNotebook({ root, name: "16-x", title: " " }), /--title needs a title of one line/);

  assert.deepEqual(files(root), before, "no refusal writes a file");
  assert.equal(readFileSync(join(root, "grading", "hidden", "14-mine.ts"), "utf8"), "// the teacher's own\n");
});

/** Runs the notebook runner on `paths` (a child process, so grading can run meanwhile; stopped if the test ends first). */
function runNotebooks(t, out, paths) {
  const python = chooseEnvironment().python;
  return new Promise((resolve) => {
    const child = spawn(python, [join(ROOT, "scripts", "run_notebooks.py"), "--out", out, "--jobs", String(paths.length), ...paths], { cwd: ROOT, env: jupyterEnv(python) });
    t.after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM"); // the runner shuts its kernels down
    });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    child.on("close", (status) => resolve({ status, text }));
  });
}

test("the skeleton works: it passes the notebook runner, its learner copy is generated, and graded, the solution earns every point and the wrong answer none", { timeout: 240_000 }, async (t) => {
  const root = scratchCourse(t);
  const r = cli(NAME, "--title", "Running means", "--root", root);
  assert.equal(r.status, 0, r.stderr);
  const wrote = [`solutions/${NAME}.ipynb`, `grading/hidden/${NAME}.ts`, WRONG];
  assert.match(r.stdout, new RegExp(`^new-notebook: wrote ${wrote.join(", ")} \\("Running means", exercise ${ID}, 2 points\\)\\.\n`));
  for (const next of ["npm run notebooks:generate", `node scripts/notebooks.mjs solutions/${NAME}.ipynb notebooks/${NAME}.ipynb`, `npm run grade -- solutions/${NAME}.ipynb`, `npm run grade -- notebooks/${NAME}.ipynb`, "each wrong answer", "generate_assignment ch14", `npm run grade:gradescope -- --assignment ${NAME}`]) {
    assert.ok(r.stdout.includes(next), `it says what to run next: ${next}\n${r.stdout}`);
  }
  assert.deepEqual(files(root), [...wrote].sort(), "these three files and nothing else");
  assert.throws(() => newNotebook({ root, name: NAME }), new RegExp(`number 14 is taken by solutions/${NAME}\\.ipynb`), "a second run refuses");

  // The notebook is written as the course's are: nbformat 4.5, the same metadata, indent 1 and a
  // final newline, cell ids, and the nbgrader metadata of a real exercise of the course.
  const path = join(root, "solutions", `${NAME}.ipynb`);
  const text = readFileSync(path, "utf8");
  const nb = JSON.parse(text);
  const course = JSON.parse(readFileSync(join(ROOT, "solutions", "01-order-matters.ipynb"), "utf8"));
  assert.equal(text, serialise(nb));
  assert.deepEqual([nb.nbformat, nb.nbformat_minor], [4, 5]);
  assert.deepEqual(nb.metadata, course.metadata);
  assert.deepEqual(nb.cells.map((c) => c.id), nb.cells.map((_, i) => `ch14-${String(i).padStart(2, "0")}`));
  assert.match(nb.cells[0].source, /^# 14\. Running means\n/);
  assert.deepEqual(nb.cells[1].metadata, { course: { grading: "context" } });
  assert.equal(nb.cells[1].source, 'import * as kl from "kernel-lib";');
  const solution = nb.cells.find(isSolutionCell);
  const theirs = course.cells.find(isSolutionCell);
  assert.equal(JSON.stringify(solution.metadata), JSON.stringify(theirs.metadata).replace(gradeIdOf(theirs), ID), "a solution cell's metadata, keys in the course's order");
  const check = nb.cells.find((c) => gradeIdOf(c) === `${ID}-check`);
  const theirCheck = course.cells.find((c) => gradeIdOf(c) === `${gradeIdOf(theirs)}-check`);
  assert.equal(JSON.stringify(check.metadata), JSON.stringify(theirCheck.metadata).replace(gradeIdOf(theirs), ID).replace(/"points":\d+/, '"points":2'));
  assert.match(check.source, new RegExp(`^kl\\.testing\\.checkExercise\\("${ID}", \\(c\\) => \\{`));
  // nbgrader refuses a notebook whose markdown or other cells hold a solution marker's text.
  for (const c of nb.cells.filter((x) => x !== solution)) assert.doesNotMatch(c.source, /BEGIN SOLUTION|END SOLUTION/, c.id);
  assert.ok(/^(\d\d)-.*\.ipynb$/.test(`${NAME}.ipynb`) && hasExercises(path), "npm run grade:nbgrader-course makes it assignment ch14");

  // The learner copy, as npm run notebooks:generate writes it.
  assert.deepEqual(generate({ root }).wrote, [`notebooks/${NAME}.ipynb`]);
  const learner = join(root, "notebooks", `${NAME}.ipynb`);
  const stub = JSON.parse(readFileSync(learner, "utf8")).cells.find(isSolutionCell);
  assert.match(stub.source, new RegExp(`// YOUR CODE HERE\n  throw new Error\\("not implemented yet: ${ID}"\\);`));
  assert.doesNotMatch(stub.source, /sum \/ \(t \+ 1\)/);

  // Submissions: the solution, the untouched learner copy, and the wrong answer in its solution cell.
  // In the scratch course, whose node_modules is a link to the course's, as in nbgrader's course
  // directory: the kernel resolves kernel-lib from the notebook's folder upwards.
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"), process.platform === "win32" ? "junction" : "dir");
  const subs = join(root, "submissions");
  const wrongNb = structuredClone(nb);
  wrongNb.cells.find(isSolutionCell).source = readFileSync(join(root, WRONG), "utf8");
  for (const [student, write] of [["solved", () => cpSync(path, join(subs, "solved", `${NAME}.ipynb`))], ["untouched", () => cpSync(learner, join(subs, "untouched", `${NAME}.ipynb`))],
    ["wrong", () => writeFileSync(join(subs, "wrong", `${NAME}.ipynb`), JSON.stringify(wrongNb))]]) {
    mkdirSync(join(subs, student), { recursive: true });
    write();
  }

  // Through the kernel (the solution's check passes, the learner copy stops at its stub, the wrong
  // answer fails the check cell) while the grader grades.
  const kernel = runNotebooks(t, join(root, "build", "executed"), [path, learner, join(subs, "wrong", `${NAME}.ipynb`)]);
  const a = loadAssignment(root, path);
  assert.deepEqual(a.exercises.map(({ gradeId, points, title }) => ({ gradeId, points, title })), [{ gradeId: ID, points: 2, title: "Exercise 1: the running mean" }]);
  assert.deepEqual(a.checks.map((c) => [c.gradeId, c.notRun]), [[ID, undefined]], "the grader runs the check cell on the teacher's solution");
  const prepared = await prepare({ root: ROOT, assignments: [a], secret: "new-notebook-test", limits: {} });
  const runtime = makeRuntime(ROOT);
  let graded;
  try {
    graded = await gradeClass({ root: ROOT, runtime, paths: ["solved", "untouched", "wrong"].map((s) => join(subs, s)), prepared, allAssignments: new Map([[a.name, a]]), limits: {}, notebookSeconds: 300, jobs: 2 });
  } finally {
    runtime.remove();
  }
  const result = new Map(graded.map((g) => [g.student, g.results.tests[0]]));
  assert.deepEqual([...result].map(([s, x]) => [s, x.name, x.number, x.score, x.max_score]), [
    ["solved", `${ID}: Exercise 1: the running mean`, "14.1", 2, 2],
    ["untouched", `${ID}: Exercise 1: the running mean`, "14.1", 0, 2],
    ["wrong", `${ID}: Exercise 1: the running mean`, "14.1", 0, 2],
  ]);
  assert.equal(result.get("solved").output, "All 3 hidden cases passed.");
  assert.match(result.get("untouched").output, new RegExp(`^Hidden case 1 of 3: your code threw Error: not implemented yet: ${ID}\nThis case's input: xs = \\[-?[\\d.]+\\]$`));
  // The place of the first difference under the result's name, and the case's input from `given`.
  assert.match(result.get("wrong").output, /^Hidden case [23] of 3: the result\.means\[\d+\] is -?[\d.e+-]+, which is wrong\.\nThis case's input: xs = \[-?[\d.]+(,-?[\d.]+)+\]$/);

  const run = await kernel;
  assert.equal(run.status, 1, run.text);
  assert.match(run.text, new RegExp(`^PASS {2}\\S*solutions/${NAME}\\.ipynb {2}3/3 code cells ok`, "m"));
  assert.match(run.text, new RegExp(`^PASS {2}\\S*notebooks/${NAME}\\.ipynb {2}2/3 code cells ok .*stopped at the expected error in cell 5`, "m"));
  assert.match(run.text, new RegExp(`^FAIL {2}\\S*wrong/${NAME}\\.ipynb {2}2/3 code cells ok`, "m"));
  assert.match(run.text, new RegExp(`✘ ${ID}: a constant sequence stays constant \\(probe: 3, 3, 3\\): is off by`), "the check cell, which nbgrader grades by, fails the wrong answer");
  assert.match(run.text, /^notebooks: 2 passed, 1 failed$/m);
});
