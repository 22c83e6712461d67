// Checks for the exercises of notebook 10, "Project: anomalies in sensor readings".
//
// The notebook judges a detector by precision and recall at a threshold (its section 3: an item
// is flagged when its score reaches the threshold, score >= threshold; precision is the share of
// the flagged items that are anomalies, 1 when nothing is flagged; recall the share of the
// anomalies that are flagged), and turns a forecast's error into an anomaly score (sections 4 and
// 5: per feature the root mean square of the errors x − x̂ over the TRAINING steps, σ_f; a step's
// score the largest |x − x̂| / σ_f over its features). Each check probes one term at a time (a
// step whose only error is in one feature reads off that feature's scale; a threshold that some
// items score exactly reads off >= against >; a threshold above every score reads off the empty
// flag set), recognises the usual mistakes by the exact wrong answer they produce, and names the
// term; it never prints the answer, and its hints are questions that lead back to the term.
//
// The right answers are not computed here. They are stored (./answers/ch10.ts, read through
// ./answers.ts), computed on the probes below by the teacher's reference solutions, which a
// student's copy of the course does not contain. So are the wrong answers of the mistakes that
// are the solution with one piece changed (keys ending in /mistake/...): their code would read
// as the solution.
import { checkExercise } from "../testing/exercise";
import { attempt, closeNumbers, copyOf, nearNumber, sameNumbers, unchangedTensor } from "./probes";
import { answerValue } from "./answers";
import { answers } from "./answers/ch10";
import { Rng } from "../random";
import { Tensor, fromFlat } from "../tensor";

/** The learner's functions, as the notebook declares them. */
export type AnomalyScores = (predicted: Tensor, actual: Tensor, trainSteps: number) => number[];
export type PrecisionRecallAt = (scores: number[], labels: boolean[], threshold: number) => { precision: number; recall: number };

/** A probe of ch10-anomaly-score: predictions and readings [N, F], the first trainSteps of them the training steps. */
export interface ScoreProbe {
  predicted: Tensor;
  actual: Tensor;
  trainSteps: number;
}

/** A probe of ch10-precision-recall. */
export interface ThresholdProbe {
  scores: number[];
  labels: boolean[];
  threshold: number;
}

/** Readings x and errors r = x − x̂ (rows of F numbers) as a probe: x̂ = x − r. */
function fromErrors(x: number[][], r: number[][], trainSteps: number): ScoreProbe {
  const F = x[0].length;
  const actual = fromFlat(x.flat(), [x.length, F]);
  const predicted = fromFlat(x.flatMap((row, t) => row.map((v, f) => v - r[t][f])), [x.length, F]);
  return { predicted, actual, trainSteps };
}

// ---------------------------------------------------------------------------------------------
// The probes (inputs are not secret): the checks below and the reference solutions that computed
// the stored answers both build them here, so they are the same numbers.

const MAIN_SCORES = [0.9, 0.3, 0.7, 0.7, 0.1, 0.5, 0.7, 0.2, 0.95, 0.4, 0.7, 0.6];
const MAIN_LABELS = [true, false, true, false, false, true, true, false, true, false, false, false];

