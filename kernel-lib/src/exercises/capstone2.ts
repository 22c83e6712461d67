// Checks for the exercises of capstone 2, "Forecasting US births a week ahead".
//
// The capstone forecasts the next 7 days of US births (SSA, 2000-2013 in the notebook; 2014 is the
// grader's) from the W days before them, with a recurrent model: windows of W days and the H days
// after each, time-major; a scaler fitted on the training days only; the seasonal naive baseline
// (the same weekday a week earlier); a kl.nn.GRU (or LSTM) with a linear head on the last hidden
// state; early stopping on the validation loss; and a forecast(history) the hidden test calls on
// the 52 weeks of 2014. Each check calls the learner's code on probes of its own, recognises the
// usual mistakes by the exact wrong answer they give, and names the term; it never prints the
// expected numbers, and its hints are questions that lead back to the term.
// The right answers to the probes are stored, not computed here (see answers.ts): the teacher's
// reference solutions (grading/references/capstone2.ts) compute them from the probes below
// (capstone2Probes), which both share.
import { checkExercise } from "../testing/exercise";
import type { ExerciseChecker } from "../testing/exercise";
import { attempt, closeNumbers, nearNumber, sameNumbers } from "./probes";
import { answerNumber, answerTensor, answerValue } from "./answers";
import { answers } from "./answers/capstone2";
import { noGrad } from "../autograd/tape";
import { sum } from "../ops";
import { Linear } from "../nn/linear";
import { Module } from "../nn/module";
import { GRU, LSTM } from "../nn/recurrent";
import { Rng } from "../random";
import { Tensor, fromFlat, randn } from "../tensor";

/**
 * How far below the seasonal naive forecast's mean absolute error a forecast must be to pass: the
 * hidden test asks for an MAE on the 52 weeks of 2014 at most (1 − TEST_MARGIN) × the naive one's.
 * The teacher's solution is 14% to 25% below it on 2014 over fourteen training seeds (MAE 325 to
 * 369 against the naive's 430 births per day); the public check holds the validation years
 * (2012-2013, where it is 21% to 25% below) to the same margin.
 */
export const TEST_MARGIN = 0.1;

/** The days of a forecast. */
export const HORIZON = 7;

/** The scaler's two numbers, as the notebook's context cell declares them. */
export interface Scaler {
  mean: number;
  std: number;
}

/** One run of an early stopper: the validation loss of each epoch, and the patience. */
export interface StoppingProbe {
  losses: number[];
  patience: number;
}

/** A series whose value says which day it is: day d holds 1000 + d (so an offset can be read off). */
const dayCoded = (L: number) => Array.from({ length: L }, (_, d) => 1000 + d);
const randomSeries = (L: number, seed: number, level: number, spread: number) => {
  const rng = new Rng(seed);
  return Array.from({ length: L }, () => level + spread * rng.normal());
};

/**
 * The checks' fixed probes. The teacher's reference solutions (grading/references/capstone2.ts)
 * compute the stored answers from these same inputs.
 */
export const capstone2Probes = {
  windows: () => ({
    first: { series: dayCoded(20), W: 5, H: 3 },
    second: { series: randomSeries(11, 21, 100, 50), W: 3, H: 1 },
  }),
  scaler: () => {
    // Training days around 10, later days around 50: a scaler fitted on every day is far off.
    const rng = new Rng(31);
    const trainDays = 8;
    const series = [...Array.from({ length: trainDays }, () => 10 + 2 * rng.normal()), ...Array.from({ length: 5 }, () => 50 + 5 * rng.normal())];
    return { series, trainDays, scaler: { mean: 3, std: 2 } as Scaler, values: [7, -1, 3, 10.5], scaled: [2, -0.5, 0, 1.25] };
  },
  naive: () => ({ history: dayCoded(17), horizons: [7, 3, 12], other: randomSeries(30, 41, 9000, 900) }),
  earlyStopping: () => ({
    // Improves, stalls, improves, then stalls for good (and would improve again too late).
    main: { losses: [5, 4, 4.5, 3, 3.2, 3.1, 3.05, 3.3, 2.5], patience: 3 } as StoppingProbe,
    // Ties with the best are no improvement.
    ties: { losses: [3, 2, 2, 2, 2], patience: 2 } as StoppingProbe,
    // Improves every epoch: never stops.
    falling: { losses: [9, 8, 7, 6, 5], patience: 1 } as StoppingProbe,
  }),
};

/** A stored right answer. */
const stored = <T = number[]>(key: string): T => answerValue<T>(answers, key);

// ---------------------------------------------------------------------------------------------
// Shared helpers

