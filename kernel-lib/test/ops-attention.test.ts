// bmm, causalMask, scaledDotProductAttention and layerNorm: values from first principles,
// gradients by gradcheck, errors that name the op and the shapes.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";
import { Parameter } from "../src/nn";
import { gradcheck } from "../src/testing";

const rng = new kl.Rng(80);
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `at ${i}: ${a[i]} vs ${b[i]}`);
};

test("bmm is one matmul per batch entry, and its gradients pass gradcheck", () => {
  const a = kl.randn([3, 2, 4], rng), b = kl.randn([3, 4, 5], rng);
  const c = kl.bmm(a, b);
  assert.deepEqual(c.shape, [3, 2, 5]);
  for (let i = 0; i < 3; i++) close(kl.index(c, 0, i).data, kl.matmul(kl.index(a, 0, i), kl.index(b, 0, i)).data);
  const r = gradcheck((x, y) => kl.bmm(x, y), [new Parameter(kl.randn([2, 3, 4], rng)), new Parameter(kl.randn([2, 4, 2], rng))]);
  assert.ok(r.ok, String(r.maxRelError));
});

test("bmm names both shapes when they do not fit", () => {
  assert.throws(() => kl.bmm(kl.zeros([2, 3, 4]), kl.zeros([2, 5, 1])), /bmm: \[2,3,4\] x \[2,5,1\]: inner sizes 4 and 5 differ/);
  assert.throws(() => kl.bmm(kl.zeros([2, 3, 4]), kl.zeros([3, 4, 1])), /batch sizes 2 and 3 differ/);
  assert.throws(() => kl.bmm(kl.zeros([3, 4]), kl.zeros([4, 1])), /must be 3-D/);
});

test("causalMask hides the future: 0 on and below the diagonal, -Infinity above; with a cached prefix the queries come last", () => {
  assert.deepEqual(Array.from(kl.causalMask(3).data), [0, -Infinity, -Infinity, 0, 0, -Infinity, 0, 0, 0]);
  assert.deepEqual(Array.from(kl.causalMask(1, 3).data), [0, 0, 0]); // the newest position sees all three
  assert.deepEqual(Array.from(kl.causalMask(2, 3).data), [0, 0, -Infinity, 0, 0, 0]);
  assert.throws(() => kl.causalMask(3, 2), /3 queries cannot come after only 2 keys/);
  assert.throws(() => kl.causalMask(0), /L must be a positive integer/);
});

test("scaledDotProductAttention is softmax(q kᵀ/√d) v, written out by hand for one query", () => {
  const q = kl.randn([1, 1, 3], rng), k = kl.randn([1, 4, 3], rng), v = kl.randn([1, 4, 2], rng);
  const { output, weights } = kl.scaledDotProductAttention(q, k, v);
  const scores = [0, 1, 2, 3].map((s) => [0, 1, 2].reduce((acc, j) => acc + q.data[j] * k.data[s * 3 + j], 0) / Math.sqrt(3));
  const z = scores.reduce((acc, x) => acc + Math.exp(x), 0);
  const w = scores.map((x) => Math.exp(x) / z);
  close(weights.data, w);
  close(output.data, [0, 1].map((c) => w.reduce((acc, ws, s) => acc + ws * v.data[s * 2 + c], 0)));
});

test("a causal query ignores later keys entirely: weight 0 and no gradient to them", () => {
  const q = new Parameter(kl.randn([2, 4, 3], rng)), k = new Parameter(kl.randn([2, 4, 3], rng)), v = new Parameter(kl.randn([2, 4, 3], rng));
  const { output, weights } = kl.scaledDotProductAttention(q, k, v, { causal: true });
  for (let n = 0; n < 2; n++) for (let t = 0; t < 4; t++) for (let s = t + 1; s < 4; s++) assert.equal(weights.data[(n * 4 + t) * 4 + s], 0);
  kl.sum(kl.index(output, 1, 0)).backward(); // the first position's output only
  for (let n = 0; n < 2; n++) for (let s = 1; s < 4; s++) for (let j = 0; j < 3; j++) {
    assert.equal(k.grad!.data[(n * 4 + s) * 3 + j], 0);
    assert.equal(v.grad!.data[(n * 4 + s) * 3 + j], 0);
  }
});

test("scaledDotProductAttention's gradients pass gradcheck, with a causal mask and with an additive mask", () => {
  const mask = kl.tensor([[0, -Infinity, 0], [0, 0, -Infinity]]);
  for (const options of [{}, { causal: true }, { mask }]) {
    const L = "mask" in options ? 2 : 3;
    const r = gradcheck((q, k, v) => kl.scaledDotProductAttention(q, k, v, options).output,
      [new Parameter(kl.randn([2, L, 4], rng)), new Parameter(kl.randn([2, 3, 4], rng)), new Parameter(kl.randn([2, 3, 2], rng))]);
    assert.ok(r.ok, `${JSON.stringify(Object.keys(options))}: ${r.maxRelError}`);
  }
});

test("scaledDotProductAttention names the shapes at fault", () => {
  const z = (...s: number[]) => kl.zeros(s);
  assert.throws(() => kl.scaledDotProductAttention(z(2, 3, 4), z(2, 5, 3), z(2, 5, 1)), /q \[2,3,4\], k \[2,5,3\], v \[2,5,1\]: queries and keys must have the same width \(4 vs 3\)/);
  assert.throws(() => kl.scaledDotProductAttention(z(2, 3, 4), z(2, 5, 4), z(2, 6, 1)), /keys and values must have the same number of positions \(5 vs 6\)/);
  assert.throws(() => kl.scaledDotProductAttention(z(2, 3, 4), z(2, 5, 4), z(2, 5, 1), { mask: z(3, 4) }), /mask \[3,4\] should be \[3,5\]/);
});

test("layerNorm: each row has mean 0 and (biased) variance 1 before the affine part; gradients pass gradcheck", () => {
  const x = kl.randn([4, 6], rng).mul(3).add(10);
  const y = kl.layerNorm(x);
  for (let r = 0; r < 4; r++) {
    const row = Array.from(y.data.subarray(r * 6, r * 6 + 6));
    const m = row.reduce((a, b) => a + b, 0) / 6;
    const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / 6;
    assert.ok(Math.abs(m) < 1e-12 && Math.abs(v - 1) < 1e-5, `${m} ${v}`);
  }
  const r = gradcheck((a, w, b) => kl.layerNorm(a, w, b), [new Parameter(kl.randn([3, 5], rng)), new Parameter(kl.randn([5], rng)), new Parameter(kl.randn([5], rng))]);
  assert.ok(r.ok, String(r.maxRelError));
  assert.throws(() => kl.layerNorm(kl.zeros([3, 5]), kl.ones([4])), /layerNorm: x \[3,5\], weight \[4\]: weight should be \[5\]/);
});
