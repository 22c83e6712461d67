// A Parameter is a tensor that a model learns: a leaf with requiresGrad, which Module finds by
// walking its fields (PyTorch's nn.Parameter). Plain tensors in a module's fields are not
// parameters: a cached value, a mask or a constant stays out of parameters() and stateDict().
import { Tensor } from "../tensor";

export class Parameter extends Tensor {
  /**
   * `new Parameter(kl.randn([4, 3]).mul(0.1))`: the values of `t` (shared, not copied), as a
   * leaf that requires grad. The result of an op becomes a leaf of its own: its history is dropped.
   */
  constructor(t: Tensor, name?: string) {
    super(t.data, t.shape, true);
    if (name !== undefined) this.name = name;
  }
}