const isNumberArray = (v: unknown): v is ArrayLike<number> =>
  (Array.isArray(v) || ArrayBuffer.isView(v)) && Array.from(v as ArrayLike<unknown>).every((x) => typeof x === "number");
const meanOf = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;
/** The standard deviation of xs (divided by n − ddof): the checks use it only for wrong variants. */
const spreadOf = (xs: ArrayLike<number>, ddof: number) => {
  const m = meanOf(xs);
  return Math.sqrt(Array.from(xs).reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - ddof));
};

// ---------------------------------------------------------------------------------------------
// cap2-windows

type MakeWindows = (series: readonly number[], W: number, H: number) => { x: Tensor; y: Tensor };

/**
 * Exercise cap2-windows: every window of W consecutive days as an input and the H days right after
 * it as its target, time-major: x [W, N, 1], y [N, H], one window per first day that fits.
 */
export function checkWindows(makeWindows: MakeWindows): void {
  checkExercise("cap2-windows", (c) => {
    const { first, second } = capstone2Probes.windows();
    const { series, W, H } = first;
    const L = series.length;
    const wantX = answerTensor(answers, "windows/first/x");
    const wantY = answerTensor(answers, "windows/first/y");
    const N = wantY.shape[0];
    const given = series.slice();
    const got = attempt(c, `makeWindows on a series of L = ${L} days, W = ${W}, H = ${H}`, () => makeWindows(given, W, H),
      "series is a plain array of numbers; W and H are numbers of days");
    c.that("makeWindows returns { x, y }, two tensors", !!got && got.x instanceof Tensor && got.y instanceof Tensor,
      "return an object with the inputs as x and the targets as y, each a kl.Tensor");
    const { x, y } = got;
    c.that("makeWindows leaves the series unchanged", sameNumbers(given, series), "read the series; do not sort, shift or overwrite it");

    // The number of windows first: it is the size of an axis of both tensors.
    const count = x.rank === 3 && x.shape[0] === W ? x.shape[1] : x.rank === 3 && x.shape[1] === W ? x.shape[0] : undefined;
    if (count !== undefined && count !== N) {
      const why =
        count === N - 1 ? "the last window is missing: the one whose target ends on the last day of the series"
        : count > N ? "some windows' targets run past the end of the series (or are cut short)"
        : "some windows that fit in the series are missing";
      c.that(`the number of windows N (probe: L = ${L}, W = ${W}, H = ${H}; yours has ${count}): ${why}`, false,
        "which is the last day a window can start on, if its W inputs and H targets must all lie inside the series?");
    }
    c.that(`x is time-major, [W, N, 1] (yours is [${x.shape}], one row per window: the layers read step w of every window together)`,
      !(x.rank === 3 && x.shape[0] === N && x.shape[1] === W && W !== N), "which axis do kl.nn.GRU and kl.nn.LSTM read as time?");
    c.that(`x has a feature axis of size 1 at the end, [W, N, 1] (yours is [${x.shape}])`, !(x.rank === 2 && x.shape[0] === W && x.shape[1] === N),
      "a recurrent layer reads [steps, batch, features]: how many features does each day have?");
    c.shape(`the inputs x (probe: L = ${L}, W = ${W}, H = ${H})`, x, wantX.shape);
    c.that(`y has one row per window, [N, H] (yours is [${y.shape}])`, !(y.rank === 2 && y.shape[0] === H && y.shape[1] === N && H !== N),
      "the head gives [batch, H]: which axis of y must match it?");
    c.shape(`the targets y (probe: L = ${L}, W = ${W}, H = ${H})`, y, wantY.shape);

    // Which day each entry holds (the probe's values are 1000 + the day).
    const xDay0 = x.data[0] - 1000; // window 0, step 0
    c.that(`the first window's first input is the first day of the series (yours starts at day ${xDay0})`, x.data[0] === wantX.data[0],
      "window n reads W consecutive days starting at day n: where does window 0 begin?");
    c.close("the inputs x[w, n]: step w of the window that starts on day n", x, wantX, { tol: 0, hint: "step w of window n is the day w after the window's first day n: check both indices" });
    const yShift = y.data[0] - wantY.data[0]; // window 0's first target, against the right day
    c.that("the target starts the day AFTER the last input day (yours starts ON the last input day: target and input overlap)", yShift !== -1,
      "the window's last input is day n + W − 1: which day is the first one the model has not seen?");
    c.that(`the target starts the day after the window, with no gap (yours starts ${yShift} day${yShift === 1 ? "" : "s"} later)`, !(yShift > 0),
      "which day comes right after the window's last input?");
    c.close("the targets y[n, h]: the h-th day after the window that starts on day n", y, wantY, { tol: 0, hint: "target h of window n is h days after the first day past the window" });

    // Another shape, other numbers: nothing may depend on the first probe's sizes.
    const other = second;
    const wantX2 = answerTensor(answers, "windows/second/x");
    const wantY2 = answerTensor(answers, "windows/second/y");
    const probe2 = `L = ${other.series.length}, W = ${other.W}, H = ${other.H}`;
    const got2 = attempt(c, `makeWindows on a series of ${probe2}`, () => makeWindows(other.series.slice(), other.W, other.H), "");
    c.shape(`the inputs x (probe: ${probe2})`, got2?.x, wantX2.shape, "are W and H used everywhere, or is a size of the first probe written into the code?");
    c.shape(`the targets y (probe: ${probe2})`, got2?.y, wantY2.shape, "are W and H used everywhere, or is a size of the first probe written into the code?");
    c.close(`the inputs and targets of every window (probe: ${probe2}, random values)`,
      [...got2.x.data, ...got2.y.data], [...wantX2.data, ...wantY2.data], { tol: 1e-12, hint: "are W and H used everywhere, or is a size of the first probe written into the code?" });
  });
}

