// The opt-in float32 matmul (wasm-f32.ts) against the textbook loop. It cannot agree to 1e-12 as
// the float64 sets do (kernels-matmul.test.ts), so it is held to two things that together pin it:
// exact equality where float32 loses nothing (small integers: every product and sum is exact), which
// catches any wrong index or padding, and, on random operands, float32's own error bound.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createWasmF32Kernels, getKernels, setKernels } from "../src/kernels";
import { Rng } from "../src";
import { matmulReference } from "./op-asserts";

const rng = new Rng(32);
const f32 = createWasmF32Kernels({ minWork: 0 })!; // minWork 0: even 1x1x1 goes through the WASM code
const shipped = createWasmF32Kernels()!;

const integers = (len: number) => Float64Array.from({ length: len }, () => Math.floor(rng.uniform(-8, 8)));
const normals = (len: number) => Float64Array.from({ length: len }, () => rng.normal());

function shapes(): [number, number, number][] {
  const list: [number, number, number][] = [[1, 1, 1], [1, 7, 1], [3, 5, 7], [4, 4, 4], [5, 9, 3], [8, 8, 8], [9, 17, 11], [13, 1, 6], [32, 64, 256], [33, 130, 65]];
  for (let r = 0; r < 10; r++) list.push([1 + Math.floor(rng.uniform(0, 70)), 1 + Math.floor(rng.uniform(0, 70)), 1 + Math.floor(rng.uniform(0, 70))]);
  return list;
}

test("createWasmF32Kernels exists where WebAssembly SIMD does, and is never the default", () => {
  assert.ok(f32 !== null && shipped !== null);
  assert.equal(shipped.name, "wasm-simd-f32");
  assert.notEqual(getKernels().name, "wasm-simd-f32");
  const previous = setKernels(shipped);
  try {
    assert.equal(getKernels().name, "wasm-simd-f32");
  } finally {
    setKernels(previous);
  }
});

test("float32 matmul is exact where float32 loses nothing (small integers): shapes x transposes x accumulate", () => {
  for (const [m, k, n] of shapes()) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = integers(m * k), b = integers(k * n);
        const expected = matmulReference(a, b, m, k, n, transA, transB);
        const where = `${m}x${k}x${n} transA=${transA} transB=${transB}`;
        const c = new Float64Array(m * n).fill(99);
        f32.matmul(a, b, c, m, k, n, { transA, transB });
        assert.deepEqual(Array.from(c), Array.from(expected), where);
        const start = integers(m * n);
        const acc = start.slice();
        f32.matmul(a, b, acc, m, k, n, { transA, transB, accumulate: true });
        assert.deepEqual(Array.from(acc), Array.from(expected, (v, i) => v + start[i]), `${where} accumulate`);
      }
    }
  }
});

test("float32 matmul on random operands is within float32's error bound, and really is float32 (not float64)", () => {
  const u = 2 ** -24; // float32's unit roundoff
  let worstShare = 0;
  for (const [m, k, n] of shapes()) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true]]) {
      const a = normals(m * k), b = normals(k * n);
      const expected = matmulReference(a, b, m, k, n, transA, transB);
      const absProducts = matmulReference(a.map(Math.abs), b.map(Math.abs), m, k, n, transA, transB);
      const c = new Float64Array(m * n);
      f32.matmul(a, b, c, m, k, n, { transA, transB });
      for (let i = 0; i < c.length; i++) {
        // Both operands rounded (2u), then k products and sums in float32: (k + 2)·u·Σ|a||b| (plus slack for γ's denominator).
        const bound = (k + 2) * u * 1.01 * absProducts[i];
        const err = Math.abs(c[i] - expected[i]);
        assert.ok(err <= bound, `${m}x${k}x${n} transA=${transA} transB=${transB} at ${i}: error ${err} above the bound ${bound}`);
        if (absProducts[i] > 0) worstShare = Math.max(worstShare, err / (u * absProducts[i]));
      }
    }
  }
  // Had the products been computed in float64 the errors would be ~1e-16, a billionth of u's scale.
  assert.ok(worstShare > 0.1, `the largest error is only ${worstShare}·u·Σ|a||b|: these are not float32 products`);
});

test("float32 matmul leaves one-hot operands to the exact float64 path and grows its memory for large products", () => {
  const [m, k, n] = [32, 64, 300];
  const oneHot = new Float64Array(m * k);
  for (let i = 0; i < m; i++) oneHot[i * k + Math.floor(rng.uniform(0, k))] = 1;
  const w = normals(k * n);
  const c = new Float64Array(m * n);
  f32.matmul(oneHot, w, c, m, k, n);
  assert.deepEqual(Array.from(c), Array.from(matmulReference(oneHot, w, m, k, n, false, false)), "a row gather: exact");

  const [M, K, N] = [300, 257, 301]; // ~2.6 MB of staging: more than the first memory page
  const a = integers(M * K), b = integers(K * N);
  const big = new Float64Array(M * N);
  f32.matmul(a, b, big, M, K, N, { transB: true });
  assert.deepEqual(Array.from(big), Array.from(matmulReference(a, b, M, K, N, false, true)));
});

test("float32 matmul leaves its operands alone and writes only C's m*n elements", () => {
  const [m, k, n] = [6, 5, 7];
  const a = normals(m * k + 11).subarray(11), b = normals(k * n + 3).subarray(3);
  const aCopy = a.slice(), bCopy = b.slice();
  const bigC = new Float64Array(m * n + 10).fill(5);
  f32.matmul(a, b, bigC.subarray(4, 4 + m * n), m, k, n);
  assert.deepEqual([a, b], [aCopy, bCopy]);
  assert.deepEqual(Array.from(bigC.subarray(0, 4)), [5, 5, 5, 5]);
  assert.deepEqual(Array.from(bigC.subarray(4 + m * n)), [5, 5, 5, 5, 5, 5]);
});
