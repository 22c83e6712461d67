import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, tensor, fromFlat, zeros, ones, full, scalar, randn, uniform, Rng } from "../src";
import { Parameter } from "../src/nn";

test("tensor() infers the shape of nested arrays and stores row-major float64", () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.size, 6);
  assert.equal(t.rank, 2);
  assert.ok(t.data instanceof Float64Array);
  assert.deepEqual(Array.from(t.data), [1, 2, 3, 4, 5, 6]);
  assert.equal(t.get(1, 0), 4);
  assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(t.requiresGrad, false);
  assert.equal(t.grad, null);
});

test("tensor() with an explicit shape, scalars and empty tensors", () => {
  assert.deepEqual(tensor([1, 2, 3, 4], [2, 2]).toArray(), [[1, 2], [3, 4]]);
  const s = tensor(3.5);
  assert.deepEqual(s.shape, []);
  assert.equal(s.item(), 3.5);
  assert.equal(s.toArray(), 3.5);
  assert.deepEqual(tensor([]).shape, [0]);
  assert.deepEqual(scalar(2).shape, []);
});

test("ragged arrays and mismatched shapes are rejected with the position", () => {
  assert.throws(() => tensor([[1, 2], [3]]), /tensor: ragged nested array: at \[1\] expected an array of length 2, got an array of length 1/);
  assert.throws(() => tensor([[1, 2], 3] as never), /ragged/);
  assert.throws(() => tensor([1, 2, 3], [2, 2]), /tensor: 3 values do not fit shape \[2,2\] \(4 elements\)/);
  assert.throws(() => new Tensor(new Float64Array(5), [2, 3]), /Tensor: data has 5 elements but shape \[2,3\] needs 6/);
  assert.throws(() => zeros([2, -1]), /zeros: shape \[2,-1\] has an invalid size -1/);
  assert.throws(() => fromFlat([1, 2], [3]), /fromFlat: 2 values do not fit shape \[3\]/);
});

test("get() and item() check their arguments", () => {
  const t = tensor([[1, 2], [3, 4]]);
  assert.throws(() => t.get(2, 0), /get: index \[2,0\] is out of range for shape \[2,2\] \(axis 0\)/);
  assert.throws(() => t.get(0), /get: index \[0\] has 1 entries but the tensor has shape \[2,2\]/);
  assert.throws(() => t.item(), /item: tensor of shape \[2,2\] has 4 elements/);
});

test("factories", () => {
  assert.deepEqual(zeros([2, 2]).toArray(), [[0, 0], [0, 0]]);
  assert.deepEqual(ones([3]).toArray(), [1, 1, 1]);
  assert.deepEqual(full([2], 7).toArray(), [7, 7]);
  assert.equal(zeros([2], { requiresGrad: true }).requiresGrad, true);
  const f = fromFlat(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
  assert.deepEqual(f.toArray(), [[1, 2], [3, 4], [5, 6]]);
  const r1 = randn([3, 4], new Rng(1));
  const r2 = randn([3, 4], new Rng(1));
  assert.deepEqual(r1.toArray(), r2.toArray());
  const u = uniform([1000], -0.1, 0.1, new Rng(2));
  for (const v of u.data) assert.ok(v >= -0.1 && v < 0.1);
});

test("new Parameter() marks a leaf as trainable, detaching op results", () => {
  const w = new Parameter(randn([2, 2], new Rng(0)), "W");
  assert.equal(w.requiresGrad, true);
  assert.equal(w.name, "W");
  assert.ok(w.isLeaf);
  const y = w.mul(2); // recorded: not a leaf
  assert.equal(y.isLeaf, false);
  const p = new Parameter(y);
  assert.ok(p.isLeaf && p.requiresGrad && p !== y);
  assert.equal(p.data, y.data);
});

test("detach shares data and has no history", () => {
  const w = new Parameter(tensor([1, 2]));
  const y = w.mul(3);
  const d = y.detach();
  assert.equal(d.data, y.data);
  assert.equal(d.requiresGrad, false);
  assert.ok(d.isLeaf);
});

test("zeroGrad zeros in place", () => {
  const w = new Parameter(tensor([1, 2]));
  w.mul(w).sum().backward();
  const g = w.grad!;
  assert.deepEqual(g.toArray(), [2, 4]);
  w.zeroGrad();
  assert.equal(w.grad, g);
  assert.deepEqual(g.toArray(), [0, 0]);
});

test("toString shows values, shape and autodiff state", () => {
  assert.equal(tensor([[1, 2], [3, 4]]).toString(), "Tensor([[1, 2],\n        [3, 4]], shape=[2,2])");
  assert.equal(scalar(0.5).toString(), "Tensor(0.5, shape=[])");
  const p = new Parameter(tensor([1, 2]), "b");
  assert.equal(p.toString(), "Tensor([1, 2], name=b, shape=[2], requiresGrad)");
  assert.match(p.add(1).toString(), /op=add/);
  // Long axes are elided.
  assert.equal(zeros([10]).toString(), "Tensor([0, 0, 0, ..., 0, 0, 0], shape=[10])");
});
