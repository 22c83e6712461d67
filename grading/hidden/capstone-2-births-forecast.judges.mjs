// The test year of capstone 2 (runs in the grader only; see scripts/grade/assignments.mjs).
//
// The notebook cuts the births series at 2013-12-31; 2014 is the test year. The grader asks the
// student's forecast(history) for the 52 consecutive weeks of 2014 (2014-01-01, a Wednesday, to
// 2014-12-30), in time order, one query each: query k is the true history from 2000-01-01 up to
// the day before week k, never a day of the week itself. The student's process answers query k
// before it receives query k + 1. The true values of the weeks stay here: the judge computes the
// mean absolute error (births per day) and the MAPE over the 364 days, and the seasonal naive
// forecast's MAE on the same weeks (the same weekday a week earlier: 429.6 births per day). It
// passes an MAE at most (1 − TEST_MARGIN) × the naive one (kernel-lib's kl.exercises.capstone2,
// the number the notebook and its public check state); the leaderboard gets the MAE.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const library = (root) => require(join(root, "kernel-lib", "dist", "index.js"));

export const FIRST_DAY = "2014-01-01";
export const WEEKS = 52;
export const HORIZON = 7;

// The series, read once when the grader imports this module (loadBirths is asynchronous; the
// judges' functions are not). The root is this file's repository.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const births = await library(ROOT).data.loadBirths();
const values = Array.from(births.births);
const first = births.dates.indexOf(FIRST_DAY);
if (first < 0 || first + WEEKS * HORIZON > values.length) throw new Error(`capstone 2's judge: the births data do not hold ${WEEKS} weeks from ${FIRST_DAY}`);

/** The first day (index into the series) of each judged week. */
export const weekStarts = Array.from({ length: WEEKS }, (_, k) => first + HORIZON * k);

/** The queries, in order: the history before each week. */
export function testQueries() {
  return weekStarts.map((t) => ({ history: values.slice(0, t) }));
}

/** The seasonal naive forecast of the week starting at day t. */
const naiveWeek = (t) => Array.from({ length: HORIZON }, (_, h) => values[t - 7 + h]);

/** A forecast as the observer reported it: numbers, or NaN/Infinity written as { number: "NaN" }. */
const asNumber = (v) => (typeof v === "number" ? v : v && typeof v === "object" && typeof v.number === "string" ? Number(v.number) : undefined);

/** MAE, MAPE and the naive MAE over the test weeks, or { error } saying why the answers cannot be scored. */
export function testScores(answers) {
  if (!Array.isArray(answers) || answers.length !== WEEKS) return { error: `expected ${WEEKS} forecasts, one per week, got ${Array.isArray(answers) ? answers.length : typeof answers}` };
  let err = 0, pct = 0, naiveErr = 0;
  for (let k = 0; k < WEEKS; k++) {
    const a = answers[k];
    const week = `week ${k + 1} (from ${births.dates[weekStarts[k]]})`;
    if (!Array.isArray(a)) return { error: `your forecast for ${week} is not an array of numbers` };
    if (a.length !== HORIZON) return { error: `your forecast for ${week} has ${a.length} values; ${HORIZON} are expected, one per day` };
    const naive = naiveWeek(weekStarts[k]);
    for (let h = 0; h < HORIZON; h++) {
      const f = asNumber(a[h]);
      if (f === undefined || !Number.isFinite(f)) return { error: `your forecast for ${week} holds ${f === undefined ? JSON.stringify(a[h]) : f} on day ${h + 1}, not a finite number (did training diverge?)` };
      const truth = values[weekStarts[k] + h];
      err += Math.abs(f - truth);
      pct += Math.abs(f - truth) / truth;
      naiveErr += Math.abs(naive[h] - truth);
    }
  }
  const days = WEEKS * HORIZON;
  return { mae: err / days, mape: (100 * pct) / days, naiveMae: naiveErr / days };
}

export const judges = {
  "cap2-forecast": {
    queries: () => testQueries(),
    judge(answers, root) {
      const margin = library(root).exercises.capstone2.TEST_MARGIN;
      const r = testScores(answers);
      if (r.error) return { passed: false, output: `Your forecasts for 2014 could not be scored: ${r.error}.` };
      const limit = (1 - margin) * r.naiveMae;
      const passed = r.mae <= limit;
      const below = 100 * (1 - r.mae / r.naiveMae);
      const measured =
        `Test year 2014, ${WEEKS} weeks (${WEEKS * HORIZON} days), each forecast from the days before its week: ` +
        `your MAE is ${r.mae.toFixed(1)} births per day (MAPE ${r.mape.toFixed(2)}%), ${Math.abs(below).toFixed(1)}% ${below >= 0 ? "below" : "above"} ` +
        `the seasonal naive forecast's ${r.naiveMae.toFixed(1)}.`;
      const verdict = passed
        ? `Passing needs an MAE at least ${Math.round(100 * margin)}% below the seasonal naive's (at most ${limit.toFixed(1)}): passed.`
        : `Passing needs an MAE at least ${Math.round(100 * margin)}% below the seasonal naive's (at most ${limit.toFixed(1)}): not passed. ` +
          "(Does your public check of Exercise 6 pass on the validation years? Is the model trained, with the best weights restored, and does forecast unscale its outputs?)";
      return { passed, output: `${measured}\n${verdict}`, leaderboard: [{ name: "2014 MAE (births per day)", value: Number(r.mae.toFixed(2)), order: "asc" }] };
    },
  },
};
