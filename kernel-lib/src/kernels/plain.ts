// The default kernels: plain JavaScript loops over Float64Arrays.
import type { Shape } from "../tensor";
import type { BinaryOp, Kernels, UnaryOp } from "./types";
import { matmul } from "./matmul";

// ---------------------------------------------------------------------------------------------
// Broadcasting machinery.
//
// Broadcasting [32,512] + [512] means: walk the output, and for each output element read the
// input element with the broadcast axes "frozen". With strides that is simple: an input's stride
// along an axis it is broadcast on is 0, so moving along that axis re-reads the same element.

/** Row-major strides of `shape` seen inside `outShape` (aligned right), 0 on broadcast axes. */
function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const od = d + outShape.length - shape.length;
    strides[od] = shape[d] === 1 && outShape[od] !== 1 ? 0 : stride;
    stride *= shape[d];
  }
  return strides;
}

/**
 * Merges neighbouring axes that every operand walks in the same way, and drops size-1 axes.
 * [4,8,16] + [4,8,16] becomes one axis of 512; [32,512] + [512] stays two axes. Fewer, longer
 * axes means long inner loops and little bookkeeping.
 */
function coalesce(shape: Shape, strides: number[][]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((s, t) => outStrides[t][last] === s[d] * shape[d]);
    if (mergeable) {
      outShape[last] *= shape[d];
      strides.forEach((s, t) => (outStrides[t][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, t) => outStrides[t].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls row(offsets, n, innerStrides) for every run along the last (coalesced) axis of `shape`;
 * `offsets[t]` is where operand t's run starts. An odometer steps through the outer axes.
 */
function forEachRow(
  shape: Shape,
  strides: number[][],
  row: (offsets: number[], n: number, inner: number[]) => void,
): void {
  const c = coalesce(shape, strides);
  const rank = c.shape.length;
  const ops = strides.length;
  if (rank === 0) {
    row(new Array<number>(ops).fill(0), 1, new Array<number>(ops).fill(0));
    return;
  }
  for (const d of shape) if (d === 0) return; // empty tensor: nothing to do
  const n = c.shape[rank - 1];
  const inner = c.strides.map((s) => s[rank - 1]);
  const offsets = new Array<number>(ops).fill(0);
  const counter = new Array<number>(rank - 1).fill(0);
  for (;;) {
    row(offsets, n, inner);
    // Advance the odometer over axes rank-2 .. 0.
    let d = rank - 2;
    for (; d >= 0; d--) {
      counter[d]++;
      for (let t = 0; t < ops; t++) offsets[t] += c.strides[t][d];
      if (counter[d] < c.shape[d]) break;
      for (let t = 0; t < ops; t++) offsets[t] -= c.strides[t][d] * c.shape[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}

function contiguousStrides(shape: Shape): number[] {
  return broadcastStrides(shape, shape);
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// ---------------------------------------------------------------------------------------------
// Elementwise

/** out[o + j] = a[ia + j*sa] ∘ b[ib + j*sb] for j < n. One switch per run, not per element. */
function binaryRun(
  op: BinaryOp,
  a: Float64Array, ia: number, sa: number,
  b: Float64Array, ib: number, sb: number,
  out: Float64Array, o: number, n: number,
): void {
  switch (op) {
    case "add":
      for (let j = 0; j < n; j++) out[o + j] = a[ia + j * sa] + b[ib + j * sb];
      return;
    case "sub":
      for (let j = 0; j < n; j++) out[o + j] = a[ia + j * sa] - b[ib + j * sb];
      return;
    case "mul":
      for (let j = 0; j < n; j++) out[o + j] = a[ia + j * sa] * b[ib + j * sb];
      return;
    case "div":
      for (let j = 0; j < n; j++) out[o + j] = a[ia + j * sa] / b[ib + j * sb];
      return;
  }
}

function binary(op: BinaryOp, a: Float64Array, aShape: Shape, b: Float64Array, bShape: Shape, out: Float64Array, outShape: Shape): void {
  // Fast paths: same shape, or one side a single number.
  if (sameShape(aShape, bShape)) return binaryRun(op, a, 0, 1, b, 0, 1, out, 0, out.length);
  if (b.length === 1) return binaryRun(op, a, 0, 1, b, 0, 0, out, 0, out.length);
  if (a.length === 1) return binaryRun(op, a, 0, 0, b, 0, 1, out, 0, out.length);
  const strides = [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape), contiguousStrides(outShape)];
  forEachRow(outShape, strides, (off, n, s) => binaryRun(op, a, off[0], s[0], b, off[1], s[1], out, off[2], n));
}

function unary(op: UnaryOp, a: Float64Array, out: Float64Array): void {
  const n = a.length;
  switch (op) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -a[i];
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]);
      return;
    case "log":
      for (let i = 0; i < n; i++) out[i] = Math.log(a[i]);
      return;
    case "tanh":
      for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]);
      return;
    case "sigmoid":
      // 1 / (1 + e^-x) overflows e^-x for x << 0 (giving 0, which is right), and is exact enough
      // elsewhere; for x < 0 the form e^x / (1 + e^x) avoids computing a huge e^-x at all.
      for (let i = 0; i < n; i++) {
        const x = a[i];
        if (x >= 0) out[i] = 1 / (1 + Math.exp(-x));
        else {
          const e = Math.exp(x);
          out[i] = e / (1 + e);
        }
      }
      return;
    case "relu":
      for (let i = 0; i < n; i++) out[i] = a[i] > 0 ? a[i] : 0;
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Reductions

function sumToShape(g: Float64Array, gShape: Shape, out: Float64Array, shape: Shape): void {
  if (sameShape(gShape, shape)) {
    for (let i = 0; i < g.length; i++) out[i] += g[i];
    return;
  }
  if (out.length === 1) {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i];
    out[0] += s;
    return;
  }
  const strides = [contiguousStrides(gShape), broadcastStrides(shape, gShape)];
  forEachRow(gShape, strides, (off, n, s) => {
    const go = off[0];
    const o = off[1];
    if (s[1] === 0) {
      // This run is broadcast in the target: all of it sums into one element.
      let acc = 0;
      for (let j = 0; j < n; j++) acc += g[go + j];
      out[o] += acc;
    } else {
      for (let j = 0; j < n; j++) out[o + j] += g[go + j];
    }
  });
}

function addColumnSums(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  // Four rows per pass over `out`: the load-add-store of out[j], not the reading of a, is what
  // bounds this loop, and adding four rows' numbers first makes it 2-3x faster than one row at a
  // time (measured on [32, 384], a GRU's bias gradient at hidden 128).
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = i * cols, r1 = r0 + cols, r2 = r1 + cols, r3 = r2 + cols;
    for (let j = 0; j < cols; j++) out[j] += a[r0 + j] + a[r1 + j] + a[r2 + j] + a[r3 + j];
  }
  for (; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j] += a[r + j];
  }
}

function sumAxis(a: Float64Array, outer: number, n: number, inner: number, out: Float64Array): void {
  out.fill(0, 0, outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    const ob = o * inner;
    // j outside, i inside: both a and out are walked contiguously.
    for (let j = 0; j < n; j++) {
      const row = base + j * inner;
      for (let i = 0; i < inner; i++) out[ob + i] += a[row + i];
    }
  }
}

function maxAxis(a: Float64Array, outer: number, n: number, inner: number, out: Float64Array, argmax: Int32Array): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    const ob = o * inner;
    for (let i = 0; i < inner; i++) {
      out[ob + i] = a[base + i];
      argmax[ob + i] = 0;
    }
    for (let j = 1; j < n; j++) {
      const row = base + j * inner;
      for (let i = 0; i < inner; i++) {
        // Strictly greater: ties keep the first index. A NaN is propagated (as in numpy's max).
        const v = a[row + i];
        if (v > out[ob + i] || (v !== v && out[ob + i] === out[ob + i])) {
          out[ob + i] = v;
          argmax[ob + i] = j;
        }
      }
    }
  }
}

export const plainKernels: Kernels = {
  name: "plain-js",
  matmul,
  binary,
  unary,
  sumToShape,
  addColumnSums,
  sumAxis,
  maxAxis,
};
