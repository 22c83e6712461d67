import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, Tensor, fromFlat, mul, randn, sum, tensor, zeros } from "../src";
import { correlation, fittedRate, gradientByStep } from "../src/metrics";
import { GRU, LSTM } from "../src/nn";

test("correlation is Pearson's r: 1, -1, 0 and a hand-computed case", () => {
  assert.equal(correlation([1, 2, 3], [2, 4, 6]), 1);
  assert.equal(correlation([1, 2, 3], [3, 2, 1]), -1);
  assert.equal(correlation([1, 2, 3, 4], [1, -1, -1, 1]), 0);
  // x = [0, 1, 2], y = [0, 0, 3]: cov = 1.5·2/... by hand: dx = [-1,0,1], dy = [-1,-1,2]: Σdxdy = 3, Σdx² = 2, Σdy² = 6 → 3/√12
  assert.ok(Math.abs(correlation([0, 1, 2], [0, 0, 3]) - 3 / Math.sqrt(12)) < 1e-15);
  assert.ok(Math.abs(correlation(tensor([0, 1, 2]), tensor([0, 0, 3])) - 3 / Math.sqrt(12)) < 1e-15, "tensors are read as their values");
});

test("correlation: a constant tracks nothing (NaN); unequal or too short lists are errors", () => {
  assert.ok(Number.isNaN(correlation([1, 1, 1], [1, 2, 3])));
  assert.throws(() => correlation([1, 2], [1, 2, 3]), /2 and 3 values/);
  assert.throws(() => correlation([1], [1]), /at least 2 pairs/);
});

test("gradientByStep: the last step's loss gradient at every step, as the tape gives it, parameters' gradients untouched", () => {
  const lstm = new LSTM(3, 4, { rng: new Rng(1) });
  const x = randn([6, 2, 3], new Rng(2));
  lstm.weight_hh_l0.grad = tensor(new Array(64).fill(7), [16, 4]);
  const g = gradientByStep(lstm, x, { seed: 5 });
  assert.equal(g.h.length, 6);
  assert.equal(g.c!.length, 6);
  assert.deepEqual(g.distance, [5, 4, 3, 2, 1, 0]);
  assert.ok(lstm.weight_hh_l0.grad!.data.every((v) => v === 7), "the parameter's gradient is as it was");
  // By hand: the same loss, h_T · v, with retainGrad on every step.
  const xs = fromFlat(x.data, x.shape, { requiresGrad: true });
  const out = lstm.forward(xs);
  out.hs.forEach((h) => h.retainGrad());
  sum(mul(out.hs[5], randn([2, 4], new Rng(5)))).backward();
  const n = (t: Tensor) => Math.sqrt(t.data.reduce((s, v) => s + v * v, 0));
  out.hs.forEach((h, t) => assert.ok(Math.abs(n(h.grad!) - g.h[t]) < 1e-12));
  assert.ok(Math.abs(n(fromFlat(xs.grad!.data.slice(0, 6), [6])) - g.x[0]) < 1e-12);
  assert.equal(new GRU(3, 4).forward(x) && gradientByStep(new GRU(3, 4), x).c, undefined, "no cell state for a GRU");
  assert.throws(() => gradientByStep(lstm, zeros([2, 3])), /gradientByStep: x has shape \[2,3\]/);
});

test("fittedRate: the factor per step of a geometric curve, fitted on a log scale; bad input is named", () => {
  assert.ok(Math.abs(fittedRate([0, 1, 2, 3], [1, 0.5, 0.25, 0.125]) - 0.5) < 1e-15);
  assert.ok(Math.abs(fittedRate([10, 20, 30], [3 * 1.1 ** 10, 3 * 1.1 ** 20, 3 * 1.1 ** 30]) - 1.1) < 1e-12, "the constant a does not matter");
  // Noise that is symmetric on a log scale leaves the rate: y = 0.8^x · (2, 1/2, 2, 1/2 ...) over a symmetric pattern.
  const xs = [0, 1, 2, 3], ys = xs.map((x, i) => 0.8 ** x * [2, 0.5, 0.5, 2][i]);
  assert.ok(Math.abs(fittedRate(xs, ys) - 0.8) < 1e-12);
  assert.throws(() => fittedRate([0, 1, 2], [1, 0, 0.5]), /y\[1\] = 0; a geometric trend needs positive, finite values/);
  assert.throws(() => fittedRate([0, 1], [1]), /2 x values and 1 y values/);
  assert.throws(() => fittedRate([1, 1], [1, 2]), /every x is the same/);
});
