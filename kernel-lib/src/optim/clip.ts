// Gradient clipping, used between backward() and step() to tame exploding gradients in RNNs.
import { Tensor } from "../tensor";
import { checkOptions } from "../errors";

export interface ClipGradNormOptions {
  /**
   * What a total norm of NaN or Infinity does. true (the default here): an error naming the
   * parameter and the position of the first non-finite gradient value, and no gradient changed.
   * false: PyTorch's default (`error_if_nonfinite=False`): every gradient is multiplied by the
   * factor maxNorm / (norm + 1e-6), which is NaN (or 0 for an infinite norm), so the whole step is
   * NaN. PyTorch's own option is named error_if_nonfinite.
   */
  errorIfNonfinite?: boolean;
}

/**
 * Rescales all gradients together so that their global L2 norm is at most `maxNorm`,
 * as torch.nn.utils.clip_grad_norm_. Returns the total norm BEFORE clipping (what
 * notebooks plot to watch gradients explode).
 *
 * The total norm treats all gradients as one long vector (torch computes it as the norm of the
 * per-parameter norms, which is the same number).
 * The scale factor is maxNorm / (norm + 1e-6); the 1e-6 keeps it finite for a zero
 * gradient, and the factor is applied only when it is below 1 (clipping never enlarges).
 * Parameters without a gradient are ignored. A NaN or infinite norm is an error unless
 * `{ errorIfNonfinite: false }` (see ClipGradNormOptions): clipping cannot rescue a step whose
 * gradient is already NaN, and the learner needs to know where it is.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number, options: ClipGradNormOptions = {}): number {
  checkOptions("clipGradNorm", options, ["errorIfNonfinite"]);
  if (!(maxNorm >= 0)) throw new Error(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  const grads = gradsOf("clipGradNorm", params);
  let sumOfSquares = 0;
  for (const g of grads) {
    let s = 0;
    for (let k = 0; k < g.length; k++) s += g[k] * g[k];
    sumOfSquares += s;
  }
  const totalNorm = Math.sqrt(sumOfSquares);
  if (!Number.isFinite(totalNorm) && (options.errorIfNonfinite ?? true)) throw new Error(nonFiniteMessage(params, totalNorm));
  const scale = maxNorm / (totalNorm + 1e-6);
  // `!(scale >= 1)` rather than `scale < 1`: a NaN factor is applied too, as torch applies it.
  if (!(scale >= 1)) {
    for (const g of grads) for (let k = 0; k < g.length; k++) g[k] *= scale;
  }
  return totalNorm;
}

/** Clamps every gradient entry into [-clipValue, clipValue], as torch.nn.utils.clip_grad_value_. */
export function clipGradValue(params: readonly Tensor[], clipValue: number): void {
  if (!(clipValue >= 0)) throw new Error(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  for (const g of gradsOf("clipGradValue", params)) {
    for (let k = 0; k < g.length; k++) g[k] = Math.min(clipValue, Math.max(-clipValue, g[k]));
  }
}

/** The gradient arrays of the parameters that have one (after checking that params is an array of tensors). */
function gradsOf(who: string, params: readonly Tensor[]): Float64Array[] {
  const what = (v: unknown) =>
    Array.isArray(v) ? `an array of ${v.length}` : typeof v === "object" && v !== null ? `a ${v.constructor?.name ?? "object"}` : String(v);
  if (!Array.isArray(params)) throw new TypeError(`${who}: expected an array of parameters, such as model.parameters(), got ${what(params)}`);
  const out: Float64Array[] = [];
  params.forEach((p: unknown, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${who}: parameter ${i} is ${what(p)}, not a Tensor; pass one flat array, such as model.parameters()`);
    if (p.grad !== null) out.push(p.grad.data);
  });
  return out;
}

/**
 * Why the total norm is not finite: the first NaN or ±Infinity in a gradient (which parameter,
 * at which index), or, when every value is finite, the largest one, whose square overflowed.
 */
function nonFiniteMessage(params: readonly Tensor[], totalNorm: number): string {
  const what = (i: number, k: number) => {
    const p = params[i];
    return `parameter ${i} (${p.name !== undefined ? `${p.name} ` : ""}[${p.shape.join(",")}]) at [${indexOf(k, p.shape).join(",")}]`;
  };
  const advice =
    "Training has diverged (lower the learning rate; kl.autograd.detectAnomaly(true) finds the op that made it), " +
    "or pass { errorIfNonfinite: false } to clip anyway, as PyTorch does (every gradient becomes NaN).";
  let largest: [number, number, number] | null = null;
  for (let i = 0; i < params.length; i++) {
    const g = params[i].grad?.data;
    if (g === undefined) continue;
    for (let k = 0; k < g.length; k++) {
      if (!Number.isFinite(g[k])) return `clipGradNorm: the total gradient norm is ${totalNorm}: the gradient of ${what(i, k)} is ${g[k]}, its first non-finite value. ${advice}`;
      if (largest === null || Math.abs(g[k]) > Math.abs(largest[2])) largest = [i, k, g[k]];
    }
  }
  const where = largest === null ? "" : ` (the largest is ${largest[2]}, in the gradient of ${what(largest[0], largest[1])})`;
  return `clipGradNorm: the total gradient norm is ${totalNorm}: every gradient value is finite, but the sum of their squares overflows${where}. ${advice}`;
}

/** The multi-index of flat offset k in a row-major tensor of this shape. */
function indexOf(k: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = k % shape[d];
    k = Math.floor(k / shape[d]);
  }
  return out;
}