// ---------------------------------------------------------------------------------------------
// cap2-scaler

type FitScaler = (series: readonly number[], trainDays: number) => Scaler;
type ScaleFn = (values: readonly number[], s: Scaler) => number[];

/**
 * Exercise cap2-scaler: fitScaler takes the mean and the population standard deviation (divided
 * by n) of the first trainDays values only; scale gives (v − mean) / std, unscale inverts it.
 */
export function checkScaler(fitScaler: FitScaler, scale: ScaleFn, unscale: ScaleFn): void {
  checkExercise("cap2-scaler", (c) => {
    const probe = capstone2Probes.scaler();
    const { series, trainDays } = probe;
    const train = series.slice(0, trainDays);
    const wantMean = answerNumber(answers, "scaler/mean");
    const wantStd = answerNumber(answers, "scaler/std");
    const given = series.slice();
    const s = attempt(c, `fitScaler on ${series.length} days, the first ${trainDays} of them training days`, () => fitScaler(given, trainDays),
      "return { mean, std }, two numbers");
    c.that("fitScaler returns { mean, std }, two numbers", !!s && typeof s.mean === "number" && typeof s.std === "number" && Number.isFinite(s.mean) && Number.isFinite(s.std),
      "return an object with the fields mean and std");
    c.that("fitScaler leaves the series unchanged", sameNumbers(given, series), "read the series; do not sort or overwrite it");
    c.that("the mean is taken over the training days only (yours uses every day: the later days would leak into training)",
      !nearNumber(s.mean, meanOf(series), 1e-9), "which days may the scaler see, if the validation and test days are to stay unseen?");
    c.that("the mean is taken over the first trainDays days (yours uses one day more or one day less)",
      !nearNumber(s.mean, meanOf(series.slice(0, trainDays + 1)), 1e-9) && !nearNumber(s.mean, meanOf(series.slice(0, trainDays - 1)), 1e-9),
      "which indices are the training days: 0 … trainDays − 1, or one more?");
    c.close(`the mean of the training days (probe: the first ${trainDays} of ${series.length} days)`, s.mean, wantMean, {
      tol: 1e-9, hint: "add up the training days' values and divide by how many there are",
    });
    c.that("the standard deviation is taken over the training days only (yours uses every day)", !nearNumber(s.std, spreadOf(series, 0), 1e-9),
      "the same question as for the mean: which days may the scaler see?");
    c.that("the standard deviation divides by n, the population form (yours divides by n − 1)", !nearNumber(s.std, spreadOf(train, 1), 1e-9),
      "the derivation averages the squared deviations over the n training days: what does that divide by?");
    c.that("std is a standard deviation, the square root of the variance (yours is the variance)", !nearNumber(s.std, wantStd ** 2, 1e-9),
      "is z = (v − mean) / std dimensionless if std is in births²?");
    c.close(`the standard deviation of the training days (probe: the first ${trainDays} of ${series.length} days)`, s.std, wantStd, {
      tol: 1e-9, hint: "the square root of the mean squared deviation from the mean",
    });

    // scale and unscale with a scaler of the check's own, so that they are checked on their own.
    const { scaler, values, scaled } = probe;
    const toScale = values.slice();
    const z = attempt(c, `scale([${values}], { mean: ${scaler.mean}, std: ${scaler.std} })`, () => scale(toScale, { ...scaler }), "return a new array of numbers");
    c.that("scale returns an array with one number per value", isNumberArray(z) && z.length === values.length, "map every value to its scaled value");
    // (An overwritten input passes every number below, then turns the notebook's series into z-scores.)
    c.that("scale leaves the values it is given unchanged (yours overwrote them with the scaled values)", sameNumbers(toScale, values),
      "return a new array (values.map(...)): the notebook scales its series and still needs it in births per day");
    c.that("scale subtracts the mean before dividing (yours gives v / std − mean)", !closeNumbers(z, values.map((v) => v / scaler.std - scaler.mean)),
      "which comes first in (v − mean) / std?");
    c.that("scale divides by std (yours multiplies by it)", !closeNumbers(z, values.map((v) => (v - scaler.mean) * scaler.std)),
      "after scaling, should a value one std above the mean become 1, or std²?");
    c.close(`scale: (v − mean) / std (probe: mean ${scaler.mean}, std ${scaler.std})`, z, stored("scaler/scale"), {
      tol: 1e-12, hint: "a value equal to the mean becomes 0, one std above it becomes 1",
    });
    const toUnscale = scaled.slice();
    const back = attempt(c, `unscale([${scaled}], { mean: ${scaler.mean}, std: ${scaler.std} })`, () => unscale(toUnscale, { ...scaler }), "return a new array of numbers");
    c.that("unscale returns an array with one number per value", isNumberArray(back) && back.length === scaled.length, "map every scaled value back to births");
    c.that("unscale leaves the values it is given unchanged (yours overwrote them)", sameNumbers(toUnscale, scaled), "return a new array (values.map(...))");
    c.that("unscale multiplies by std before adding the mean (yours gives (z + mean) · std)", !closeNumbers(back, scaled.map((v) => (v + scaler.mean) * scaler.std)),
      "undo the two steps of scale in the reverse order: which one did scale do last?");
    c.close(`unscale, the inverse of scale (probe: mean ${scaler.mean}, std ${scaler.std})`, back, stored("scaler/unscale"), {
      tol: 1e-12, hint: "solve z = (v − mean) / std for v",
    });
    const round = attempt(c, "unscale(scale(series, s), s) with your fitted scaler", () => unscale(scale(series.slice(), s), s), "");
    c.close("unscale(scale(v)) gives v back (probe: the series and your fitted scaler)", round, series, { tol: 1e-9, hint: "is unscale exactly the inverse of scale?" });
  });
}

