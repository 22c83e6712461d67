// Sequential: layers applied one after the other, for models that are a plain chain.
//
//   const mlp = new kl.nn.Sequential(new kl.nn.Linear(4, 16), new kl.nn.Tanh(), new kl.nn.Linear(16, 1));
//   mlp.forward(x);                    // Linear, then Tanh, then Linear
//   mlp.stateDict();                   // {"0.weight", "0.bias", "2.weight", "2.bias"}: PyTorch's names
//
// A recurrent layer returns more than a tensor ({ output, hs, hN }), so it does not go in a
// Sequential (as in PyTorch); write a small model class instead.
import { Tensor } from "../tensor";
import { Module } from "./module";

/** What a Sequential chains: a module whose forward maps one tensor to one tensor. */
export interface Layer extends Module {
  forward(x: Tensor): Tensor;
}

export class Sequential extends Module {
  /** The layers by position, as PyTorch names them ("0", "1", ...). */
  readonly [index: number]: Layer;
  /** How many layers. */
  readonly length: number;

  constructor(...layers: Layer[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module) || typeof (layer as Partial<Layer>).forward !== "function") {
        throw new TypeError(`Sequential: argument ${i} is not a layer (a Module with forward(x)), got ${layer === null ? "null" : typeof layer}`);
      }
      (this as unknown as Layer[])[i] = layer; // integer keys: Module's walk meets them first, in order
    });
    this.length = layers.length;
  }

  /** Each layer's forward, in order. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (let i = 0; i < this.length; i++) y = this[i].forward(y);
    return y;
  }
}
