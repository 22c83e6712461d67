#!/usr/bin/env node
// `npm run bench:grade [-- --students N] [--assignment NAME]`
//
// Grades a generated class of one chapter (default: 50 students of 03-vanilla-rnn) with
// `--jobs 1` and then `--jobs 2`, and prints submissions per minute for each. Each student's
// notebook is the learner copy with every exercise, at random (seeded), solved, left as the stub,
// or answered with a known wrong answer (scripts/test/fixtures/grading/wrong/). The scores are
// checked against what each student was given, so the bench also proves the grades.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gradeIdOf, isSolutionCell, loadAssignments } from "./assignments.mjs";
import { main as grade } from "../grade.mjs";
import { ROOT } from "../lib/project.mjs";

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `count` submissions; returns [{ path, expected: total points }]. */
export function generateClass(dir, assignment, count, seed = 1) {
  const random = mulberry32(seed);
  const solution = JSON.parse(readFileSync(assignment.notebookPath, "utf8"));
  const learner = JSON.parse(readFileSync(join(ROOT, "notebooks", basename(assignment.notebookPath)), "utf8"));
  const wrongDir = join(ROOT, "scripts", "test", "fixtures", "grading", "wrong");
  const students = [];
  for (let s = 0; s < count; s++) {
    const nb = structuredClone(learner);
    const solved = new Set();
    for (const e of assignment.exercises) {
      const cell = nb.cells.find((c) => isSolutionCell(c) && gradeIdOf(c) === e.gradeId);
      const wrongFile = join(wrongDir, `${e.gradeId}.ts`);
      const pick = random();
      if (pick < 0.6) {
        cell.source = solution.cells.find((c) => isSolutionCell(c) && gradeIdOf(c) === e.gradeId).source;
        solved.add(e.gradeId);
      } else if (pick < 0.85 && existsSync(wrongFile)) {
        cell.source = readFileSync(wrongFile, "utf8");
      } // else: the stub, untouched
    }
    // An exercise that calls another (a forward pass calls the step) earns its points only with both right.
    const earns = (e) => solved.has(e.gradeId) && e.uses.every((id) => earns(assignment.exercises.find((x) => x.gradeId === id)));
    const expected = assignment.exercises.filter(earns).reduce((sum, e) => sum + e.points, 0);
    const path = join(dir, `student-${String(s + 1).padStart(3, "0")}`);
    mkdirSync(path);
    writeFileSync(join(path, basename(assignment.notebookPath)), JSON.stringify(nb, null, 1));
    students.push({ path, expected });
  }
  return students;
}

async function main(argv) {
  let students = 50;
  let name = "03-vanilla-rnn";
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--students") students = Number(argv[++i]);
    else if (argv[i] === "--assignment") name = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const assignment = loadAssignments(ROOT).get(name);
  if (!assignment) throw new Error(`no such assignment ${name}`);
  const dir = mkdtempSync(join(tmpdir(), "bench-grade-"));
  process.env.GRADE_SEED ??= "bench-grade";
  try {
    const cls = generateClass(join(dir), assignment, students);
    const rows = [];
    for (const jobs of [1, 2]) {
      const started = process.hrtime.bigint();
      const graded = await grade([...cls.map((s) => s.path), "--out", join(dir, `out-${jobs}`), "--jobs", String(jobs), "--assignment", name]);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const wrong = graded.filter((g, i) => g.results.score !== cls[i].expected);
      if (wrong.length) throw new Error(`${wrong.length} students were graded differently from what they were given, e.g. ${wrong[0].student}`);
      const perStudent = graded.map((g) => g.results.execution_time).sort((a, b) => a - b);
      rows.push({ jobs, seconds, perMinute: (students / seconds) * 60, median: perStudent[Math.floor(perStudent.length / 2)] });
    }
    console.log(`\nbench:grade — ${students} generated submissions of ${name} (${assignment.exercises.length} exercises), every score checked`);
    console.log("| jobs | wall time | submissions per minute | median seconds per submission |");
    console.log("|---:|---:|---:|---:|");
    for (const r of rows) console.log(`| ${r.jobs} | ${r.seconds.toFixed(1)} s | ${r.perMinute.toFixed(1)} | ${r.median.toFixed(1)} |`);
    console.log(`jobs 2 / jobs 1: ${(rows[1].perMinute / rows[0].perMinute).toFixed(2)}x (wall time includes the teacher's reference run, once per grading)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`bench:grade: ${e.message}`);
  process.exit(1);
});
