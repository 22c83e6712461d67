// Matrix multiply in plain JavaScript: C[m,n] = op(A)[m,k] · op(B)[k,n], op(X) = X or Xᵀ.
//
// This is the hot path of RNN training: an LSTM step with batch 32 and hidden 128 multiplies the
// [32,128] state by the transposed [512,128] weight (weights are stored [out,in]), then in backward
// [32,512]·[512,128] for dX and [512,32]ᵀ·[32,128] for dW. Transposes are flags, not copies.
//
// Two loop shapes cover the four cases, each chosen so the innermost loop walks memory contiguously:
//
//   B not transposed ("axpy" form): row i of C += a(i,p) · (row p of B), for each p.
//     Inner loop runs along a row of B and a row of C: both contiguous. Works for A or Aᵀ since
//     a(i,p) is a scalar read outside the inner loop.
//   B transposed ("dot" form): C[i,j] = (row i of A) · (row j of B), both rows contiguous.
//     For Aᵀ·Bᵀ (rare) column i of A is first copied into a contiguous scratch row.
//
// Both are unrolled: the axpy form handles two rows of C and four rows of B at a time (each B
// value loaded once is used twice), the dot form computes a 2x2 block of C (four accumulators,
// each value loaded once is used twice). Together that is 4-5x the speed of the textbook i-j-p loop
// (the measurements, and the blockings tried and not kept: kernel-lib/bench/README.md, "The
// kernels' history").
//
// Zero-heavy operands (sparseMatmul below). A one-hot input x makes x·W_ihᵀ mostly 0·w: with one
// 1 per row of 64, 63 of every 64 multiply-adds are wasted. When one operand is at most 1/16
// nonzeros, the product is computed by walking only its nonzeros, in the i-k-j order: for each
// nonzero a(i,p), row i of C += a(i,p) · row p of op(B). For a one-hot row that is a row gather
// of op(B), B·(nonzeros) work instead of m·k·n. The backward's dW = dYᵀ·X has the zero-heavy
// operand on the right, handled the same way column by column. Deciding costs one scan of the
// operand that stops at the first 1/16 of nonzeros, so a dense operand is given up on after
// reading ~1/16 of it: noise next to the m·k·n product.
// One difference from the dense loops: 0·Infinity and 0·NaN are skipped instead of giving NaN.
import type { MatmulOptions } from "./types";

export function matmul(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
  opts: MatmulOptions = {},
): void {
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  if (!opts.accumulate) c.fill(0, 0, m * n);
  if (m === 0 || n === 0 || k === 0) return;
  if (sparseMatmul(a, b, c, m, k, n, transA, transB)) return;
  if (!transB) {
    // a(i,p) = A[i*k + p] (A is [m,k]) or A[p*m + i] (A is [k,m], used transposed).
    axpyForm(a, transA ? 1 : k, transA ? m : 1, b, c, m, k, n);
  } else if (!transA) {
    dotForm(a, b, c, m, k, n);
  } else {
    // Aᵀ·Bᵀ: gather each column of A (stored [k,m]) into a contiguous row, then the dot form.
    const row = new Float64Array(k);
    const cRow = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) row[p] = a[p * m + i];
      dotForm(row, b, cRow, 1, k, n);
      for (let j = 0; j < n; j++) c[i * n + j] += cRow[j];
      cRow.fill(0);
    }
  }
}

/**
 * C (+)= op(A)·B with B stored [k,n]. `aRow` / `aCol` are the steps in A between consecutive i /
 * consecutive p, so the same loops serve A and Aᵀ. C must already hold zeros or the values to add to.
 */
