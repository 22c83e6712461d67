// The opt-in float32 matmul (wasm-f32.ts) against the textbook loop. It cannot agree to 1e-12 as
// the float64 sets do (kernels-matmul.test.ts), so it is held to two things that together pin it:
// exact equality where float32 loses nothing (small integers: every product and sum is exact), which
// catches any wrong index or padding, and, on random operands, float32's own error bound.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createWasmF32Kernels, getKernels, plainKernels, setKernels } from "../src/kernels";
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

test("float32 matmul leaves one-hot operands to the exact float64 path, in every layout, accumulating too", () => {
  const [m, k, n] = [32, 64, 300];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const oneHot = new Float64Array(m * k); // one 1 in each row of op(A)
      for (let i = 0; i < m; i++) oneHot[transA ? Math.floor(rng.uniform(0, k)) * m + i : i * k + Math.floor(rng.uniform(0, k))] = 1;
      const w = normals(k * n);
      const start = normals(m * n);
      const c = start.slice();
      f32.matmul(oneHot, w, c, m, k, n, { transA, transB, accumulate: true });
      const expected = matmulReference(oneHot, w, m, k, n, transA, transB);
      assert.deepEqual(Array.from(c), Array.from(expected, (v, i) => start[i] + v), `transA=${transA} transB=${transB}: a row gather, exact`);
    }
  }
});

test("the shipped float32 set keeps products under 4,096 multiply-adds in float64, and rounds the ones above", () => {
  const product = (kern: typeof shipped, s: number, a: Float64Array, b: Float64Array) => {
    const c = new Float64Array(s * s);
    kern.matmul(a, b, c, s, s, s);
    return c;
  };
  const [a15, b15] = [normals(15 * 15), normals(15 * 15)];
  assert.deepEqual(product(shipped, 15, a15, b15), product(plainKernels, 15, a15, b15), "15·15·15 = 3,375: the plain float64 loop");
  const [a16, b16] = [normals(16 * 16), normals(16 * 16)];
  assert.notDeepEqual(product(shipped, 16, a16, b16), product(plainKernels, 16, a16, b16), "16·16·16 = 4,096: float32");
});

test("float32 matmul with nothing to multiply (m, k or n 0) zeroes C, or leaves it alone when accumulating", () => {
  for (const [m, k, n] of [[3, 0, 4], [0, 5, 4], [3, 5, 0]]) {
    const c = new Float64Array(m * n).fill(7);
    f32.matmul(new Float64Array(m * k), new Float64Array(k * n), c, m, k, n);
    assert.deepEqual(Array.from(c), new Array(m * n).fill(0), `${m}x${k}x${n}`);
    const kept = new Float64Array(m * n).fill(7);
    f32.matmul(new Float64Array(m * k), new Float64Array(k * n), kept, m, k, n, { accumulate: true });
    assert.deepEqual(Array.from(kept), new Array(m * n).fill(7), `${m}x${k}x${n} accumulate`);
  }
});

test("a fresh float32 set grows its memory for a large product, accumulating into C", () => {
  const fresh = createWasmF32Kernels({ minWork: 0 })!;
  const [m, k, n] = [300, 257, 301]; // ~1.7 MB of staging: far more than the first 64 KB page
  const a = integers(m * k), b = integers(k * n), start = integers(m * n);
  const c = start.slice();
  fresh.matmul(a, b, c, m, k, n, { transB: true, accumulate: true });
  assert.deepEqual(Array.from(c), Array.from(matmulReference(a, b, m, k, n, false, true), (v, i) => v + start[i]));
});

test("float32 matmul reads subarrays (offset views, longer than the operand) in every layout, writes only C's m*n elements, accumulating too", () => {
  // n = 8 and k = 4: rows need no padding, so the operands are copied whole (the path that must
  // not read past m*k); n = 7 and k = 5: padded row by row.
  for (const [m, k, n] of [[6, 4, 8], [6, 5, 7]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) {
          const bigA = integers(m * k + 20), bigB = integers(k * n + 9);
          const a = bigA.subarray(11), b = bigB.subarray(3); // each longer than its operand
          const aCopy = bigA.slice(), bCopy = bigB.slice();
          const bigC = new Float64Array(m * n + 10).fill(5);
          const c = bigC.subarray(4, 4 + m * n);
          f32.matmul(a, b, c, m, k, n, { transA, transB, accumulate });
          const where = `${m}x${k}x${n} transA=${transA} transB=${transB} accumulate=${accumulate}`;
          const expected = matmulReference(a, b, m, k, n, transA, transB);
          assert.deepEqual(Array.from(c), Array.from(expected, (v) => v + (accumulate ? 5 : 0)), where);
          assert.deepEqual([bigA, bigB], [aCopy, bCopy], `${where}: operands unchanged`);
          assert.deepEqual(Array.from(bigC.subarray(0, 4)), [5, 5, 5, 5], where);
          assert.deepEqual(Array.from(bigC.subarray(4 + m * n)), [5, 5, 5, 5, 5, 5], where);
        }
      }
    }
  }
});
