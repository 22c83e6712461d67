// A next-step model's surprise as an anomaly score. A model that predicts each step from the
// steps before it says, at every step, how unexpected what actually came was; a rare, unexpected
// step is what an anomaly looks like. Two kinds of step, one idea:
//
//   events (tokens)   surprise s_t = −log p(x_t | x_<t), in nats: the model's softmax over the
//                     next event, read at the event that came (tokenSurprise). A sequence's score
//                     is its most surprising step, or the sum (sequenceScores).
//   readings          the prediction error in units of its usual size: for each feature f,
//                     |x_t,f − x̂_t,f| / σ_f, with σ_f the root mean square of the errors on the
//                     training steps (errorScale), and the step's score the largest over the
//                     features (standardizedError). With x̂ = the training mean this IS the
//                     per-feature z-score; a forecaster replaces the mean by a prediction from the
//                     past, so a reading is judged against what the recent past made likely.
//
// Then a threshold chosen on validation data (thresholdAtBestF1) turns scores into flags, judged
// with precisionRecall / prCurve; rocAuc is the other threshold-free number (0.5 is chance).
//
//   const s = kl.metrics.tokenSurprise(logits, targets, mask);      // [T, B] nats, 0 at padding
//   const scores = kl.metrics.sequenceScores(s, mask, "max");        // [B]
//   const { threshold } = kl.metrics.thresholdAtBestF1(valScores, valLabels);
//   kl.metrics.precisionRecall(testScores, testLabels, threshold);
import { Tensor } from "../tensor";
import { shapeStr } from "../errors";
import { prCurve } from "./precision-recall";
import { scoresAndLabels, valuesOf, type Labels, type Numbers } from "./values";

/**
 * −log p(target) at every step, in nats: logits [T, B, V] and targets [T, B] (or [N, V] and [N])
 * give [T, B] (or [N]). Where a mask is given ([T, B], 1 = a real step), masked steps get 0.
 * A measurement, not a loss: it is computed from the values and recorded on no tape.
 */
export function tokenSurprise(logits: Tensor, targets: Numbers, mask?: Numbers): Tensor {
  if (!(logits instanceof Tensor) || logits.rank < 2) {
    throw new RangeError(`tokenSurprise: logits must be a Tensor [T, B, V] or [N, V] (one row of scores per step), got ${logits instanceof Tensor ? shapeStr(logits.shape) : typeof logits}`);
  }
  const V = logits.shape[logits.rank - 1];
  const outShape = logits.shape.slice(0, -1);
  const n = logits.size / V;
  const t = valuesOf(targets);
  if (t.length !== n) throw new RangeError(`tokenSurprise: logits ${shapeStr(logits.shape)} hold ${n} steps but there are ${t.length} targets; need one target per step`);
  const m = mask === undefined ? undefined : valuesOf(mask);
  if (m !== undefined && m.length !== n) throw new RangeError(`tokenSurprise: the mask has ${m.length} entries for ${n} steps`);
  const x = logits.data;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    if (m !== undefined && m[r] === 0) continue;
    const target = t[r];
    if (!Number.isInteger(target) || target < 0 || target >= V) {
      throw new RangeError(`tokenSurprise: target ${target} at position ${r} is not a class in 0..${V - 1}`);
    }
    let max = -Infinity;
    for (let c = 0; c < V; c++) max = Math.max(max, x[r * V + c]);
    let sum = 0;
    for (let c = 0; c < V; c++) sum += Math.exp(x[r * V + c] - max);
    out[r] = max + Math.log(sum) - x[r * V + target]; // logsumexp − logit of the target
  }
  return new Tensor(out, outShape);
}

export type SequenceReduce = "max" | "sum" | "mean";

/**
 * One score per sequence from per-step scores [T, B] (time-major, as the layers read): the
 * largest ("max", the default: one step out of place is enough), the total ("sum": −log p of the
 * whole sequence for surprises) or the mean over the steps where mask is 1.
 */
export function sequenceScores(perStep: Tensor, mask?: Numbers, reduce: SequenceReduce = "max"): Float64Array {
  if (!(perStep instanceof Tensor) || perStep.rank !== 2) {
    throw new RangeError(`sequenceScores: per-step scores must be a Tensor [T, B] (time-major), got ${perStep instanceof Tensor ? shapeStr(perStep.shape) : typeof perStep}`);
  }
  if (reduce !== "max" && reduce !== "sum" && reduce !== "mean") throw new RangeError(`sequenceScores: reduce must be "max", "sum" or "mean", got ${JSON.stringify(reduce)}`);
  const [T, B] = perStep.shape;
  const m = mask === undefined ? undefined : valuesOf(mask);
  if (m !== undefined && m.length !== T * B) throw new RangeError(`sequenceScores: the mask has ${m.length} entries for scores ${shapeStr(perStep.shape)}`);
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let acc = reduce === "max" ? -Infinity : 0;
    let count = 0;
    for (let t = 0; t < T; t++) {
      const i = t * B + b;
      if (m !== undefined && m[i] === 0) continue;
      const v = perStep.data[i];
      acc = reduce === "max" ? Math.max(acc, v) : acc + v;
      count++;
    }
    if (count === 0) throw new RangeError(`sequenceScores: sequence ${b} has no real step (its mask is all 0)`);
    out[b] = reduce === "mean" ? acc / count : acc;
  }
  return out;
}

