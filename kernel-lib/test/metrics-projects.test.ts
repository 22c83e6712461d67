// The metrics the projects report (forecast errors, precision and recall, the PR curve), on cases
// small enough to count by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src/index";

test("mae and mape: by hand, tensors as their values, and errors that say what is wrong", () => {
  assert.equal(kl.metrics.mae([1, 2, 6], [2, 2, 3]), 4 / 3);
  assert.equal(kl.metrics.mape([110, 90], [100, 100]), 10);
  assert.ok(Math.abs(kl.metrics.mape(kl.tensor([99, 202]), kl.tensor([100, 200])) - 1) < 1e-12, "tensors are read as their values: (1 % + 1 %) / 2");
  assert.throws(() => kl.metrics.mae([1, 2], [1]), /mae: the forecast has 2 values and the actual series 1/);
  assert.throws(() => kl.metrics.mape([1, 2], [1, 0]), /mape: the actual value at position 1 is 0/);
});

test("precisionRecall counts flagged items at a threshold (score >= threshold is flagged)", () => {
  const scores = [0.9, 0.8, 0.7, 0.2, 0.1];
  const labels = [true, false, true, false, true];
  const at = kl.metrics.precisionRecall(scores, labels, 0.7);
  assert.deepEqual([at.truePositives, at.falsePositives, at.falseNegatives], [2, 1, 1]);
  assert.equal(at.precision, 2 / 3);
  assert.equal(at.recall, 2 / 3);
  assert.equal(at.f1, 2 / 3);
  const none = kl.metrics.precisionRecall(scores, labels, 2);
  assert.deepEqual([none.precision, none.recall, none.f1], [1, 0, 0], "flagging nothing raises no false alarm and finds nothing");
  assert.throws(() => kl.metrics.precisionRecall([1, 2], [true], 1), /2 scores and 1 labels/);
  assert.throws(() => kl.metrics.precisionRecall([1, NaN], [true, false], 1), /score at position 1 is NaN/);
  // Labels coded −1/1 would all count as anomalies (Boolean(-1) is true): refused, saying how to map them.
  assert.throws(() => kl.metrics.precisionRecall([0.1, 0.9, 0.2], [-1, 1, -1], 0.5), /precisionRecall: a label is 1 \(or true\) for an anomaly and 0 \(or false\) for a normal item; label 0 is -1 \(labels coded −1\/1\? map them first/);
  assert.throws(() => kl.metrics.prCurve([0.1, 0.9], [0, 2]), /prCurve: .*label 1 is 2$/);
  assert.throws(() => kl.metrics.rocAuc([0.1, 0.9], [NaN, 1]), /rocAuc: .*label 0 is NaN$/);
  assert.throws(() => kl.metrics.thresholdAtBestF1([0.1, 0.9], [-1, 1]), /thresholdAtBestF1: .*label 0 is -1/);
});

test("prCurve: one point per distinct score, ties flagged together, average precision as scikit-learn computes it", () => {
  // sklearn.metrics.average_precision_score([1, 0, 1, 0, 1], [0.9, 0.8, 0.7, 0.2, 0.1])
  //   = 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/5 = 0.7555...
  const curve = kl.metrics.prCurve([0.9, 0.8, 0.7, 0.2, 0.1], [1, 0, 1, 0, 1]);
  assert.equal(curve.points.length, 5);
  assert.ok(Math.abs(curve.averagePrecision - (1 / 3 + 2 / 9 + 1 / 5)) < 1e-15, String(curve.averagePrecision));
  assert.equal(curve.baseRate, 3 / 5);
  assert.equal(curve.bestF1.threshold, 0.1, "flagging all five: P 3/5, R 1, F1 0.75, the best");
  const tied = kl.metrics.prCurve([0.5, 0.5, 0.5, 0.1], [1, 0, 0, 1]);
  assert.deepEqual(tied.points.map((p) => [p.threshold, p.truePositives, p.falsePositives]), [[0.5, 1, 2], [0.1, 2, 2]]);
  // A score that ranks every anomaly first has average precision 1; reversed, it is the worst.
  assert.equal(kl.metrics.prCurve([3, 2, 1], [1, 1, 0]).averagePrecision, 1);
  assert.throws(() => kl.metrics.prCurve([1, 2], [0, 0]), /no item is labelled an anomaly/);
});

test("a random score's average precision is near the base rate (the chance line the projects quote)", () => {
  const rng = new kl.Rng(3);
  const n = 20000;
  const labels = Array.from({ length: n }, () => rng.next() < 0.05);
  const scores = Array.from({ length: n }, () => rng.next());
  const curve = kl.metrics.prCurve(scores, labels);
  assert.ok(Math.abs(curve.averagePrecision - curve.baseRate) < 0.01, `${curve.averagePrecision} vs ${curve.baseRate}`);
});
