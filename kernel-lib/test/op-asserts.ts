// What the op and kernel tests share: closeness of values, a gradcheck that must pass, and the
// textbook matrix product the faster kernels are compared with.
import assert from "node:assert/strict";
import { Tensor, tensor } from "../src";
import { gradcheck } from "../src/testing";

/** Every element of actual within tol of expected (nested arrays, a flat array or a typed array). */
export function assertClose(actual: Tensor | Float64Array, expected: unknown, tol = 1e-12): void {
  const a = actual instanceof Tensor ? actual.data : actual;
  const e = ArrayBuffer.isView(expected) ? (expected as Float64Array) : tensor(expected as number[]).data;
  assert.equal(a.length, e.length, `length ${a.length} vs ${e.length}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - e[i]) <= tol, `element ${i}: ${v} vs ${e[i]}`));
}

/** The op's backward agrees with central finite differences (worst relative error below 1e-6). */
export function assertGrads(fn: (...t: Tensor[]) => Tensor, inputs: Tensor[], label: string): void {
  const r = gradcheck(fn, inputs);
  assert.ok(r.ok && r.maxRelError < 1e-6, `${label}: ${JSON.stringify(r)}`);
}

/** C = op(A)·op(B) by the textbook triple loop; A stored [k,m] if transA, B stored [n,k] if transB. */
export function matmulReference(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}
