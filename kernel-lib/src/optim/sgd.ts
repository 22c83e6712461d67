// Stochastic gradient descent with optional momentum and weight decay, as torch.optim.SGD:
//
//   g = grad + weightDecay * param
//   buf = g                                   (first step: the buffer starts as the gradient)
//   buf = momentum * buf + (1 - dampening) * g  (later steps)
//   g = nesterov ? g + momentum * buf : buf
//   param -= lr * g
import { Tensor } from "../tensor";
import { Optimizer } from "./optimizer";
import { checkOptions } from "../errors";

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  /** The momentum buffer of each parameter; undefined until its first update. */
  private readonly buffers: (Float64Array | undefined)[] = [];

  constructor(params: readonly Tensor[], options: SGDOptions) {
    super(params);
    checkOptions("SGD", options, ["lr", "momentum", "dampening", "weightDecay", "nesterov"]);
    const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false } = options ?? ({} as SGDOptions); // (no options: "lr must be ...")
    checkNonNegative("SGD", { lr, momentum, dampening, weightDecay });
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new Error("SGD: nesterov momentum needs momentum > 0 and dampening = 0");
    }
    this.lr = lr;
    this.momentum = momentum;
    this.dampening = dampening;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
  }

  protected update(i: number, param: Float64Array, grad: Float64Array): void {
    const { lr, momentum, dampening, weightDecay, nesterov } = this;
    let buf = this.buffers[i];
    const first = buf === undefined;
    if (momentum !== 0 && buf === undefined) {
      buf = new Float64Array(param.length);
      this.buffers[i] = buf;
    }
    for (let k = 0; k < param.length; k++) {
      let g = weightDecay !== 0 ? grad[k] + weightDecay * param[k] : grad[k];
      if (buf !== undefined) {
        buf[k] = first ? g : momentum * buf[k] + (1 - dampening) * g;
        g = nesterov ? g + momentum * buf[k] : buf[k];
      }
      param[k] -= lr * g;
    }
  }
}

/** Throws if any of the named hyper-parameters is negative or not a finite number. */
export function checkNonNegative(who: string, values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`${who}: ${name} must be a finite number >= 0, got ${v}`);
  }
}
