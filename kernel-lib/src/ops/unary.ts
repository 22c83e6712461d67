// Elementwise functions: exp, log, tanh, sigmoid, relu. Each backward multiplies the incoming
// gradient by the function's derivative at that element (the chain rule, elementwise).
import { getKernels, UnaryOp } from "../kernels";
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate } from "../tensor";

function applyUnary(op: UnaryOp, a: Tensor): Tensor {
  const out = new Tensor(allocate(op, a.shape), a.shape);
  getKernels().unary(op, a.data, out.data);
  return out;
}

/** e^a */
export function exp(a: Tensor): Tensor {
  const out = applyUnary("exp", a);
  const y = out.data;
  return record(out, [a], (g) => {
    // (e^x)' = e^x: the forward output is the derivative.
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i] * y[i];
  }, "exp");
}

/** Natural logarithm. */
export function log(a: Tensor): Tensor {
  const out = applyUnary("log", a);
  const x = a.data;
  return record(out, [a], (g) => {
    // (ln x)' = 1/x.
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i] / x[i];
  }, "log");
}

/** Hyperbolic tangent, squashing to (-1, 1): the classic RNN nonlinearity. */
export function tanh(a: Tensor): Tensor {
  const out = applyUnary("tanh", a);
  const y = out.data;
  return record(out, [a], (g) => {
    // tanh'(x) = 1 - tanh²(x): computed from the output, no second tanh. Near ±1 it is ~0, which is
    // why gradients vanish through saturated units.
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i] * (1 - y[i] * y[i]);
  }, "tanh");
}

/** Logistic sigmoid 1 / (1 + e^-a), squashing to (0, 1): the gates of LSTMs and GRUs. */
export function sigmoid(a: Tensor): Tensor {
  const out = applyUnary("sigmoid", a);
  const y = out.data;
  return record(out, [a], (g) => {
    // σ'(x) = σ(x)·(1 - σ(x)), again from the output; at most 1/4, at x = 0.
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i] * y[i] * (1 - y[i]);
  }, "sigmoid");
}

/** max(a, 0) */
export function relu(a: Tensor): Tensor {
  const out = applyUnary("relu", a);
  const x = a.data;
  return record(out, [a], (g) => {
    // relu'(x) = 1 for x > 0, else 0 (at exactly 0 we pick 0, as PyTorch does).
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) if (x[i] > 0) ga[i] += g[i];
  }, "relu");
}

declare module "../tensor" {
  interface Tensor {
    exp(): Tensor;
    log(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
  }
}
Tensor.prototype.exp = function (this: Tensor) { return exp(this); };
Tensor.prototype.log = function (this: Tensor) { return log(this); };
Tensor.prototype.tanh = function (this: Tensor) { return tanh(this); };
Tensor.prototype.sigmoid = function (this: Tensor) { return sigmoid(this); };
Tensor.prototype.relu = function (this: Tensor) { return relu(this); };