// ---------------------------------------------------------------------------------------------
// cap2-naive

type SeasonalNaive = (history: readonly number[], horizon: number) => number[];

/** Exercise cap2-naive: day h ahead is forecast by the same weekday one week earlier. */
export function checkSeasonalNaive(seasonalNaive: SeasonalNaive): void {
  checkExercise("cap2-naive", (c) => {
    const { history, other } = capstone2Probes.naive();
    const n = history.length; // day d holds 1000 + d; the forecast starts on day n
    const call = (horizon: number, hist = history) =>
      attempt(c, `seasonalNaive on a history of ${hist.length} days, horizon ${horizon}`, () => seasonalNaive(hist.slice(), horizon), "return an array of horizon numbers");
    const week = call(7);
    const wantWeek = stored("naive/7");
    c.that("seasonalNaive returns an array of numbers", isNumberArray(week), "return one forecast per day ahead");
    c.that(`one forecast per day ahead: 7 for horizon 7 (yours has ${week.length})`, week.length === 7, "how many days ahead does horizon ask for?");
    c.that("the forecast is seasonal: it repeats last week, not the last day (yours gives the last day's value every day)",
      !sameNumbers(week, Array(7).fill(history[n - 1])), "births follow the weekday: which past day is the same weekday as the day you forecast?");
    const lag = week[0] - wantWeek[0]; // in days, since the probe's values count the days
    c.that(`the first day ahead (day ${n}) is forecast from the same weekday a week earlier (yours uses a day ${Math.abs(lag)} day${Math.abs(lag) === 1 ? "" : "s"} ${lag < 0 ? "before" : "after"} it${lag === -1 ? ": 8 days back, one day too early" : ""})`,
      lag === 0, "which day, before the forecast starts, falls on the same weekday as the first day forecast?");
    c.close(`the forecast of the next 7 days (probe: a history of ${n} days)`, week, wantWeek, {
      tol: 0, hint: "day h ahead is day n + h: which day of the history has its weekday?",
    });
    c.close(`a shorter horizon, 3 days (probe: a history of ${n} days)`, call(3), stored("naive/3"), { tol: 0, hint: "return exactly horizon values" });
    const two = call(12);
    c.that(`a horizon of more than a week gives one forecast per day (12; yours has ${two.length})`, two.length === 12, "return exactly horizon values");
    c.that("days more than a week ahead repeat last week too (yours reads past the end of the history, or gives undefined)",
      two.every((v) => typeof v === "number" && Number.isFinite(v)), "for day 8 ahead, the same weekday a week earlier is still in the future: which day of LAST week has its weekday?");
    c.close(`the forecast 12 days ahead (probe: a history of ${n} days)`, two, stored("naive/12"), { tol: 0, hint: "days h and h − 7 ahead fall on the same weekday: what does h mod 7 tell you?" });
    const given = other.slice();
    const got = attempt(c, `seasonalNaive on a history of ${other.length} random days, horizon 7`, () => seasonalNaive(given, 7), "");
    c.that("seasonalNaive leaves the history unchanged", sameNumbers(given, other), "read the history; do not shift, pop or overwrite it");
    c.close(`the forecast from another history (${other.length} random days)`, got, stored("naive/other"), { tol: 0, hint: "index from the end of the history, whatever its length" });
  });
}

