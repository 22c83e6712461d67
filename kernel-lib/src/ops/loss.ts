// Probabilities and losses: softmax, logSoftmax, crossEntropy, mse.
//
// Numerical stability: e^x overflows to Infinity for x > 709. Softmax is unchanged when the same
// number is subtracted from every input, so subtracting the row's maximum first makes every
// exponent <= 0, and the largest term e^0 = 1 keeps the sum >= 1 (no log(0) either).
import { normalizeAxis, shapeStr } from "../errors";
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate } from "../tensor";
import { Indices } from "./indexing";
import { prod } from "./shared";

/**
 * Calls f(base, stride) for each 1-D run along `axis`: element j of the run is data[base + j*stride].
 * A softmax over axis -1 of [B,C] has B runs of stride 1; over axis 0 it has C runs of stride C.
 */
function forEachRun(shape: readonly number[], ax: number, f: (base: number, stride: number) => void): void {
  const n = shape[ax];
  const inner = prod(shape, ax + 1);
  const outer = prod(shape, 0, ax);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(o * n * inner + i, inner);
}

/** log Σ_j e^x_j over one run, computed stably. */
function logSumExp(x: Float64Array, base: number, stride: number, n: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, x[base + j * stride]);
  if (m === -Infinity) return -Infinity; // every entry -Infinity (or n = 0)
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(x[base + j * stride] - m);
  return m + Math.log(s);
}

/**
 * Writes softmax of one run of x into probs (at the same positions) and returns the run's
 * logsumexp, with one e^x per entry: e^(x_j - m) is both a term of the sum and, divided by the
 * sum, the probability. (logSumExp and then e^(x_j - lse) take two, which in the bench's
 * cross-entropy over [2048, 64] logits was a few percent of a whole training step.)
 */
function softmaxRun(x: Float64Array, probs: Float64Array, base: number, stride: number, n: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, x[base + j * stride]);
  if (m === -Infinity) {
    // Every entry -Infinity (or n = 0): no distribution; NaN, as e^(x - lse) would give.
    for (let j = 0; j < n; j++) probs[base + j * stride] = NaN;
    return -Infinity;
  }
  let s = 0;
  for (let j = 0; j < n; j++) {
    const e = Math.exp(x[base + j * stride] - m);
    probs[base + j * stride] = e;
    s += e;
  }
  const inv = 1 / s;
  for (let j = 0; j < n; j++) probs[base + j * stride] *= inv;
  return m + Math.log(s);
}

/** e^a / Σ e^a along `axis`: each run becomes a probability distribution. */
export function softmax(a: Tensor, axis = -1): Tensor {
  const ax = normalizeAxis(axis, a.rank, "softmax", a.shape);
  const n = a.shape[ax];
  const x = a.data;
  const out = new Tensor(allocate("softmax", a.shape), a.shape);
  const y = out.data;
  forEachRun(a.shape, ax, (base, stride) => softmaxRun(x, y, base, stride, n));
  return record(out, [a], (g) => {
    // ∂y_i/∂x_j = y_i(δ_ij - y_j), so dx_j = y_j (g_j - Σ_i g_i y_i).
    const ga = gradSlot(a);
    if (!ga) return;
    forEachRun(a.shape, ax, (base, stride) => {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += g[base + j * stride] * y[base + j * stride];
      for (let j = 0; j < n; j++) {
        const p = base + j * stride;
        ga[p] += y[p] * (g[p] - dot);
      }
    });
  }, "softmax");
}

/** log(softmax(a)) along `axis`, computed as a - logsumexp(a): exact even where softmax underflows to 0. */
export function logSoftmax(a: Tensor, axis = -1): Tensor {
  const ax = normalizeAxis(axis, a.rank, "logSoftmax", a.shape);
  const n = a.shape[ax];
  const x = a.data;
  const out = new Tensor(allocate("logSoftmax", a.shape), a.shape);
  const y = out.data;
  forEachRun(a.shape, ax, (base, stride) => {
    const lse = logSumExp(x, base, stride, n);
    for (let j = 0; j < n; j++) y[base + j * stride] = x[base + j * stride] - lse;
  });
  return record(out, [a], (g) => {
    // y_i = x_i - lse, ∂lse/∂x_j = softmax_j = e^y_j, so dx_j = g_j - e^y_j Σ_i g_i.
    const ga = gradSlot(a);
    if (!ga) return;
    forEachRun(a.shape, ax, (base, stride) => {
      let total = 0;
      for (let j = 0; j < n; j++) total += g[base + j * stride];
      for (let j = 0; j < n; j++) {
        const p = base + j * stride;
        ga[p] += g[p] - Math.exp(y[p]) * total;
      }
    });
  }, "logSoftmax");
}

export type Reduction = "mean" | "sum";

function checkReduction(op: string, reduction: string): void {
  if (reduction !== "mean" && reduction !== "sum") {
    throw new RangeError(`${op}: reduction must be "mean" or "sum", got "${reduction}"`);
  }
}

