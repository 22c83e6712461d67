// Elementwise arithmetic with numpy broadcasting: add, sub, mul, div, neg, pow (and lerp, without).
//
// Broadcasting in forward means summing in backward: if b of shape [512] was added to every row
// of a [32,512] tensor, each of b's elements influenced 32 outputs, so its gradient is the sum of
// those 32 output gradients. kernels.sumToShape does that reduction for every op here.
import { shapeStr } from "../errors";
import { getKernels } from "../kernels";
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate } from "../tensor";
import { asTensor, broadcastShapes, prod } from "./shared";

/** Allocates the output of a broadcasting binary op and fills it with the kernel. */
function broadcastBinary(op: "add" | "sub" | "mul" | "div", a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = new Tensor(allocate(op, shape), shape);
  getKernels().binary(op, a.data, a.shape, b.data, b.shape, out.data, shape);
  return out;
}

/** a + b */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const out = broadcastBinary("add", x, y);
  return record(out, [x, y], (g) => {
    // ∂(x+y)/∂x = ∂(x+y)/∂y = 1: the gradient flows through unchanged (then un-broadcast).
    const k = getKernels();
    const gx = gradSlot(x);
    if (gx) k.sumToShape(g, out.shape, gx, x.shape);
    const gy = gradSlot(y);
    if (gy) k.sumToShape(g, out.shape, gy, y.shape);
  }, "add");
}

/** a - b */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const out = broadcastBinary("sub", x, y);
  return record(out, [x, y], (g) => {
    // ∂(x-y)/∂x = 1, ∂(x-y)/∂y = -1.
    const k = getKernels();
    const gx = gradSlot(x);
    if (gx) k.sumToShape(g, out.shape, gx, x.shape);
    const gy = gradSlot(y);
    if (gy && y.size === g.length) {
      for (let i = 0; i < g.length; i++) gy[i] -= g[i]; // y was not broadcast: one pass
    } else if (gy) {
      const negG = new Float64Array(g.length);
      k.unary("neg", g, negG);
      k.sumToShape(negG, out.shape, gy, y.shape);
    }
  }, "sub");
}

/** a * b (elementwise; matmul is the matrix product) */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const out = broadcastBinary("mul", x, y);
  return record(out, [x, y], (g) => {
    // ∂(x·y)/∂x = y, ∂(x·y)/∂y = x.
    const gx = gradSlot(x);
    const gy = gradSlot(y);
    if (x.size === g.length && y.size === g.length) {
      // Neither was broadcast (the usual case: gates times states): one pass, no temporary.
      const xv = x.data, yv = y.data;
      if (gx) for (let i = 0; i < g.length; i++) gx[i] += g[i] * yv[i];
      if (gy) for (let i = 0; i < g.length; i++) gy[i] += g[i] * xv[i];
      return;
    }
    // Broadcast: multiply at the output's shape, then sum back down to each input's shape.
    const k = getKernels();
    const tmp = new Float64Array(g.length);
    if (gx) {
      k.binary("mul", g, out.shape, y.data, y.shape, tmp, out.shape);
      k.sumToShape(tmp, out.shape, gx, x.shape);
    }
    if (gy) {
      k.binary("mul", g, out.shape, x.data, x.shape, tmp, out.shape);
      k.sumToShape(tmp, out.shape, gy, y.shape);
    }
  }, "mul");
}

/** a / b */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  const out = broadcastBinary("div", x, y);
  return record(out, [x, y], (g) => {
    // ∂(x/y)/∂x = 1/y, ∂(x/y)/∂y = -x/y² = -(x/y)/y: reuse the forward output x/y.
    const k = getKernels();
    const gOverY = new Float64Array(g.length);
    k.binary("div", g, out.shape, y.data, y.shape, gOverY, out.shape);
    const gx = gradSlot(x);
    if (gx) k.sumToShape(gOverY, out.shape, gx, x.shape);
    const gy = gradSlot(y);
    if (gy) {
      const o = out.data;
      for (let i = 0; i < gOverY.length; i++) gOverY[i] = -gOverY[i] * o[i];
      k.sumToShape(gOverY, out.shape, gy, y.shape);
    }
  }, "div");
}

/** -a */
export function neg(a: Tensor): Tensor {
  const out = new Tensor(allocate("neg", a.shape), a.shape);
  getKernels().unary("neg", a.data, out.data);
  return record(out, [a], (g) => {
    // ∂(-x)/∂x = -1.
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) ga[i] -= g[i];
  }, "neg");
}

/** a^p for a constant exponent p (p = 2 squares, p = 0.5 is a square root). */
export function pow(a: Tensor, p: number): Tensor {
  if (typeof p !== "number") throw new TypeError(`pow: the exponent must be a number, got ${typeof p}`);
  const x = a.data;
  const out = new Tensor(allocate("pow", a.shape), a.shape);
  for (let i = 0; i < x.length; i++) out.data[i] = Math.pow(x[i], p);
  return record(out, [a], (g) => {
    // ∂(x^p)/∂x = p·x^(p-1).
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i] * p * Math.pow(x[i], p - 1);
  }, "pow");
}

/**
 * Linear interpolation from `start` to `end` by `weight` (PyTorch's torch.lerp), elementwise:
 * start + weight * (end - start) = (1 - weight) * start + weight * end. All three must have the
 * same shape (no broadcasting). The GRU's update h' = (1 - z) * n + z * h is lerp(n, h, z).
 * One op where add(start, mul(weight, sub(end, start))) would be three.
 */
export function lerp(start: Tensor, end: Tensor, weight: Tensor): Tensor {
  const same = (t: Tensor) => t.rank === start.rank && t.shape.every((d, i) => d === start.shape[i]);
  if (!same(end) || !same(weight)) {
    throw new RangeError(
      `lerp: start ${shapeStr(start.shape)}, end ${shapeStr(end.shape)} and weight ${shapeStr(weight.shape)} must have the same shape`,
    );
  }
  const a = start.data, b = end.data, w = weight.data;
  const out = new Tensor(allocate("lerp", start.shape), start.shape);
  const y = out.data;
  for (let i = 0; i < a.length; i++) y[i] = a[i] + w[i] * (b[i] - a[i]);
  return record(out, [start, end, weight], (g) => {
    // ∂/∂start = 1 - weight, ∂/∂end = weight, ∂/∂weight = end - start.
    const ga = gradSlot(start);
    const gb = gradSlot(end);
    const gw = gradSlot(weight);
    for (let i = 0; i < g.length; i++) {
      if (ga) ga[i] += g[i] * (1 - w[i]);
      if (gb) gb[i] += g[i] * w[i];
      if (gw) gw[i] += g[i] * (b[i] - a[i]);
    }
  }, "lerp");
}

// Methods: x.add(y) is add(x, y), and so on.
declare module "../tensor" {
  interface Tensor {
    add(b: Tensor | number): Tensor;
    sub(b: Tensor | number): Tensor;
    mul(b: Tensor | number): Tensor;
    div(b: Tensor | number): Tensor;
    neg(): Tensor;
    pow(p: number): Tensor;
  }
}
Tensor.prototype.add = function (this: Tensor, b: Tensor | number) { return add(this, b); };
Tensor.prototype.sub = function (this: Tensor, b: Tensor | number) { return sub(this, b); };
Tensor.prototype.mul = function (this: Tensor, b: Tensor | number) { return mul(this, b); };
Tensor.prototype.div = function (this: Tensor, b: Tensor | number) { return div(this, b); };
Tensor.prototype.neg = function (this: Tensor) { return neg(this); };
Tensor.prototype.pow = function (this: Tensor, p: number) { return pow(this, p); };
