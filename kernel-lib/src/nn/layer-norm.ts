// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016), PyTorch's nn.LayerNorm:
// weight (ones) and bias (zeros) of the normalised size.
import { layerNorm } from "../ops";
import { shapeStr } from "../errors";
import { Tensor, ones, zeros } from "../tensor";
import { Module } from "./module";
import { Parameter } from "./parameter";

export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5, PyTorch's). */
  eps?: number;
}

export class LayerNorm extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly eps: number;

  constructor(readonly normalizedShape: number, options: LayerNormOptions = {}) {
    super();
    if (!Number.isInteger(normalizedShape) || normalizedShape <= 0) {
      throw new RangeError(`LayerNorm: normalizedShape must be a positive integer (the size of the last axis), got ${normalizedShape}`);
    }
    this.eps = options.eps ?? 1e-5;
    this.weight = new Parameter(ones([normalizedShape]));
    this.bias = new Parameter(zeros([normalizedShape]));
  }

  protected override describeOptions(): string {
    return `${this.normalizedShape}, eps=${this.eps}`;
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.normalizedShape) {
      throw new RangeError(`LayerNorm: x has shape ${shapeStr(x.shape)}, expected [...,${this.normalizedShape}] (last axis = normalizedShape)`);
    }
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}
