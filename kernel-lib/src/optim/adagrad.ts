// Adagrad (Duchi et al., 2011) as torch.optim.Adagrad:
//
//   g = grad + weightDecay * param
//   clr = lr / (1 + (t - 1) * lrDecay)         (t counts this parameter's steps)
//   sum += g * g                               (sum starts at initialAccumulatorValue, default 0)
//   param -= clr * g / (sqrt(sum) + eps)
import { Tensor } from "../tensor";
import { Optimizer, PerParam } from "./optimizer";
import { checkNonNegative } from "./sgd";
import { checkOptions } from "../errors";

export interface AdagradOptions {
  lr?: number;
  eps?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
}

export class Adagrad extends Optimizer {
  lr: number;
  readonly eps: number;
  readonly lrDecay: number;
  readonly weightDecay: number;
  private readonly sums: PerParam;
  private readonly steps: number[] = [];

  constructor(params: readonly Tensor[], options: AdagradOptions = {}) {
    super(params);
    checkOptions("Adagrad", options, ["lr", "eps", "lrDecay", "weightDecay", "initialAccumulatorValue"]);
    const { lr = 1e-2, eps = 1e-10, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0 } = options;
    checkNonNegative("Adagrad", { lr, eps, lrDecay, weightDecay, initialAccumulatorValue });
    this.lr = lr;
    this.eps = eps;
    this.lrDecay = lrDecay;
    this.weightDecay = weightDecay;
    this.sums = new PerParam(initialAccumulatorValue);
  }

  protected update(i: number, param: Float64Array, grad: Float64Array): void {
    const { lr, eps, lrDecay, weightDecay } = this;
    const sum = this.sums.get(i, param.length);
    const t = (this.steps[i] ?? 0) + 1;
    this.steps[i] = t;
    const clr = lr / (1 + (t - 1) * lrDecay);
    for (let k = 0; k < param.length; k++) {
      const g = weightDecay !== 0 ? grad[k] + weightDecay * param[k] : grad[k];
      sum[k] += g * g;
      param[k] -= (clr * g) / (Math.sqrt(sum[k]) + eps);
    }
  }
}
