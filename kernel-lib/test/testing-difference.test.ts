// kl.testing.maxAbsDiff: the notebooks' comparison of a from-scratch version with the library's.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as kl from "../src";

test("maxAbsDiff is the largest element-wise difference, 0 for equal or empty tensors", () => {
  const a = kl.fromFlat([1, -2, 3, 4], [2, 2]);
  assert.equal(kl.testing.maxAbsDiff(a, kl.fromFlat([1, -2.5, 3, 3.75], [2, 2])), 0.5);
  assert.equal(kl.testing.maxAbsDiff(a, a), 0);
  assert.equal(kl.testing.maxAbsDiff(kl.zeros([0, 3]), kl.zeros([0, 3])), 0);
});

test("maxAbsDiff is NaN when either holds a NaN (a broken result never reads as agreement)", () => {
  assert.ok(Number.isNaN(kl.testing.maxAbsDiff(kl.fromFlat([0, NaN], [2]), kl.zeros([2]))));
  assert.ok(Number.isNaN(kl.testing.maxAbsDiff(kl.zeros([2]), kl.fromFlat([NaN, 0], [2]))));
});

test("maxAbsDiff refuses tensors of different shapes, naming both, even of the same size", () => {
  assert.throws(() => kl.testing.maxAbsDiff(kl.zeros([2, 3]), kl.zeros([3, 2])), /^RangeError: maxAbsDiff: the shapes differ, \[2,3\] and \[3,2\]$/);
  assert.throws(() => kl.testing.maxAbsDiff(kl.zeros([2]), [0, 0] as unknown as kl.Tensor), /both arguments must be tensors/);
});
