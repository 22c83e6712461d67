#!/usr/bin/env node
// `npm run grade -- SUBMISSION... [--out DIR] [--jobs N] [--assignment NAME,...] [--seed-file F]`
//
// Grades students' submissions (a student's folder of course notebooks, or one notebook file) on
// hidden tests, and writes DIR/<student>/results.json (Gradescope's format) and DIR/grades.csv.
// Submissions are only read. DIR is new or empty, or one an earlier run filled with grades of the
// same assignments (a late submission re-graded: its student's results are replaced, and
// grades.csv lists everyone); anything else is refused, so no other file is ever overwritten.
// The exit code says whether grading ran (0), not whether students passed; a usage error or a
// broken teacher's copy exits 2. See docs/teaching.md.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadAssignments } from "./grade/assignments.mjs";
import { gradeClass, prepare } from "./grade/grade-class.mjs";
import { makeRuntime } from "./grade/runtime.mjs";
import { matchNotebooks, readSubmission, studentName } from "./grade/submissions.mjs";
import { ROOT } from "./lib/project.mjs";

const USAGE = `usage: npm run grade -- SUBMISSION... [--out DIR] [--jobs N] [--assignment NAME,...] [--seed-file FILE]
                     [--cell-seconds S] [--notebook-seconds S] [--memory-mib M]
  SUBMISSION   a student's folder of notebooks, or one .ipynb file (never modified)
  --out        where results go (default build/grades/<assignment>): DIR/<student>/results.json, DIR/grades.csv;
               a new or empty folder, or one holding earlier grades of the same assignments
  --jobs       notebooks graded at once (default 2)
  --assignment which notebooks to grade, e.g. 03-vanilla-rnn (default: every course notebook found)
  --seed-file  the teacher's secret seed (default: $GRADE_SEED, else grading/secret-seed, made once)`;

class UsageError extends Error {}

export function parseArgs(argv) {
  const opts = { paths: [], out: null, jobs: 2, assignments: null, seedFile: null, limits: {}, notebookSeconds: 300 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    const number = (name) => {
      const v = Number(value());
      if (!(v > 0)) throw new UsageError(`${name} must be a positive number`);
      return v;
    };
    if (a === "--out") opts.out = resolve(value());
    else if (a === "--jobs") opts.jobs = Math.floor(number("--jobs"));
    else if (a === "--assignment") opts.assignments = value().split(",").map((s) => s.trim().replace(/\.ipynb$/, "")).filter(Boolean);
    else if (a === "--seed-file") opts.seedFile = resolve(value());
    else if (a === "--cell-seconds") opts.limits.cellSeconds = number(a);
    else if (a === "--notebook-seconds") opts.notebookSeconds = number(a);
    else if (a === "--memory-mib") opts.limits.memoryMiB = number(a);
    else if (a === "--help" || a === "-h") throw new UsageError("");
    else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
    else opts.paths.push(resolve(a));
  }
  if (!opts.paths.length) throw new UsageError("no submission given");
  for (const p of opts.paths) if (!existsSync(p)) throw new UsageError(`${p}: no such file or folder`);
  const names = opts.paths.map(studentName);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`two submissions are named ${twice}: each student's folder (or file) needs its own name`);
  // Nothing in a submission is ever written to: results go to OUT/<student>/, which must not be
  // (or be inside) a submitted folder, as --out submissions/ would make of submissions/alice/.
  const within = (inner, outer) => {
    const rel = relative(outer, inner);
    return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
  };
  for (const p of opts.out ? opts.paths.filter((q) => statSync(q).isDirectory()) : []) {
    const into = [opts.out, ...names.map((n) => join(opts.out, n))].find((d) => within(d, p));
    if (into) throw new UsageError(`--out ${opts.out} would write results into the submission ${p} (${into}): nothing in a submission is written to; choose a folder outside the submissions`);
  }
  if (opts.out && existsSync(opts.out) && !statSync(opts.out).isDirectory()) throw new UsageError(`--out ${opts.out} is a file: give a folder for the results (nothing is overwritten)`);
  return opts;
}

/** The file that marks a folder as the grader's, with the assignments whose grades it holds. */
const RECORD = "graded-assignments.json";

/** The default folder for a set of assignments: one per set, so grading chapter 4 never replaces chapter 3's grades. */
export function defaultOut(names) {
  const label = names.length === 1 ? names[0] : names.join("+").length <= 80 ? names.join("+") : `${names.length}-assignments`;
  return join(ROOT, "build", "grades", label);
}

/**
 * Checks that `out` may take results of `names`: it is new or empty, or an earlier run filled it
 * with grades of the same assignments. Returns the results graded there before, by student.
 */
export function claimOutput(out, names) {
  const entries = existsSync(out) ? readdirSync(out) : [];
  if (entries.length === 0) {
    writeAtomically(join(out, RECORD), `${JSON.stringify({ assignments: names }, null, 1)}\n`);
    return new Map();
  }
  const recordFile = join(out, RECORD);
  if (!existsSync(recordFile)) {
    throw new UsageError(`--out ${out} exists and holds files the grader did not write (${entries.slice(0, 3).join(", ")}${entries.length > 3 ? ", ..." : ""}): choose a new folder (nothing is overwritten)`);
  }
  let record;
  try {
    record = JSON.parse(readFileSync(recordFile, "utf8"));
  } catch (e) {
    throw new UsageError(`${recordFile} is not the grader's record (${e.message}): choose a new folder for --out (nothing is overwritten)`);
  }
  const before = Array.isArray(record.assignments) ? record.assignments : [];
  if (before.join() !== names.join()) {
    throw new UsageError(`--out ${out} holds grades of ${before.join(", ") || "nothing"}; this run grades ${names.join(", ")}: ` +
      "give another folder (--out), so that neither set's grades.csv replaces the other's");
  }
  const students = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(out, d.name, "results.json")));
  return new Map(students.map((d) => [d.name, JSON.parse(readFileSync(join(out, d.name, "results.json"), "utf8"))]));
}

