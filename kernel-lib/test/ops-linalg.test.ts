import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, randn, Rng, matmul, linear, transpose } from "../src";
import { Parameter } from "../src/nn";
import { getKernels, setKernels, plainKernels, Kernels } from "../src/kernels";
import { assertClose, assertGrads, matmulReference } from "./op-asserts";

const rng = new Rng(13);
const P = (shape: number[]) => new Parameter(randn(shape, rng));

test("matmul forward", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([[7, 8], [9, 10], [11, 12]]);
  const c = matmul(a, b);
  assert.deepEqual(c.shape, [2, 2]);
  assert.deepEqual(c.toArray(), [[58, 64], [139, 154]]);
  assert.deepEqual(a.matmul(b).toArray(), c.toArray());
});

test("matmul shape errors", () => {
  assert.throws(() => matmul(randn([32, 64]), randn([128, 256])), { message: "matmul: [32,64] x [128,256]: inner sizes 64 and 128 differ" });
  assert.throws(() => matmul(randn([3]), randn([3, 4])), { message: "matmul: [3] x [3,4]: both operands must be 2-D (got ranks 1 and 2)" });
});

test("matmul kernel: all transpose flags, accumulate, and odd sizes against the textbook loop", () => {
  const k = getKernels();
  // Odd sizes exercise the unrolled loops' remainders; 0 sizes the early exit.
  for (const [m, kk, n] of [[1, 1, 1], [2, 4, 2], [3, 5, 7], [5, 9, 3], [7, 3, 8], [32, 13, 6], [0, 3, 2], [2, 0, 3]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = randn([m * kk], rng).data;
        const b = randn([kk * n], rng).data;
        const expected = matmulReference(a, b, m, kk, n, transA, transB);
        const c = new Float64Array(m * n).fill(99); // overwritten without accumulate
        k.matmul(a, b, c, m, kk, n, { transA, transB });
        assertClose(c, expected, 1e-12);
        const start = randn([m * n], rng).data;
        const acc = start.slice();
        k.matmul(a, b, acc, m, kk, n, { transA, transB, accumulate: true });
        assertClose(acc, expected.map((v, i) => v + start[i]), 1e-12);
      }
    }
  }
});

test("linear = x·Wᵀ + b", () => {
  const x = tensor([[1, 2], [3, 4], [5, 6]]); // [3,2]
  const w = tensor([[1, 0], [0, 1], [1, 1], [2, -1]]); // [4,2]
  const b = tensor([0.5, 0, 0, -1]);
  const y = linear(x, w, b);
  assert.deepEqual(y.shape, [3, 4]);
  assert.deepEqual(y.toArray(), [[1.5, 2, 3, -1], [3.5, 4, 7, 1], [5.5, 6, 11, 3]]);
  assert.deepEqual(linear(x, w).toArray(), matmul(x, transpose(w)).toArray());
});

test("linear shape errors", () => {
  assert.throws(() => linear(randn([32, 64]), randn([128, 256])), { message: "linear: input [32,64], weight [128,256]: input has 64 features but weight expects 256 (weight is [out,in])" });
  assert.throws(() => linear(randn([2, 3]), randn([4, 3]), randn([5])), { message: "linear: input [2,3], weight [4,3]: bias [5] should be [4]" });
  assert.throws(() => linear(randn([3]), randn([4, 3])), /linear: input \[3\], weight \[4,3\]: input must be \[n,in\]/);
});

test("transpose forward: matrices, chosen and negative axes", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(transpose(a).toArray(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(a.T.toArray(), [[1, 4], [2, 5], [3, 6]]);
  const t = tensor([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]); // [2,3,2]
  const s = transpose(t, 0, 2); // [2,3,2] -> [2,3,2] with axes 0 and 2 swapped
  assert.deepEqual(s.toArray(), [[[1, 7], [3, 9], [5, 11]], [[2, 8], [4, 10], [6, 12]]]);
  const u = t.transpose(-1, 1); // [2,2,3]
  assert.deepEqual(u.shape, [2, 2, 3]);
  assert.deepEqual(u.toArray(), [[[1, 3, 5], [2, 4, 6]], [[7, 9, 11], [8, 10, 12]]]);
  assert.deepEqual(transpose(t, 1, 1).toArray(), t.toArray());
  assert.throws(() => transpose(tensor([1, 2, 3])), /transpose: axis 1 is out of range for a tensor of shape \[3\]/);
});

test("gradients: matmul, linear, transpose", () => {
  assertGrads(matmul, [P([3, 5]), P([5, 4])], "matmul");
  assertGrads(matmul, [P([1, 7]), P([7, 1])], "matmul [1,7]x[7,1]");
  assertGrads((x, w, b) => linear(x, w, b), [P([5, 3]), P([4, 3]), P([4])], "linear");
  assertGrads((x, w) => linear(x, w), [P([2, 6]), P([3, 6])], "linear without bias");
  assertGrads((a) => transpose(a), [P([3, 5])], "transpose");
  assertGrads((a) => transpose(a, -3, -1), [P([2, 3, 4])], "transpose 3-D negative axes");
  assertGrads((a) => transpose(a, 1, 2), [P([2, 3, 4, 2])], "transpose 4-D middle axes");
  // A weight shared across time steps (as in an RNN): both uses add into the same gradient.
  assertGrads((x1, x2, w, b) => linear(linear(x1, w, b).tanh(), w, b).add(linear(x2, w)), [P([2, 3]), P([2, 3]), P([3, 3]), P([3])], "shared linear weight");
  assertGrads((h, w) => matmul(matmul(h, w).tanh(), w), [P([2, 3]), P([3, 3])], "shared matmul weight");
  // One input feeding two layers: its gradient is the sum of both.
  assertGrads((x, w1, w2) => linear(x, w1).mul(linear(x, w2)), [P([2, 3]), P([4, 3]), P([4, 3])], "input to two layers");
  assertGrads((x, w1, w2) => matmul(x, w1).mul(matmul(x, w2)), [P([2, 3]), P([3, 4]), P([3, 4])], "input to two matmuls");
  // x used on both sides: gradients from both operands add up.
  assertGrads((a) => matmul(a, transpose(a)), [P([3, 4])], "a·aᵀ");
});

test("ops go through the kernel registry", () => {
  let calls = 0;
  const counting: Kernels = { ...plainKernels, name: "counting", matmul: (...args) => { calls++; plainKernels.matmul(...args); } };
  const previous = setKernels(counting);
  try {
    const a = P([2, 3]);
    const y = matmul(a, randn([3, 4], rng));
    assert.equal(calls, 1);
    y.sum().backward(); // dA = g·Bᵀ: one more; B does not require grad
    assert.equal(calls, 2);
  } finally {
    setKernels(previous);
  }
  assert.equal(getKernels(), previous); // restored (the default is the WASM SIMD set where it exists)
});
