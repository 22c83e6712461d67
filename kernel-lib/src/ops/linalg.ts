// Matrix products and transposes: matmul, linear, transpose.
//
// The backward of a matrix product is two more matrix products with one operand transposed. The
// kernel takes "transposed" as a flag and can add into the gradient buffer directly, so no
// transposed copy and no temporary gradient is ever made.
import { normalizeAxis, shapeStr } from "../errors";
import { getKernels } from "../kernels";
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate } from "../tensor";
import { prod } from "./shared";

/** Matrix product of a [n,k] and b [k,m], giving [n,m]. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 2 || b.rank !== 2) {
    throw new RangeError(
      `matmul: ${shapeStr(a.shape)} x ${shapeStr(b.shape)}: both operands must be 2-D (got ranks ${a.rank} and ${b.rank})`,
    );
  }
  const [n, k] = a.shape;
  const [k2, m] = b.shape;
  if (k !== k2) {
    throw new RangeError(`matmul: ${shapeStr(a.shape)} x ${shapeStr(b.shape)}: inner sizes ${k} and ${k2} differ`);
  }
  const out = new Tensor(allocate("matmul", [n, m]), [n, m]);
  getKernels().matmul(a.data, b.data, out.data, n, k, m);
  return record(out, [a, b], (g) => {
    const kern = getKernels();
    // C = A·B  ⇒  dA = dC·Bᵀ  ([n,m]·[m,k]),  dB = Aᵀ·dC  ([k,n]·[n,m]).
    const ga = gradSlot(a);
    if (ga) kern.matmul(g, b.data, ga, n, m, k, { transB: true, accumulate: true });
    const gb = gradSlot(b);
    if (gb) kern.matmul(a.data, g, gb, k, n, m, { transA: true, accumulate: true });
  }, "matmul");
}

/**
 * A fully connected layer, PyTorch's F.linear for a matrix: x [n,in] · weightᵀ + bias, with weight
 * stored [out,in] and bias [out]. The transpose is a kernel flag, never a copy. (F.linear also takes
 * leading axes, [T,B,in]; here reshape to [T·B,in] first. kl.nn.Linear does that itself.)
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  // (A function, so that the message is only built when there is an error: linear runs twice per
  // time step in every recurrent layer.)
  const where = () => `linear: input ${shapeStr(x.shape)}, weight ${shapeStr(weight.shape)}`;
  if (x.rank !== 2 || weight.rank !== 2) {
    throw new RangeError(`${where()}: input must be [n,in] and weight [out,in] (got ranks ${x.rank} and ${weight.rank})`);
  }
  const [n, inF] = x.shape;
  const [outF, inW] = weight.shape;
  if (inF !== inW) {
    throw new RangeError(`${where()}: input has ${inF} features but weight expects ${inW} (weight is [out,in])`);
  }
  if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== outF)) {
    throw new RangeError(`${where()}: bias ${shapeStr(bias.shape)} should be [${outF}]`);
  }
  const out = new Tensor(allocate("linear", [n, outF]), [n, outF]);
  // The bias goes in first, one row copy per row, and the product is accumulated onto it: the
  // WebAssembly matmul copies its output buffer in either way (to add onto, or cleared), so this
  // saves the separate pass over the output that adding the bias afterwards would make.
  if (bias !== undefined) for (let i = 0; i < n; i++) out.data.set(bias.data, i * outF);
  getKernels().matmul(x.data, weight.data, out.data, n, inF, outF, { transB: true, accumulate: true });
  const inputs = bias === undefined ? [x, weight] : [x, weight, bias];
  return record(out, inputs, (g) => {
    const k = getKernels();
    // Y = X·Wᵀ + b  ⇒  dX = dY·W  ([n,out]·[out,in]),  dW = dYᵀ·X  ([out,n]·[n,in]),
    // db = column sums of dY (b was broadcast over the n rows).
    const gx = gradSlot(x);
    if (gx) k.matmul(g, weight.data, gx, n, outF, inF, { accumulate: true });
    const gw = gradSlot(weight);
    if (gw) k.matmul(g, x.data, gw, outF, n, inF, { transA: true, accumulate: true });
    const gb = bias === undefined ? null : gradSlot(bias);
    if (gb) k.addColumnSums(g, n, outF, gb);
  }, "linear");
}

/**
 * Copies src (of `shape`) into dst with axes d0 < d1 swapped. Viewing the shape as
 * [pre, s0, mid, s1, post], element (p, i, q, j, r) moves to (p, j, q, i, r).
 */
function swapAxesInto(src: Float64Array, shape: readonly number[], d0: number, d1: number, dst: Float64Array, accumulate: boolean): void {
  const pre = prod(shape, 0, d0);
  const s0 = shape[d0];
  const mid = prod(shape, d0 + 1, d1);
  const s1 = shape[d1];
  const post = prod(shape, d1 + 1);
  let from = 0;
  for (let p = 0; p < pre; p++) {
    for (let i = 0; i < s0; i++) {
      for (let q = 0; q < mid; q++) {
        for (let j = 0; j < s1; j++) {
          let to = (((p * s1 + j) * mid + q) * s0 + i) * post;
          for (let r = 0; r < post; r++, from++, to++) {
            if (accumulate) dst[to] += src[from];
            else dst[to] = src[from];
          }
        }
      }
    }
  }
}

/** Swaps two axes (by default the two of a matrix). The result is a contiguous copy. */
export function transpose(a: Tensor, dim0 = 0, dim1 = 1): Tensor {
  let d0 = normalizeAxis(dim0, a.rank, "transpose", a.shape);
  let d1 = normalizeAxis(dim1, a.rank, "transpose", a.shape);
  if (d0 > d1) [d0, d1] = [d1, d0];
  const shape = a.shape.slice();
  [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
  const out = new Tensor(allocate("transpose", shape), shape);
  if (d0 === d1) out.data.set(a.data);
  else swapAxesInto(a.data, a.shape, d0, d1, out.data, false);
  return record(out, [a], (g) => {
    // A transpose only moves numbers around, so the gradient moves back the same way.
    const ga = gradSlot(a);
    if (!ga) return;
    if (d0 === d1) for (let i = 0; i < g.length; i++) ga[i] += g[i];
    else swapAxesInto(g, shape, d0, d1, ga, true);
  }, "transpose");
}

declare module "../tensor" {
  interface Tensor {
    matmul(b: Tensor): Tensor;
    transpose(dim0?: number, dim1?: number): Tensor;
    /** Shorthand for transpose() of a matrix: it swaps axes 0 and 1 (PyTorch's .T reverses every axis). */
    readonly T: Tensor;
  }
}
Tensor.prototype.matmul = function (this: Tensor, b: Tensor) { return matmul(this, b); };
Tensor.prototype.transpose = function (this: Tensor, dim0?: number, dim1?: number) { return transpose(this, dim0, dim1); };
Object.defineProperty(Tensor.prototype, "T", {
  get(this: Tensor) { return transpose(this); },
  configurable: true,
});