function axpyForm(a: Float64Array, aRow: number, aCol: number, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    // Two rows of C at once: every B value loaded is used for both.
    const c0 = i * n;
    const c1 = c0 + n;
    const a0 = i * aRow;
    const a1 = a0 + aRow;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const x00 = a[a0 + p * aCol], x01 = a[a0 + (p + 1) * aCol], x02 = a[a0 + (p + 2) * aCol], x03 = a[a0 + (p + 3) * aCol];
      const x10 = a[a1 + p * aCol], x11 = a[a1 + (p + 1) * aCol], x12 = a[a1 + (p + 2) * aCol], x13 = a[a1 + (p + 3) * aCol];
      const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        const y0 = b[b0 + j], y1 = b[b1 + j], y2 = b[b2 + j], y3 = b[b3 + j];
        c[c0 + j] += x00 * y0 + x01 * y1 + x02 * y2 + x03 * y3;
        c[c1 + j] += x10 * y0 + x11 * y1 + x12 * y2 + x13 * y3;
      }
    }
    for (; p < k; p++) {
      const x0 = a[a0 + p * aCol], x1 = a[a1 + p * aCol];
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const y = b[bp + j];
        c[c0 + j] += x0 * y;
        c[c1 + j] += x1 * y;
      }
    }
  }
  for (; i < m; i++) {
    // The odd last row.
    const c0 = i * n;
    const a0 = i * aRow;
    for (let p = 0; p < k; p++) {
      const x = a[a0 + p * aCol];
      const bp = p * n;
      for (let j = 0; j < n; j++) c[c0 + j] += x * b[bp + j];
    }
  }
}

/** C[i,j] += (row i of A) · (row j of B), A stored [m,k], B stored [n,k]. */
function dotForm(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      // A 2x2 block of C: four dot products sharing their loads.
      const b0 = j * k;
      const b1 = b0 + k;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p], x1 = a[a1 + p], y0 = b[b0 + p], y1 = b[b1 + p];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      c[i * n + j] += s00;
      c[i * n + j + 1] += s01;
      c[(i + 1) * n + j] += s10;
      c[(i + 1) * n + j + 1] += s11;
    }
    if (j < n) {
      const b0 = j * k;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < k; p++) {
        s0 += a[a0 + p] * b[b0 + p];
        s1 += a[a1 + p] * b[b0 + p];
      }
      c[i * n + j] += s0;
      c[(i + 1) * n + j] += s1;
    }
  }
  if (i < m) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[a0 + p] * b[b0 + p];
      c[i * n + j] += s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Zero-heavy operands

/**
 * At most 1 in 16 of x[0..len) is nonzero: the operands sparseMatmul walks (exported for the
 * bench, which leaves those products out of its count of dense work). Stops reading at the first
 * nonzero over that budget.
 */
export function isMostlyZeros(x: Float64Array, len: number): boolean {
  let budget = len >> 4;
  for (let i = 0; i < len; i++) {
    if (x[i] !== 0 && --budget < 0) return false;
  }
  return true;
}

/**
 * C += op(A)·op(B) (or C = op(A)·op(B) with accumulate false) walking only the nonzeros of
 * whichever operand is mostly zeros (one-hot inputs, an all-zero initial state). Returns false,
 * having done nothing (c untouched), when neither is. Exported for the other kernel sets, which
 * share this path.
 */
export function sparseMatmul(
  a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate = true,
): boolean {
  // a(i,p) = a[i*aRow + p*aCol], b(p,j) = b[p*bRow + j*bCol]: one loop for all four layouts.
  const aRow = transA ? 1 : k, aCol = transA ? m : 1;
  const bRow = transB ? 1 : n, bCol = transB ? k : 1;
  const sparseA = isMostlyZeros(a, m * k);
  if (!sparseA && !isMostlyZeros(b, k * n)) return false;
  if (!accumulate) c.fill(0, 0, m * n);
  if (sparseA) {
    // Row i of C += a(i,p) · row p of op(B), for the nonzero a(i,p) only.
    for (let i = 0; i < m; i++) {
      const c0 = i * n;
      for (let p = 0; p < k; p++) {
        const x = a[i * aRow + p * aCol];
        if (x === 0) continue;
        const b0 = p * bRow;
        for (let j = 0; j < n; j++) c[c0 + j] += x * b[b0 + j * bCol];
      }
    }
    return true;
  }
  // Column j of C += column p of op(A) · b(p,j), for the nonzero b(p,j) only.
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < n; j++) {
      const y = b[p * bRow + j * bCol];
      if (y === 0) continue;
      const a0 = p * aCol;
      for (let i = 0; i < m; i++) c[i * n + j] += a[a0 + i * aRow] * y;
    }
  }
  return true;
}
