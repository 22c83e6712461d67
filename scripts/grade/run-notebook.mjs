// Runs one notebook's program in a sandbox and collects what each exercise's hidden cases gave:
// the teacher's context cells and the given solution cells (the student's, or the teacher's for
// the reference), then the observers on every hidden case. A fault (time, memory, output, exit)
// in a cell or in an exercise's cases ends the process: that cell or exercise is marked, a new
// process replays the program without it, and grading goes on. So one bad exercise costs only
// itself, and the same submission gets the same result on an idle or a busy machine (limits are
// far above what a solution needs).
import { Sandbox } from "./sandbox.mjs";

/**
 * @param sources Map gradeId -> the solution cell's source (missing: not submitted)
 * @param cases Map gradeId -> { seeds, queries? } (queries: inputs sent one request each)
 * @returns { exercises: Map gradeId -> { observations?, fault?, cellError?, output }, notes: string[] }
 */
export async function runNotebook({ runtime, assignment, sources, observers, cases, limits, deadline }) {
  const exercises = new Map(assignment.exercises.map((e) => [e.gradeId, { output: "" }]));
  const notes = [];
  const skip = new Set(); // program steps that faulted: not run again
  let restarts = 0;
  const maxRestarts = assignment.exercises.length + 3;
  const timeLeft = () => (deadline ? Math.floor((deadline - Date.now()) / 1000) : Infinity);

  for (;;) {
    if (timeLeft() <= 0) {
      for (const [gradeId, r] of exercises) if (!r.observations && !r.fault) r.fault = "the notebook's time limit ran out before this exercise was graded";
      notes.push("The notebook's time limit ran out.");
      break;
    }
    const box = new Sandbox(runtime, limits);
    try {
      await box.start();
    } catch (e) {
      box.close();
      throw e;
    }
    let faulted = false;
    // 1. The program: teacher's context cells and the solution cells, in notebook order.
    for (let i = 0; i < assignment.program.length && !faulted; i++) {
      const step = assignment.program[i];
      if (skip.has(i)) continue;
      const label = step.kind === "solution" ? `the solution cell of ${step.gradeId}` : `the notebook's cell ${step.index + 1}`;
      const source = step.kind === "solution" ? sources.get(step.gradeId) : step.source;
      if (source === undefined) continue;
      const r = await box.cell(source, label);
      const record = step.kind === "solution" ? exercises.get(step.gradeId) : null;
      if (record && r.output && restarts === 0) record.output += r.output;
      if (r.fault) {
        skip.add(i);
        faulted = true;
        if (record) record.fault = `${label} ${r.fault}`;
        else notes.push(`${label} (the teacher's) ${r.fault} after your earlier cells ran.`);
      } else if (!r.ok && record && restarts === 0) record.cellError = r.error;
      else if (!r.ok && !record && restarts === 0) notes.push(`${label} (the teacher's) failed after your earlier cells ran: ${r.error}`);
    }
    if (!faulted) {
      // 2. The hidden cases, one exercise at a time.
      const loaded = await box.loadObservers(observers);
      if (loaded.fault || !loaded.ok) {
        box.close();
        if (loaded.fault) {
          notes.push(`loading the hidden tests: ${loaded.fault}`);
          for (const r of exercises.values()) if (!r.observations && !r.fault) r.fault = `the hidden tests could not be loaded after your cells ran (${loaded.fault})`;
          break;
        }
        throw new Error(`the hidden tests of ${assignment.name} do not load: ${loaded.error}`);
      }
      for (const [gradeId, r] of exercises) {
        if (r.observations || r.fault) continue;
        const c = cases.get(gradeId);
        // Cases with queries go one request at a time: the student's process has answered query k
        // before it receives query k + 1 (so a forecast cannot read the future it is judged on).
        const requests = c.queries ? c.queries.map((q, k) => [[c.seeds[k]], q, k]) : [[c.seeds, null, 0]];
        const observations = [];
        for (const [seeds, input, firstCase] of requests) {
          const got = await box.observe(gradeId, seeds, input, firstCase);
          if (got.fault) {
            r.fault = `its hidden cases: ${got.fault}`;
            faulted = true;
            break;
          }
          if (!got.observations) throw new Error(`the hidden cases of ${gradeId} could not run: ${got.error}`);
          observations.push(...got.observations);
          if (got.output && r.output.length < 64 * 1024) r.output += got.output;
        }
        if (faulted) break;
        r.observations = observations;
      }
    }
    box.close();
    if (!faulted) break;
    if (++restarts > maxRestarts) {
      for (const r of exercises.values()) if (!r.observations && !r.fault) r.fault = "not graded: too many faults in this notebook";
      notes.push("Grading stopped after too many faults in this notebook.");
      break;
    }
  }
  return { exercises, notes };
}
