// npm run grade, on every gradeable notebook: the teacher's solutions earn every point, the
// untouched learner copies earn none, and each known wrong answer (scripts/test/fixtures/grading/
// wrong/<grade_id>.ts: the whole solution cell, written as a student might) loses exactly its own
// exercise (and those whose solutions call it). So every exercise has hidden cases, and they tell a
// typical mistake from a solution. The capstones train a model whenever they are graded, so they
// are graded once, in grade-capstones.test.mjs (their solutions, learner copies and wrong answers).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ROOT } from "../lib/project.mjs";
import { gradeIdOf, isSolutionCell, loadAssignment, loadAssignments, observersSource } from "../grade/assignments.mjs";
import { prepare } from "../grade/grade-class.mjs";
import { claimOutput, defaultOut, main as grade, parseArgs } from "../grade.mjs";

const WRONG = join(ROOT, "scripts", "test", "fixtures", "grading", "wrong");
const assignments = loadAssignments(ROOT);
/** The chapters (01-…): the capstones are graded in grade-capstones.test.mjs. */
const chapters = new Map([...assignments].filter(([name]) => /^\d/.test(name)));

test("every exercise of every notebook has hidden tests", () => {
  for (const a of assignments.values()) {
    const module = { exports: {} };
    new Function("module", "exports", "require", observersSource(a))(module, module.exports, () => ({}));
    const missing = a.exercises.map((e) => e.gradeId).filter((id) => typeof module.exports.observers?.[id] !== "function");
    assert.deepEqual(missing, [], `${a.name}: no observer in grading/hidden/${a.name}.ts for ${missing.join(", ")}`);
  }
});