// ---------------------------------------------------------------------------------------------
// cap2-model

type ForecasterClass = new (hiddenSize: number, horizon: number, rng: Rng) => Module & { forward(x: Tensor): Tensor };

/** The recurrent layer and the linear head of a model, found among its modules. */
function partsOf(model: Module, hidden: number, horizon: number): { rnn?: GRU | LSTM; head?: Linear } {
  const modules = model.namedModules().map(([, m]) => m);
  const rnn = modules.find((m): m is GRU | LSTM => m instanceof GRU || m instanceof LSTM);
  const head = modules.find((m): m is Linear => m instanceof Linear && m.inFeatures === hidden && m.outFeatures === horizon);
  return { rnn, head };
}

/** |a − b| at its largest, for tensors of the same size. */
const maxDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0);

/**
 * Exercise cap2-model: a Module with a kl.nn.GRU (or LSTM) of hiddenSize units reading one
 * feature per step, and a kl.nn.Linear head from the last step's hidden state to horizon outputs:
 * forward(x [W, B, 1]) → [B, horizon]. The model's weights are its own, so the check judges what
 * forward does with them: it compares forward with the learner's own two layers read step by step.
 */
export function checkForecaster(Forecaster: ForecasterClass): void {
  checkExercise("cap2-model", (c) => {
    const hidden = 5, horizon = 3, W = 6, B = 4;
    const model = attempt(c, `new Forecaster(${hidden}, ${horizon}, rng)`, () => new Forecaster(hidden, horizon, new Rng(51)),
      "the constructor takes the hidden size, the horizon and a kl.Rng for the initial weights");
    c.that("Forecaster is a kl.nn.Module (class Forecaster extends kl.nn.Module)", model instanceof Module, "does the class extend kl.nn.Module, and call super() first?");
    const { rnn, head } = partsOf(model, hidden, horizon);
    c.that("the model has a kl.nn.GRU or kl.nn.LSTM among its fields", rnn !== undefined, "which field holds the recurrent layer, and is it one of kl.nn's?");
    c.that(`the recurrent layer reads one feature per day (its inputSize is ${rnn!.inputSize})`, rnn!.inputSize === 1, "how many numbers describe one day of the window?");
    c.that(`the recurrent layer has hiddenSize units (probe: ${hidden}; yours has ${rnn!.hiddenSize})`, rnn!.hiddenSize === hidden, "pass the constructor's hiddenSize to the layer");
    c.that(`the model has a kl.nn.Linear head from the ${hidden} hidden units to the ${horizon} days ahead`, head !== undefined,
      "what are the head's input and output sizes, in terms of the constructor's arguments?");
    // The initial weights come from the rng given, so that a seed reproduces a run.
    const weightsFrom = (seed: number) => attempt(c, `new Forecaster(${hidden}, ${horizon}, new kl.Rng(${seed}))`, () => new Forecaster(hidden, horizon, new Rng(seed)), "")
      .parameters().flatMap((p) => Array.from(p.data));
    const [first, again, other] = [weightsFrom(51), weightsFrom(51), weightsFrom(53)];
    c.that("the initial weights are drawn from the rng given: the same seed gives the same weights, another seed others (yours " +
      `${sameNumbers(first, again) ? "are the same for two seeds" : "differ between two models of the same seed"}: is the rng passed to both layers, { rng }?)`,
      sameNumbers(first, again) && !sameNumbers(first, other), "new kl.nn.GRU(1, hiddenSize, { rng }) and new kl.nn.Linear(hiddenSize, horizon, { rng })");
    const x = randn([W, B, 1], new Rng(52));
    const out = attempt(c, `forward on x [${W}, ${B}, 1] (W = ${W} days, B = ${B} windows)`, () => model.forward(fromFlat(x.data, x.shape)),
      "x is time-major [W, B, 1]; return the head's output as a tensor");
    c.that(`forward reads out the last step only (yours returns [${out?.shape}], a forecast at every step)`,
      !(out instanceof Tensor && out.rank === 3 && out.shape[0] === W), "the forecast comes after the whole window: which step's hidden state holds it all?");
    c.shape(`forward's output, one row of ${horizon} days per window (probe: x [${W}, ${B}, 1])`, out, [B, horizon]);
    // Each window's forecast depends on its own window only.
    const y = fromFlat(x.data, x.shape);
    y.data[(W - 1) * B + 1] += 1; // the last day of window 1
    const moved = noGrad(() => model.forward(y));
    const rowDiff = (b: number) => Math.max(...Array.from({ length: horizon }, (_, h) => Math.abs(moved.data[b * horizon + h] - out.data[b * horizon + h])));
    c.that("each window's forecast depends on its own window only (changing window 1 moved another window's forecast)",
      [0, 2, 3].every((b) => rowDiff(b) < 1e-12), "do the windows of a batch share anything in your forward, other than the weights?");
    // The learner's own layers, one step at a time: the head on the state after step t.
    const states = noGrad(() => rnn!.forward(fromFlat(x.data, x.shape)).hs);
    const fromStep = (t: number) => noGrad(() => head!.forward(states[t]));
    c.that("the head reads the LAST step's hidden state (yours reads the first step's)", !(maxDiff(out, fromStep(0)) < 1e-9),
      "the first step has seen one day: which step has seen the whole window?");
    c.close("the forecast: your head applied to your recurrent layer's state after the last day", out, fromStep(W - 1), {
      tol: 1e-9, hint: "is there anything between the state and the head, and is it the state after the whole window?",
    });
    // Every parameter learns.
    for (const p of model.parameters()) p.zeroGrad();
    attempt(c, "backward() from the sum of forward's output", () => sum(model.forward(fromFlat(x.data, x.shape))).backward(), "build the output from kl ops, outside kl.noGrad");
    const silent = model.namedParameters().filter(([, p]) => !p.grad || p.grad.data.every((v) => v === 0)).map(([n]) => n);
    c.that(`every parameter gets a gradient (${silent.join(", ")} get${silent.length === 1 ? "s" : ""} none)`, silent.length === 0,
      "is every layer of the model on the path from the input to the output?");
  });
}

