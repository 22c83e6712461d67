// The anomaly projects' baselines (the z-score threshold, the bag-of-events detectors) and the
// helpers that turn a next-step model's surprise into anomaly scores, on cases small enough to
// compute by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src/index";

const close = (a: number, b: number, tol = 1e-12, what = "") => assert.ok(Math.abs(a - b) <= tol, `${what}${a} vs ${b}`);

test("ZScore: mean and standard deviation per feature from the fitting steps only; the score is the largest |z|", () => {
  // Steps 0..1 fit: feature 0 is 1, 3 (mean 2, σ 1); feature 1 is 10, 14 (mean 12, σ 2).
  const x = kl.tensor([[1, 10], [3, 14], [5, 12], [2, 8], [100, -100]]);
  const z = kl.baselines.ZScore.fit(x, { start: 0, end: 2 });
  assert.deepEqual(Array.from(z.mean), [2, 12]);
  assert.deepEqual(Array.from(z.std), [1, 2]);
  assert.deepEqual(Array.from(z.zScores(x).data), [-1, -1, 1, 1, 3, 0, 0, -2, 98, -56]);
  assert.deepEqual(Array.from(z.score(x)), [1, 1, 3, 2, 98], "max over features of |z|: step 2 by its first feature, step 3 by its second");
  // What lies outside the fitting range changes nothing: the test steps never shape the baseline.
  const changed = kl.tensor([[1, 10], [3, 14], [-7, 0], [0, 0], [0, 0]]);
  const z2 = kl.baselines.ZScore.fit(changed, { start: 0, end: 2 });
  assert.deepEqual([Array.from(z2.mean), Array.from(z2.std)], [[2, 12], [1, 2]]);
  // The standard deviation divides by the number of steps (not n − 1): 1, 2, 3, 4 has σ² = 1.25.
  const one = kl.baselines.ZScore.fit(kl.tensor([1, 2, 3, 4]));
  close(one.std[0], Math.sqrt(1.25));
  close(one.score(kl.tensor([2.5 + 2 * Math.sqrt(1.25)]))[0], 2, 1e-12, "a one-feature series [N] works too");
});

test("ZScore is the standardised error of always predicting the training mean", () => {
  const rng = new kl.Rng(5);
  const x = kl.randn([40, 3], rng);
  const z = kl.baselines.ZScore.fit(x, { start: 0, end: 25 });
  const meanRows = kl.tensor(Array.from({ length: 40 }, () => Array.from(z.mean)));
  const viaHelper = kl.metrics.standardizedError(meanRows, x, z.std);
  const direct = z.score(x);
  for (let t = 0; t < 40; t++) close(direct[t], viaHelper[t]);
  const train = kl.slice(x, 0, 0, 25);
  const trainMean = kl.slice(meanRows, 0, 0, 25);
  const scale = kl.metrics.errorScale(trainMean, train);
  for (let f = 0; f < 3; f++) close(scale[f], z.std[f], 1e-12, "errorScale of the mean's errors is σ: ");
});

test("ZScore says what is wrong", () => {
  assert.throws(() => kl.baselines.ZScore.fit(kl.tensor([[1, 5], [2, 5], [3, 5]])), /feature 1 has a standard deviation of 0/);
  assert.throws(() => kl.baselines.ZScore.fit(kl.tensor([1, 2, 3]), { start: 2, end: 2 }), /range 2\.\.2 must be a non-empty range/);
  assert.throws(() => kl.baselines.ZScore.fit(kl.tensor([1, 2, 3]), { start: 0, end: 4 }), /inside the 3 steps/);
  const z = kl.baselines.ZScore.fit(kl.tensor([[1, 2], [3, 5]]));
  assert.throws(() => z.score(kl.tensor([[1, 2, 3]])), /have 3 features but the z-score was fitted on 2/);
  assert.throws(() => kl.baselines.ZScore.fit(kl.zeros([2, 2, 2])), /must be a Tensor \[N, F\]/);
});

test("bagOf: the same key exactly for reorderings", () => {
  assert.equal(kl.baselines.bagOf([7, 3, 7]), "3x1 7x2");
  assert.equal(kl.baselines.bagOf(Int32Array.from([3, 7, 7])), kl.baselines.bagOf([7, 7, 3]));
  assert.notEqual(kl.baselines.bagOf([3, 7]), kl.baselines.bagOf([3, 7, 7]), "how many of each counts");
  assert.equal(kl.baselines.bagOf([]), "");
});