/**
 * The mean over an empty batch is 0/0: PyTorch returns nan, which would surface steps later as a
 * NaN loss (and 0, what this returned before, looks like a perfect fit). An error names the op and
 * the shape; the sum over an empty batch is 0, well defined, and allowed.
 */
function emptyMean(op: string, what: string): string {
  return `${op}: ${what} hold an empty batch (0 elements), and the mean over nothing is undefined (PyTorch gives nan). Check the batch size or the mask; reduction "sum" gives 0.`;
}

/**
 * Cross-entropy of logits [N,C] against integer class targets (N of them): the negative log of the
 * probability softmax gives the right class, averaged (or summed) over the N rows. Log-softmax
 * and the pick of the target are fused, which is both stable and cheap in backward.
 */
export function crossEntropy(logits: Tensor, targets: Indices, reduction: Reduction = "mean"): Tensor {
  checkReduction("crossEntropy", reduction);
  if (logits.rank !== 2) {
    throw new RangeError(`crossEntropy: logits must be [N,C] (one row of class scores per example), got shape ${shapeStr(logits.shape)}`);
  }
  const [N, C] = logits.shape;
  const t = targets instanceof Tensor ? targets.data : targets;
  if (t.length !== N) {
    throw new RangeError(`crossEntropy: logits ${shapeStr(logits.shape)} but ${t.length} targets; need one target per row`);
  }
  if (N === 0 && reduction === "mean") throw new RangeError(emptyMean("crossEntropy", `logits ${shapeStr(logits.shape)}`));
  for (let r = 0; r < N; r++) {
    if (!Number.isInteger(t[r]) || t[r] < 0 || t[r] >= C) {
      throw new RangeError(`crossEntropy: target ${t[r]} at position ${r} is out of range for ${C} classes (logits ${shapeStr(logits.shape)})`);
    }
  }
  const x = logits.data;
  const probs = allocate("crossEntropy", logits.shape); // kept for backward
  let total = 0;
  for (let r = 0; r < N; r++) {
    const lse = softmaxRun(x, probs, r * C, 1, C);
    total += lse - x[r * C + t[r]]; // -log softmax(x)[target]
  }
  const scale = reduction === "mean" && N > 0 ? 1 / N : 1;
  const out = new Tensor(Float64Array.of(total * scale), []);
  return record(out, [logits], (g) => {
    // ∂loss_r/∂x_rc = softmax(x_r)_c - [c = target_r]: predicted minus true distribution.
    const gl = gradSlot(logits);
    if (!gl) return;
    const s = g[0] * scale;
    for (let r = 0; r < N; r++) {
      for (let c = 0; c < C; c++) gl[r * C + c] += s * probs[r * C + c];
      gl[r * C + t[r]] -= s;
    }
  }, "crossEntropy");
}

/** Mean squared error: mean (or sum) of (pred - target)² over all elements. Shapes must match. */
export function mse(pred: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  checkReduction("mse", reduction);
  if (pred.rank !== target.rank || pred.shape.some((d, i) => d !== target.shape[i])) {
    throw new RangeError(
      `mse: pred ${shapeStr(pred.shape)} and target ${shapeStr(target.shape)} have different shapes (mse does not broadcast: ` +
        `a [N,1] vs [N] mix-up would silently average N² differences)`,
    );
  }
  if (pred.size === 0 && reduction === "mean") throw new RangeError(emptyMean("mse", `pred and target ${shapeStr(pred.shape)}`));
  const p = pred.data;
  const q = target.data;
  const diff = allocate("mse", pred.shape);
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    diff[i] = p[i] - q[i];
    total += diff[i] * diff[i];
  }
  const scale = reduction === "mean" && p.length > 0 ? 1 / p.length : 1;
  const out = new Tensor(Float64Array.of(total * scale), []);
  return record(out, [pred, target], (g) => {
    // ∂(p - t)²/∂p = 2(p - t), and the opposite sign for t.
    const s = 2 * g[0] * scale;
    const gp = gradSlot(pred);
    if (gp) for (let i = 0; i < diff.length; i++) gp[i] += s * diff[i];
    const gt = gradSlot(target);
    if (gt) for (let i = 0; i < diff.length; i++) gt[i] -= s * diff[i];
  }, "mse");
}

declare module "../tensor" {
  interface Tensor {
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    crossEntropy(targets: Indices, reduction?: Reduction): Tensor;
    mse(target: Tensor, reduction?: Reduction): Tensor;
  }
}
Tensor.prototype.softmax = function (this: Tensor, axis?: number) { return softmax(this, axis); };
Tensor.prototype.logSoftmax = function (this: Tensor, axis?: number) { return logSoftmax(this, axis); };
Tensor.prototype.crossEntropy = function (this: Tensor, targets: Indices, reduction?: Reduction) { return crossEntropy(this, targets, reduction); };
Tensor.prototype.mse = function (this: Tensor, target: Tensor, reduction?: Reduction) { return mse(this, target, reduction); };
