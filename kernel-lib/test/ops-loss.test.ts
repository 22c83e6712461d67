import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, randn, Rng, softmax, logSoftmax, crossEntropy, mse, oneHot } from "../src";
import { Parameter } from "../src/nn";
import { assertClose, assertGrads } from "./op-asserts";

const rng = new Rng(17);
const P = (shape: number[]) => new Parameter(randn(shape, rng));

test("softmax and logSoftmax forward, hand-computed", () => {
  const x = tensor([[1, 2, 3], [0, 0, 0]]);
  const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
  const expected = [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z, 1 / 3, 1 / 3, 1 / 3];
  assertClose(softmax(x), expected);
  assertClose(logSoftmax(x), expected.map(Math.log), 1e-12);
  // Over axis 0: columns sum to 1.
  const s0 = softmax(x, 0);
  assertClose(s0.sum(0), [1, 1, 1]);
  assertClose(s0, [Math.exp(1) / (Math.exp(1) + 1), Math.exp(2) / (Math.exp(2) + 1), Math.exp(3) / (Math.exp(3) + 1), 1 / (Math.exp(1) + 1), 1 / (Math.exp(2) + 1), 1 / (Math.exp(3) + 1)]);
  assert.deepEqual(x.softmax(-2).toArray(), s0.toArray());
});

test("softmax is stable for huge logits", () => {
  const x = tensor([[1000, 1001, 1002], [-1000, -1000, 0]]);
  const s = softmax(x);
  assert.ok(s.data.every(Number.isFinite));
  assertClose(s.index(0, 0), softmax(tensor([0, 1, 2])).toArray());
  const ls = logSoftmax(x);
  assert.ok(ls.data.every(Number.isFinite));
  assertClose(ls.index(0, 1), [-1000, -1000, 0], 1e-9);
});

test("crossEntropy forward, hand-computed, mean and sum", () => {
  const logits = tensor([[1, 2, 3], [1, 1, 1]]);
  const lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
  const l0 = lse0 - 3;
  const l1 = Math.log(3);
  assert.ok(Math.abs(crossEntropy(logits, [2, 0]).item() - (l0 + l1) / 2) < 1e-14);
  assert.ok(Math.abs(crossEntropy(logits, [2, 0], "sum").item() - (l0 + l1)) < 1e-14);
  assert.deepEqual(crossEntropy(logits, tensor([2, 0])).shape, []);
  // Same as the unfused form: -mean(Σ onehot · logSoftmax).
  const t = [0, 1];
  const unfused = logSoftmax(logits).mul(oneHot(t, 3)).sum().neg().div(2);
  assert.ok(Math.abs(logits.crossEntropy(t).item() - unfused.item()) < 1e-14);
  // Stable where a naive log(softmax) would give log(0) = -Infinity.
  assert.ok(Math.abs(crossEntropy(tensor([[0, 2000]]), [0]).item() - 2000) < 1e-9);
});

test("crossEntropy backward is softmax minus one-hot, over N for the mean", () => {
  const logits = new Parameter(tensor([[1, 2, 3], [1, 1, 1]]));
  crossEntropy(logits, [2, 0]).backward();
  const p = softmax(tensor([[1, 2, 3]])).data;
  assertClose(logits.grad!, [p[0] / 2, p[1] / 2, (p[2] - 1) / 2, (1 / 3 - 1) / 2, 1 / 6, 1 / 6], 1e-15);
});

test("crossEntropy errors", () => {
  const logits = randn([32, 65], rng);
  assert.throws(() => crossEntropy(logits, new Array(31).fill(0)), { message: "crossEntropy: logits [32,65] but 31 targets; need one target per row" });
  const bad = new Array(32).fill(0);
  bad[3] = 70;
  assert.throws(() => crossEntropy(logits, bad), { message: "crossEntropy: target 70 at position 3 is out of range for 65 classes (logits [32,65])" });
  assert.throws(() => crossEntropy(randn([2, 3, 4], rng), [0, 1]), /crossEntropy: logits must be \[N,C\].*got shape \[2,3,4\]/);
  assert.throws(() => crossEntropy(randn([1, 2], rng), [0], "none" as never), /crossEntropy: reduction must be "mean" or "sum", got "none"/);
});

test("mse forward and errors", () => {
  const p = tensor([1, 2, 3]);
  const t = tensor([1, 0, 6]);
  assert.equal(mse(p, t).item(), 13 / 3);
  assert.equal(mse(p, t, "sum").item(), 13);
  assert.equal(p.mse(t).item(), 13 / 3);
  assert.throws(() => mse(randn([32, 1], rng), randn([32], rng)), /^RangeError: mse: pred \[32,1\] and target \[32\] have different shapes/);
});

test("gradients: softmax/logSoftmax on every axis, losses", () => {
  for (const axis of [0, 1, 2, -1, -2]) {
    assertGrads((a) => softmax(a, axis), [P([2, 3, 4])], `softmax ${axis}`);
    assertGrads((a) => logSoftmax(a, axis), [P([2, 3, 4])], `logSoftmax ${axis}`);
  }
  assertGrads((a) => crossEntropy(a, [2, 0, 4, 4]), [P([4, 5])], "crossEntropy mean");
  assertGrads((a) => crossEntropy(a.mul(3), [1, 1], "sum"), [P([2, 3])], "crossEntropy sum");
  assertGrads((a, b) => mse(a, b), [P([3, 4]), P([3, 4])], "mse mean");
  assertGrads((a, b) => mse(a.tanh(), b, "sum"), [P([5]), P([5])], "mse sum");
});