test("EventFrequencies: add-α probabilities, surprise per event, and a score that ignores order", () => {
  // Events 1, 2, 2 and 2, 3 in a vocabulary of 4: counts 0, 1, 3, 1 (5 events); with α = 1,
  // p(e) = (n(e) + 1) / (5 + 4): p(0) = 1/9, p(1) = 2/9, p(2) = 4/9, p(3) = 2/9.
  const f = kl.baselines.EventFrequencies.fit([[1, 2, 2], [2, 3]], 4);
  assert.deepEqual(Array.from(f.counts), [0, 1, 3, 1]);
  close(f.probability(0), 1 / 9);
  close(f.probability(2), 4 / 9);
  const s = f.surprise([2, 1, 0]);
  close(s[0], Math.log(9 / 4));
  close(s[1], Math.log(9 / 2));
  close(s[2], Math.log(9));
  close(f.score([2, 1, 0]), Math.log(9), 1e-12, "max: ");
  close(f.score([2, 1, 0], "sum"), Math.log(9 / 4) + Math.log(9 / 2) + Math.log(9), 1e-12, "sum: ");
  close(f.score([2, 1, 0], "mean"), (Math.log(9 / 4) + Math.log(9 / 2) + Math.log(9)) / 3, 1e-12, "mean: ");
  for (const reduce of ["max", "sum", "mean"] as const) assert.equal(f.score([0, 2, 1], reduce), f.score([2, 1, 0], reduce), `${reduce}: a reordering scores the same`);
  const sharp = kl.baselines.EventFrequencies.fit([[1, 2, 2], [2, 3]], 4, { alpha: 0.5 });
  close(sharp.probability(2), 3.5 / 7);
  assert.throws(() => kl.baselines.EventFrequencies.fit([[1, 4]], 4), /sequence 0, event 1 is 4, not an event id in 0\.\.3/);
  assert.throws(() => kl.baselines.EventFrequencies.fit([[1]], 4, { alpha: 0 }), /alpha must be a finite number > 0/);
  assert.throws(() => f.score([]), /has no events/);
});

test("BagRates: the anomaly share of each training bag, smoothed towards the overall share", () => {
  // Bags {1, 2} three times (one anomalous, in either order) and {3} once: overall rate 1/4.
  const rates = kl.baselines.BagRates.fit([[1, 2], [2, 1], [1, 2], [3]], [1, 0, 0, 0]);
  assert.equal(rates.overallRate, 0.25);
  close(rates.score([2, 1]), (1 + 0.25) / (3 + 1));
  close(rates.score([1, 2]), (1 + 0.25) / (3 + 1), 1e-12, "the order does not matter: ");
  close(rates.score([3]), 0.25 / 2);
  assert.equal(rates.score([4, 4]), 0.25, "a bag never seen scores the overall rate");
  const raw = kl.baselines.BagRates.fit([[1, 2], [2, 1], [1, 2], [3]], [true, false, false, false], { prior: 0 });
  close(raw.score([1, 2]), 1 / 3, 1e-12, "prior 0: the plain share: ");
  assert.throws(() => kl.baselines.BagRates.fit([[1]], [1, 0]), /1 sequences and 2 labels/);
});

test("tokenSurprise: −log softmax at the target, 0 at masked steps, the same numbers as crossEntropy", () => {
  // Logits 0 and ln 3: softmax 1/4, 3/4.
  const logits = kl.tensor([[[0, Math.log(3)]], [[Math.log(3), 0]]]); // [T=2, B=1, V=2]
  const s = kl.metrics.tokenSurprise(logits, kl.tensor([[1], [1]]));
  assert.deepEqual(s.shape, [2, 1]);
  close(s.data[0], Math.log(4 / 3));
  close(s.data[1], Math.log(4));
  const masked = kl.metrics.tokenSurprise(logits, [1, 1], [1, 0]);
  assert.deepEqual(Array.from(masked.data), [s.data[0], 0]);
  const rng = new kl.Rng(2);
  const big = kl.randn([5, 3, 7], rng).mul(4);
  const targets = Array.from({ length: 15 }, (_, i) => (i * 3) % 7);
  const total = kl.metrics.tokenSurprise(big, targets).data.reduce((a, b) => a + b, 0);
  close(total, kl.crossEntropy(kl.reshape(big, [15, 7]), targets, "sum").item(), 1e-10, "the sum is crossEntropy's: ");
  assert.throws(() => kl.metrics.tokenSurprise(logits, [1]), /hold 2 steps but there are 1 targets/);
  assert.throws(() => kl.metrics.tokenSurprise(logits, [1, 2]), /target 2 at position 1 is not a class in 0\.\.1/);
});

