// Stock nbgrader (from PyPI, in the course's Python environment) grades the course's TypeScript
// notebooks right, with grading/nbgrader/nbgrader_config.py and the course kernel: a course
// directory made by `npm run grade:nbgrader-course`, `nbgrader generate_assignment ch03`, five
// submissions of chapter 03 autograded, the gradebook's score of every exercise checked exactly,
// then `nbgrader export`, `nbgrader validate` and `nbgrader generate_feedback`.
//
// The submissions and the scores they must get are written to build/nbgrader/ (submissions/NAME/
// 03-vanilla-rnn.ipynb and ch03-scores.json: {expected: {NAME: {grade_id: points}}, autograde: ...}),
// so `npm run grade -- build/nbgrader/submissions/*` can be compared with them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT, chooseEnvironment } from "../lib/project.mjs";
import { hasExercises, makeCourse } from "../nbgrader-course.mjs";
import { main as grade } from "../grade.mjs";

const ASSIGNMENT = "ch03";
const NOTEBOOK = "03-vanilla-rnn";
const OUT = join(ROOT, "build", "nbgrader");
const python = chooseEnvironment().python;
const nbgraderBin = join(dirname(python), process.platform === "win32" ? "nbgrader.exe" : "nbgrader");

const nbgraderOf = (cell) => cell.metadata?.nbgrader ?? {};
const text = (source) => (Array.isArray(source) ? source.join("") : source);
const lines = (source) => source.split(/(?<=\n)/);

/**
 * Replaces `from` with `to` in the solution cell `gradeId` of a notebook (in place). Throws when
 * `from` is not there, so a changed solution can never make a submission silently the same.
 */
function edit(nb, gradeId, from, to) {
  const cell = nb.cells.find((c) => nbgraderOf(c).grade_id === gradeId && nbgraderOf(c).solution);
  assert.ok(cell, `no solution cell ${gradeId}`);
  const before = text(cell.source);
  assert.ok(before.includes(from), `${gradeId}'s solution no longer contains ${JSON.stringify(from)}: update this test`);
  cell.source = lines(before.replace(from, to));
}

/**
 * The five submissions, made from the released notebook as a learner would: untouched; solved
 * (each solution cell as in the teacher's source); one exercise broken; a correct function that
 * prints to stderr; and errors thrown by timers. Returns { name: { notebook, expected } } where
 * expected is { grade_id: points } for every grade cell, computed from the rule each one tests.
 */
export function submissions(release, source) {
  const grades = release.cells.filter((c) => nbgraderOf(c).grade).map((c) => [nbgraderOf(c).grade_id, nbgraderOf(c).points]);
  const full = Object.fromEntries(grades);
  // A learner's answer: the teacher's solution without the BEGIN/END SOLUTION marks.
  const answer = (cell) => lines(text(cell.source).replace(/^[ \t]*\/\/ (BEGIN|END) SOLUTION[ \t]*\n/gm, ""));
  const solutions = new Map(source.cells.filter((c) => nbgraderOf(c).solution).map((c) => [nbgraderOf(c).grade_id, answer(c)]));
  const solved = () => {
    const nb = structuredClone(release);
    for (const cell of nb.cells) if (nbgraderOf(cell).solution) cell.source = solutions.get(nbgraderOf(cell).grade_id);
    return nb;
  };
  const without = (...ids) => ({ ...full, ...Object.fromEntries(ids.map((id) => [id, 0])) });

  const buggy = solved();
  // A sign error in the perplexity: its check fails; every other exercise passes.
  edit(buggy, "ch03-perplexity", "Math.exp(totalNats / tokens)", "Math.exp(-totalNats / tokens)");

  const warns = solved();
  // console.warn and console.error write to stderr, which nbgrader scores as a failure: the course
  // kernel shows them as text under nbgrader, so the correct function keeps its points.
  edit(warns, "ch03-rnn-step", "  return ", '  console.warn("debug: rnnStep", x.shape, hPrev.shape);\n  console.error("debug: on stderr too");\n  return ');

  const timers = solved();
  // perplexity starts a timer that throws each time it is called: its check's own run fails.
  edit(timers, "ch03-perplexity", "  return Math.exp", '  setTimeout(() => { throw new Error("a timer perplexity started"); }, 10);\n  return Math.exp');
  // A timer the rnn-step cell starts throws seconds later, while other cells run: shown where it
  // surfaces, it fails no cell and costs no exercise its points (rnn-step's check tests rnnStep).
  const stepCell = timers.cells.find((c) => nbgraderOf(c).grade_id === "ch03-rnn-step");
  stepCell.source = lines(`${text(stepCell.source).trimEnd()}\nsetTimeout(() => { throw new Error("a timer of the rnn-step cell"); }, 4000);\n`);

  return {
    untouched: { notebook: structuredClone(release), expected: Object.fromEntries(grades.map(([id]) => [id, 0])) },
    solved: { notebook: solved(), expected: full },
    buggy: { notebook: buggy, expected: without("ch03-perplexity-check") },
    warns: { notebook: warns, expected: full },
    timers: { notebook: timers, expected: without("ch03-perplexity-check") },
  };
}

