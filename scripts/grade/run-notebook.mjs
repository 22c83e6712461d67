// Runs one notebook's program in a sandbox and collects what each exercise's hidden cases gave:
// the teacher's context cells and the given solution cells (the student's, or the teacher's for
// the reference), then the observers on every hidden case, then a wait for I/O the cells left
// under way (so a file read's callback runs while the grader waits, however quick), then (for the
// reference only) the teacher's check cells on the teacher's solutions. A fault (time, memory, output, exit)
// in a cell or in an exercise's cases ends the process: that cell or exercise is marked, a new
// process replays the program without it, and grading goes on. So one bad exercise costs only
// itself, and the same submission gets the same result on an idle or a busy machine (limits are
// far above what a solution needs).
//
// A fault is blamed on the request whose work was running (sandbox.mjs: a timer a cell left
// behind is that cell's, not the one that was waiting), and every request's time limit is cut to
// what is left of the notebook's, so a notebook never runs past its limit by more than a start.
import { Sandbox } from "./sandbox.mjs";

/** A reply to "observe" the grader can judge: one { value } or { error: string } per seed. */
function wellFormed(observations, count) {
  return (
    Array.isArray(observations) &&
    observations.length === count &&
    observations.every((o) => o !== null && typeof o === "object" && !Array.isArray(o) && ("value" in o || typeof o.error === "string"))
  );
}

/**
 * @param sources Map gradeId -> the solution cell's source (missing: not submitted)
 * @param cases Map gradeId -> { seeds, queries? } (queries: inputs sent one request each)
 * @param checks check cells to run last, [{ gradeId, source }] (the reference run's: see prepare())
 * @returns { exercises: Map gradeId -> { observations?, fault?, cellError?, checkError?, output }, notes: string[] }
 */