/** The teacher's secret seed: never in a released file; the same one gives the same hidden cases. */
export function secretSeed(seedFile) {
  if (process.env.GRADE_SEED) return process.env.GRADE_SEED;
  const file = seedFile ?? join(ROOT, "grading", "secret-seed");
  if (!existsSync(file)) {
    if (seedFile) throw new UsageError(`${seedFile}: no such seed file`);
    writeFileSync(file, `${randomBytes(16).toString("hex")}\n`, { mode: 0o600 });
    console.log(`grade: made a new secret seed in ${file} (git ignores it; keep it to grade the same hidden cases again)`);
  }
  return readFileSync(file, "utf8").trim();
}

export function writeAtomically(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

const csvField = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** grades.csv from every student's results in `out` (this run's and earlier runs' of the same assignments), by name. */
function writeGradesCsv(out, prepared, byStudent) {
  const graded = [...byStudent.keys()].sort().map((student) => ({ student, results: byStudent.get(student) }));
  writeAtomically(join(out, "grades.csv"), gradesCsv(graded, prepared));
  return graded.length;
}

export function gradesCsv(graded, prepared) {
  const ids = [...prepared.values()].flatMap((p) => p.assignment.exercises.map((e) => e.gradeId));
  const max = [...prepared.values()].reduce((s, p) => s + p.assignment.exercises.reduce((t, e) => t + e.points, 0), 0);
  const rows = [["student", ...ids, "total", "max"]];
  for (const { student, results } of graded) {
    const byId = new Map(results.tests.map((t) => [t.name.split(":")[0], t.score]));
    rows.push([student, ...ids.map((id) => byId.get(id) ?? 0), results.score, max]);
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

export async function main(argv) {
  const opts = parseArgs(argv);
  // The Node side of set-up (node_modules, kernel-lib's build; a second run takes a second): the
  // grader runs no Jupyter, so a teacher's machine needs no Python for it. A Gradescope image, set
  // up by its setup.sh, skips it.
  if (!process.env.GRADE_NO_SETUP) (await import("./setup.mjs")).ensureSetupOrExit({ python: false });
  const all = loadAssignments(ROOT);
  let names = opts.assignments;
  if (names) {
    const unknown = names.filter((n) => !all.has(n));
    if (unknown.length) throw new UsageError(`no such assignment: ${unknown.join(", ")} (there are: ${[...all.keys()].join(", ")})`);
  } else {
    const seen = new Set();
    for (const p of opts.paths) for (const name of matchNotebooks(readSubmission(p), all, ROOT).keys()) seen.add(name);
    names = [...all.keys()].filter((n) => seen.has(n));
    if (!names.length) throw new UsageError("no submission holds a course notebook (give --assignment to grade them all as missing)");
  }
  opts.out ??= defaultOut(names);
  const earlier = claimOutput(opts.out, names);
  if (earlier.size) console.log(`grade: ${opts.out} holds earlier grades of the same assignment(s), ${earlier.size} student(s): the students graded now replace theirs; grades.csv lists everyone`);
  const secret = secretSeed(opts.seedFile);
  const started = Date.now();
  console.log(`grade: ${opts.paths.length} submission(s), assignment(s) ${names.join(", ")}; running the teacher's solutions on the hidden cases`);
  const runtime = makeRuntime(ROOT);
  // Ctrl+C: the runtime's temporary copy goes too, and what is on disk is said (grades.csv is
  // rewritten after every student, so it agrees with the results beside it).
  const stop = (signal) => {
    runtime.remove();
    console.error(`grade: stopped (${signal}): ${opts.out} holds the results of the students graded so far, and grades.csv lists them`);
    process.exit(130);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await gradeWith({ opts, all, names, secret, runtime, started, byStudent: earlier });
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    runtime.remove();
  }
}

async function gradeWith({ opts, all, names, secret, runtime, started, byStudent }) {
  const prepared = await prepare({ root: ROOT, assignments: names.map((n) => all.get(n)), secret, limits: opts.limits });
  const graded = await gradeClass({
    root: ROOT,
    runtime,
    paths: opts.paths,
    prepared,
    allAssignments: all,
    limits: opts.limits,
    notebookSeconds: opts.notebookSeconds,
    jobs: opts.jobs,
    onResult: ({ student, results, notGraded = [] }) => {
      writeAtomically(join(opts.out, student, "results.json"), `${JSON.stringify(results, null, 1)}\n`);
      // After every student, so that a run stopped half-way leaves a grades.csv that agrees with
      // the results beside it.
      byStudent.set(student, results);
      writeGradesCsv(opts.out, prepared, byStudent);
      const max = results.tests.reduce((s, t) => s + t.max_score, 0);
      console.log(`grade: ${student}: ${results.score} of ${max} (${results.execution_time} s)${notGraded.map((n) => `\n  not graded: ${n}`).join("")}`);
    },
  });
  const rows = writeGradesCsv(opts.out, prepared, byStudent);
  const seconds = (Date.now() - started) / 1000;
  console.log(`grade: graded ${graded.length} submission(s) in ${seconds.toFixed(1)} s; results in ${opts.out} (grades.csv: ${rows} student(s))`);
  return graded;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e) => {
    if (e instanceof UsageError) console.error(e.message ? `grade: ${e.message}\n${USAGE}` : USAGE);
    else console.error(`grade: grading did not run: ${e.message}`);
    process.exit(2);
  });
}