/**
 * Runs nbgrader in the course directory as a teacher would (no JUPYTER_PATH: the configuration must
 * find the course kernel on its own). Resolves to { status, out } (stdout and stderr together).
 */
function nbgrader(course, args) {
  const env = { ...process.env };
  delete env.NBGRADER_EXECUTION;
  delete env.JUPYTER_PATH;
  return new Promise((resolve) => {
    const child = spawn(nbgraderBin, args, { cwd: course, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 500_000);
    child.on("error", (e) => resolve({ status: null, out: `${out}\n${e.message}` }));
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

/** nbgrader's result, which must have succeeded. */
function succeeded({ status, out }, what) {
  assert.equal(status, 0, `nbgrader ${what} exited ${status}:\n${out.slice(-3000)}`);
  return out;
}

/** { student: { grade_id: auto_score } } from the course's gradebook, read with nbgrader's own API. */
function gradebookScores(course) {
  const code = [
    "import json, sys",
    "from nbgrader.api import Gradebook",
    "course, assignment, notebook = sys.argv[1:4]",
    "with Gradebook('sqlite:///' + course + '/gradebook.db') as gb:",
    "    out = {}",
    "    for s in gb.assignment_submissions(assignment):",
    "        nb = gb.find_submission_notebook(notebook, assignment, s.student.id)",
    "        out[s.student.id] = {g.name: g.score for g in nb.grades}",
    "print(json.dumps(out))",
  ].join("\n");
  const r = spawnSync(python, ["-c", code, course, ASSIGNMENT, NOTEBOOK], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("the course directory script writes what is missing, updates what it wrote, and keeps what a teacher changed", () => {
  const dir = mkdtempSync(join(tmpdir(), "nbgrader-course-files-"));
  try {
    const files = (config, stub) => ({
      "nbgrader_config.py": { from: "the course's config", content: Buffer.from(config) },
      "source/ch03/03-x.ipynb": { from: "the course's notebook", content: Buffer.from(stub) },
    });
    const first = makeCourse(dir, { files: files("c = 1\n", "{}\n") });
    assert.match(first.join("\n"), /wrote 2 files/);
    assert.equal(realpathSync(join(dir, "node_modules")), realpathSync(join(ROOT, "node_modules")), "node_modules links to the checkout's");
    writeFileSync(join(dir, "nbgrader_config.py"), "c = 1\n# the teacher's line\n");
    const second = makeCourse(dir, { files: files("c = 2\n", "{\"v\": 2}\n") });
    assert.equal(readFileSync(join(dir, "nbgrader_config.py"), "utf8"), "c = 1\n# the teacher's line\n", "the teacher's file is kept");
    assert.match(second.join("\n"), /kept nbgrader_config\.py: it is not as this script wrote it .* The course's version: the course's config\./);
    assert.equal(readFileSync(join(dir, "source/ch03/03-x.ipynb"), "utf8"), "{\"v\": 2}\n", "a file as the script wrote it is updated");
    assert.match(second.join("\n"), /updated source\/ch03\/03-x\.ipynb/);
    assert.deepEqual(makeCourse(dir, { files: files("c = 2\n", "{\"v\": 2}\n") }).filter((l) => !l.includes("kept")), [], "nothing to do the second time");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe(`real nbgrader on ${ASSIGNMENT}`, () => {
  const state = {};

  before(async () => {
    const course = mkdtempSync(join(tmpdir(), "nbgrader-course-"));
    state.course = course;
    const made = spawnSync(process.execPath, [join(ROOT, "scripts", "nbgrader-course.mjs"), course], { cwd: ROOT, encoding: "utf8" });
    assert.equal(made.status, 0, `${made.stdout}${made.stderr}`);
    succeeded(await nbgrader(course, ["generate_assignment", ASSIGNMENT]), "generate_assignment");
    const release = JSON.parse(readFileSync(join(course, "release", ASSIGNMENT, `${NOTEBOOK}.ipynb`), "utf8"));
    const source = JSON.parse(readFileSync(join(course, "source", ASSIGNMENT, `${NOTEBOOK}.ipynb`), "utf8"));
    state.submissions = submissions(release, source);
    rmSync(join(OUT, "submissions"), { recursive: true, force: true });
    for (const [name, { notebook }] of Object.entries(state.submissions)) {
      const body = `${JSON.stringify(notebook, null, 1)}\n`;
      for (const dir of [join(course, "submitted", name, ASSIGNMENT), join(OUT, "submissions", name)]) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${NOTEBOOK}.ipynb`), body);
      }
    }
    const t0 = Date.now();
    state.autograde = succeeded(await nbgrader(course, ["autograde", ASSIGNMENT]), "autograde");
    state.autogradeSeconds = (Date.now() - t0) / 1000;
    // Validate uses no gradebook and runs its own kernels: side by side with export and feedback
    // (which read the gradebook, one after the other).
    const submitted = (name) => join(course, "submitted", name, ASSIGNMENT, `${NOTEBOOK}.ipynb`);
    const fromGradebook = async () => {
      state.export = await nbgrader(course, ["export", "--to", join(course, "grades.csv")]);
      state.feedback = await nbgrader(course, ["generate_feedback", ASSIGNMENT, "--student", "buggy"]);
    };
    [, ...state.validate] = await Promise.all([fromGradebook(), ...["solved", "buggy", "warns"].map((name) => nbgrader(course, ["validate", submitted(name)]))]);
    state.scores = gradebookScores(course);
    const expected = Object.fromEntries(Object.entries(state.submissions).map(([name, s]) => [name, s.expected]));
    writeFileSync(
      join(OUT, `${ASSIGNMENT}-scores.json`),
      `${JSON.stringify({ assignment: ASSIGNMENT, notebook: `${NOTEBOOK}.ipynb`, expected, autograde: state.scores, autogradeSeconds: state.autogradeSeconds }, null, 1)}\n`,
    );
  });

  after(() => {
    if (state.course) rmSync(state.course, { recursive: true, force: true });
  });

  test("the course directory: every chapter with exercises as an assignment ch01, ch02, ..., the configuration, the kernelspec, node_modules", () => {
    const numbered = readdirSync(join(ROOT, "solutions")).filter((f) => /^\d\d-.*\.ipynb$/.test(f));
    const chapters = numbered.filter((f) => hasExercises(join(ROOT, "solutions", f)));
    assert.ok(chapters.length >= 8, chapters.join());
    for (const f of chapters) assert.ok(existsSync(join(state.course, "source", `ch${f.slice(0, 2)}`, f)), `source/ch${f.slice(0, 2)}/${f}`);
    // A notebook with nothing to grade (the welcome, the appendices) is no assignment.
    for (const f of numbered.filter((n) => !chapters.includes(n))) assert.ok(!existsSync(join(state.course, "source", `ch${f.slice(0, 2)}`)), `no assignment ch${f.slice(0, 2)} for ${f}`);
    assert.ok(existsSync(join(state.course, "nbgrader_config.py")));
    const spec = JSON.parse(readFileSync(join(state.course, "jupyter", "kernels", "tslab", "kernel.json"), "utf8"));
    assert.equal(spec.argv[1], join(ROOT, "scripts", "kernel", "course-kernel.js"));
    assert.ok(existsSync(join(state.course, "node_modules", "kernel-lib", "package.json")), "kernel-lib resolves from the course directory");
  });

  test("generate_assignment stubs every solution with the TypeScript stub and keeps the checks", () => {
    const release = state.submissions.untouched.notebook;
    const solutionCells = release.cells.filter((c) => nbgraderOf(c).solution);
    assert.equal(solutionCells.length, 5);
    for (const cell of solutionCells) {
      assert.match(text(cell.source), /\/\/ YOUR CODE HERE\n\s*throw new Error\("not implemented yet"\);/, nbgraderOf(cell).grade_id);
      assert.doesNotMatch(text(cell.source), /BEGIN SOLUTION/);
    }
    assert.equal(release.cells.filter((c) => nbgraderOf(c).grade).length, 5);
  });

  test("autograde scores every exercise of every submission exactly: untouched 0, solved full, one bug loses that exercise alone, stderr costs nothing, a timer costs only its own exercise", () => {
    for (const [name, { expected }] of Object.entries(state.submissions)) {
      assert.deepEqual(state.scores[name], expected, `${name}: the gradebook says ${JSON.stringify(state.scores[name])}`);
    }
    assert.doesNotMatch(state.autograde, /Traceback|KeyError/, "autograde ran without a Python error");
  });

  test("npm run grade gives every exercise of every submission the score stock nbgrader gives it", { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "nbgrader-vs-grade-"));
    process.env.GRADE_SEED = "nbgrader-comparison";
    try {
      const graded = await grade([...Object.keys(state.submissions).map((name) => join(OUT, "submissions", name)), "--out", out, "--assignment", NOTEBOOK]);
      for (const { student, results } of graded) {
        const ours = Object.fromEntries(results.tests.map((t) => [`${t.name.split(":")[0]}-check`, t.score]));
        assert.deepEqual(ours, state.scores[student], `${student}: npm run grade ${JSON.stringify(ours)}, nbgrader ${JSON.stringify(state.scores[student])}`);
      }
    } finally {
      delete process.env.GRADE_SEED;
      rmSync(out, { recursive: true, force: true });
    }
  });

  test("nbgrader export writes each submission's total, the sum of its exercises", () => {
    succeeded(state.export, "export");
    const [header, ...rows] = readFileSync(join(state.course, "grades.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    const col = (name) => header.indexOf(name);
    assert.equal(rows.length, Object.keys(state.submissions).length);
    for (const row of rows) {
      const expected = Object.values(state.submissions[row[col("student_id")]].expected).reduce((a, b) => a + b, 0);
      assert.equal(Number(row[col("score")]), expected, `${row[col("student_id")]}'s total`);
      assert.equal(Number(row[col("max_score")]), 10);
    }
  });

  test("validate: the solved submission passes; the buggy one fails on its one exercise, its feedback shown once; stderr fails nothing", () => {
    const [solved, buggy, warns] = state.validate;
    assert.match(solved.out, /Success! Your notebook passes all the tests\./);
    assert.match(buggy.out, /VALIDATION FAILED ON 1 CELL\(S\)/);
    assert.match(buggy.out, /kl\.exercises\.ch03\.checkPerplexity\(perplexity\);/);
    assert.equal((buggy.out.match(/✘ ch03-perplexity:/g) ?? []).length, 1, `the check's feedback once, not twice:\n${buggy.out}`);
    // Validate runs no configured preprocessor: only the kernel can keep console.warn from failing a check.
    assert.match(warns.out, /Success! Your notebook passes all the tests\./, warns.out);
  });

  test("generate_feedback writes the buggy submission's feedback, naming the exercise that failed and its 0 points", () => {
    succeeded(state.feedback, "generate_feedback");
    const file = join(state.course, "feedback", "buggy", ASSIGNMENT, `${NOTEBOOK}.html`);
    assert.ok(existsSync(file), `${file} exists`);
    const html = readFileSync(file, "utf8");
    // (The page is megabytes of HTML: a failure names what is missing, not the page.)
    const has = (re, what) => assert.ok(re.test(html), `the feedback lacks ${what} (${re})`);
    has(/✘ ch03-perplexity:/, "the check's feedback line");
    has(/href="#ch03-perplexity-check">Test cell<\/a> \(Score: 0\.0 \/ 2\.0\)/, "the failed check's 0 points");
    has(/href="#ch03-rnn-step-check">Test cell<\/a> \(Score: 2\.0 \/ 2\.0\)/, "a passed check's points");
    has(/\(Score: 8\.0 \/ 10\.0\)/, "the total");
    has(/In(?:\s|&nbsp;)\[\d+\]:/, "execution counts");
  });
});