export const ch10Probes = {
  anomalyScore: {
    /**
     * Three features on different scales (a humidity, a temperature, a small signal), 6 training
     * steps whose errors have a mean other than 0, then four steps: an error in feature 0 only, in
     * feature 1 only, a NEGATIVE error in feature 2 only, and errors in every feature.
     */
    main: (): ScoreProbe => fromErrors(
      [
        [20.1, 51.0, 1.02], [19.8, 48.5, 0.97], [20.6, 53.2, 1.05], [20.3, 49.7, 0.99], [19.9, 52.4, 1.08], [20.4, 50.6, 1.01],
        [21.0, 50.0, 1.0], [20.2, 52.0, 1.03], [20.0, 51.0, 0.9], [18.5, 55.0, 1.1],
      ],
      [
        [0.5, 2, 0.05], [-0.2, -1.5, 0.02], [0.8, 3, -0.03], [0.3, 1, 0.04], [-0.1, 2.5, 0.06], [0.6, -0.5, 0.01],
        [1, 0, 0], [0, 1, 0], [0, 0, -0.1], [-2, 3, 0.05],
      ],
      6,
    ),
    /** One feature, every step a training step. */
    oneFeature: (): ScoreProbe => fromErrors([[3], [5], [4], [6], [2], [7]], [[1], [-2], [0.5], [1.5], [-1], [3]], 6),
    /** Five features, only two training steps, random values. */
    fiveFeatures: (): ScoreProbe => {
      const rng = new Rng(1010);
      const x = Array.from({ length: 9 }, () => Array.from({ length: 5 }, () => 10 * rng.normal()));
      const r = x.map((row) => row.map((_, f) => (f + 1) * rng.normal()));
      return fromErrors(x, r, 2);
    },
  },
  precisionRecall: {
    /** 12 items, 5 anomalies; the threshold 0.7 is the score of four items (two anomalies). */
    main: (): ThresholdProbe => ({ scores: MAIN_SCORES.slice(), labels: MAIN_LABELS.slice(), threshold: 0.7 }),
    /** A threshold above every score: nothing is flagged. */
    nothing: (): ThresholdProbe => ({ scores: MAIN_SCORES.slice(), labels: MAIN_LABELS.slice(), threshold: 1 }),
    /** The lowest score as the threshold: everything is flagged. */
    everything: (): ThresholdProbe => ({ scores: MAIN_SCORES.slice(), labels: MAIN_LABELS.slice(), threshold: 0.1 }),
    /** A threshold between two scores. */
    between: (): ThresholdProbe => ({ scores: MAIN_SCORES.slice(), labels: MAIN_LABELS.slice(), threshold: 0.45 }),
    /** Other items: 9 scores with ties, 2 anomalies, a threshold equal to one of the tied scores. */
    other: (): ThresholdProbe => ({
      scores: [3, 1, 4, 1, 5, 9, 2, 6, 5],
      labels: [false, false, true, false, false, true, false, false, false],
      threshold: 5,
    }),
  },
};

// ---------------------------------------------------------------------------------------------
// Shared helpers

const stored = (key: string): number[] => answerValue<number[]>(answers, key);
const isNumberArray = (v: unknown): v is ArrayLike<number> =>
  (Array.isArray(v) || ArrayBuffer.isView(v)) && Array.from(v as ArrayLike<unknown>).every((x) => typeof x === "number");

// ---------------------------------------------------------------------------------------------
// ch10-anomaly-score

