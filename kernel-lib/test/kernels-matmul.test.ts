// The matmul kernels against a textbook triple loop: every kernel set the library ships, on random
// shapes including edge sizes (1, odd, not multiples of any block), all four transpose layouts,
// with and without accumulate, on dense and on zero-heavy (one-hot, all-zero) operands.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Kernels, plainKernels } from "../src/kernels";
import { Rng } from "../src";
import { createWasmSimdKernels } from "../src/kernels/wasm-simd";
import { createWasmThreadsKernels } from "../src/kernels/wasm-threads";
import { matmulReference } from "./op-asserts";

const rng = new Rng(2024);

function dense(len: number): Float64Array {
  const x = new Float64Array(len);
  for (let i = 0; i < len; i++) x[i] = rng.normal();
  return x;
}

/** Rows of `cols` with a single 1 (a one-hot batch), laid out as [rows, cols]. */
function oneHot(rows: number, cols: number): Float64Array {
  const x = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) x[r * cols + Math.floor(rng.uniform(0, cols))] = 1;
  return x;
}

/** Max of |x - y| / max(|y|, 1): relative for large values, absolute near 0. */
function maxRelError(x: Float64Array, y: Float64Array): number {
  assert.equal(x.length, y.length);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(Math.abs(y[i]), 1));
  return worst;
}

type Fill = "dense" | "one-hot A" | "one-hot B" | "zero A";

function operands(fill: Fill, m: number, k: number, n: number, transA: boolean, transB: boolean): [Float64Array, Float64Array] {
  // A is [m,k] (or stored [k,m]); a one-hot A has one 1 per row of op(A) when not transposed.
  const a = fill === "one-hot A" ? (transA ? oneHot(k, m) : oneHot(m, k)) : fill === "zero A" ? new Float64Array(m * k) : dense(m * k);
  const b = fill === "one-hot B" ? (transB ? oneHot(n, k) : oneHot(k, n)) : dense(k * n);
  return [a, b];
}

/**
 * Every shipped kernel set. The WASM one (node 20 has WebAssembly SIMD) is tested three times: as
 * shipped, and with minWork 0 so that even 1x1x1 goes through the WASM code and its padding,
 * with B row-major and with B packed; the
 * two-thread one with every product that can be split split between its threads.
 */
function kernelSets(): Kernels[] {
  const wasm = createWasmSimdKernels();
  const wasmAll = createWasmSimdKernels({ minWork: 0 });
  assert.ok(wasm !== null && wasmAll !== null, "this node has no WebAssembly SIMD");
  const threads = createWasmThreadsKernels({ minWork: 0, minParallelWork: 0, takeBack: false });
  assert.ok(threads !== null, "this node has no SharedArrayBuffer");
  // B packed into panels for every op(A)·B (by default only large ones are), padding included.
  const packed = createWasmSimdKernels({ minWork: 0, packB: "always" });
  assert.ok(packed !== null);
  // ... and split over two threads with B packed: the helper's half starts at a panel, after a cut
  // at 4 columns (n < 16) or 8, or after a cut by rows.
  const threadsPacked = createWasmThreadsKernels({ minWork: 0, minParallelWork: 0, takeBack: false, packB: "always" });
  assert.ok(threadsPacked !== null);
  return [plainKernels, wasm, { ...wasmAll, name: "wasm-simd (minWork 0)" }, { ...packed, name: "wasm-simd (minWork 0, every B packed)" },
    { ...threads, name: "wasm-simd-2threads (every product split, the helper computing its half)" },
    { ...threadsPacked, name: "wasm-simd-2threads (every product split, every B packed)" }];
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [1, 5, 9], [2, 2, 2], [3, 5, 7], [4, 4, 4], [5, 9, 3], [7, 3, 8],
  [8, 8, 8], [9, 17, 11], [13, 1, 6], [32, 13, 6], [17, 33, 65], [32, 128, 64], [33, 64, 130],
];

for (const kern of kernelSets()) {
  for (const fill of ["dense", "one-hot A", "one-hot B", "zero A"] as Fill[]) {
    test(`${kern.name} matmul, ${fill}: shapes x transposes x accumulate against the textbook loop`, () => {
      const shapes = SHAPES.slice();
      for (let r = 0; r < 12; r++) shapes.push([1 + Math.floor(rng.uniform(0, 70)), 1 + Math.floor(rng.uniform(0, 70)), 1 + Math.floor(rng.uniform(0, 70))]);
      for (const [m, k, n] of shapes) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const [a, b] = operands(fill, m, k, n, transA, transB);
            const aCopy = a.slice(), bCopy = b.slice();
            const expected = matmulReference(a, b, m, k, n, transA, transB);
            const where = `${m}x${k}x${n} transA=${transA} transB=${transB}`;
            const c = new Float64Array(m * n).fill(99); // overwritten without accumulate
            kern.matmul(a, b, c, m, k, n, { transA, transB });
            assert.ok(maxRelError(c, expected) < 1e-12, `${where}: error ${maxRelError(c, expected)}`);
            const start = dense(m * n);
            const acc = start.slice();
            kern.matmul(a, b, acc, m, k, n, { transA, transB, accumulate: true });
            assert.ok(maxRelError(acc, expected.map((v, i) => v + start[i])) < 1e-12, `${where} accumulate`);
            assert.deepEqual([a, b], [aCopy, bCopy], `${where}: operands unchanged`);
          }
        }
      }
    });
  }

  test(`${kern.name} matmul works on subarrays (offset views) and leaves C outside m*n alone`, () => {
    const [m, k, n] = [6, 5, 7];
    const bigA = dense(m * k + 11), bigB = dense(k * n + 3);
    const a = bigA.subarray(11), b = bigB.subarray(3);
    const bigC = new Float64Array(m * n + 10).fill(5);
    const c = bigC.subarray(4, 4 + m * n);
    kern.matmul(a, b, c, m, k, n, { transB: false });
    assert.ok(maxRelError(c, matmulReference(a, b, m, k, n, false, false)) < 1e-12);
    assert.deepEqual(Array.from(bigC.subarray(0, 4)), [5, 5, 5, 5]);
    assert.deepEqual(Array.from(bigC.subarray(4 + m * n)), [5, 5, 5, 5, 5, 5]);
  });
}

for (const kern of kernelSets()) {
  test(`${kern.name} addColumnSums adds each column's sum into out, for row counts around its 4-row step`, () => {
    for (const [rows, cols] of [[0, 3], [1, 1], [3, 5], [4, 7], [5, 2], [8, 9], [11, 6], [32, 384]]) {
      const a = dense(rows * cols);
      const out = dense(cols);
      const expected = Array.from(out, (v, j) => {
        let s = v;
        for (let i = 0; i < rows; i++) s += a[i * cols + j];
        return s;
      });
      kern.addColumnSums(a, rows, cols, out);
      assert.ok(maxRelError(out, Float64Array.from(expected)) < 1e-13, `[${rows},${cols}]`);
    }
  });
}
