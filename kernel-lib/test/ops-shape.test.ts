import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, randn, Rng, reshape, slice, index, concat, stack, split } from "../src";
import { Parameter } from "../src/nn";
import { assertGrads } from "./op-asserts";

const rng = new Rng(15);
const P = (shape: number[]) => new Parameter(randn(shape, rng));

const t = tensor([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]); // [2,3,2]

test("reshape, with -1 inferred; shares data", () => {
  const r = reshape(t, [3, 4]);
  assert.deepEqual(r.toArray(), [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
  assert.equal(r.data, t.data);
  assert.deepEqual(t.reshape([-1, 6]).shape, [2, 6]);
  assert.deepEqual(t.reshape([12]).shape, [12]);
  assert.deepEqual(tensor([5]).reshape([]).shape, []);
  assert.throws(() => reshape(t, [5, 2]), { message: "reshape: cannot reshape [2,3,2] (12 elements) into [5,2] (10 elements)" });
  assert.throws(() => reshape(t, [-1, 5]), /reshape: cannot reshape \[2,3,2\] \(12 elements\) into \[-1,5\]: 12 is not a multiple of 5/);
  assert.throws(() => reshape(t, [-1, -1]), /reshape: \[2,3,2\] to \[-1,-1\]: only one size can be -1/);
});

test("slice along any axis, negative bounds", () => {
  assert.deepEqual(slice(t, 1, 1, 3).toArray(), [[[3, 4], [5, 6]], [[9, 10], [11, 12]]]);
  assert.deepEqual(slice(t, -1, 1).toArray(), [[[2], [4], [6]], [[8], [10], [12]]]);
  assert.deepEqual(t.slice(0, -1).toArray(), [[[7, 8], [9, 10], [11, 12]]]);
  assert.deepEqual(slice(t, 1, 0, -2).shape, [2, 1, 2]);
  assert.deepEqual(slice(t, 1, 2, 2).shape, [2, 0, 2]);
  assert.throws(() => slice(t, 1, 2, 5), { message: "slice: range 2..5 is invalid for axis 1 of shape [2,3,2] (size 3)" });
  assert.throws(() => slice(t, 3, 0, 1), /slice: axis 3 is out of range for a tensor of shape \[2,3,2\]/);
});

test("index drops the axis", () => {
  assert.deepEqual(index(t, 0, 1).toArray(), [[7, 8], [9, 10], [11, 12]]);
  assert.deepEqual(index(t, 1, -1).toArray(), [[5, 6], [11, 12]]);
  assert.deepEqual(t.index(2, 0).toArray(), [[1, 3, 5], [7, 9, 11]]);
  assert.deepEqual(index(tensor([4, 5]), 0, 1).shape, []);
  assert.throws(() => index(t, 1, 3), { message: "index: index 3 is out of range for axis 1 of shape [2,3,2] (size 3)" });
});

test("concat along any axis", () => {
  const a = tensor([[1, 2], [3, 4]]);
  const b = tensor([[5, 6]]);
  assert.deepEqual(concat([a, b], 0).toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(concat([a, tensor([[7], [8]])], -1).toArray(), [[1, 2, 7], [3, 4, 8]]);
  assert.deepEqual(concat([t, t], 1).shape, [2, 6, 2]);
  assert.deepEqual(concat([t, t], 1).index(1, 4).toArray(), [[3, 4], [9, 10]]);
  assert.throws(() => concat([a, tensor([[1, 2, 3]])], 0), { message: "concat: tensor 1 has shape [1,3] but tensor 0 has [2,2]; all sizes except axis 0 must match" });
  assert.throws(() => concat([], 0), /concat: needs at least one tensor/);
});

test("stack along a new axis", () => {
  const a = tensor([1, 2, 3]);
  const b = tensor([4, 5, 6]);
  assert.deepEqual(stack([a, b]).toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(stack([a, b], 1).toArray(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(stack([a, b], -1).toArray(), [[1, 4], [2, 5], [3, 6]]);
  const m = tensor([[1, 2], [3, 4]]);
  assert.deepEqual(stack([m, m.mul(10)], 1).toArray(), [[[1, 2], [10, 20]], [[3, 4], [30, 40]]]);
  assert.throws(() => stack([a, tensor([1, 2])]), { message: "stack: tensor 1 has shape [2] but tensor 0 has [3]; all must match" });
  assert.throws(() => stack([a, b], 2), /stack: axis 2 is out of range for stacking tensors of shape \[3\] \(allowed -2..1\)/);
});

test("split into equal parts or given sizes", () => {
  const gates = tensor([[1, 2, 3, 4, 5, 6, 7, 8]]);
  const parts = split(gates, 4, 1);
  assert.deepEqual(parts.map((p) => p.toArray()), [[[1, 2]], [[3, 4]], [[5, 6]], [[7, 8]]]);
  const [x, y] = gates.split([3, 5], -1);
  assert.deepEqual(x.toArray(), [[1, 2, 3]]);
  assert.deepEqual(y.toArray(), [[4, 5, 6, 7, 8]]);
  assert.deepEqual(split(t, 2).map((p) => p.shape), [[1, 3, 2], [1, 3, 2]]);
  assert.throws(() => split(gates, 3, 1), { message: "split: axis 1 of shape [1,8] has size 8, which cannot be split into 3 equal parts" });
  assert.throws(() => split(gates, [3, 4], 1), /split: sizes \[3,4\] \(sum 7\) do not add up to size 8 of axis 1 of shape \[1,8\]/);
});

test("gradients put every number back where it came from", () => {
  const w = () => randn([2, 3, 4], rng); // fixed weights so each piece is used differently
  assertGrads((a) => reshape(a, [4, -1]).mul(randn([4, 6], new Rng(1))), [P([2, 3, 4])], "reshape");
  for (const axis of [0, 1, 2, -1]) {
    assertGrads((a) => slice(a, axis, 1), [P([2, 3, 4])], `slice ${axis}`);
    assertGrads((a) => index(a, axis, -1), [P([2, 3, 4])], `index ${axis}`);
    assertGrads((a, b) => concat([a, b, a], axis), [P([2, 3, 4]), P([2, 3, 4])], `concat ${axis}`);
    assertGrads((a, b) => stack([a, b, a], axis), [P([2, 3, 4]), P([2, 3, 4])], `stack ${axis}`);
  }
  assertGrads((a) => stack([a, a], 3), [P([2, 3, 4])], "stack at the end");
  assertGrads((a) => concat([a, a.slice(1, 0, 2)], 1), [P([2, 3, 4])], "concat uneven");
  const wts = w();
  assertGrads((a) => {
    const [p, q, r] = split(a, [1, 2, 1], 2);
    return concat([r.mul(2), p, q.tanh()], 2).mul(wts);
  }, [P([2, 3, 4])], "split sizes");
  assertGrads((a) => {
    const [p, q] = a.split(2, 0);
    return p.mul(q);
  }, [P([4, 3])], "split count");
});