/** The mistakes the check recognises, in the order it looks for them: stored key, what is wrong, hint. */
const SCORE_MISTAKES: [string, string, string][] = [
  ["leak", "the scale comes from the training steps only (yours is measured on every step: the later steps, anomalies included, set the scale they are judged by)",
    "which steps may the usual size of the error be measured on, if the anomalies come after the training steps?"],
  ["readings-std", "the scale is the usual size of the ERROR x − x̂ (yours is the standard deviation of the readings x themselves)",
    "does the score measure how far a reading is from its own mean, or how far it is from its prediction?"],
  ["error-std", "the scale is the root mean square of the errors, their usual distance from 0 (yours is their standard deviation around their mean)",
    "the score measures |x − x̂|, the distance from the prediction: is a forecaster's usual offset an anomaly?"],
  ["error-std-n-1", "the scale is the root mean square of the errors, their usual distance from 0 (yours is their standard deviation around their mean, dividing by n − 1)",
    "the score measures |x − x̂|, the distance from the prediction: is a forecaster's usual offset an anomaly?"],
  ["rms-n-1", "the mean of the squared errors divides by the number of training steps (yours divides by one less)",
    "how many squared errors does the mean add up, and what does a mean divide by?"],
  ["pooled-scale", "one scale per feature (yours shares one scale between every feature)",
    "a humidity in % and a temperature in °C: can one usual error size serve both?"],
  ["step-axis", "the scale of feature f runs over the training steps of that feature (yours runs over the features of one step: the wrong axis)",
    "in an [N, F] tensor, which axis holds the steps, and over which one does the mean of the training errors run?"],
  ["raw-error", "each error is divided by its feature's scale (yours is the raw error |x − x̂|)",
    "in what units is the score measured, so that one threshold fits every feature?"],
  ["no-abs", "the size of the error counts, |x − x̂|: a reading below its forecast is as unusual as one above (yours keeps the sign)",
    "at a step whose only error is negative, what does your score become?"],
  ["no-abs-flipped", "the size of the error counts, |x − x̂|: a reading above its forecast is as unusual as one below (yours keeps the sign of x̂ − x)",
    "at a step whose only error is positive, what does your score become?"],
  ["mean-over-features", "a step's score is the LARGEST of its features' standardised errors (yours is their mean)",
    "one feature far from its forecast is enough to flag a step: which reduction over the features says that?"],
  ["sum-over-features", "a step's score is the LARGEST of its features' standardised errors (yours is their sum)",
    "one feature far from its forecast is enough to flag a step: which reduction over the features says that?"],
];

/**
 * Exercise ch10-anomaly-score: for predictions and readings [N, F], the root mean square of the
 * errors x − x̂ per feature over the first trainSteps steps, σ_f, and every step's score
 * max_f |x − x̂| / σ_f (N scores, the training steps' included).
 */
