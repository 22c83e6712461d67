// npm run grade on a corpus of hostile and broken submissions (scripts/test/fixtures/grading/
// hostile/cases.mjs): infinite loops, process.exit, crashes, memory bombs, floods of output, files
// cut short, edited check cells and metadata, reads of the teacher's files, redefined globals and
// library exports, forged replies on the grader's channel, odd return values. All are graded in
// one run of the grader (with lowered limits, so it is quick), and each case's exercises must get
// exactly the points they earn: a fault costs its own exercise, never the student's others nor
// their other notebooks, and says so; no trick raises a score. Afterwards the submissions are
// unchanged byte for byte, no file is left outside --out, the grader's priority is untouched, and
// grading some of them again gives the same scores.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../lib/project.mjs";
import { cellSource, gradeIdOf, isSolutionCell, loadAssignments } from "../grade/assignments.mjs";
import { makeRuntime } from "../grade/runtime.mjs";
import { runNotebook } from "../grade/run-notebook.mjs";
import { main as grade } from "../grade.mjs";
import { cases } from "./fixtures/grading/hostile/cases.mjs";

const NOTEBOOK = "03-vanilla-rnn";
// Another chapter (one with hidden tests) that the students of the faulting cases also hand in,
// solved: their faults in 03 must not cost it a point.
const OTHER = "02-chain-rule-and-tape";
const WITH_OTHER = new Set(["cell-faults", "truncated"]);
// Graded a second time (their notebook 03), for determinism: a callback's fault blamed on the
// cell that set it up, late errors, forged replies.
const AGAIN = ["late-faults", "late-reads", "late-errors", "reach-out"];
const LIMITS = ["--cell-seconds", "5", "--memory-mib", "512", "--jobs", "2"];

const assignments = loadAssignments(ROOT);
const a03 = assignments.get(NOTEBOOK);

