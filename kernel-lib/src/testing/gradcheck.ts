// Gradient checking: compare backward() with finite differences.
//
// For an input element x, the derivative of a scalar L is approximately
//     (L(x + eps) - L(x - eps)) / (2·eps)        (central difference, error O(eps²))
// which needs nothing but the forward pass. If an op's hand-written backward disagrees with this,
// the backward is wrong. In float64 with eps = 1e-6 the two agree to ~1e-9 for smooth functions.
//
// A non-scalar output is reduced to L = Σ w ⊙ output with fixed random weights w. Different
// weights per element mean a gradient routed to the wrong output element cannot cancel out,
// and every output element takes part in the check.
import { noGrad } from "../autograd/tape";
import { Tensor } from "../tensor";
import { Rng } from "../random";
import { shapeStr } from "../errors";

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). An element passes if |analytic - numeric| <= atol + rtol·|numeric|. */
  rtol?: number;
}

export interface GradcheckResult {
  ok: boolean;
  /** max over checked elements of |analytic - numeric| / max(1, |analytic|, |numeric|). */
  maxRelError: number;
  /** The element with the largest error: which input, where in it, and the two values. */
  worst: { input: number; index: number[]; analytic: number; numeric: number };
}

/** Multi-index of flat offset `i` in `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return index;
}

/**
 * Checks the gradients of `fn` with respect to every input that has requiresGrad = true (other
 * inputs, such as targets, are passed through unchanged). `fn` must be deterministic: seed any
 * randomness (dropout) inside it.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], opts: GradcheckOptions = {}): GradcheckResult {
  // Results of earlier ops are checked as leaves (same data, no history), so .grad gets filled.
  inputs = inputs.map((t) => (t.isLeaf ? t : Object.assign(t.detach(), { requiresGrad: t.requiresGrad })));
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const checked = inputs.map((t, i) => (t.requiresGrad ? i : -1)).filter((i) => i >= 0);
  if (checked.length === 0) {
    const shapes = inputs.map((t) => shapeStr(t.shape)).join(", ");
    throw new Error(`gradcheck: none of the inputs (${shapes}) has requiresGrad = true, so there is nothing to check`);
  }

  // The fixed weights of the reduction, magnitudes in [0.5, 1.5) with random signs.
  const probe = noGrad(() => fn(...inputs));
  const rng = new Rng(20240601);
  const weights = new Float64Array(probe.size);
  for (let i = 0; i < weights.length; i++) weights[i] = (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.5, 1.5);
  const loss = (out: Tensor): number => {
    if (out.size !== weights.length) {
      throw new Error(`gradcheck: fn returned shape ${shapeStr(out.shape)} on one call and ${shapeStr(probe.shape)} on another`);
    }
    let s = 0;
    for (let i = 0; i < weights.length; i++) s += weights[i] * out.data[i];
    return s;
  };

  // Analytic gradients: one backward with dL/d(output) = weights. Existing .grad values are set
  // aside and restored, so gradcheck does not disturb a training loop's accumulated gradients.
  const saved = inputs.map((t) => t.grad);
  for (const t of inputs) t.grad = null;
  let analytic: Float64Array[];
  try {
    const out = fn(...inputs);
    if (out.requiresGrad) out.backward(new Tensor(weights.slice(), out.shape));
    analytic = inputs.map((t) => (t.grad ? t.grad.data.slice() : new Float64Array(t.size)));
  } finally {
    inputs.forEach((t, i) => (t.grad = saved[i]));
  }

  // Numeric gradients, one element at a time.
  let worst = { input: checked[0], index: unravel(0, inputs[checked[0]].shape), analytic: 0, numeric: 0 };
  let maxRelError = 0;
  let ok = true;
  noGrad(() => {
    for (const i of checked) {
      const x = inputs[i].data;
      for (let e = 0; e < x.length; e++) {
        const original = x[e];
        x[e] = original + eps;
        const plus = loss(fn(...inputs));
        x[e] = original - eps;
        const minus = loss(fn(...inputs));
        x[e] = original;
        const numeric = (plus - minus) / (2 * eps);
        const a = analytic[i][e];
        const diff = Math.abs(a - numeric);
        const rel = diff / Math.max(1, Math.abs(a), Math.abs(numeric));
        if (!(diff <= atol + rtol * Math.abs(numeric))) ok = false; // also catches NaN
        if (rel > maxRelError || Number.isNaN(rel)) {
          maxRelError = Number.isNaN(rel) ? Infinity : rel;
          worst = { input: i, index: unravel(e, inputs[i].shape), analytic: a, numeric };
        }
      }
    }
  });
  return { ok, maxRelError, worst };
}
