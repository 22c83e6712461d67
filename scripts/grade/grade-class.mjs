// Grades a class: for each assignment, the teacher's solutions run once on the hidden cases (the
// reference); then each student's notebook runs on the same cases in its own sandbox and every
// exercise is judged here, outside any student's process. An exercise earns its points when all
// its hidden cases match the reference; otherwise 0, with the first difference named.
import { pathToFileURL } from "node:url";
import { relative } from "node:path";
import { caseSeeds, observersSource } from "./assignments.mjs";
import { difference, givenLine } from "./judge.mjs";
import { runNotebook } from "./run-notebook.mjs";
import { makeRuntime } from "./runtime.mjs";
import { matchNotebooks, readSubmission, studentName } from "./submissions.mjs";

export const DEFAULT_CASES = 3;

/** Runs up to `jobs` of `tasks` (functions returning promises) at once, results in order. */
async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, worker));
  return results;
}

/** What every graded notebook needs prepared once: observers' source, case seeds, the reference. */
export async function prepare({ root, assignments, secret, limits }) {
  // The reference run is the teacher's code alone: its runtime keeps the public checks (the
  // students' runtime refuses them), so that the check cells can run on the teacher's solutions.
  const teacherRuntime = makeRuntime(root, { publicChecks: true });
  try {
    return await prepareWith({ root, runtime: teacherRuntime, assignments, secret, limits });
  } finally {
    teacherRuntime.remove();
  }
}

async function prepareWith({ root, runtime, assignments, secret, limits }) {
  const prepared = new Map();
  for (const a of assignments) {
    const observers = observersSource(a);
    const judges = a.judgesPath ? (await import(pathToFileURL(a.judgesPath).href)).judges : {};
    const cases = new Map(
      a.exercises.map((e) => {
        const queries = judges[e.gradeId]?.queries(root);
        return [e.gradeId, queries ? { seeds: caseSeeds(secret, e.gradeId, queries.length), queries } : { seeds: caseSeeds(secret, e.gradeId, DEFAULT_CASES) }];
      }),
    );
    const sources = new Map(a.program.filter((s) => s.kind === "solution").map((s) => [s.gradeId, s.source]));
    // The reference run also runs the check cells students run (those the grader can: see
    // assignments.mjs) on the teacher's solutions: a solution edited wrong would otherwise become
    // the reference, and every correct student would be told they are wrong.
    const checks = a.checks.filter((c) => !c.notRun);
    for (const c of a.checks.filter((x) => x.notRun)) console.warn(`grade: ${a.name}: the check cell of ${c.gradeId} is not run on your solution before grading: ${c.notRun}`);
    const ref = await runNotebook({ runtime, assignment: a, sources, observers, cases, checks, limits: { ...limits, ...a.limits } });
    for (const e of a.exercises) {
      const r = ref.exercises.get(e.gradeId);
      const bad = r.fault ?? r.cellError ?? r.observations?.find((o) => o.error)?.error;
      if (bad === `no observer for ${e.gradeId}`) {
        throw new Error(`${relative(root, a.observersPath)} has no observer for ${e.gradeId}: add one to its observers, "${e.gradeId}": (s, kl, rng) => ... ` +
          "(docs/teaching.md, Writing hidden tests)");
      }
      if (bad || !r.observations) {
        throw new Error(`the teacher's solution of ${e.gradeId} (${a.notebookPath}) fails its hidden cases, run by the observer of ${e.gradeId} in ` +
          `${relative(root, a.observersPath)} (the fault is in one of the two): ${bad ?? "no result"}\n${r.output}`);
      }
      const verdict = judges[e.gradeId]?.judge(r.observations.map((o) => o.value), root);
      if (verdict && !verdict.passed) throw new Error(`the teacher's solution of ${e.gradeId} does not pass its own judge: ${verdict.output}`);
      if (r.checkError) {
        throw new Error(`the teacher's solution of ${e.gradeId} (${a.notebookPath}) fails its own check cell, the one students run: ${r.checkError}\n` +
          "Every student would be judged against that solution: fix it (or the check) before grading.");
      }
    }
    prepared.set(a.name, { assignment: a, observers, cases, judges, reference: ref.exercises });
  }
  return prepared;
}

