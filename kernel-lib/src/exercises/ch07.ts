// Checks for the exercises of notebook 07, "A long-range memory lab".
//
// The notebook derives the adding problem's error for a constant prediction and the copy task's
// memoryless baseline (its section 1), fixes when a run is solved (section 2), and counts success
// rates per (task, cell, T) and the longest length a cell solves (section 4). Each check probes one
// term at a time, recognises the usual mistakes by the exact wrong answer they produce, and names
// the term; it never prints the answer, and its hints are questions that lead back to the term
// (never the formula).
//
// The right answers are not computed here. They are stored (./answers/ch07.ts, read through
// ./answers.ts), computed on the probes below by the teacher's reference solutions, which a
// student's copy of the course does not contain. So are the wrong answers of the mistakes that
// are the solution with one piece changed (keys ending in /mistake/...): their code would read
// as the solution.
import { checkExercise } from "../testing/exercise";
import { attempt, nearNumber } from "./probes";
import { answerNumber, answerValue } from "./answers";
import { answers } from "./answers/ch07";
import type { GridRow, RateRow } from "../tasks/success-grid";
import type { CellKind } from "../nn/recurrent-model";
import type { TaskName } from "../tasks/long-range";

/** A stored right answer (or a stored wrong answer, under a /mistake/ key) on this chapter's probes. */
const wantNumber = (key: string): number => answerNumber(answers, key);

/** A success-rate row as stored: [task, cell, T, runs, solved, rate, diverged runs]. */
export type StoredRateRow = [TaskName, CellKind, number, number, number, number, number];

// ---------------------------------------------------------------------------------------------
// The probes (inputs are not secret): the checks below and the reference solutions that computed
// the stored answers both build them here, so they are the same numbers.

/** A success-rate row with `solved` of `runs` runs solved. */
const rate = (task: TaskName, cell: CellKind, T: number, solved: number, runs = 3): RateRow => ({ task, cell, T, runs, solved, rate: solved / runs });

export const ch07Probes = {
  /** ch07-adding-baseline: the constants c probed, in the order the checks use them. */
  constantMse: { atMean: 1, atZero: 0, atFour: 4, more: [0.25, 1.5, 3, 4] },
  /** ch07-copy-baseline: [T, K, A] of each probe. */
  copyBaseline: {
    paper: [100, 10, 8] as [number, number, number],
    shorter: [20, 10, 8] as [number, number, number],
    otherK: [100, 4, 8] as [number, number, number],
    more: [[500, 10, 8], [1, 10, 8], [50, 3, 2]] as [number, number, number][],
  },
  /** ch07-success-table: 30 runs, 2 tasks × 2 cells × 2 or 3 lengths × 3 seeds, some diverged. */
  successTable(): GridRow[] {
    const rows: GridRow[] = [];
    const add = (task: TaskName, cell: CellKind, T: number, outcomes: ("s" | "f" | "d")[]) => outcomes.forEach((o, seed) => rows.push({
      task, cell, T, seed, solved: o === "s", diverged: o === "d",
      score: o === "d" ? null : task === "adding" ? (o === "s" ? 0.004 : 0.16) : o === "s" ? 0.99 : 0.3,
      stepsTaken: o === "s" ? 150 : o === "d" ? 40 : 600, finalLoss: o === "d" ? null : 0.1,
    }));
    add("adding", "rnn", 10, ["s", "s", "f"]);
    add("adding", "rnn", 20, ["s", "f", "f"]);
    add("adding", "rnn", 40, ["f", "d", "f"]);
    add("adding", "lstm", 10, ["s", "s", "s"]);
    add("adding", "lstm", 20, ["s", "s", "f"]);
    add("adding", "lstm", 40, ["s", "f", "d"]);
    add("temporal-order", "rnn", 10, ["s", "f", "f"]);
    add("temporal-order", "rnn", 40, ["f", "f", "f"]);
    add("temporal-order", "lstm", 10, ["s", "s", "f"]);
    add("temporal-order", "lstm", 40, ["d", "s", "s"]);
    // Interleave, as a grid that ran seed by seed stores them.
    return rows.sort((a, b) => a.seed - b.seed);
  },
  /** ch07-longest-solved: the first probe's rows, rates 1, 1, 1/3, 0 at T = 10, 20, 40, 80 (adding, GRU). */
  longestSolved(): RateRow[] {
    return [rate("adding", "gru", 10, 3), rate("adding", "gru", 20, 3), rate("adding", "gru", 40, 1), rate("adding", "gru", 80, 0)];
  },
};

