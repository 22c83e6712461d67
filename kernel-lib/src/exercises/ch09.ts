// Checks for the exercise of notebook 09, "Project: forecasting US births".
//
// The notebook forecasts the 28 days from a forecast origin n (days n, n + 1, …, n + 27) and
// measures every forecast against the seasonal naive forecasts, which repeat the last season
// before the origin: ŷ[n + h] = y[n − m + (h mod m)], with m = 7 (the same weekday last week) or
// m = 364 (52 weeks ago, the same weekday last year). Its history holds every day of the era,
// the days being forecast included, so the forecast must read nothing at or after the origin.
// The check calls the learner's function on day-coded histories (step d holds 1000 + d, so the step
// a forecast read can be read off its value) whose origin lies well before the end, recognises
// the usual mistakes by the step they read, and names the term; it never prints the expected
// numbers, and its hints are questions that lead back to the term.
// The right answers are stored, not computed here (see answers.ts): the teacher's reference
// solution (grading/references/ch09.ts) computes them from the probes below, which both share.
import { checkExercise } from "../testing/exercise";
import type { ExerciseChecker } from "../testing/exercise";
import { attempt, sameNumbers } from "./probes";
import { answerValue } from "./answers";
import { answers } from "./answers/ch09";
import { Rng } from "../random";

/** One probe of ch09-seasonal-naive: a history, a period and an origin, forecast at each of `horizons`. */
export interface SeasonalNaiveProbe {
  history: number[];
  period: number;
  origin: number;
  horizons: number[];
}

/** The offset of the day codes: step d of a day-coded history holds DAY0 + d. */
const DAY0 = 1000;
/** A history whose value says which step it is: step d holds 1000 + d (so an offset can be read off). */
const dayCoded = (L: number) => Array.from({ length: L }, (_, d) => DAY0 + d);
const randomSeries = (L: number, seed: number, level: number, spread: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: L }, () => level + spread * rng.normal());
};

/**
 * The check's fixed probes (inputs are not secret). The teacher's reference solution
 * (grading/references/ch09.ts) computes the stored answers from these same inputs.
 */
export const ch09Probes = {
  seasonalNaive: (): Record<string, SeasonalNaiveProbe> => ({
    // The origin well before the end of the history: a forecast that reads at or after it shows.
    week: { history: dayCoded(60), period: 7, origin: 30, horizons: [7, 3, 17] },
    // Another period, so that nothing may depend on 7; horizons of one period and of more than two.
    five: { history: dayCoded(50), period: 5, origin: 23, horizons: [5, 12] },
    // A year of 52 weeks; a horizon within it and one beyond it.
    year: { history: dayCoded(800), period: 364, origin: 500, horizons: [28, 400] },
    // The origin as early as it can be: the last season is steps 0 … period − 1.
    first: { history: dayCoded(20), period: 7, origin: 7, horizons: [9] },
    // The origin right after the last step (capstone 2's forecast): steps past the end do not exist.
    end: { history: dayCoded(40), period: 7, origin: 40, horizons: [10] },
    // A season of one step: the last value before the origin, repeated.
    one: { history: dayCoded(12), period: 1, origin: 6, horizons: [4] },
    // Values that are not day codes: the history must come back unchanged.
    other: { history: randomSeries(45, 91, 9000, 900), period: 6, origin: 31, horizons: [14] },
  }),
};

/** The key of a stored answer: probe `name` forecast `horizon` steps ahead. */
export const seasonalNaiveKey = (name: string, horizon: number) => `seasonal-naive/${name}/h=${horizon}`;

// ---------------------------------------------------------------------------------------------
// ch09-seasonal-naive

type SeasonalNaive = (history: number[], period: number, horizon: number, origin: number) => number[];

const isArrayLike = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The step of a day-coded history a forecast value holds (NaN when it holds none). */
function stepOf(v: unknown, length: number): number {
  if (typeof v !== "number") return NaN;
  const d = v - DAY0;
  return Number.isInteger(d) && d >= 0 && d < length ? d : NaN;
}

/** What a probe is, in the words of the feedback. */
const probeText = (p: SeasonalNaiveProbe, horizon: number) =>
  `probe: period ${p.period}, horizon ${horizon}, origin ${p.origin}, a history of ${p.history.length} steps`;

