// The element-wise functions and dropout as modules, so that they can sit in a Sequential.
// Each is the op of the same name (kl.tanh, kl.relu, kl.sigmoid, kl.dropout); only Dropout has state.
import { dropout, relu, sigmoid, tanh } from "../ops";
import { Rng, defaultRng } from "../random";
import { Tensor } from "../tensor";
import { Module } from "./module";

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Zeroes each element with probability p in training mode (scaling the rest by 1/(1-p)); the identity in eval mode. */
export class Dropout extends Module {
  private readonly rng: Rng;

  constructor(readonly p = 0.5, options: { rng?: Rng } = {}) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`);
    this.rng = options.rng ?? defaultRng();
  }

  protected override describeOptions(): string {
    return `p=${this.p}`;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { rng: this.rng, training: this.training });
  }
}
