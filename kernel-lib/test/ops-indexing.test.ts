import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, tensor, randn, Rng, embedding, oneHot, matmul } from "../src";
import { Parameter } from "../src/nn";
import { gradcheck } from "../src/testing";

const rng = new Rng(16);

test("embedding picks rows", () => {
  const w = tensor([[0, 1], [10, 11], [20, 21]]);
  const e = embedding(w, [2, 0, 2]);
  assert.deepEqual(e.shape, [3, 2]);
  assert.deepEqual(e.toArray(), [[20, 21], [0, 1], [20, 21]]);
  assert.deepEqual(embedding(w, Int32Array.of(1)).toArray(), [[10, 11]]);
  assert.deepEqual(embedding(w, tensor([1, 1])).toArray(), [[10, 11], [10, 11]]);
});

test("embedding backward scatter-adds, repeated tokens collect both gradients", () => {
  const w = new Parameter(tensor([[0, 1], [10, 11], [20, 21]]));
  embedding(w, [2, 0, 2]).mul(tensor([[1, 2], [3, 4], [5, 6]])).sum().backward();
  assert.deepEqual(w.grad!.toArray(), [[3, 4], [0, 0], [6, 8]]);
  const r = gradcheck((weight: Tensor) => embedding(weight, [3, 1, 3, 0]), [new Parameter(randn([5, 3], rng))]);
  assert.ok(r.ok && r.maxRelError < 1e-6, JSON.stringify(r));
});

test("embedding equals oneHot · weight", () => {
  const w = randn([6, 4], rng);
  const ids = [5, 0, 3];
  const viaMatmul = matmul(oneHot(ids, 6), w);
  assert.deepEqual(embedding(w, ids).toArray(), viaMatmul.toArray());
});

test("oneHot", () => {
  assert.deepEqual(oneHot([1, 0, 3], 4).toArray(), [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]);
  assert.equal(oneHot([0], 2).requiresGrad, false);
  assert.deepEqual(oneHot([], 3).shape, [0, 3]);
});

test("oneHot and embedding keep leading dimensions: ids [T, B] give [T, B, V] and [T, B, D]", () => {
  const ids = tensor([[1, 0, 2], [2, 2, 0]]); // [T = 2, B = 3]
  const hot = oneHot(ids, 3);
  assert.deepEqual(hot.shape, [2, 3, 3]);
  assert.deepEqual(hot.toArray()[1][0], [0, 0, 1]);
  const w = randn([3, 4], rng);
  const e = embedding(w, ids);
  assert.deepEqual(e.shape, [2, 3, 4]);
  assert.deepEqual(e.toArray()[0][2], w.toArray()[2]);
  assert.deepEqual(matmul(hot.reshape([6, 3]), w).reshape([2, 3, 4]).toArray(), e.toArray());
});

test("bad indices are named with their position", () => {
  const w = randn([65, 16], rng);
  assert.throws(() => embedding(w, [1, 2, 3, 70]), { message: "embedding: index 70 at position 3 is out of range for a weight of shape [65,16] (vocabulary size 65)" });
  assert.throws(() => embedding(w, [0.5]), /embedding: index 0.5 at position 0/);
  assert.throws(() => embedding(randn([3]), [0]), /embedding: weight must be \[vocabulary, dim\], got shape \[3\]/);
  assert.throws(() => oneHot([1, 0, 5], 4), { message: "oneHot: index 5 at position 2 is out of range for depth 4" });
  assert.throws(() => oneHot([-1], 4), /oneHot: index -1 at position 0/);
});
