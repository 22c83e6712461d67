// Reductions along one axis (or over everything): sum, mean, max.
//
// Any axis reduction can be seen as a 3-D problem: a tensor of shape [2,3,4,5] reduced over axis 1
// is viewed as [outer=2, n=3, inner=4·5] and the middle axis is summed away. The kernels work on
// that view, so one loop serves every rank and axis.
import { normalizeAxis, shapeStr } from "../errors";
import { getKernels } from "../kernels";
import { gradSlot, record } from "../autograd/tape";
import { Shape, Tensor, allocate } from "../tensor";
import { prod } from "./shared";

interface AxisView {
  outer: number;
  n: number;
  inner: number;
  /** Shape of the result. */
  shape: number[];
}

/** The [outer, n, inner] view for reducing `axis` (all axes if undefined) and the result's shape. */
function reductionView(op: string, shape: Shape, axis: number | undefined, keepDims: boolean): AxisView {
  if (axis === undefined) {
    return { outer: 1, n: prod(shape), inner: 1, shape: keepDims ? shape.map(() => 1) : [] };
  }
  const ax = normalizeAxis(axis, shape.length, op, shape);
  const out = shape.slice();
  if (keepDims) out[ax] = 1;
  else out.splice(ax, 1);
  return { outer: prod(shape, 0, ax), n: shape[ax], inner: prod(shape, ax + 1), shape: out };
}

/** Sum of g[o, i] · scale into every ga[o, j, i]: the backward of summing axis j away. */
function spreadBack(g: Float64Array, ga: Float64Array, v: AxisView, scale: number): void {
  const { outer, n, inner } = v;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const row = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) ga[row + i] += g[o * inner + i] * scale;
    }
  }
}

/** Sum over `axis` (or over everything, giving a scalar of shape []). */
export function sum(a: Tensor, axis?: number, keepDims = false): Tensor {
  const v = reductionView("sum", a.shape, axis, keepDims);
  const out = new Tensor(allocate("sum", v.shape), v.shape);
  getKernels().sumAxis(a.data, v.outer, v.n, v.inner, out.data);
  return record(out, [a], (g) => {
    // Each input element contributed with weight 1 to one output element: copy its gradient back.
    const ga = gradSlot(a);
    if (ga) spreadBack(g, ga, v, 1);
  }, "sum");
}

/** Mean over `axis` (or over everything). */
export function mean(a: Tensor, axis?: number, keepDims = false): Tensor {
  const v = reductionView("mean", a.shape, axis, keepDims);
  if (v.n === 0) throw new RangeError(`mean: axis ${axis ?? "(all)"} of shape ${shapeStr(a.shape)} is empty; the mean of nothing is undefined`);
  const out = new Tensor(allocate("mean", v.shape), v.shape);
  getKernels().sumAxis(a.data, v.outer, v.n, v.inner, out.data);
  for (let i = 0; i < out.size; i++) out.data[i] /= v.n;
  return record(out, [a], (g) => {
    // Like sum, with every contribution weighted 1/n.
    const ga = gradSlot(a);
    if (ga) spreadBack(g, ga, v, 1 / v.n);
  }, "mean");
}

/** Maximum over `axis` (or over everything). Its gradient goes to the first position of the maximum. */
export function max(a: Tensor, axis?: number, keepDims = false): Tensor {
  const v = reductionView("max", a.shape, axis, keepDims);
  if (v.n === 0) throw new RangeError(`max: axis ${axis ?? "(all)"} of shape ${shapeStr(a.shape)} is empty; the max of nothing is undefined`);
  const out = new Tensor(allocate("max", v.shape), v.shape);
  const argmax = new Int32Array(v.outer * v.inner);
  getKernels().maxAxis(a.data, v.outer, v.n, v.inner, out.data, argmax);
  return record(out, [a], (g) => {
    // Only the winning element influenced the output; the others get zero gradient.
    const ga = gradSlot(a);
    if (!ga) return;
    for (let o = 0; o < v.outer; o++) {
      for (let i = 0; i < v.inner; i++) {
        const r = o * v.inner + i;
        ga[(o * v.n + argmax[r]) * v.inner + i] += g[r];
      }
    }
  }, "max");
}

declare module "../tensor" {
  interface Tensor {
    sum(axis?: number, keepDims?: boolean): Tensor;
    mean(axis?: number, keepDims?: boolean): Tensor;
    max(axis?: number, keepDims?: boolean): Tensor;
  }
}
Tensor.prototype.sum = function (this: Tensor, axis?: number, keepDims?: boolean) { return sum(this, axis, keepDims); };
Tensor.prototype.mean = function (this: Tensor, axis?: number, keepDims?: boolean) { return mean(this, axis, keepDims); };
Tensor.prototype.max = function (this: Tensor, axis?: number, keepDims?: boolean) { return max(this, axis, keepDims); };