test("capstone 1's judged exercise says a training cut short by an error or the time limit, with the steps done", () => {
  const module = { exports: {} };
  new Function("module", "exports", "require", observersSource(assignments.get("capstone-1-char-lstm")))(module, module.exports, () => ({}));
  const observe = module.exports.observers["cap1-train"];
  const student = { loop: { stepsDone: 99 }, settings: { steps: 400 } };
  assert.throws(() => observe(student, {}, {}, { input: { char: "a", newName: true } }),
    /^Error: your model was trained for 99 of 400 steps: the training stopped early \(an error in the notebook's training cell, or its time limit: its output says which\)$/);
});

// A teacher who edits a solution wrong (a private class's variant of an exercise) would make it the
// reference, and every correct student would be told they are wrong: the grader runs the check
// cells students run on the teacher's solutions first, and refuses to grade when one fails.
test("a teacher's solution that fails its own check cell stops grading before any student is judged", { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "grade-teacher-"));
  try {
    const a = assignments.get("03-vanilla-rnn");
    const nb = JSON.parse(readFileSync(a.notebookPath, "utf8"));
    nb.cells.find((c) => isSolutionCell(c) && gradeIdOf(c) === "ch03-perplexity").source = readFileSync(join(WRONG, "ch03-perplexity.ts"), "utf8");
    const edited = join(dir, basename(a.notebookPath));
    writeFileSync(edited, JSON.stringify(nb));
    const teacher = loadAssignment(ROOT, edited);
    assert.ok(teacher.checks.some((c) => c.gradeId === "ch03-perplexity" && !c.notRun), "the perplexity check cell is one the grader runs");
    await assert.rejects(prepare({ root: ROOT, assignments: [teacher], secret: "teacher-test", limits: {} }),
      /^Error: the teacher's solution of ch03-perplexity \(.*03-vanilla-rnn\.ipynb\) fails its own check cell, the one students run: .*ch03-perplexity[^]*fix it \(or the check\) before grading\.$/);
    // The same notebook with the teacher's own solution passes (the refusal is the edit's).
    const prepared = await prepare({ root: ROOT, assignments: [a], secret: "teacher-test", limits: {} });
    assert.equal(prepared.get("03-vanilla-rnn").reference.size, a.exercises.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a check cell written as kl.testing.checkExercise(id, (c) => ...) is run on the teacher's solution: its callback's own names are not read from the notebook", () => {
  const dir = mkdtempSync(join(tmpdir(), "grade-check-shape-"));
  try {
    const a = assignments.get("03-vanilla-rnn");
    const nb = JSON.parse(readFileSync(a.notebookPath, "utf8"));
    // The shape of kernel-lib's own usage example: a callback parameter, locals, a loop variable,
    // a destructured result and a type, none of which the notebook defines.
    nb.cells.find((c) => gradeIdOf(c) === "ch03-perplexity-check").source =
      'kl.testing.checkExercise("ch03-perplexity", (c) => {\n  for (const [nats, n] of [[10, 10], [0, 3]] as [number, number][]) {\n' +
      '    const { value } = { value: perplexity(nats, n) };\n    c.that(`perplexity(${nats}, ${n})`, Math.abs(value - Math.exp(nats / n)) < 1e-12, "e to the mean");\n  }\n});\n';
    const edited = join(dir, basename(a.notebookPath));
    writeFileSync(edited, JSON.stringify(nb));
    const check = loadAssignment(ROOT, edited).checks.find((c) => c.gradeId === "ch03-perplexity");
    assert.equal(check.notRun, undefined, `the check cell is run: ${check.notRun}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a new notebook's usual slips are named with their fix: an import cell not marked to run when grading, no observer for an exercise, a syntax error in the hidden tests (line and column)", { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "grade-new-notebook-"));
  try {
    const a = assignments.get("01-order-matters");
    const nb = JSON.parse(readFileSync(a.notebookPath, "utf8"));
    const importCell = nb.cells.findIndex((c) => c.metadata?.course?.grading === "context" && /import \* as kl/.test(Array.isArray(c.source) ? c.source.join("") : c.source));
    assert.ok(importCell >= 0, "01 has a context cell importing kl");
    delete nb.cells[importCell].metadata.course;
    const edited = join(dir, basename(a.notebookPath));
    writeFileSync(edited, JSON.stringify(nb));
    const unmarked = loadAssignment(ROOT, edited).checks.find((c) => c.notRun);
    assert.match(unmarked.notRun, new RegExp(`reads kl, .*the notebook's cell ${importCell + 1} defines kl: give that cell the metadata \\{"course": \\{"grading": "context"\\}\\}`));

    const noObserver = join(dir, "no-observer.ts");
    writeFileSync(noObserver, "export const observers = {};\n");
    await assert.rejects(prepare({ root: ROOT, assignments: [{ ...a, observersPath: noObserver }], secret: "new-notebook", limits: {} }),
      new RegExp(`no-observer\\.ts has no observer for ${a.exercises[0].gradeId}: add one to its observers`));

    const broken = join(dir, "broken.ts");
    writeFileSync(broken, 'export const observers = {\n  "ch01-x": (s) => s.f(1),\n  }}\n};\n');
    assert.throws(() => observersSource({ ...a, observersPath: broken }), /broken\.ts: line 3, column 4: Declaration or statement expected/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--out may not put results inside a submitted folder (nothing in a submission is written to)", () => {
  const dir = mkdtempSync(join(tmpdir(), "grade-out-"));
  try {
    const subs = join(dir, "submissions");
    for (const s of ["alice", "bob"]) mkdirSync(join(subs, s), { recursive: true });
    writeFileSync(join(subs, "carol.ipynb"), "{}");
    const students = [join(subs, "alice"), join(subs, "bob"), join(subs, "carol.ipynb")];
    // --out submissions/ would write submissions/alice/results.json.
    assert.throws(() => parseArgs([...students, "--out", subs]), /^Error: --out .*submissions would write results into the submission .*alice \(.*alice\): nothing in a submission is written to; choose a folder outside the submissions$/);
    assert.throws(() => parseArgs([...students, "--out", join(subs, "bob", "grades")]), /would write results into the submission .*bob/);
    assert.throws(() => parseArgs([...students, "--out", join(subs, "alice")]), /would write results into the submission .*alice/);
    // Beside the submissions, or in the folder of a submitted file, is fine.
    assert.equal(parseArgs([...students, "--out", join(dir, "grades")]).out, join(dir, "grades"));
    assert.equal(parseArgs([join(subs, "carol.ipynb"), "--out", subs]).out, subs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the check cells the grader cannot run on the teacher's solutions are only those that read the notebook's other cells", () => {
  const notRun = [...assignments.values()].flatMap((a) => a.checks.filter((c) => c.notRun).map((c) => `${c.gradeId}: ${c.notRun}`));
  assert.deepEqual(notRun, ["ch02-topo-backward: it reads add, which no context or solution cell defines"]);
  for (const a of assignments.values()) assert.deepEqual(a.checks.map((c) => c.gradeId), a.exercises.map((e) => e.gradeId), `${a.name}: one check cell per exercise`);
});

test("solutions earn every point, learner copies none, and each wrong answer loses exactly its exercise", { timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "grade-test-"));
  try {
    const solved = join(dir, "solved");
    const untouched = join(dir, "untouched");
    mkdirSync(solved);
    mkdirSync(untouched);
    for (const a of chapters.values()) {
      cpSync(a.notebookPath, join(solved, basename(a.notebookPath)));
      cpSync(join(ROOT, "notebooks", basename(a.notebookPath)), join(untouched, basename(a.notebookPath)));
    }
    // Each wrong answer is graded in a submission of its own.
    const wrong = new Map(); // student -> grade_id
    for (const file of readdirSync(WRONG).filter((f) => f.endsWith(".ts"))) {
      const gradeId = file.replace(/\.ts$/, "");
      const a = [...assignments.values()].find((x) => x.exercises.some((e) => e.gradeId === gradeId));
      assert.ok(a, `${file}: no notebook has an exercise ${gradeId}`);
      if (!chapters.has(a.name)) continue; // a capstone's: grade-capstones.test.mjs
      const nb = JSON.parse(readFileSync(a.notebookPath, "utf8"));
      const cell = nb.cells.find((c) => isSolutionCell(c) && gradeIdOf(c) === gradeId);
      cell.source = readFileSync(join(WRONG, file), "utf8");
      const student = `wrong-${gradeId}`;
      mkdirSync(join(dir, student));
      writeFileSync(join(dir, student, basename(a.notebookPath)), JSON.stringify(nb));
      wrong.set(student, gradeId);
    }
    const out = join(dir, "out");
    const paths = [solved, untouched, ...[...wrong.keys()].map((s) => join(dir, s))];
    process.env.GRADE_SEED = "grade-test";
    const graded = await grade([...paths, "--out", out, "--assignment", [...chapters.keys()].join(",")]);
    const byStudent = new Map(graded.map((g) => [g.student, g.results]));
    const scoreOf = (results) => new Map(results.tests.map((t) => [t.name.split(":")[0], [t.score, t.max_score, t.output]]));
    for (const [id, [score, max, output]] of scoreOf(byStudent.get("solved"))) assert.equal(score, max, `the solution of ${id} should earn ${max}: ${output}`);
    for (const [id, [score, , output]] of scoreOf(byStudent.get("untouched"))) assert.equal(score, 0, `the untouched ${id} should earn 0: ${output}`);
    for (const [student, gradeId] of wrong) {
      const a = [...assignments.values()].find((x) => x.exercises.some((e) => e.gradeId === gradeId));
      // It loses its own exercise, and those whose solutions call its function (the forward pass
      // calls the step), with a note saying so; every other exercise keeps its points.
      const losers = new Set([gradeId]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const e of a.exercises) if (!losers.has(e.gradeId) && e.uses.some((id) => losers.has(id))) grew = losers.add(e.gradeId);
      }
      for (const e of a.exercises) {
        const [score, max, output] = scoreOf(byStudent.get(student)).get(e.gradeId);
        assert.equal(score, losers.has(e.gradeId) ? 0 : max, `${student}: ${e.gradeId} got ${score} of ${max}: ${output}`);
        if (e.gradeId !== gradeId && losers.has(e.gradeId)) assert.match(output, /calls your solution of \S+/, "the note says which failed exercise it depends on");
      }
    }
    const csv = readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n");
    assert.equal(csv.length, 1 + paths.length, "grades.csv: a header and one row per student");
  } finally {
    delete process.env.GRADE_SEED;
    rmSync(dir, { recursive: true, force: true });
  }
});

test("npm run grade needs no Python: it grades with no python3 on PATH and COURSE_PYTHON pointing nowhere; and with a temporary folder reached through a link, as macOS's", { timeout: 300_000 }, async () => {
  const { spawnSync } = await import("node:child_process");
  const { dirname } = await import("node:path");
  const { symlinkSync } = await import("node:fs");
  const dir = mkdtempSync(join(tmpdir(), "grade-bare-path-"));
  try {
    const name = "01-order-matters";
    mkdirSync(join(dir, "student"));
    cpSync(join(ROOT, "solutions", `${name}.ipynb`), join(dir, "student", `${name}.ipynb`));
    // macOS's TMPDIR is under /var, a link to /private/var: the sandbox's permission model
    // compares real paths, and a runtime folder named by its linked path refused every read.
    mkdirSync(join(dir, "real-tmp"));
    symlinkSync(join(dir, "real-tmp"), join(dir, "linked-tmp"));
    // Only node's own folder on PATH: a grader that looked for Python (set-up's venv, pip,
    // JupyterLab) would fail to find one or be sent to a path that does not exist.
    const env = { PATH: dirname(process.execPath), HOME: process.env.HOME, TMPDIR: join(dir, "linked-tmp"), COURSE_PYTHON: join(dir, "no-such-python3"), GRADE_SEED: "bare-path" };
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "grade.mjs"), join(dir, "student"), "--out", join(dir, "out"), "--assignment", name], { env, encoding: "utf8" });
    assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(`${r.stdout}${r.stderr}`, /python/i, "nothing about Python is said or needed");
    const results = JSON.parse(readFileSync(join(dir, "out", "student", "results.json"), "utf8"));
    assert.ok(results.tests.length > 0 && results.tests.every((t) => t.score === t.max_score), "the solution earns every point");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--out takes a new or empty folder, or one holding earlier grades of the same assignments (a late submission re-graded keeps everyone's row); other files, another assignment's grades and a file are refused", { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "grade-out-folder-"));
  const name = "01-order-matters";
  process.env.GRADE_SEED = "out-folder";
  try {
    for (const student of ["alice", "bob"]) {
      mkdirSync(join(dir, student));
      cpSync(join(ROOT, student === "alice" ? "solutions" : "notebooks", `${name}.ipynb`), join(dir, student, `${name}.ipynb`));
    }
    const out = join(dir, "grades");
    await grade([join(dir, "alice"), "--out", out, "--assignment", name]);
    await grade([join(dir, "bob"), "--out", out, "--assignment", name]);
    const rows = readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n").map((r) => r.split(",")[0]);
    assert.deepEqual(rows, ["student", "alice", "bob"], "bob graded later joins alice's grades.csv, which keeps her row");
    await assert.rejects(grade([join(dir, "alice"), "--out", out, "--assignment", "03-vanilla-rnn"]),
      /--out .*grades holds grades of 01-order-matters; this run grades 03-vanilla-rnn: give another folder/);
    const notes = join(dir, "notes");
    mkdirSync(notes);
    writeFileSync(join(notes, "grades.csv"), "student,final\nalice,A\n");
    assert.throws(() => claimOutput(notes, [name]), /--out .*notes exists and holds files the grader did not write \(grades\.csv\): choose a new folder \(nothing is overwritten\)/);
    assert.equal(readFileSync(join(notes, "grades.csv"), "utf8"), "student,final\nalice,A\n");
    assert.throws(() => parseArgs([join(dir, "alice"), "--out", join(notes, "grades.csv")]), /--out .*grades\.csv is a file: give a folder/);
    assert.notEqual(defaultOut(["03-vanilla-rnn"]), defaultOut(["04-bptt-and-vanishing-gradients"]), "grading another chapter never replaces one's default folder");
  } finally {
    delete process.env.GRADE_SEED;
    rmSync(dir, { recursive: true, force: true });
  }
});