// ---------------------------------------------------------------------------------------------
// cap2-early-stopping

interface EarlyStopper {
  step(valLoss: number, model: Module): boolean;
  restore(model: Module): void;
  bestEpoch: number;
  bestLoss: number;
}
type EarlyStoppingClass = new (patience: number) => EarlyStopper;

/** A tiny model whose weights say which epoch they are from: after epoch e, every weight is e + its position / 100. */
function epochModel(): Module {
  return new Linear(2, 2, { rng: new Rng(61) });
}
function setEpoch(model: Module, e: number): void {
  let k = 0;
  for (const p of model.parameters()) for (let i = 0; i < p.size; i++) p.data[i] = e + (k++) / 100; // in place, as an optimizer does
}
const epochOf = (model: Module) => Math.round(model.parameters()[0].data[0]);
const AFTER = 99; // the weights training went on to after the stop

/** Runs the learner's stopper over a probe as a training loop would: what it decided, and the epoch restore() brought back. */
function runStopper(c: ExerciseChecker, EarlyStopping: EarlyStoppingClass, probe: StoppingProbe, what: string) {
  const { losses, patience } = probe;
  const stopper = attempt(c, `new EarlyStopping(${patience})`, () => new EarlyStopping(patience), "the constructor takes the patience, a number of epochs");
  const model = epochModel();
  const stops: unknown[] = [];
  for (let e = 0; e < losses.length; e++) {
    setEpoch(model, e);
    const stop = attempt(c, `step(${losses[e]}, model) at epoch ${e} (${what})`, () => stopper.step(losses[e], model), "step takes the validation loss and the model, and returns a boolean");
    stops.push(stop);
    if (stop === true) break;
  }
  setEpoch(model, AFTER);
  attempt(c, `restore(model) (${what})`, () => stopper.restore(model), "restore loads the best weights back into the model");
  return { stopper, stops, stoppedAt: stops.indexOf(true), bestEpoch: stopper.bestEpoch, bestLoss: stopper.bestLoss, restored: epochOf(model) };
}

/** The stored decisions for a probe: the epoch training stops after (−1: never), the best epoch and loss. */
const stoppingAnswer = (name: string) => ({
  stopAfter: answerNumber(answers, `early-stopping/${name}/stop-after`),
  bestEpoch: answerNumber(answers, `early-stopping/${name}/best-epoch`),
  bestLoss: answerNumber(answers, `early-stopping/${name}/best-loss`),
});

/**
 * Exercise cap2-early-stopping: remembers the best validation loss (strictly lower is better), its
 * epoch (counting from 0) and a COPY of the model's weights then; step returns true once
 * `patience` epochs in a row brought no improvement; restore loads the best weights back.
 */