export function checkAnomalyScores(anomalyScores: AnomalyScores): void {
  checkExercise("ch10-anomaly-score", (c) => {
    const probe = ch10Probes.anomalyScore.main();
    const [N, F] = probe.actual.shape;
    const T = probe.trainSteps;
    const predicted = copyOf(probe.predicted), actual = copyOf(probe.actual);
    const what = `anomalyScores on the probe (N = ${N} steps, F = ${F} features, trainSteps = ${T})`;
    const got = attempt(c, what, () => anomalyScores(predicted, actual, T),
      "predicted and actual are tensors [N, F] (step t, feature f at .data[t * F + f]); trainSteps is a number of steps");
    c.that(`anomalyScores returns an array of numbers${got instanceof Tensor ? " (yours returned a kl.Tensor: Array.from(t.data) gives its numbers as an array)" : ""}`, isNumberArray(got),
      "return one number per step, as an array");
    c.that(`one score per step, the training steps included (yours has ${got.length}, the steps after training only)`, got.length !== N - T,
      "the function scores every step it is given: which steps does the notebook keep afterwards, and who chooses them?");
    c.that(`one score per step (yours has ${got.length} for N = ${N} steps)`, got.length === N, "how many steps does an [N, F] tensor hold?");
    c.that("anomalyScores leaves predicted and actual unchanged", unchangedTensor(predicted, probe.predicted) && unchangedTensor(actual, probe.actual),
      "compute the errors into new numbers; do not overwrite the inputs");
    c.that("every score is a finite number (yours has NaN or Infinity: a division by 0?)", Array.from(got).every(Number.isFinite),
      "is every scale you divide by above 0, and is every index inside the data?");
    for (const [key, wrong, hint] of SCORE_MISTAKES) c.that(wrong, !closeNumbers(got, stored(`anomaly-score/main/mistake/${key}`)), hint);
    // (Before the per-feature checks, which would call all zeros "the scale of feature 0 off by 100%".)
    c.that("the scores are not all 0 (yours are: every step scored 0, though the probe's steps have errors)", Array.from(got).some((v) => v !== 0),
      "each step's score is its largest |actual − predicted| in units of the feature's scale: is it computed, and stored in what you return?");
    const want = stored("anomaly-score/main");
    c.that("a step's score is |x − x̂| / σ_f itself (yours is its square)", !closeNumbers(got, want.map((v) => v * v)),
      "the score is a distance in units of σ_f, as a z-score is: is anything squared that should not be?");
    for (let f = 0; f < F; f++) {
      c.close(`the scale of feature ${f} (probe: step ${T + f}, whose only error is in feature ${f}${f === 2 ? ", below the forecast" : ""})`, got[T + f], want[T + f], {
        tol: 1e-9, hint: `over which steps, and of what, is feature ${f}'s usual error size measured?`,
      });
    }
    c.close(`the largest over the features (probe: step ${N - 1}, with errors in every feature)`, got[N - 1], want[N - 1], {
      tol: 1e-9, hint: "each feature's error in units of its own scale, then one number for the step: which one?",
    });
    c.close(`the training steps' own scores (steps 0 to ${T - 1})`, Array.from(got).slice(0, T), want.slice(0, T), {
      tol: 1e-9, hint: "the training steps are scored like any other step, by the same scale: are they?",
    });
    for (const [name, make, about] of [
      ["one-feature", ch10Probes.anomalyScore.oneFeature, "one feature, every step a training step"],
      ["five-features", ch10Probes.anomalyScore.fiveFeatures, "five features, two training steps"],
    ] as const) {
      const p = make();
      const [n, k] = p.actual.shape;
      const label = `${about}: N = ${n}, F = ${k}, trainSteps = ${p.trainSteps}`;
      const scores = attempt(c, `anomalyScores on the probe (${label})`, () => anomalyScores(p.predicted, p.actual, p.trainSteps), "");
      c.close(`every step's score (probe: ${label})`, isNumberArray(scores) ? scores : [], stored(`anomaly-score/${name}`), {
        tol: 1e-9, hint: "are N, F and trainSteps read from the inputs everywhere, or is a size of the first probe written into the code?",
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch10-precision-recall

/**
 * Exercise ch10-precision-recall: an item is flagged when its score >= threshold; precision is
 * flagged anomalies / flagged (1 when nothing is flagged), recall flagged anomalies / anomalies.
 */
export function checkPrecisionRecallAt(precisionRecallAt: PrecisionRecallAt): void {
  checkExercise("ch10-precision-recall", (c) => {
    const probe = ch10Probes.precisionRecall.main();
    const scores = probe.scores.slice(), labels = probe.labels.slice();
    const n = scores.length, anomalies = labels.filter(Boolean).length;
    const about = `${n} items, ${anomalies} anomalies, threshold ${probe.threshold}`;
    const call = (p: ThresholdProbe, what: string) =>
      attempt(c, `precisionRecallAt on the probe (${what})`, () => precisionRecallAt(p.scores, p.labels, p.threshold),
        "scores and labels are arrays of the same length (a label true is an anomaly); threshold is a number; return { precision, recall }");
    const got = call({ scores, labels, threshold: probe.threshold }, about);
    c.that("precisionRecallAt returns { precision, recall }, two numbers", !!got && typeof got.precision === "number" && typeof got.recall === "number",
      "return an object with the fields precision and recall");
    c.that(`precision and recall are shares between 0 and 1 (yours are ${got.precision} and ${got.recall}: percentages?)`, !(got.precision > 1 || got.recall > 1),
      "a share of the flagged items, and a share of the anomalies: leave them as fractions (0.25, not 25)");
    c.that("precisionRecallAt leaves scores and labels unchanged",
      sameNumbers(scores, probe.scores) && labels.length === probe.labels.length && labels.every((l, i) => l === probe.labels[i]),
      "count the flags; do not sort or overwrite the arrays (a sorted copy of the scores no longer lines up with the labels)");
    const pr = [got.precision, got.recall];
    const is = (key: string) => closeNumbers(pr, stored(`precision-recall/main/mistake/${key}`));
    const atThreshold = probe.scores.filter((s) => s === probe.threshold).length;
    c.that("an item is flagged when its score is at or ABOVE the threshold (yours flags the scores below it)", !is("flags-low"),
      "a high score means an unusual item: which side of the threshold is flagged?");
    c.that(`a score exactly at the threshold is flagged (probe: ${atThreshold} items score exactly ${probe.threshold}; yours leaves them unflagged)`, !is("strict"),
      "does a score that reaches the threshold count as flagged?");
    const want = stored("precision-recall/main");
    c.that("precision and recall are the right way round (yours gives each the other's value)", !closeNumbers(pr, [want[1], want[0]]),
      "of which items is precision a share: the flagged ones, or the anomalies? And recall?");
    c.that("precision is a share of the FLAGGED items (yours divides by the number of anomalies, as recall does)", !is("labels-denominator"),
      "which items does precision ask about, and how many of them are there?");
    c.that("an item is flagged by its score alone (yours counts the labelled anomalies as flagged too)", !is("labels-flagged"),
      "the detector never sees the labels: what decides whether it flags an item?");
    const allItems = stored("precision-recall/main/mistake/all-items")[0];
    c.that(`precision and recall are shares of the flagged items and of the anomalies, not of all ${n} items (yours divides by all of them)`,
      !nearNumber(got.precision, allItems, 1e-9) && !nearNumber(got.recall, allItems, 1e-9),
      "precision: out of which items? recall: out of which items?");
    const accuracy = stored("precision-recall/main/mistake/accuracy")[0];
    c.that("precision and recall are not the accuracy (yours counts the items judged right, anomalies flagged and normal ones not, out of all of them)",
      !nearNumber(got.precision, accuracy, 1e-9) && !nearNumber(got.recall, accuracy, 1e-9),
      "with 2% anomalies, what accuracy does a detector that never flags get, and why is that no help?");
    c.close(`the precision (probe: ${about})`, got.precision, want[0], { tol: 1e-9, hint: "of the items flagged, how many are anomalies?" });
    c.close(`the recall (probe: ${about})`, got.recall, want[1], { tol: 1e-9, hint: "of the anomalies, how many are flagged?" });

    const none = ch10Probes.precisionRecall.nothing();
    const empty = call(none, `threshold ${none.threshold}, above every score: nothing is flagged`);
    c.that("when nothing is flagged, precision is 1: no false alarm was raised (yours is NaN, 0 / 0)", !Number.isNaN(empty?.precision),
      "a detector that raised no alarm at all: how many false alarms did it raise?");
    c.that("when nothing is flagged, precision is 1 by the library's convention: no false alarm was raised (yours is 0)", empty?.precision !== 0,
      "a detector that raised no alarm at all: how many false alarms did it raise?");
    const wantNone = stored("precision-recall/nothing");
    c.close(`the precision when nothing is flagged (probe: threshold ${none.threshold}, above every score)`, empty?.precision, wantNone[0], {
      tol: 0, hint: "which convention does kl.metrics.precisionRecall follow when nothing is flagged?",
    });
    c.close(`the recall when nothing is flagged (probe: threshold ${none.threshold}, above every score)`, empty?.recall, wantNone[1], {
      tol: 0, hint: "of the anomalies, how many are flagged?",
    });

    for (const [name, what] of [
      ["everything", "the lowest score as the threshold: everything is flagged"],
      ["between", "a threshold between two scores"],
      ["other", "other items, ties at the threshold"],
    ] as const) {
      const p = ch10Probes.precisionRecall[name]();
      const r = call(p, `${what}, threshold ${p.threshold}`);
      c.close(`precision and recall (probe: ${what})`, [r?.precision, r?.recall], stored(`precision-recall/${name}`), {
        tol: 1e-9, hint: "count the flagged items, the anomalies, and the flagged anomalies: which two ratios?",
      });
    }
  });
}
