// The checks of notebook 10 accept a right answer and name the wrong term of typical wrong ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as kl from "../src";
import type { Tensor } from "../src";
import { passes, rejectionMessage as feedbackOf, rejects } from "./exercise-harness";

const ch10 = kl.exercises.ch10;

// ---- ch10-anomaly-score

interface Variant {
  scaleSteps?: "training" | "all";
  scale?: "rms" | "rms-n-1" | "error-std" | "readings-std" | "pooled" | "step-axis" | "none";
  size?: "abs" | "signed";
  reduce?: "max" | "mean" | "sum";
  onlyAfterTraining?: boolean;
}

/** The score written with loops, with one piece changed by `v`. */
function scores(v: Variant = {}) {
  return (predicted: Tensor, actual: Tensor, trainSteps: number): number[] => {
    const [N, F] = actual.shape;
    const r = (t: number, f: number) => actual.data[t * F + f] - predicted.data[t * F + f];
    const n = v.scaleSteps === "all" ? N : trainSteps;
    const scale = Array.from({ length: F }, (_, f) => {
      let sq = 0, mean = 0, meanX = 0;
      for (let t = 0; t < n; t++) { sq += r(t, f) ** 2; mean += r(t, f) / n; meanX += actual.data[t * F + f] / n; }
      switch (v.scale ?? "rms") {
        case "rms": return Math.sqrt(sq / n);
        case "rms-n-1": return Math.sqrt(sq / (n - 1));
        case "error-std": return Math.sqrt(sq / n - mean ** 2);
        case "readings-std": { let s = 0; for (let t = 0; t < n; t++) s += (actual.data[t * F + f] - meanX) ** 2; return Math.sqrt(s / n); }
        case "pooled": { let s = 0; for (let t = 0; t < n; t++) for (let g = 0; g < F; g++) s += r(t, g) ** 2; return Math.sqrt(s / (n * F)); }
        case "step-axis": { let s = 0; for (let g = 0; g < F; g++) s += r(f, g) ** 2; return Math.sqrt(s / F); }
        case "none": return 1;
      }
    });
    const out = Array.from({ length: N }, (_, t) => {
      const z = scale.map((s, f) => (v.size === "signed" ? r(t, f) / s : Math.abs(r(t, f)) / s));
      return v.reduce === "mean" ? z.reduce((a, b) => a + b, 0) / F : v.reduce === "sum" ? z.reduce((a, b) => a + b, 0) : Math.max(...z);
    });
    return v.onlyAfterTraining ? out.slice(trainSteps) : out;
  };
}