export function checkEarlyStopping(EarlyStopping: EarlyStoppingClass): void {
  checkExercise("cap2-early-stopping", (c) => {
    const probes = capstone2Probes.earlyStopping();
    const { patience } = probes.main;
    const want = stoppingAnswer("main");
    const got = runStopper(c, EarlyStopping, probes.main, `patience ${patience}, losses ${probes.main.losses.join(", ")}`);
    c.that("step returns a boolean (true: stop training now)", got.stops.every((s) => typeof s === "boolean"), "return whether training should stop after this epoch");
    c.that(`step returns true once ${patience} epochs in a row brought no improvement (yours never returns true)`, got.stoppedAt !== -1,
      "how many epochs have passed since the best one, and when is that as many as patience?");
    const late = got.stoppedAt - want.stopAfter;
    c.that(`training stops as soon as ${patience} epochs in a row brought no improvement (yours stops ${Math.abs(late)} epoch${Math.abs(late) === 1 ? "" : "s"} ${late > 0 ? "late" : "early"}, after epoch ${got.stoppedAt})`,
      got.stoppedAt === want.stopAfter,
      got.stoppedAt === want.stopAfter + 1 ? `with patience ${patience}, how many epochs without improvement are allowed before stopping: ${patience}, or ${patience + 1}?` : "does an epoch that improves reset the count? Does the count start at the best epoch?");
    c.that(`bestEpoch counts epochs from 0, as step is called (yours is ${got.bestEpoch}, one more than the epoch of the best loss)`, got.bestEpoch !== want.bestEpoch + 1,
      "the first call to step is epoch 0: which epoch was the best one?");
    c.close("bestEpoch, the epoch of the lowest validation loss", got.bestEpoch, want.bestEpoch, { tol: 0, hint: "remember the epoch whenever the loss improves on the best so far" });
    c.close("bestLoss, the lowest validation loss seen", got.bestLoss, want.bestLoss, { tol: 0, hint: "remember the loss itself whenever it improves on the best so far" });
    if (got.restored === AFTER) {
      // The model as it is now: either restore wrote nothing, or what it kept was the live parameters
      // (loading them changes nothing either). Another model tells which: nothing reaches it only
      // when restore writes nothing.
      const other = epochModel();
      setEpoch(other, AFTER + 1);
      try {
        got.stopper.restore(other);
      } catch {
        // (its error is not the point here)
      }
      c.that("restore writes the best epoch's weights into the model it is given (yours changed nothing in the model)", epochOf(other) !== AFTER + 1,
        "restore(model): model.loadStateDict(the copy you kept)");
    }
    c.that(`restore loads the weights of the best epoch (yours loads those of ${got.restored === AFTER ? "the model as it is now, after training went on" : `epoch ${got.restored}`}: keep a copy, model.stateDict(), not the live parameters)`,
      got.restored !== AFTER && got.restored !== got.stoppedAt, "an optimizer changes the parameters in place: does what you kept change with them?");
    c.close("the epoch whose weights restore loads (probe: each epoch's weights are distinct)", got.restored, want.bestEpoch, {
      tol: 0, hint: "keep a copy of the weights whenever the loss improves, and load that copy",
    });

    const wantTie = stoppingAnswer("ties");
    const tie = runStopper(c, EarlyStopping, probes.ties, `patience ${probes.ties.patience}, losses ${probes.ties.losses.join(", ")}`);
    c.that("a loss equal to the best is not an improvement (yours moved the best epoch to a later epoch with the same loss)", tie.bestEpoch === wantTie.bestEpoch,
      "is 2 lower than 2? Which comparison keeps the first of equal losses?");
    c.that(`with patience ${probes.ties.patience}, training stops after epochs that only tie the best (yours stops after epoch ${tie.stoppedAt})`, tie.stoppedAt === wantTie.stopAfter,
      "do epochs that tie the best count as epochs without improvement?");
    c.close(`the epoch whose weights restore loads (probe: losses ${probes.ties.losses.join(", ")})`, tie.restored, wantTie.bestEpoch, { tol: 0, hint: "which epoch first reached the lowest loss?" });

    const wantFall = stoppingAnswer("falling");
    const fall = runStopper(c, EarlyStopping, probes.falling, `patience ${probes.falling.patience}, losses falling every epoch`);
    c.that("a run that improves every epoch never stops (yours returned true)", fall.stoppedAt === wantFall.stopAfter, "when nothing stalls, how many epochs have passed since the best one?");
    c.close("the epoch whose weights restore loads (probe: losses falling every epoch)", fall.restored, wantFall.bestEpoch, { tol: 0, hint: "which epoch had the lowest loss here?" });
  });
}