/** Every file under a folder, with its sha256: the submissions must be exactly as handed in. */
function hashes(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (lstatSync(p).isSymbolicLink()) out[p] = `-> ${readlinkSync(p)}`;
      else if (statSync(p).isDirectory()) walk(p);
      else out[p] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

/** Builds each student's folder from the cases that belong to it; returns Map student -> cases. */
function buildStudents(dir) {
  const solvedText = readFileSync(a03.notebookPath, "utf8");
  const learnerText = readFileSync(join(ROOT, "notebooks", `${NOTEBOOK}.ipynb`), "utf8");
  const sol = Object.fromEntries(JSON.parse(solvedText).cells.filter(isSolutionCell).map((c) => [gradeIdOf(c), cellSource(c)]));
  const students = new Map();
  // HOSTILE_ONLY=student,student grades only those (to look into one case while changing the grader).
  const only = process.env.HOSTILE_ONLY?.split(",");
  for (const c of cases) if (!only || only.includes(c.student)) students.set(c.student, [...(students.get(c.student) ?? []), c]);
  for (const [student, group] of students) {
    const self = join(dir, student);
    const fill = (s) => s.replaceAll("{{ROOT}}", ROOT).replaceAll("{{DIR}}", dir).replaceAll("{{SELF}}", self);
    const nb = JSON.parse(solvedText);
    const touched = new Map();
    for (const c of group) {
      for (const [id, source] of Object.entries(typeof c.cells === "function" ? c.cells(sol) : (c.cells ?? {}))) {
        assert.ok(!touched.has(id), `cases ${touched.get(id)} and ${c.name} of student ${student} both replace ${id}: give them different exercises or students`);
        touched.set(id, c.name);
        const cell = nb.cells.find((x) => isSolutionCell(x) && gradeIdOf(x) === id);
        cell.source = fill(source);
      }
    }
    for (const c of group) c.edit?.(nb);
    let text = `${JSON.stringify(nb, null, 1)}\n`;
    for (const c of group) if (c.text) text = c.text(text);
    mkdirSync(self);
    writeFileSync(join(self, `${NOTEBOOK}.ipynb`), text);
    for (const c of group) for (const [file, make] of Object.entries(c.files ?? {})) writeFileSync(join(self, file), make({ solved: solvedText, learner: learnerText }));
    for (const c of group) {
      for (const [file, target] of Object.entries(c.links ?? {})) {
        rmSync(join(self, file), { force: true });
        symlinkSync(fill(target), join(self, file));
      }
    }
    if (WITH_OTHER.has(student)) writeFileSync(join(self, `${OTHER}.ipynb`), readFileSync(assignments.get(OTHER).notebookPath));
    students.set(student, group);
  }
  return students;
}

const scores = (graded) => Object.fromEntries(graded.map((g) => [g.student, Object.fromEntries(g.results.tests.map((t) => [t.name.split(":")[0], t.score]))]));

test("a corpus of hostile and broken submissions is graded correctly, with nothing lost", { timeout: 900_000 }, async (t) => {
  assert.ok(a03 && assignments.get(OTHER), `${NOTEBOOK} and ${OTHER} need hidden tests`);
  assert.ok(cases.length >= 25, "at least 25 cases");
  const dir = mkdtempSync(join(tmpdir(), "grade-hostile-"));
  // The grader's temporary files (the sandboxes' runtime) go here, so the test can see that none is left.
  const scratch = mkdtempSync(join(tmpdir(), "grade-hostile-tmp-"));
  const env = { GRADE_SEED: process.env.GRADE_SEED, TMPDIR: process.env.TMPDIR };
  const watched = ["grading", "solutions"].map((d) => [d, readdirSync(join(ROOT, d)).sort().join("\n")]);
  try {
    const subs = join(dir, "submissions");
    mkdirSync(subs);
    const students = buildStudents(subs);
    const paths = [...students.keys()].map((s) => join(subs, s));
    if (!paths.length) return t.skip("HOSTILE_ONLY names no student");
    const before = hashes(subs);
    const priority = getPriority(process.pid);
    process.env.GRADE_SEED = "grade-hostile";
    process.env.TMPDIR = scratch;
    const out = join(dir, "out");
    const started = Date.now();
    const graded = await grade([...paths, "--out", out, "--assignment", `${NOTEBOOK},${OTHER}`, ...LIMITS]);
    t.diagnostic(`graded ${paths.length} students (${cases.length} cases) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // The grader returned normally, with every student's results.
    assert.deepEqual(graded.map((g) => g.student).sort(), [...students.keys()].sort());
    const byStudent = new Map(graded.map((g) => [g.student, g.results]));
    for (const student of students.keys()) assert.ok(existsSync(join(out, student, "results.json")), `${student}/results.json`);
    assert.equal(readFileSync(join(out, "grades.csv"), "utf8").trim().split("\n").length, 1 + paths.length);

    for (const [student, group] of students) {
      const results = byStudent.get(student);
      const tests = new Map(results.tests.map((x) => [x.name.split(":")[0], x]));
      for (const c of group) {
        await t.test(`${c.name}: ${c.about}`, () => {
          for (const e of a03.exercises) {
            const got = tests.get(e.gradeId);
            const want = c.expect === "all 0" ? 0 : (c.expect[e.gradeId] ?? (group.some((o) => o.expect !== "all 0" && o.expect[e.gradeId] === 0) ? undefined : e.points));
            if (want === undefined) continue; // another case of this student decides this exercise
            assert.equal(got.score, want, `${student}: ${e.gradeId} got ${got.score} of ${got.max_score}, expected ${want}:\n${got.output}`);
          }
          for (const [id, patterns] of Object.entries(c.says ?? {})) for (const p of [patterns].flat()) assert.match(tests.get(id).output, p, `${student}: ${id}'s output`);
          for (const [id, p] of Object.entries(c.notSays ?? {})) assert.doesNotMatch(tests.get(id).output, p, `${student}: ${id}'s output`);
          if (c.notIn) {
            // Reported on its own exercise only.
            const own = Object.keys(c.says);
            for (const [id, x] of tests) if (!own.includes(id)) assert.doesNotMatch(x.output, c.notIn, `${student}: ${id}'s output shows another exercise's error`);
          }
          if (c.summary) assert.match(results.output, c.summary, `${student}: the summary`);
          if (WITH_OTHER.has(student)) {
            for (const e of assignments.get(OTHER).exercises) assert.equal(tests.get(e.gradeId).score, e.points, `${student}: ${e.gradeId} of the other notebook: ${tests.get(e.gradeId).output}`);
          }
        });
      }
    }

    await t.test("the submissions are unchanged and the grader left no file behind", () => {
      assert.deepEqual(hashes(subs), before);
      assert.deepEqual(readdirSync(scratch), [], "the grader's temporary folders are removed");
      for (const [d, listing] of watched) assert.equal(readdirSync(join(ROOT, d)).sort().join("\n"), listing, `no file appeared in ${d}/`);
      assert.equal(getPriority(process.pid), priority, "the grader's priority is untouched");
    });

    await t.test("grading again gives the same scores", { skip: !AGAIN.some((s) => students.has(s)) }, async () => {
      const again = await grade([...AGAIN.filter((s) => students.has(s)).map((s) => join(subs, s)), "--out", join(dir, "again"), "--assignment", NOTEBOOK, ...LIMITS]);
      const first = scores(graded);
      for (const [student, s] of Object.entries(scores(again))) {
        for (const [id, score] of Object.entries(s)) assert.equal(score, first[student][id], `${student}: ${id} got ${first[student][id]}, then ${score}`);
      }
      assert.deepEqual(hashes(subs), before);
      assert.deepEqual(readdirSync(scratch), []);
    });
  } finally {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
});

