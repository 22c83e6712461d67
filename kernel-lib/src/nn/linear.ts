// A fully connected layer: y = x W^T + b, with weight [out, in] and bias [out] as in PyTorch.
import { linear, reshape } from "../ops";
import { shapeStr } from "../errors";
import { Rng, defaultRng } from "../random";
import { Tensor, zeros } from "../tensor";
import * as init from "./init";
import { Module } from "./module";
import { Parameter } from "./parameter";

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the library's default generator). */
  rng?: Rng;
}

export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [what, n] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Linear: ${what} must be a positive integer, got ${n}`);
    }
    this.weight = new Parameter(zeros([outFeatures, inFeatures]));
    this.bias = options.bias === false ? null : new Parameter(zeros([outFeatures]));
    init.linearDefault(this.weight, this.bias, options.rng ?? defaultRng());
  }

  protected override describeOptions(): string {
    return `in=${this.inFeatures}, out=${this.outFeatures}${this.bias === null ? ", bias=false" : ""}`;
  }

  /**
   * x [..., in] → [..., out]. Extra leading axes are flattened and restored, so the read-out of
   * a whole sequence [T, B, H] gives [T, B, out] in one matrix product.
   */
  forward(x: Tensor): Tensor {
    const inF = this.inFeatures;
    if (x.rank < 1 || x.shape[x.rank - 1] !== inF) {
      throw new RangeError(`Linear: x has shape ${shapeStr(x.shape)}, expected [...,${inF}] (last axis = inFeatures)`);
    }
    const bias = this.bias ?? undefined;
    if (x.rank === 2) return linear(x, this.weight, bias);
    const lead = x.shape.slice(0, -1);
    const y = linear(reshape(x, [x.size / inF, inF]), this.weight, bias);
    return reshape(y, [...lead, this.outFeatures]);
  }
}