test("anomaly-score: the loops pass", () => void passes(() => ch10.checkAnomalyScores(scores())));
// A trial's function returning zeros was told "the scale of feature 0 ... is off by 100%".
test("anomaly-score: scores that are all 0 are named as that, not as a wrong scale", () =>
  rejects(() => ch10.checkAnomalyScores((_p: Tensor, actual: Tensor) => new Array(actual.shape[0]).fill(0)), /the scores are not all 0 \(yours are: every step scored 0/));
test("anomaly-score: kl.metrics.errorScale on the training rows then standardizedError passes", () =>
  void passes(() => ch10.checkAnomalyScores((p, a, T) =>
    Array.from(kl.metrics.standardizedError(p, a, kl.metrics.errorScale(kl.slice(p, 0, 0, T), kl.slice(a, 0, 0, T)))))));
test("anomaly-score: tensor ops (mean over axis 0, broadcasting, max over axis 1) pass", () =>
  void passes(() => ch10.checkAnomalyScores((p, a, T) => {
    const r = kl.sub(a, p);
    const train = kl.slice(r, 0, 0, T);
    const scale = kl.pow(kl.mean(kl.mul(train, train), 0), 0.5);
    const z = kl.div(r, scale);
    return Array.from(kl.max(kl.pow(kl.mul(z, z), 0.5), 1).data);
  })));
test("anomaly-score: the scale from every step (a leak) is named", () => rejects(() => ch10.checkAnomalyScores(scores({ scaleSteps: "all" })), /training steps only \(yours is measured on every step/));
test("anomaly-score: the readings' standard deviation is named", () => rejects(() => ch10.checkAnomalyScores(scores({ scale: "readings-std" })), /standard deviation of the readings x/));
test("anomaly-score: the errors' standard deviation instead of their RMS is named", () =>
  rejects(() => ch10.checkAnomalyScores(scores({ scale: "error-std" })), /root mean square of the errors.*standard deviation around their mean\)/));
test("anomaly-score: n − 1 in the RMS is named", () => rejects(() => ch10.checkAnomalyScores(scores({ scale: "rms-n-1" })), /divides by one less/));
test("anomaly-score: one scale for every feature is named", () => rejects(() => ch10.checkAnomalyScores(scores({ scale: "pooled" })), /one scale per feature/));
test("anomaly-score: the wrong axis is named", () => rejects(() => ch10.checkAnomalyScores(scores({ scale: "step-axis" })), /the wrong axis/));
test("anomaly-score: the raw error is named", () => rejects(() => ch10.checkAnomalyScores(scores({ scale: "none" })), /raw error/));
test("anomaly-score: a kept sign is named", () => rejects(() => ch10.checkAnomalyScores(scores({ size: "signed" })), /yours keeps the sign\)/));
test("anomaly-score: the mean over the features is named", () => rejects(() => ch10.checkAnomalyScores(scores({ reduce: "mean" })), /LARGEST.*yours is their mean/));
test("anomaly-score: the sum over the features is named", () => rejects(() => ch10.checkAnomalyScores(scores({ reduce: "sum" })), /LARGEST.*yours is their sum/));
test("anomaly-score: scoring only the steps after training is named", () =>
  rejects(() => ch10.checkAnomalyScores(scores({ onlyAfterTraining: true })), /training steps included \(yours has 4/));
test("anomaly-score: a squared score is named as the square (a trial: it was told the scale was off by 110%)", () =>
  rejects(() => ch10.checkAnomalyScores((p, x, T) => scores()(p, x, T).map((v) => v * v)), /score is \|x − x̂\| \/ σ_f itself \(yours is its square\)/));
test("anomaly-score: a kl.Tensor returned is named, with how to make the array", () =>
  rejects(() => ch10.checkAnomalyScores((p, x, T) => kl.fromFlat(scores()(p, x, T), [x.shape[0]]) as never), /returns an array of numbers \(yours returned a kl\.Tensor: Array\.from\(t\.data\)/));
test("anomaly-score: inputs changed in place are named", () =>
  rejects(() => ch10.checkAnomalyScores((p, a, T) => {
    const out = scores()(p, a, T);
    a.data.fill(0);
    return out;
  }), /leaves predicted and actual unchanged/));
test("anomaly-score: a scale of one training step too few is caught by the scale terms", () =>
  rejects(() => ch10.checkAnomalyScores((p, a, T) => scores()(p, a, T - 1)), /the scale of feature 0/));
test("anomaly-score: sizes of the first probe written into the code are caught", () =>
  rejects(() => ch10.checkAnomalyScores((p, a) => scores()(p, a, 6)), /probe: five features, two training steps/));

// ---- ch10-precision-recall

interface PrVariant {
  strict?: boolean;
  swap?: boolean;
  emptyNaN?: boolean;
  emptyZero?: boolean;
  allItems?: boolean;
  labelsDenominator?: boolean;
  labelsFlagged?: boolean;
}
function pr(v: PrVariant = {}) {
  return (s: number[], labels: boolean[], threshold: number) => {
    let flagged = 0, hits = 0, anomalies = 0;
    s.forEach((x, i) => {
      const f = (v.strict ? x > threshold : x >= threshold) || (v.labelsFlagged === true && labels[i]);
      if (labels[i]) anomalies++;
      if (f) { flagged++; if (labels[i]) hits++; }
    });
    const denominator = v.allItems ? s.length : v.labelsDenominator ? anomalies : flagged;
    const precision = flagged === 0 && !v.allItems && !v.labelsDenominator ? (v.emptyNaN ? NaN : v.emptyZero ? 0 : 1) : hits / denominator;
    const recall = hits / (v.allItems ? s.length : anomalies);
    return v.swap ? { precision: recall, recall: precision } : { precision, recall };
  };
}

test("precision-recall: the counts pass", () => void passes(() => ch10.checkPrecisionRecallAt(pr())));
test("precision-recall: kl.metrics.precisionRecall passes", () =>
  void passes(() => ch10.checkPrecisionRecallAt((s, l, t) => {
    const r = kl.metrics.precisionRecall(s, l, t);
    return { precision: r.precision, recall: r.recall };
  })));
test("precision-recall: > instead of >= is named", () => rejects(() => ch10.checkPrecisionRecallAt(pr({ strict: true })), /exactly at the threshold is flagged \(probe: 4 items score exactly 0.7/));
test("precision-recall: percentages are named as such", () =>
  rejects(() => ch10.checkPrecisionRecallAt((sc, l, t) => { const r = pr()(sc, l, t); return { precision: 100 * r.precision, recall: 100 * r.recall }; }), /shares between 0 and 1 \(yours are [\d.]+ and [\d.]+: percentages\?\)/));
test("precision-recall: swapped precision and recall are named", () => rejects(() => ch10.checkPrecisionRecallAt(pr({ swap: true })), /the right way round/));
test("precision-recall: dividing by all the items is named", () => rejects(() => ch10.checkPrecisionRecallAt(pr({ allItems: true })), /not of all 12 items/));
test("precision-recall: the accuracy is named", () =>
  rejects(() => ch10.checkPrecisionRecallAt((s, l, t) => {
    const right = s.filter((x, i) => (x >= t) === l[i]).length / s.length;
    return { precision: right, recall: pr()(s, l, t).recall };
  }), /not the accuracy/));
test("precision-recall: NaN when nothing is flagged is named", () => rejects(() => ch10.checkPrecisionRecallAt(pr({ emptyNaN: true })), /yours is NaN, 0 \/ 0/));
test("precision-recall: 0 when nothing is flagged is named", () => rejects(() => ch10.checkPrecisionRecallAt(pr({ emptyZero: true })), /library's convention.*yours is 0\)/));
test("precision-recall: precision divided by the anomalies is named", () => rejects(() => ch10.checkPrecisionRecallAt(pr({ labelsDenominator: true })), /share of the FLAGGED items/));
test("precision-recall: labelled items counted as flagged are named", () => rejects(() => ch10.checkPrecisionRecallAt(pr({ labelsFlagged: true })), /flagged by its score alone/));
test("precision-recall: flagging the low scores is named", () =>
  rejects(() => ch10.checkPrecisionRecallAt((s, l, t) => pr()(s.map((x) => -x), l, -t)), /yours flags the scores below it/));
test("precision-recall: sorting the scores in place is named", () =>
  rejects(() => ch10.checkPrecisionRecallAt((s, l, t) => pr()(s.sort((a, b) => b - a), l, t)), /leaves scores and labels unchanged/));

// ---- the feedback names the wrong term and asks a question; it never prints the answers
test("feedback on wrong answers never prints the expected numbers", () => {
  const stored = ["0.6666", "0.8)", "2.0776", "0.5135", "2.5677", "4.1552"];
  const messages = [
    feedbackOf(() => ch10.checkAnomalyScores(scores({ scaleSteps: "all" }))),
    feedbackOf(() => ch10.checkAnomalyScores(scores({ scale: "error-std" }))),
    feedbackOf(() => ch10.checkAnomalyScores((p, a, T) => scores()(p, a, T).map((x) => x * 1.5))),
    feedbackOf(() => ch10.checkPrecisionRecallAt(pr({ strict: true }))),
    feedbackOf(() => ch10.checkPrecisionRecallAt((s, l, t) => ({ precision: 0.5, recall: 0.5 }))),
  ];
  for (const m of messages) {
    assert.match(m, /^✘ ch10-/);
    assert.match(m, /Hint: .*\?/, `a hint that asks a question: ${m}`);
    for (const s of stored) assert.ok(!m.includes(s), `the feedback must not print ${s}: ${m}`);
  }
});