test("a notebook's time limit holds inside a cell, and what it did not reach is said", { timeout: 120_000 }, async () => {
  // Two exercises: the first waits far longer than what is left of the notebook's time, with
  // its cell's own limit (30 s) above that; the second never runs.
  const assignment = {
    name: "time-limit",
    exercises: [
      { gradeId: "slow", points: 1 },
      { gradeId: "after", points: 1 },
    ],
    program: [
      { kind: "solution", gradeId: "slow", source: "await new Promise((resolve) => setTimeout(resolve, 60_000));\n", index: 0 },
      { kind: "solution", gradeId: "after", source: "const after = 1;\n", index: 1 },
    ],
    limits: {},
  };
  const runtime = makeRuntime(ROOT);
  try {
    const started = Date.now();
    const deadline = started + 15_000;
    const run = await runNotebook({
      runtime,
      assignment,
      sources: new Map(assignment.program.map((s) => [s.gradeId, s.source])),
      observers: "exports.observers = { slow: () => 1, after: () => 2 };",
      cases: new Map([["slow", { seeds: [1] }], ["after", { seeds: [1] }]]),
      limits: { cellSeconds: 30 },
      deadline,
    });
    assert.match(run.exercises.get("slow").fault, /the solution cell of slow took longer than [\d.]+ s \(what was left of the notebook's time limit\)/);
    assert.match(run.exercises.get("after").fault, /the notebook's time limit ran out before this exercise was graded/);
    assert.ok(Date.now() < deadline + 5_000, `the notebook ran ${((Date.now() - deadline) / 1000).toFixed(1)} s past its limit`);
  } finally {
    runtime.remove();
  }
});

test("a notebook's caseSeconds holds an exercise's hidden cases shorter than its cells (a sampler that never stops), and the message names that limit", { timeout: 120_000 }, async () => {
  // The cell takes 3 s (over caseSeconds, under cellSeconds): it runs. The hidden cases of
  // "endless" never return: stopped after caseSeconds, not cellSeconds; "quick" is graded after.
  const assignment = {
    name: "case-limit",
    exercises: [
      { gradeId: "slow-cell", points: 1 },
      { gradeId: "endless", points: 1 },
      { gradeId: "quick", points: 1 },
    ],
    program: [
      { kind: "solution", gradeId: "slow-cell", source: "const end = Date.now() + 3000;\nwhile (Date.now() < end) {}\nconst slowCell = 1;\n", index: 0 },
      { kind: "solution", gradeId: "endless", source: "function endless(): number {\n  while (true) {}\n}\n", index: 1 },
      { kind: "solution", gradeId: "quick", source: "const quick = 3;\n", index: 2 },
    ],
    limits: {},
  };
  const runtime = makeRuntime(ROOT);
  try {
    const started = Date.now();
    const run = await runNotebook({
      runtime,
      assignment,
      sources: new Map(assignment.program.map((s) => [s.gradeId, s.source])),
      observers: "exports.observers = { 'slow-cell': (s) => s.slowCell, endless: (s) => s.endless(), quick: (s) => s.quick };",
      cases: new Map([["slow-cell", { seeds: [1] }], ["endless", { seeds: [1] }], ["quick", { seeds: [1] }]]),
      limits: { cellSeconds: 60, caseSeconds: 2 },
    });
    assert.deepEqual(run.exercises.get("slow-cell").observations, [{ value: 1 }], "a cell may take longer than caseSeconds");
    assert.match(run.exercises.get("endless").fault, /took longer than 2 s \(the time limit for one exercise's hidden cases\)/);
    assert.deepEqual(run.exercises.get("quick").observations, [{ value: 3 }]);
    assert.ok(Date.now() - started < 45_000, `stopped by caseSeconds, not cellSeconds (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    runtime.remove();
  }
});