export async function runNotebook({ runtime, assignment, sources, observers, cases, limits, deadline, checks = [] }) {
  const exercises = new Map(assignment.exercises.map((e) => [e.gradeId, { output: "" }]));
  const notes = [];
  const skip = new Set(); // program steps that faulted: not run again
  let restarts = 0;
  const maxRestarts = assignment.exercises.length + 3;
  const timeLeft = () => (deadline ? (deadline - Date.now()) / 1000 : Infinity);
  const seconds = () => Math.max(0.1, timeLeft());
  const labelOf = (step) => (step.kind === "solution" ? `the solution cell of ${step.gradeId}` : `the notebook's cell ${step.index + 1}`);
  const addOutput = (r, text, once = false) => {
    if (r.output.length < 64 * 1024 && !(once && r.output.includes(text))) r.output += text;
  };

  /**
   * Marks a fault on what caused it: `culprit`, the request whose left-over work was running (a
   * program step, not run again, or an exercise's cases), else `current`, the request waiting.
   */
  const blame = (current, culprit, fault) => {
    const leftOver = Boolean(culprit && (culprit.step !== undefined || culprit.gradeId));
    if (!leftOver) culprit = current;
    if (culprit.step !== undefined) {
      skip.add(culprit.step);
      const step = assignment.program[culprit.step];
      const who = leftOver ? `work that ${labelOf(step)} left running (a callback it set up)` : labelOf(step);
      if (step.kind === "solution") exercises.get(step.gradeId).fault = `${who} ${fault}`;
      else notes.push(`${who} (the teacher's) ${fault} after your earlier cells ran.`);
    } else {
      const r = exercises.get(culprit.gradeId);
      r.fault = leftOver ? `work that your functions left running during its hidden cases ${fault}` : `its hidden cases (your functions called on new inputs) ${fault}`;
    }
  };
  /** Errors of work that earlier requests left running: into the output of the exercise that started it. */
  const routeLate = (box) => {
    for (const { meta, error } of box.takeLate()) {
      const gradeId = meta?.gradeId ?? (meta?.step !== undefined ? assignment.program[meta.step].gradeId : undefined);
      const r = gradeId && exercises.get(gradeId);
      if (r) addOutput(r, `✘ work it started failed after it finished: ${error}\n`, true);
    }
  };

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
      const source = step.kind === "solution" ? sources.get(step.gradeId) : step.source;
      if (source === undefined) continue;
      const r = await box.cell(source, labelOf(step), seconds(), { step: i });
      routeLate(box);
      const record = step.kind === "solution" ? exercises.get(step.gradeId) : null;
      if (record && r.output && restarts === 0) record.output += r.output;
      const error = String(r.error ?? "the cell failed").slice(0, 8000);
      if (r.fault) {
        faulted = true;
        blame({ step: i }, r.culprit, r.fault);
      } else if (!r.ok && record && restarts === 0) record.cellError = error;
      else if (!r.ok && !record && restarts === 0) notes.push(`${labelOf(step)} (the teacher's) failed after your earlier cells ran: ${error}`);
    }
    if (!faulted) {
      // 2. The hidden cases, one exercise at a time (after the observers load).
      const loaded = await box.loadObservers(observers, seconds());
      routeLate(box);
      if (loaded.fault && (loaded.culprit?.step !== undefined || loaded.culprit?.gradeId)) {
        // Work a cell left running ended the process while the observers loaded.
        faulted = true;
        blame(null, loaded.culprit, loaded.fault);
      } else if (loaded.fault || !loaded.ok) {
        // Only student code can make the teacher's observers fail to load here (the reference
        // run loads the same source, and prepare() stops on its faults).
        box.close();
        const why = loaded.fault ?? `it threw ${String(loaded.error).slice(0, 2000)}`;
        notes.push(`Loading the hidden tests after your cells ran: ${why}.`);
        for (const r of exercises.values()) if (!r.observations && !r.fault) r.fault = `the hidden tests could not be loaded after your cells ran (${why})`;
        break;
      }
      for (const [gradeId, r] of exercises) {
        if (faulted) break;
        if (r.observations || r.fault) continue;
        const c = cases.get(gradeId);
        // Cases with queries go one request at a time: the student's process has answered query k
        // before it receives query k + 1 (so a forecast cannot read the future it is judged on).
        const requests = c.queries ? c.queries.map((q, k) => [[c.seeds[k]], q, k]) : [[c.seeds, null, 0]];
        const observations = [];
        for (const [seeds, input, firstCase] of requests) {
          const got = await box.observe(gradeId, seeds, input, firstCase, seconds(), { gradeId });
          routeLate(box);
          if (got.fault) {
            faulted = true;
            blame({ gradeId }, got.culprit, got.fault);
            break;
          }
          if (got.output) addOutput(r, got.output);
          // Student code can break this process's machinery or write on its channel: a reply the
          // grader cannot judge costs this exercise, never the grading (it is not thrown).
          if (!wellFormed(got.observations, seeds.length)) {
            r.fault = `its hidden cases did not run in your notebook's process (${got.ok === false ? String(got.error).slice(0, 2000) : "the reply was not a list of results"})`;
            break;
          }
          observations.push(...got.observations.map((o) => ("value" in o ? { value: o.value } : { error: o.error.slice(0, 2000) })));
        }
        if (faulted) break;
        if (!r.fault) r.observations = observations;
      }
    }
    if (!faulted) {
      // 3. Work still under way (a file read a cell started) comes back while the grader waits,
      // so what its callback does counts on every run, not only when the read is quick.
      const drained = await box.drain(seconds());
      routeLate(box);
      if (drained.fault && (drained.culprit?.step !== undefined || drained.culprit?.gradeId)) {
        faulted = true;
        blame(null, drained.culprit, drained.fault);
      } else if (drained.fault) notes.push(`After the hidden cases ran, your notebook's process ${drained.fault}.`);
    }
    // 4. The check cells asked for, after the hidden cases (nothing they do can change what the
    // cases saw). The first that fails or faults is recorded on its exercise; a fault ends them.
    for (const check of faulted ? [] : checks) {
      const r = await box.cell(check.source, `the check cell of ${check.gradeId}`, seconds(), { gradeId: check.gradeId });
      routeLate(box);
      if (r.ok && !r.fault) continue;
      const shown = r.output ? `\n${r.output.trimEnd().slice(0, 8000)}` : "";
      exercises.get(check.gradeId).checkError = `${r.fault ? `it ${r.fault}` : String(r.error ?? "the cell failed").slice(0, 8000)}${shown}`;
      if (r.fault) break;
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