/** Grades one submission (a folder or a notebook file); returns the Gradescope-shaped result. */
export async function gradeSubmission({ root, runtime, path, prepared, allAssignments, limits, notebookSeconds }) {
  const started = Date.now();
  const student = studentName(path);
  const entries = readSubmission(path);
  const matched = matchNotebooks(entries, allAssignments, root);
  const tests = [];
  const summary = [];
  const leaderboard = [];
  const notGraded = []; // for the grader's terminal: notebooks this submission lacks, or that cannot be read
  for (const [name, p] of prepared) {
    const a = p.assignment;
    const m = matched.get(name);
    const head = `${a.title} (${name}.ipynb)`;
    if (!m || m.error) {
      const why = m?.error ?? `no notebook of this submission is ${name}.ipynb or has its exercises`;
      summary.push(`${head}: 0, ${why}.`);
      notGraded.push(`${name}: ${why}`);
      for (const e of a.exercises) tests.push(test(a, e, 0, `Not graded: ${why}.`));
      continue;
    }
    const run = await runNotebook({ runtime, assignment: a, sources: m.sources, observers: p.observers, cases: p.cases, limits: { ...limits, ...a.limits }, deadline: Date.now() + Math.max(notebookSeconds, a.limits.notebookSeconds ?? 0) * 1000 });
    let earned = 0;
    const verdicts = new Map();
    for (const e of a.exercises) {
      const r = run.exercises.get(e.gradeId);
      // A solution cell missing (or not code) gets 0 with the sentence saying so; copies of it are graded with one.
      const note = m.cellNotes.get(e.gradeId);
      const verdict = m.sources.has(e.gradeId) ? judge(e, r, p.reference.get(e.gradeId), p.judges[e.gradeId], root) : { score: 0, output: note };
      if (note && m.sources.has(e.gradeId)) verdict.output = `${note}\n${verdict.output}`;
      if (verdict.leaderboard) leaderboard.push(...verdict.leaderboard);
      verdicts.set(e.gradeId, verdict);
    }
    for (const e of a.exercises) {
      const verdict = verdicts.get(e.gradeId);
      const failedUses = e.uses.filter((id) => verdicts.get(id).score === 0);
      if (verdict.score === 0 && failedUses.length) {
        verdict.output += `\nNote: this exercise calls your solution of ${failedUses.join(" and ")}, which did not pass its own hidden cases; fixing that may fix this one too.`;
      }
      earned += verdict.score;
      tests.push(test(a, e, verdict.score, verdict.output));
    }
    const total = a.exercises.reduce((s, e) => s + e.points, 0);
    summary.push([`${head}: ${earned} of ${total} points.`, ...m.problems, ...run.notes].join("\n  "));
  }
  for (const entry of entries) {
    if (![...matched.values()].some((m) => m.file === entry.file)) summary.push(`${entry.file.slice(path.length + 1) || entry.file}: not one of the graded notebooks; not graded.`);
  }
  const score = tests.reduce((s, t) => s + t.score, 0);
  return {
    student,
    notGraded,
    results: {
      score,
      execution_time: Math.round((Date.now() - started) / 100) / 10,
      output: summary.join("\n"),
      visibility: "visible",
      stdout_visibility: "hidden",
      tests,
      ...(leaderboard.length ? { leaderboard } : {}),
    },
  };
}

function test(a, e, score, output) {
  return {
    name: e.title ? `${e.gradeId}: ${e.title}` : e.gradeId,
    number: `${a.name.slice(0, 2)}.${a.exercises.indexOf(e) + 1}`,
    score,
    max_score: e.points,
    status: score === e.points ? "passed" : "failed",
    output,
    visibility: "visible",
  };
}

/** The score and the words for one exercise, from its hidden cases against the reference's. */
function judge(e, r, reference, custom, root) {
  const shown = r.output ? `\nYour code printed:\n${r.output.trimEnd()}` : "";
  if (r.fault) return { score: 0, output: `Stopped: ${r.fault}. This exercise gets 0; your other exercises were graded without it.${shown}` };
  const cellError = r.cellError ? `\nYour solution cell did not run cleanly:\n${r.cellError.trim()}` : "";
  // A failed case after a cell that did not run cleanly comes from that cell (a syntax error leaves
  // the function undefined: "s.rnnStep is not a function"): the cell's error is said first.
  const failed = (text) => `${cellError ? `${cellError.slice(1)}\n` : ""}${text}${shown}`;
  const obs = r.observations;
  if (custom) {
    const thrower = obs.findIndex((o) => o.error);
    if (thrower >= 0) return { score: 0, output: failed(`Hidden query ${thrower + 1} of ${obs.length}: your code threw ${obs[thrower].error}`) };
    let v;
    try {
      v = custom.judge(obs.map((o) => o.value), root);
    } catch (err) {
      return { score: 0, output: failed(`Your answers could not be judged: ${err.message}`) };
    }
    return { score: v.passed ? e.points : 0, output: `${v.output}${cellError}${shown}`, leaderboard: v.leaderboard };
  }
  for (let k = 0; k < obs.length; k++) {
    if (obs[k].error) return { score: 0, output: failed(`Hidden case ${k + 1} of ${obs.length}: your code threw ${obs[k].error}${givenLine(reference.observations[k].value)}`) };
    const d = difference(obs[k].value, reference.observations[k].value);
    if (d) return { score: 0, output: failed(`Hidden case ${k + 1} of ${obs.length}: ${d}.${givenLine(reference.observations[k].value)}`) };
  }
  return { score: e.points, output: `All ${obs.length} hidden cases passed.${cellError}${shown}` };
}

/** Grades several submissions, `jobs` at a time. */
export async function gradeClass({ root, runtime, paths, prepared, allAssignments, limits, notebookSeconds, jobs, onResult }) {
  return pool(
    paths.map((path) => async () => {
      const r = await gradeSubmission({ root, runtime, path, prepared, allAssignments, limits, notebookSeconds });
      await onResult?.(r);
      return r;
    }),
    jobs,
  );
}