/** The learner's forecast on a probe: an array of `horizon` finite numbers, or feedback naming what it is not. */
function forecastOf(c: ExerciseChecker, seasonalNaive: SeasonalNaive, p: SeasonalNaiveProbe, horizon: number): number[] {
  const history = p.history.slice();
  const got = attempt(c, `seasonalNaive(history, ${p.period}, ${horizon}, ${p.origin}) on a history of ${p.history.length} steps`,
    () => seasonalNaive(history, p.period, horizon, p.origin), "history is an array of numbers; period, horizon and origin are whole numbers");
  // First, so that a history changed in place is named as that, not as the wrong values it leads to.
  c.that(`seasonalNaive leaves the history unchanged (yours changed it; ${probeText(p, horizon)})`, sameNumbers(history, p.history),
    "read the history; do not sort, slice away, reverse or overwrite it in place (the notebook reads it again for every origin)");
  c.that("seasonalNaive returns an array of numbers", isArrayLike(got), "return one forecast per step ahead, in an array");
  const values = Array.from(got as ArrayLike<unknown>);
  c.that(`one forecast per step ahead: ${horizon} for horizon ${horizon} (yours has ${values.length}; ${probeText(p, horizon)})`, values.length === horizon,
    "how many steps ahead does horizon ask for? Does your code use horizon, or the period?");
  const bad = values.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
  c.that(`every forecast is a value of the history (yours gives ${String(values[bad])} for h = ${bad}: it reads a step that is not in the history; ${probeText(p, horizon)})`,
    bad === -1, "which step does your code read for that h? Is it one of the steps 0 … origin − 1?");
  return values as number[];
}

/**
 * On a day-coded probe: which step the first step ahead was forecast from, against the stored
 * right answer's. Names the usual mistakes by that step: the end of the history instead of the
 * origin, one step off, a period of its own instead of the one given.
 */
function checkFirstStep(c: ExerciseChecker, p: SeasonalNaiveProbe, horizon: number, got: number[], want: number[]): void {
  const L = p.history.length;
  const read = stepOf(got[0], L);
  const right = stepOf(want[0], L);
  const back = p.origin - read; // how far back from the origin the learner's first forecast reads
  const probe = probeText(p, horizon);
  c.that(`each forecast is the value of one step of the history (yours gives ${got[0]} for h = 0, the value of no step; ${probe})`, !Number.isNaN(read),
    "the seasonal naive forecast copies a value of the history: which step's?");
  c.that(`the forecast starts from the origin, not from the end of the history (yours reads the last period of the whole history, from step ${read}: steps at or after the origin ${p.origin}, the very days being forecast; ${probe})`,
    !(read === L - p.period && p.origin < L), "at the origin, which steps are known? The history may go on past the origin: does your code use its length?");
  // A season of the learner's own (a week, or a year of 365 days) before the off-by-ones: 365 is 364 + 1.
  const own = back === p.period ? "" : back === 7 ? "a week, whatever period says" : back === 365 && p.period === 364 ? "365, a year of days, but period says 364 (52 weeks keep the weekday)" : back === 364 ? "364, a year, whatever period says" : "";
  c.that(`the season is period steps long (yours goes back ${plural(back, "step")} from the origin: ${own}; ${probe})`, own === "",
    "period is an argument: is a number of your own written where it should be?");
  const persistence = p.period > 1 && got.length > 1 && got.every((v) => stepOf(v, L) === p.origin - 1);
  c.that(`each step ahead repeats its own place in the last season (yours repeats the last known value, step ${p.origin - 1}, for every step: persistence, a forecast without the season; ${probe})`,
    !persistence, "which step of the last season, origin − period … origin − 1, has the same place in the season as step origin + h?");
  c.that(`the first step ahead (step ${p.origin}) is forecast from one period before it (yours reads step ${read}, one step too late: for h = period − 1 it reads the origin itself, not known yet; ${probe})`,
    read !== right + 1, "which step is one whole period before step origin + h?");
  c.that(`the first step ahead (step ${p.origin}) is forecast from one period before it (yours reads step ${read}, one step too early: period + 1 steps back; ${probe})`,
    read !== right - 1, "which step is one whole period before step origin + h?");
  c.that(`the forecast reads only steps before the origin ${p.origin} (yours reads step ${read} for h = 0; ${probe})`,
    !(read >= p.origin), "at the origin, which steps are known? Which step is one period before the first step forecast?");
  const backwards = got.length > 1 && read > right && read < p.origin && stepOf(got[1], L) === read - 1;
  c.that(`h = 0 repeats the FIRST step of the last season, step origin − period (yours reads the last season backwards, from step ${read}; ${probe})`,
    !backwards, "the last season is steps origin − period … origin − 1, in order: which of them has the same place in the season as step origin + h?");
  c.that(`the season is period steps long (yours goes back ${plural(back, "step")} from the origin; ${probe})`, read === right,
    "period is an argument: is a number of your own written where it should be?");
}

