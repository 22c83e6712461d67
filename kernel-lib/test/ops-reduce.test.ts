import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, randn, Rng, sum, mean, max } from "../src";
import { Parameter } from "../src/nn";
import { assertGrads } from "./op-asserts";

const rng = new Rng(14);
const P = (shape: number[]) => new Parameter(randn(shape, rng));

const m = tensor([[1, 5, 3], [4, 2, 6]]); // [2,3]

test("sum: all, each axis, negative axis, keepDims", () => {
  const all = sum(m);
  assert.deepEqual(all.shape, []);
  assert.equal(all.item(), 21);
  assert.deepEqual(sum(m, 0).toArray(), [5, 7, 9]);
  assert.deepEqual(sum(m, 1).toArray(), [9, 12]);
  assert.deepEqual(sum(m, -1).toArray(), [9, 12]);
  assert.deepEqual(sum(m, 0, true).shape, [1, 3]);
  assert.deepEqual(m.sum(1, true).toArray(), [[9], [12]]);
  assert.deepEqual(m.sum(undefined, true).shape, [1, 1]);
  const t = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]); // [2,2,2]
  assert.deepEqual(sum(t, 1).toArray(), [[4, 6], [12, 14]]);
  assert.deepEqual(sum(tensor([]), 0).toArray(), 0);
});

test("mean", () => {
  assert.equal(mean(m).item(), 3.5);
  assert.deepEqual(mean(m, 0).toArray(), [2.5, 3.5, 4.5]);
  assert.deepEqual(m.mean(-1, true).toArray(), [[3], [4]]);
});

test("max: values, first argmax gets the gradient", () => {
  assert.equal(max(m).item(), 6);
  assert.deepEqual(max(m, 0).toArray(), [4, 5, 6]);
  assert.deepEqual(max(m, 1).toArray(), [5, 6]);
  assert.deepEqual(m.max(-2, true).toArray(), [[4, 5, 6]]);
  const x = new Parameter(tensor([[3, 1, 3], [2, 2, 0]]));
  max(x, 1).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [[1, 0, 0], [1, 0, 0]]); // ties: the first one wins
  const y = new Parameter(tensor([[1, 9], [9, 2]]));
  max(y).backward();
  assert.deepEqual(y.grad!.toArray(), [[0, 1], [0, 0]]);
});

test("axis errors name the op and shape", () => {
  assert.throws(() => sum(m, 2), { message: "sum: axis 2 is out of range for a tensor of shape [2,3] (rank 2; allowed -2..1)" });
  assert.throws(() => mean(m, -3), /mean: axis -3 is out of range for a tensor of shape \[2,3\]/);
  assert.throws(() => max(tensor([[]]), 1), /max: axis 1 of shape \[1,0\] is empty/);
});

test("gradients, every axis and keepDims", () => {
  for (const axis of [undefined, 0, 1, 2, -1, -2]) {
    for (const keepDims of [false, true]) {
      assertGrads((a) => sum(a, axis, keepDims), [P([2, 3, 4])], `sum ${axis} ${keepDims}`);
      assertGrads((a) => mean(a, axis, keepDims), [P([2, 3, 4])], `mean ${axis} ${keepDims}`);
      // randn values are distinct almost surely, so max has no ties and is differentiable.
      assertGrads((a) => max(a, axis, keepDims), [P([2, 3, 4])], `max ${axis} ${keepDims}`);
    }
  }
  // keepDims exists to broadcast back: x - mean(x) along an axis.
  assertGrads((a) => a.sub(a.mean(1, true)).pow(2).sum(), [P([3, 4])], "centering");
});