test("sequenceScores: max, sum or mean over the real steps of each sequence (time-major)", () => {
  // [T=3, B=2]: sequence 0 is 1, 5, 2; sequence 1 is 4, 0, 9 with its last step masked.
  const per = kl.tensor([[1, 4], [5, 0], [2, 9]]);
  const mask = kl.tensor([[1, 1], [1, 1], [1, 0]]);
  assert.deepEqual(Array.from(kl.metrics.sequenceScores(per, mask)), [5, 4]);
  assert.deepEqual(Array.from(kl.metrics.sequenceScores(per, mask, "sum")), [8, 4]);
  assert.deepEqual(Array.from(kl.metrics.sequenceScores(per, mask, "mean")), [8 / 3, 2]);
  assert.deepEqual(Array.from(kl.metrics.sequenceScores(per)), [5, 9], "no mask: every step");
  assert.throws(() => kl.metrics.sequenceScores(per, kl.tensor([[1, 0], [1, 0], [1, 0]])), /sequence 1 has no real step/);
  assert.throws(() => kl.metrics.sequenceScores(kl.tensor([1, 2])), /must be a Tensor \[T, B\]/);
});

test("errorScale and standardizedError: errors in units of their usual size, the largest feature per step", () => {
  const predicted = kl.tensor([[0, 0], [0, 0]]);
  const actual = kl.tensor([[3, 1], [4, -1]]);
  const scale = kl.metrics.errorScale(predicted, actual);
  close(scale[0], Math.sqrt(12.5));
  close(scale[1], 1);
  const scores = kl.metrics.standardizedError(kl.tensor([[1, 1], [1, 1]]), kl.tensor([[3, 1.5], [1, -2]]), [2, 1]);
  assert.deepEqual(Array.from(scores), [1, 3], "step 0: |3−1|/2 = 1 beats |1.5−1|/1; step 1: |−2−1|/1 = 3");
  assert.throws(() => kl.metrics.errorScale(actual, actual), /feature 0's errors have a root mean square of 0/);
  assert.throws(() => kl.metrics.standardizedError(predicted, actual, [1]), /1 scales for 2 features/);
  assert.throws(() => kl.metrics.standardizedError(predicted, kl.tensor([[1, 2]]), [1, 1]), /must have the same shape/);
});

test("thresholdAtBestF1: the best F1's flags, with the threshold midway to the next score down", () => {
  // Sorted scores 0.9 (a) 0.8 (a) 0.4 (n) 0.3 (a) 0.1 (n): flagging the top 2 gives F1 0.8, the
  // top 4 gives P 3/4, R 1, F1 6/7, the best; the threshold sits between 0.3 and 0.1.
  const chosen = kl.metrics.thresholdAtBestF1([0.4, 0.9, 0.1, 0.8, 0.3], [0, 1, 0, 1, 1]);
  close(chosen.threshold, 0.2);
  close(chosen.f1, 6 / 7);
  assert.deepEqual([chosen.precision, chosen.recall], [0.75, 1]);
  const again = kl.metrics.precisionRecall([0.4, 0.9, 0.1, 0.8, 0.3], [0, 1, 0, 1, 1], chosen.threshold);
  assert.equal(again.f1, chosen.f1, "precisionRecall at the chosen threshold gives the same flags");
  // Perfectly separated: the threshold is halfway between the lowest anomaly and the highest normal.
  close(kl.metrics.thresholdAtBestF1([5, 9, 7, 1], [0, 1, 1, 0]).threshold, 6);
  assert.throws(() => kl.metrics.thresholdAtBestF1([1, 2], [0, 0]), /both anomalies and normal items/);
});

test("rocAuc: the share of (anomaly, normal) pairs ranked right, ties one half", () => {
  // Anomalies 0.9, 0.8, 0.3 against normals 0.4, 0.1: 2 + 2 + 1 of 6 pairs ranked right.
  close(kl.metrics.rocAuc([0.9, 0.8, 0.4, 0.3, 0.1], [1, 1, 0, 1, 0]), 5 / 6);
  assert.equal(kl.metrics.rocAuc([1, 1, 1], [1, 0, 0]), 0.5, "all tied: chance");
  assert.equal(kl.metrics.rocAuc([3, 2, 1], [1, 1, 0]), 1);
  assert.equal(kl.metrics.rocAuc([1, 2, 3], [1, 1, 0]), 0);
  // Against counting every pair, on random scores with ties.
  const rng = new kl.Rng(9);
  const s = Array.from({ length: 300 }, () => rng.int(20));
  const y = Array.from({ length: 300 }, () => rng.next() < 0.2);
  let right = 0, pairs = 0;
  for (let i = 0; i < s.length; i++) for (let j = 0; j < s.length; j++) {
    if (!y[i] || y[j]) continue;
    pairs++;
    right += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
  }
  close(kl.metrics.rocAuc(s, y), right / pairs);
  assert.throws(() => kl.metrics.rocAuc([1, 2], [1, 1]), /both anomalies and normal items \(2 of 2/);
});