// ---------------------------------------------------------------------------------------------
// ch07-adding-baseline

/**
 * Exercise ch07-adding-baseline: the mean squared error of always predicting the constant c on the
 * adding problem, as a variance term and a bias term (the notebook's section 1).
 */
export function checkConstantMse(constantMse: (c: number) => number): void {
  checkExercise("ch07-adding-baseline", (c) => {
    const { atMean: cMean, atZero: cZero, atFour: cFour, more } = ch07Probes.constantMse;
    const key = (x: number) => `adding-baseline/c=${x}`;
    const call = (x: number) => attempt(c, `constantMse(${x})`, () => constantMse(x), "it takes the constant c and returns a number");
    const atMean = call(cMean);
    c.that("constantMse returns a number", typeof atMean === "number" && Number.isFinite(atMean), "return the expected squared error as a number");
    const atZero = call(cZero);
    c.that("the mean of v₁ + v₂ in the bias term (yours is smallest at c = 1/2, the mean of one value)", !(call(0.5) < atMean - 1e-9),
      "what is the mean of a sum of two values, each with mean 1/2?");
    c.that("the bias term is there: predicting c = 0 costs more than predicting the mean (yours gives the same error at c = 0 and c = 1)",
      !nearNumber(atZero, atMean, 1e-9), "the derivation splits the error into two terms: which of them depends on c?");
    c.that("the variance term is there: even the best constant leaves an error (yours is 0 at c = 1)", !nearNumber(atMean, 0, 1e-9),
      "does the target change from one sequence to the next, and can a constant follow it?");
    c.that("the variance of a SUM of two independent values (yours at c = 1 is 1/12, the variance of one of them)", !nearNumber(atMean, wantNumber(`${key(cMean)}/mistake/one-value-variance`), 1e-6),
      "what happens to the variances when you add two independent values?");
    c.that("the variance of v₁ + v₂ (yours at c = 1 is 1/3, the variance of a uniform on [0, 2]; the sum is not uniform)", !nearNumber(atMean, wantNumber(`${key(cMean)}/mistake/uniform-on-0-2`), 1e-6),
      "is the sum of two uniform values uniform? What does independence let you do with the variances instead?");
    c.close("the variance term, Var(v₁ + v₂) (probe: c = 1, the mean of the target)", atMean, wantNumber(key(cMean)), {
      tol: 1e-9, hint: "what is the variance of one value uniform on [0, 1], and how do the variances of two independent values combine?",
    });
    // Probe far from the mean: at c = 3, (c − 1)²/2 and |c − 1| are both 2, so c = 4 tells them apart.
    const atFour = call(cFour);
    c.that("the bias term is squared (yours grows like |1 − c|; probe: c = 4)", !nearNumber(atFour, wantNumber(`${key(cFour)}/mistake/unsquared`), 1e-6),
      "the error is an expected SQUARED difference: how does the distance between c and the mean enter it?");
    c.that("the bias term is the whole squared distance from the mean (yours is half of it; probes: c = 0 and c = 4)",
      !(nearNumber(atZero, wantNumber(`${key(cZero)}/mistake/half-squared`), 1e-6) && nearNumber(atFour, wantNumber(`${key(cFour)}/mistake/half-squared`), 1e-6)),
      "in the derivation, does any factor stand in front of (μ − c)²?");
    c.close("the bias term, (E[v₁ + v₂] − c)² (probe: c = 0)", atZero, wantNumber(key(cZero)), {
      tol: 1e-9, hint: "how far is c = 0 from the mean of the target, and how does that distance enter a squared error?",
    });
    for (const x of more) {
      c.close(`the error of predicting c = ${x}`, call(x), wantNumber(key(x)), {
        tol: 1e-9, hint: "does your function add the variance term and the bias term as the derivation splits them, for every c?",
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch07-copy-baseline

/**
 * Exercise ch07-copy-baseline: the mean cross-entropy per step of the best memoryless predictor on
 * the copy task (the notebook's section 1; Arjovsky et al.'s baseline for K = 10, A = 8).
 */
export function checkCopyBaseline(copyBaseline: (T: number, K: number, A: number) => number): void {
  checkExercise("ch07-copy-baseline", (c) => {
    const { paper: paperProbe, shorter, otherK: otherKProbe, more } = ch07Probes.copyBaseline;
    const key = ([T, K, A]: [number, number, number]) => `copy-baseline/T=${T},K=${K},A=${A}`;
    const call = (T: number, K: number, A: number) =>
      attempt(c, `copyBaseline(${T}, ${K}, ${A})`, () => copyBaseline(T, K, A), "T blanks, K symbols to copy, an alphabet of A symbols; return a number");
    const paper = call(...paperProbe);
    c.that("copyBaseline returns a number", typeof paper === "number" && Number.isFinite(paper), "return the mean cross-entropy per step");
    // The total over the sequence isolates the numerator (the learner's mean times the stored
    // number of steps); the ratio of two lengths isolates the denominator.
    const total = paper * wantNumber(`${key(paperProbe)}/steps`);
    c.that("the guess uses the natural logarithm (cross-entropy in nats; yours uses log₂)", !nearNumber(paper, wantNumber(`${key(paperProbe)}/mistake/log2`), 1e-6),
      "which logarithm gives a cross-entropy in nats, and which one is Math.log?");
    c.that("the guess uses the natural logarithm (cross-entropy in nats; yours uses log₁₀)", !nearNumber(paper, wantNumber(`${key(paperProbe)}/mistake/log10`), 1e-6),
      "which logarithm gives a cross-entropy in nats, and which one is Math.log?");
    c.that("the recall steps guess among the A symbols only (yours spreads over all A + 2, blank and delimiter too)", !nearNumber(paper, wantNumber(`${key(paperProbe)}/mistake/all-tokens`), 1e-6),
      "at a recall step, can the answer be a blank or the delimiter? Then among how many tokens must a model that knows where it is guess?");
    c.that("the baseline is a mean per step (yours is the total over the sequence)", !nearNumber(paper, wantNumber(`${key(paperProbe)}/mistake/total`), 1e-6),
      "is the loss a total over the sequence or a mean per step? Over how many steps is it averaged?");
    const ratio = call(...shorter) / paper;
    const ratioKey = `copy-baseline/ratio/T=${shorter[0]}:T=${paperProbe[0]}`; // K and A the same
    c.that("the average runs over every step of the sequence (yours divides by T + K)", !nearNumber(ratio, wantNumber(`${ratioKey}/mistake/T+K-steps`), 1e-6),
      "counting every part of one sequence (the symbols, the blanks, the delimiter and the steps of the answer), how many steps does it have?");
    c.that("the average runs over every step of the sequence (yours divides by T)", !nearNumber(ratio, wantNumber(`${ratioKey}/mistake/T-steps`), 1e-6),
      "counting every part of one sequence (the symbols, the blanks, the delimiter and the steps of the answer), how many steps does it have?");
    c.close("the number of steps averaged over (probe: copyBaseline(20, 10, 8) / copyBaseline(100, 10, 8))", ratio, wantNumber(ratioKey), {
      tol: 1e-6, hint: "how many steps does one sequence have, the answer steps included?",
    });
    c.close("the loss summed over the sequence (probe: T = 100, K = 10, A = 8; your result × the number of steps)", total, wantNumber(`${key(paperProbe)}/total`), {
      tol: 1e-6, hint: "which steps cost anything for a model that knows where it is, and what does a uniform guess among A symbols cost at each of them?",
    });
    const otherK = call(...otherKProbe);
    c.close("the loss summed over the sequence grows with K (probe: K = 4; your result × the number of steps)", otherK * wantNumber(`${key(otherKProbe)}/steps`), wantNumber(`${key(otherKProbe)}/total`), {
      tol: 1e-6, hint: "how does the number of symbols to recall enter the total?",
    });
    for (const [T, K, A] of more) {
      c.close(`the baseline for T = ${T}, K = ${K}, A = ${A}`, call(T, K, A), wantNumber(key([T, K, A])), { tol: 1e-9, hint: "check the two parts separately: what the recall steps cost in total, and how many steps you divide by" });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch07-is-solved

/**
 * Exercise ch07-is-solved: whether a run's test score meets its task's criterion (the notebook's
 * section 2); never for a diverged run (score NaN or null). The probes' verdicts are the
 * criteria's own examples, written in the checks' names.
 */
export function checkIsSolved(isSolved: (task: TaskName, score: number | null) => boolean): void {
  checkExercise("ch07-is-solved", (c) => {
    const call = (task: TaskName, score: number | null) =>
      attempt(c, `isSolved("${task}", ${score})`, () => isSolved(task, score), "it takes the task's name and its test score, and returns true or false");
    const first = call("temporal-order", 0.99);
    c.that("isSolved returns a boolean", typeof first === "boolean", "return true or false");
    c.that("an accuracy of 99% solves temporal order", first === true, "what test accuracy does section 2 ask of the classification tasks?");
    c.that("an accuracy of 50% does not solve temporal order", call("temporal-order", 0.5) === false, "what test accuracy does section 2 ask of the classification tasks?");
    c.that("for the adding problem LOWER is better: an MSE of 0.004 solves it", call("adding", 0.004) === true,
      "the adding problem's score is an error, its test MSE: is a smaller error better or worse?");
    c.that("for the adding problem LOWER is better: an MSE of 0.167 (the baseline) does not solve it", call("adding", 0.167) === false,
      "the adding problem's score is an error, its test MSE: is a smaller error better or worse?");
    c.that("the adding threshold is an MSE of 0.01 (yours accepts 0.02)", call("adding", 0.02) === false, "which MSE does section 2 fix as the threshold for the adding problem?");
    c.that("the adding threshold is an MSE of 0.01 (yours rejects 0.009)", call("adding", 0.009) === true, "which MSE does section 2 fix as the threshold for the adding problem?");
    c.that("the boundary for adding: below 0.01, so exactly 0.01 is not solved", call("adding", 0.01) === false, "is an MSE of exactly 0.01 below 0.01?");
    c.that("the boundary for the others: at least 95%, so exactly 0.95 is solved", call("temporal-order", 0.95) === true, "does \"at least 95%\" include 95% itself?");
    c.that("the threshold for the others is 0.95 (yours accepts 0.9)", call("reber", 0.9) === false, "which accuracy does section 2 fix as the threshold for the other tasks?");
    c.that("copy and reber use the same criterion as temporal order (0.96 solves copy)", call("copy", 0.96) === true && call("reber", 0.96) === true,
      "does your function treat every task but adding alike?");
    // A score is read by its task: one rule for all (a learner's trial: score < 0.01 || score >= 0.95)
    // passed every probe above, each of which reads true or false under either criterion.
    c.that("each task is judged by its own criterion: an adding MSE of 0.97 (far worse than the baseline) does not solve it", call("adding", 0.97) === false,
      "the task's name says which criterion applies: is a large MSE good or bad?");
    c.that("each task is judged by its own criterion: an accuracy of 0.005 does not solve temporal order", call("temporal-order", 0.005) === false,
      "the task's name says which criterion applies: is a low accuracy good or bad?");
    c.that("an adding MSE of exactly 0 (a perfect model) solves it", call("adding", 0) === true,
      "0 is a score like any other: does `if (!score)` treat it as a missing one?");
    c.that("a diverged run (score NaN) is not solved, for adding", call("adding", NaN) === false,
      "what does a comparison with NaN return, whichever way round it is written? What does your function do with that?");
    c.that("a diverged run (score NaN) is not solved, for temporal order", call("temporal-order", NaN) === false,
      "what does a comparison with NaN return, whichever way round it is written? What does your function do with that?");
    c.that("a diverged run whose score is stored as null is not solved", call("adding", null) === false && call("copy", null) === false,
      "JSON stores NaN as null; what does null < 0.01 give in JavaScript?");
  });
}

// ---------------------------------------------------------------------------------------------
// ch07-success-table

/**
 * Exercise ch07-success-table: one row per (task, cell, T) of a list of runs, with the runs, the
 * runs solved (a diverged run is a run, never a solved one) and their fraction.
 */
export function checkSuccessTable(successTable: (runs: GridRow[]) => RateRow[]): void {
  checkExercise("ch07-success-table", (c) => {
    const runs = ch07Probes.successTable();
    // The stored rows, and the number of rows the usual wrong groupings give.
    const want = answerValue<StoredRateRow[]>(answers, "success-table/rows")
      .map(([task, cell, T, runsOf, solved, rateOf, diverged]) => ({ task, cell, T, runs: runsOf, solved, rate: rateOf, diverged }));
    const given = runs.map((r) => ({ ...r }));
    const got = attempt(c, "successTable on the probe (30 runs: 2 tasks × 2 cells × 2 or 3 lengths × 3 seeds, some diverged)", () => successTable(given),
      "group the runs by task, cell and T; count them, and count those solved");
    c.that("successTable leaves the runs as they were (order and values)", JSON.stringify(given) === JSON.stringify(runs),
      "group with a Map or an object keyed by task, cell and T; sort() reorders the caller's grid (sort a copy if you need one)");
    c.that("successTable returns an array of rows", Array.isArray(got), "return one object per (task, cell, T)");
    c.that(`one row per (task, cell, T): each length is its own row (yours has ${got.length} rows, one per (task, cell))`, got.length !== wantNumber("success-table/mistake/rows-per-task-cell"),
      "are two lengths of the same task and cell one group or two?");
    c.that(`one row per (task, cell, T): the task is part of the key (yours has ${got.length} rows, one per (cell, T))`, got.length !== wantNumber("success-table/mistake/rows-per-cell-T"),
      "are the same cell at the same length on two tasks one group or two?");
    c.that(`one row per (task, cell, T): the cell is part of the key (yours has ${got.length} rows, one per (task, T))`, got.length !== wantNumber("success-table/mistake/rows-per-task-T"),
      "are two cells at the same length of the same task one group or two?");
    c.that(`one row per (task, cell, T) that has runs (yours has ${got.length} rows; the probe has ${want.length} groups)`, got.length === want.length,
      "which fields together make a group? Is there one row for each combination that appears?");
    const find = (w: RateRow) => got.find((g) => g && g.task === w.task && g.cell === w.cell && g.T === w.T);
    for (const w of want) {
      const g = find(w);
      const name = `${w.task}, ${w.cell}, T = ${w.T}`;
      c.that(`a row for ${name} with the fields task, cell, T, runs, solved, rate`, g !== undefined && ["runs", "solved", "rate"].every((f) => typeof (g as unknown as Record<string, unknown>)[f] === "number"),
        "each row is { task, cell, T, runs, solved, rate } with numbers for the last three");
    }
    for (const w of want) {
      const g = find(w)!;
      const name = `${w.task}, ${w.cell}, T = ${w.T}`;
      const divergedHere = w.diverged;
      c.that(`the runs of ${name}: a diverged run is still a run (yours leaves it out of the count)`, !(divergedHere > 0 && g.runs === w.runs - divergedHere),
        "is a run that diverged a run that was tried? Should it be in the denominator?");
      c.close(`the number of runs of ${name}`, g.runs, w.runs, { tol: 0, hint: "how many runs (seeds) of that task, cell and T are there?" });
      c.that(`the runs solved of ${name}: a diverged run never counts as solved`, !(divergedHere > 0 && g.solved === w.solved + divergedHere),
        "can a run that diverged have solved the task?");
      c.close(`the runs solved of ${name}`, g.solved, w.solved, { tol: 0, hint: "how many runs of this group were solved?" });
      c.that(`the rate of ${name} is a fraction between 0 and 1 (yours is ${g.rate > 1 ? "above 1: a percentage?" : "negative"})`, g.rate >= 0 && g.rate <= 1,
        "is a rate of one half 0.5 or 50?");
      c.that(`the rate of ${name} divides by that group's runs (yours divides by all ${runs.length} runs)`, !(w.solved > 0 && nearNumber(g.rate, w.solved / runs.length, 1e-9)),
        "a rate of which runs? Which runs belong in its denominator?");
      c.close(`the rate of ${name}`, g.rate, w.rate, { tol: 1e-9, hint: "what fraction of this group's runs were solved?" });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch07-longest-solved

/**
 * Exercise ch07-longest-solved: the longest length T at which a cell solves at least half of its
 * runs of a task, read from success-rate rows (null if it never does). Beside the first probe's
 * stored answer, the probes' expected lengths are written in the checks' names.
 */
export function checkLongestSolved(longestSolved: (rates: RateRow[], task: TaskName, cell: CellKind) => number | null): void {
  checkExercise("ch07-longest-solved", (c) => {
    const call = (rows: RateRow[], task: TaskName, cell: CellKind, probe: string) =>
      attempt(c, `longestSolved on the probe (${probe})`, () => longestSolved(rows.map((r) => ({ ...r })), task, cell),
        "it takes rows { task, cell, T, runs, solved, rate }, a task and a cell, and returns a length or null");
    const plain = ch07Probes.longestSolved();
    const a = call(plain, "adding", "gru", "rates 1, 1, 1/3, 0 at T = 10, 20, 40, 80");
    c.that("longestSolved returns a length T (a number) when the cell solves some length", typeof a === "number", "which field of a row is a length?");
    c.that("it returns a length, not a rate", !(typeof a === "number" && a <= 1), "which field of a row is a length?");
    c.that("it returns the LONGEST length solved, not the shortest", a !== 10, "of the lengths that count, which one does the exercise ask for?");
    // The threshold before the first failure: on `plain`, "rate > 0" and "the first length that fails" both give 40.
    const low = [rate("adding", "gru", 10, 3), rate("adding", "gru", 20, 1), rate("adding", "gru", 40, 1), rate("adding", "gru", 80, 0)];
    const l = call(low, "adding", "gru", "rates 1, 1/3, 1/3, 0 at T = 10, 20, 40, 80");
    c.that("a length counts only when at least half its runs are solved (probe: rates 1, 1/3, 1/3, 0; yours counts a length where 1 run of 3 was solved)",
      l !== 40, "which success rate makes a length count as handled?");
    c.that("it returns the longest length that IS solved, not the first that is not", a !== 40, "is the length you return one whose rate is at least one half?");
    c.close("the longest length with a success rate of at least 1/2 (probe: rates 1, 1, 1/3, 0)", a ?? NaN, wantNumber("longest-solved/rates-1-1-1/3-0"), {
      tol: 0, hint: "which rows have a rate of at least one half, and which of their lengths is the largest?",
    });

    const half = [rate("adding", "lstm", 10, 2, 2), rate("adding", "lstm", 20, 1, 2), rate("adding", "lstm", 40, 0, 2)];
    c.that("at least half: a rate of exactly 1/2 counts (probe: rates 1, 1/2, 0)", call(half, "adding", "lstm", "rates 1, 1/2, 0 at T = 10, 20, 40") === 20, "is a rate of exactly one half \"at least half\"?");

    const gap = [rate("reber", "rnn", 10, 3), rate("reber", "rnn", 20, 1), rate("reber", "rnn", 40, 2), rate("reber", "rnn", 80, 0)];
    c.that("a length solved after a shorter one that was not still counts (probe: rates 1, 1/3, 2/3, 0)", call(gap, "reber", "rnn", "rates 1, 1/3, 2/3, 0 at T = 10, 20, 40, 80") === 40,
      "does your function look at every length, or stop at the first that fails?");

    const mixed = [
      rate("adding", "rnn", 10, 3), rate("adding", "rnn", 20, 0), rate("adding", "gru", 80, 3),
      rate("copy", "rnn", 160, 3), rate("adding", "rnn", 40, 0),
    ];
    const m = call(mixed, "adding", "rnn", "rows of several tasks and cells");
    c.that("only the rows of the given cell count (yours took a length another cell solved)", m !== 80, "which rows belong to the cell you were asked about?");
    c.that("only the rows of the given task count (yours took a length the cell solved on another task)", m !== 160, "which rows belong to the task you were asked about?");
    c.close("the longest length among the rows of that task and cell only (probe: rows of several tasks and cells)", m ?? NaN, 10, { tol: 0, hint: "which rows are of that task AND that cell, and which of them count?" });


    const none = [rate("copy", "lstm", 1, 0), rate("copy", "lstm", 5, 1), rate("copy", "lstm", 10, 0)];
    const n = call(none, "copy", "lstm", "rates 0, 1/3, 0: no length is solved");
    c.that(`when no length is solved, longestSolved returns null (yours returned ${JSON.stringify(n)})`, n === null, "what should come back when no row counts, and does your function ever return it?");
    const descending = [...plain].reverse();
    c.that("the rows may come in any order (probe: the first probe's rows, longest first)", call(descending, "adding", "gru", "the same rows, longest T first") === 20,
      "does your function assume the rows come sorted by T?");
    const shuffled = [plain[2], plain[0], plain[3], plain[1]]; // no order a sort would leave alone
    const given = shuffled.map((r) => ({ ...r }));
    attempt(c, "longestSolved", () => longestSolved(given, "adding", "gru"), "");
    c.that("longestSolved leaves the rows as they were (order and values)", JSON.stringify(given) === JSON.stringify(shuffled),
      "find the longest with a loop or a filter; sort() reorders the caller's table (sort a copy, [...rates].sort(...), if you need one)");
  });
}
