// Adam (Kingma & Ba, 2015) with exactly torch.optim.Adam's arithmetic (amsgrad off):
//
//   g  = grad + weightDecay * param            (L2 penalty added to the gradient, not AdamW)
//   m  = m + (1 - beta1) * (g - m)             (torch's lerp; equals beta1*m + (1-beta1)*g)
//   v  = beta2 * v + (1 - beta2) * g * g
//   bc1 = 1 - beta1^t,  bc2 = 1 - beta2^t      (bias corrections; t counts this parameter's steps)
//   denom = sqrt(v) / sqrt(bc2) + eps          (eps is added AFTER the square root and the correction)
//   param -= (lr / bc1) * m / denom
//
// The order of operations matters at the 1e-16 level only, but matching it lets the fidelity
// fixtures agree with PyTorch to ~1e-15 instead of ~1e-12.
import "../same-pow"; // the bias corrections' beta^t, the same on every Node (same-pow.ts)
import { Tensor } from "../tensor";
import { Optimizer, PerParam } from "./optimizer";
import { checkNonNegative } from "./sgd";
import { checkOptions } from "../errors";

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

export class Adam extends Optimizer {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly m = new PerParam();
  private readonly v = new PerParam();
  /** Per-parameter step counts: a parameter without a gradient at some step does not advance. */
  private readonly steps: number[] = [];

  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    super(params);
    checkOptions("Adam", options, ["lr", "betas", "eps", "weightDecay"]);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 } = options;
    const [beta1, beta2] = betas;
    checkNonNegative("Adam", { lr, eps, weightDecay });
    for (const [name, b] of [["betas[0]", beta1], ["betas[1]", beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new Error(`Adam: ${name} must be in [0, 1), got ${b}`);
    }
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  protected update(i: number, param: Float64Array, grad: Float64Array): void {
    const { lr, beta1, beta2, eps, weightDecay } = this;
    const m = this.m.get(i, param.length);
    const v = this.v.get(i, param.length);
    const t = (this.steps[i] ?? 0) + 1;
    this.steps[i] = t;
    const stepSize = lr / (1 - Math.pow(beta1, t));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    for (let k = 0; k < param.length; k++) {
      const g = weightDecay !== 0 ? grad[k] + weightDecay * param[k] : grad[k];
      m[k] += (1 - beta1) * (g - m[k]);
      v[k] = v[k] * beta2 + (1 - beta2) * g * g;
      const denom = Math.sqrt(v[k]) / bc2Sqrt + eps;
      param[k] -= (stepSize * m[k]) / denom; // torch's addcdiv order: (value * m) / denom
    }
  }
}