/** No step at or after the origin is read (on a day-coded probe); past one period, the last period repeats. */
function checkNoLeak(c: ExerciseChecker, p: SeasonalNaiveProbe, horizon: number, got: number[]): void {
  const steps = got.map((v) => stepOf(v, p.history.length));
  // The period used going back, but a week of its own for the wrap: h mod 7 (a trial's answer was
  // told only that it read past the origin).
  const weekWrap = p.period !== 7 && got.length > p.period && steps.every((d, h) => d === p.origin - p.period + (h % 7));
  c.that(`the forecast repeats the last season every period steps (yours starts again after 7 steps, a week, whatever period (${p.period}) says; ${probeText(p, horizon)})`,
    !weekWrap, "period is an argument: is a number of your own written where it should be? What does h mod period give?");
  const leak = steps.findIndex((d) => d >= p.origin);
  const carriesOn = leak >= p.period && steps[leak] === steps[leak - p.period] + p.period;
  c.that(`the forecast reads only steps before the origin ${p.origin} (yours reads step ${steps[leak]} for h = ${leak}${carriesOn ? ": more than one period ahead it carries on past the origin instead of repeating the last period" : ""}; ${probeText(p, horizon)})`,
    leak === -1, carriesOn
      ? "steps h and h − period ahead have the same place in the season: which step of the LAST period before the origin has it? What does h mod period give?"
      : "at the origin, which steps are known? Which step of the last period before the origin does step origin + h repeat?");
}

/**
 * Exercise ch09-seasonal-naive: the forecast of step origin + h (h = 0 … horizon − 1) is
 * history[origin − period + (h mod period)]; nothing at or after the origin is read, and the
 * history comes back unchanged.
 */
export function checkSeasonalNaive(seasonalNaive: SeasonalNaive): void {
  checkExercise("ch09-seasonal-naive", (c) => {
    const probes = ch09Probes.seasonalNaive();
    const want = (name: string, horizon: number) => answerValue<number[]>(answers, seasonalNaiveKey(name, horizon));
    /** A day-coded probe, step by step: the first step ahead, no leak, then every value. */
    const dayCodedProbe = (name: string, horizon: number, hint: string) => {
      const p = probes[name];
      const got = forecastOf(c, seasonalNaive, p, horizon);
      const right = want(name, horizon);
      checkFirstStep(c, p, horizon, got, right);
      checkNoLeak(c, p, horizon, got);
      c.close(`the forecast ${plural(horizon, "step")} ahead (${probeText(p, horizon)})`, got, right, { tol: 0, hint });
    };

    // Last week, from an origin half-way through the history: one period, less, and more than two.
    dayCodedProbe("week", 7, "step origin + h repeats the step one period before it: which step of the history is that?");
    dayCodedProbe("week", 3, "return exactly horizon values");
    dayCodedProbe("week", 17, "steps h and h − period ahead have the same place in the season: what does h mod period tell you?");
    // Other periods: nothing may depend on 7.
    dayCodedProbe("five", 5, "period is an argument: is 7 (or another number of your own) written where it should be?");
    dayCodedProbe("five", 12, "steps h and h − period ahead have the same place in the season: what does h mod period tell you?");
    dayCodedProbe("year", 28, "52 weeks back keeps the weekday: is the period you are given the one your code goes back?");
    dayCodedProbe("year", 400, "more than a year ahead, which step of the last year before the origin has the same place in the season?");
    // The edges: the earliest origin, the origin after the last step, a season of one step.
    dayCodedProbe("first", 9, "with the origin at step period, the last period is steps 0 … period − 1: which of them does step origin + h repeat?");
    dayCodedProbe("end", 10, "with the origin right after the last step, steps more than one period ahead must repeat the last period too: what does h mod period give?");
    dayCodedProbe("one", 4, "a season of one step: which value does every step ahead repeat?");

    // Another history (not day codes).
    const p = probes.other;
    const horizon = p.horizons[0];
    const got = forecastOf(c, seasonalNaive, p, horizon);
    c.close(`the forecast of another history (random values; ${probeText(p, horizon)})`, got, want("other", horizon), {
      tol: 0, hint: "does your code use period, horizon and origin everywhere, whatever the values of the history?",
    });
  });
}
