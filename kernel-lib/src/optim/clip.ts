// Gradient clipping, used between backward() and step() to tame exploding gradients in RNNs.
import { Tensor } from "../tensor";

/**
 * Rescales all gradients together so that their global L2 norm is at most `maxNorm`,
 * as torch.nn.utils.clip_grad_norm_. Returns the total norm BEFORE clipping (what
 * notebooks plot to watch gradients explode).
 *
 * The total norm treats all gradients as one long vector (torch computes it as the norm of the
 * per-parameter norms, which is the same number).
 * The scale factor is maxNorm / (norm + 1e-6); the 1e-6 keeps it finite for a zero
 * gradient, and the factor is applied only when it is below 1 (clipping never enlarges).
 * Parameters without a gradient are ignored.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  if (!(maxNorm >= 0)) throw new Error(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  const grads = gradsOf(params);
  let sumOfSquares = 0;
  for (const g of grads) {
    let s = 0;
    for (let k = 0; k < g.length; k++) s += g[k] * g[k];
    sumOfSquares += s;
  }
  const totalNorm = Math.sqrt(sumOfSquares);
  const scale = maxNorm / (totalNorm + 1e-6);
  if (scale < 1) {
    for (const g of grads) for (let k = 0; k < g.length; k++) g[k] *= scale;
  }
  return totalNorm;
}

/** Clamps every gradient entry into [-clipValue, clipValue], as torch.nn.utils.clip_grad_value_. */
export function clipGradValue(params: readonly Tensor[], clipValue: number): void {
  if (!(clipValue >= 0)) throw new Error(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  for (const g of gradsOf(params)) {
    for (let k = 0; k < g.length; k++) g[k] = Math.min(clipValue, Math.max(-clipValue, g[k]));
  }
}

/** The gradient arrays of the parameters that have one. */
function gradsOf(params: readonly Tensor[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const p of params) if (p.grad !== null) out.push(p.grad.data);
  return out;
}
