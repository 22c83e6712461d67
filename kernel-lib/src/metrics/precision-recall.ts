// Judging an anomaly score against ground truth. A detector flags every item whose score is at or
// above a threshold; precision is the share of flagged items that are anomalies, recall the share
// of anomalies that are flagged. Sweeping the threshold gives the precision-recall curve, and its
// area (average precision) is one number that does not depend on a threshold. With rare anomalies
// a detector that flags at random has average precision equal to the share of anomalies (the
// `base rate`), which is the chance line to beat.
import { scoresAndLabels, type Labels, type Numbers } from "./values";

function checked(op: string, scores: Numbers, labels: Labels): { s: ArrayLike<number>; y: boolean[] } {
  const pair = scoresAndLabels(op, scores, labels);
  if (pair.s.length === 0) throw new RangeError(`${op}: no scores`);
  return pair;
}

export interface PrecisionRecall {
  threshold: number;
  /** flagged anomalies / flagged (1 when nothing is flagged: no false alarm was raised). */
  precision: number;
  /** flagged anomalies / anomalies. */
  recall: number;
  /** 2PR / (P + R), 0 when both are 0. */
  f1: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

function summary(threshold: number, tp: number, fp: number, positives: number): PrecisionRecall {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = positives === 0 ? 0 : tp / positives;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { threshold, precision, recall, f1, truePositives: tp, falsePositives: fp, falseNegatives: positives - tp };
}

/** Precision and recall when every item with score >= threshold is flagged. */
export function precisionRecall(scores: Numbers, labels: Labels, threshold: number): PrecisionRecall {
  const { s, y } = checked("precisionRecall", scores, labels);
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < s.length; i++) {
    if (y[i]) positives++;
    if (s[i] >= threshold) {
      if (y[i]) tp++;
      else fp++;
    }
  }
  return summary(threshold, tp, fp, positives);
}

export interface PrCurve {
  /** One point per distinct score, highest threshold first (recall rising). */
  points: PrecisionRecall[];
  /** Σ (R_k - R_{k-1}) P_k over the points: the area under the step curve, as scikit-learn computes it. */
  averagePrecision: number;
  /** The share of anomalies: a random score's expected average precision. */
  baseRate: number;
  /** The point with the highest F1. */
  bestF1: PrecisionRecall;
}

/** Every threshold at once: sort by score, then count down the list. */
export function prCurve(scores: Numbers, labels: Labels): PrCurve {
  const { s, y } = checked("prCurve", scores, labels);
  const positives = y.filter(Boolean).length;
  if (positives === 0) throw new RangeError("prCurve: no item is labelled an anomaly, so recall is undefined");
  const order = Array.from(s, (_, i) => i).sort((a, b) => s[b] - s[a]);
  const points: PrecisionRecall[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (y[i]) tp++;
    else fp++;
    // Items with equal scores are flagged together: one point after the last of them.
    if (k + 1 < order.length && s[order[k + 1]] === s[i]) continue;
    points.push(summary(s[i], tp, fp, positives));
  }
  let averagePrecision = 0;
  let lastRecall = 0;
  for (const p of points) {
    averagePrecision += (p.recall - lastRecall) * p.precision;
    lastRecall = p.recall;
  }
  const bestF1 = points.reduce((best, p) => (p.f1 > best.f1 ? p : best), points[0]);
  return { points, averagePrecision, baseRate: positives / s.length, bestF1 };
}