/** [N, F] (or [N]: one feature) as rows: the values and F. */
function rows(who: string, what: string, x: Tensor): { data: Float64Array; N: number; F: number } {
  if (!(x instanceof Tensor) || (x.rank !== 1 && x.rank !== 2)) {
    throw new RangeError(`${who}: ${what} must be a Tensor [N, F] (N steps of F features) or [N], got ${x instanceof Tensor ? shapeStr(x.shape) : typeof x}`);
  }
  return { data: x.data, N: x.shape[0], F: x.rank === 2 ? x.shape[1] : 1 };
}

function pairOf(who: string, predicted: Tensor, actual: Tensor) {
  const p = rows(who, "predicted", predicted);
  const a = rows(who, "actual", actual);
  if (p.N !== a.N || p.F !== a.F) throw new RangeError(`${who}: predicted ${shapeStr(predicted.shape)} and actual ${shapeStr(actual.shape)} must have the same shape`);
  if (a.N === 0) throw new RangeError(`${who}: no steps`);
  return { p: p.data, a: a.data, N: a.N, F: a.F };
}

/**
 * The usual size of the prediction errors, per feature: σ_f = √(mean over steps of (x − x̂)²),
 * from predictions and readings [N, F] of the TRAINING steps. (With x̂ = the mean of x, this is
 * the standard deviation, dividing by N.) A feature predicted without error is an error here:
 * every later deviation would be infinitely many σ.
 */
export function errorScale(predicted: Tensor, actual: Tensor): Float64Array {
  const { p, a, N, F } = pairOf("errorScale", predicted, actual);
  const out = new Float64Array(F);
  for (let t = 0; t < N; t++) for (let f = 0; f < F; f++) out[f] += (a[t * F + f] - p[t * F + f]) ** 2;
  for (let f = 0; f < F; f++) {
    out[f] = Math.sqrt(out[f] / N);
    if (!(out[f] > 0) || !Number.isFinite(out[f])) {
      throw new RangeError(`errorScale: feature ${f}'s errors have a root mean square of ${out[f]} over the ${N} steps: its scale must be finite and above 0 (a constant feature, or a prediction copied from the answer?)`);
    }
  }
  return out;
}

/**
 * Each step's largest standardised error over its features: max_f |x_t,f − x̂_t,f| / scale_f,
 * for predictions and readings [N, F] → [N]. A step is flagged at threshold k when any feature is
 * more than k of its usual errors away from the prediction.
 */
export function standardizedError(predicted: Tensor, actual: Tensor, scale: ArrayLike<number>): Float64Array {
  const { p, a, N, F } = pairOf("standardizedError", predicted, actual);
  if (scale.length !== F) throw new RangeError(`standardizedError: ${scale.length} scales for ${F} features; need one per feature`);
  for (let f = 0; f < F; f++) {
    if (!(scale[f] > 0) || !Number.isFinite(scale[f])) throw new RangeError(`standardizedError: the scale of feature ${f} is ${scale[f]}; it must be finite and above 0`);
  }
  const out = new Float64Array(N);
  for (let t = 0; t < N; t++) {
    let worst = 0;
    for (let f = 0; f < F; f++) worst = Math.max(worst, Math.abs(a[t * F + f] - p[t * F + f]) / scale[f]);
    out[t] = worst;
  }
  return out;
}

function checkedScores(who: string, scores: Numbers, labels: Labels): { s: ArrayLike<number>; y: boolean[]; positives: number } {
  const { s, y } = scoresAndLabels(who, scores, labels);
  const positives = y.filter(Boolean).length;
  if (positives === 0 || positives === y.length) {
    throw new RangeError(`${who}: the labels must hold both anomalies and normal items (${positives} of ${y.length} are anomalies)`);
  }
  return { s, y, positives };
}

export interface ChosenThreshold {
  /** Flag scores >= threshold. */
  threshold: number;
  /** On the data it was chosen on. */
  precision: number;
  recall: number;
  f1: number;
}

/**
 * The threshold with the best F1 on these (validation) scores, placed midway between the lowest
 * score it flags and the highest score it leaves unflagged: the same flags on these data, with a
 * margin on both sides for new data (the lowest flagged score itself would leave none below).
 */
export function thresholdAtBestF1(scores: Numbers, labels: Labels): ChosenThreshold {
  const { s, y } = checkedScores("thresholdAtBestF1", scores, labels);
  // prCurve sweeps the thresholds (ties flagged together); the first point with the best F1 wins.
  const { points } = prCurve(s, y);
  const k = points.reduce((best, p, i) => (p.f1 > points[best].f1 ? i : best), 0);
  const lowestFlagged = points[k].threshold;
  const below = k + 1 < points.length ? points[k + 1].threshold : -Infinity;
  const threshold = Number.isFinite(lowestFlagged) && Number.isFinite(below) ? (lowestFlagged + below) / 2 : lowestFlagged;
  return { threshold, precision: points[k].precision, recall: points[k].recall, f1: points[k].f1 };
}

/**
 * The area under the ROC curve: the probability that a random anomaly scores above a random
 * normal item (a tie counts one half). 0.5 is chance; 1 ranks every anomaly first. Computed from
 * the ranks (the Mann-Whitney U statistic), ties given their mean rank.
 */
export function rocAuc(scores: Numbers, labels: Labels): number {
  const { s, y, positives } = checkedScores("rocAuc", scores, labels);
  const n = s.length;
  const order = Array.from(s, (_, i) => i).sort((i, j) => s[i] - s[j]);
  let rankSum = 0; // the ranks (1-based, ascending) of the anomalies
  for (let k = 0; k < n; ) {
    let end = k;
    while (end + 1 < n && s[order[end + 1]] === s[order[k]]) end++;
    const meanRank = (k + 1 + end + 1) / 2;
    for (let j = k; j <= end; j++) if (y[order[j]]) rankSum += meanRank;
    k = end + 1;
  }
  const negatives = n - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