// ---------------------------------------------------------------------------------------------
// cap2-forecast

/** The mean absolute error (births per day) and MAPE (%) of `forecast` over `weeks` weeks from day `from`, walking forward as the grader does. */
export function walkForward(forecast: (history: number[]) => ArrayLike<number>, series: readonly number[], from: number, weeks: number): { mae: number; mape: number } {
  let err = 0, pct = 0, n = 0;
  for (let k = 0; k < weeks; k++) {
    const t = from + 7 * k;
    const f = forecast(series.slice(0, t));
    for (let h = 0; h < HORIZON; h++) {
      err += Math.abs(f[h] - series[t + h]);
      pct += Math.abs(f[h] - series[t + h]) / series[t + h];
      n++;
    }
  }
  return { mae: err / n, mape: (100 * pct) / n };
}

/**
 * Exercise cap2-forecast: forecast(history) gives the next 7 days from every day so far; it must
 * leave the history unchanged, give the same answer twice, follow the history, and on the
 * validation years (the weeks from trainDays on) beat the seasonal naive's MAE by TEST_MARGIN.
 * The naive forecast's validation MAE is stored (the check does not forecast naively itself).
 */
export function checkForecast(forecast: (history: number[]) => ArrayLike<number>, series: readonly number[], trainDays: number): void {
  checkExercise("cap2-forecast", (c) => {
    const days = answerNumber(answers, "forecast/days");
    const weeks = answerNumber(answers, "forecast/validation-weeks");
    const naiveMae = answerNumber(answers, "forecast/validation-naive-mae");
    c.that(`the check is given the notebook's series and TRAIN_DAYS (${days} days; yours has ${series.length}, trainDays ${trainDays})`,
      series.length === days && trainDays === answerNumber(answers, "forecast/train-days"), "pass the context cell's series and TRAIN_DAYS, unchanged");
    const notBirths = series.findIndex((v) => !Number.isInteger(v) || v <= 0);
    c.that(`the series still holds births per day, whole numbers, as the context cell loaded it (yours has ${series[notBirths]} on day ${notBirths}: did scale overwrite the series?)`,
      notBirths < 0, "scale and unscale must return new arrays and leave their input as it was: check cap2-scaler again, then run the notebook from the context cell");
    const history = series.slice(0, trainDays);
    const given = history.slice();
    const f = attempt(c, `forecast(the ${trainDays} days before the validation years)`, () => forecast(given), "forecast takes every day so far, as a plain array, and returns 7 numbers");
    c.that("forecast returns an array of numbers", isNumberArray(f), "return the 7 forecasts as an array of numbers, in births per day");
    c.that(`forecast returns 7 numbers, one per day of the coming week (yours has ${f.length})`, f.length === HORIZON, "how many days does the head forecast?");
    c.that("every forecast is a finite number (yours has NaN or Infinity: did training diverge?)", Array.from(f).every(Number.isFinite), "look at your training curve: did the loss become NaN?");
    c.that("forecast leaves the history unchanged", sameNumbers(given, history), "scale a copy of the history; do not overwrite it");
    const level = meanOf(history.slice(-28));
    c.that("forecasts are in births per day, not scaled units (yours are far from the level of the last four weeks; did you unscale?)",
      Array.from(f).every((v) => Math.abs(v - level) < 0.5 * level), "the model's outputs are scaled: how do you turn them back into births?");
    const again = attempt(c, "forecast on the same history again", () => forecast(history.slice()), "");
    c.that("forecast gives the same answer for the same history (yours changed between two calls: randomness, or state kept between calls?)",
      closeNumbers(again, f, 1e-9), "is dropout off, and does each call start from a zero state?");
    const later = attempt(c, "forecast a week later", () => forecast(series.slice(0, trainDays + 7)), "");
    c.that("the forecast follows the history (a week later, yours is the same)", !closeNumbers(later, f, 1e-9), "does the model read the last W days of the history it is given?");
    const r = walkForward(forecast, series, trainDays, weeks);
    const below = 100 * (1 - r.mae / naiveMae);
    c.that(`on the ${weeks} validation weeks the forecast's MAE is ${Math.round(100 * TEST_MARGIN)}% or more below the seasonal naive's (yours is ${r.mae.toFixed(1)} births per day, ${Math.abs(below).toFixed(1)}% ${below >= 0 ? "below" : "above"} the naive ${naiveMae.toFixed(1)})`,
      r.mae <= (1 - TEST_MARGIN) * naiveMae,
      below < 0
        ? "worse than repeating last week: does the window the model reads end with the last day of the history (history.slice(−W)), so that its weekdays line up with training's?"
        : "did training stop early and restore the best weights, and is the window long enough to see a few weeks?");
  });
}
