// The Elman RNN cell: h' = act(W_ih x + b_ih + W_hh h + b_hh), act = tanh or relu.
//
// rnnStep is the equation as the chapter writes it; rnnStepFused computes the same numbers with
// tanh(xProj + hProj) as one op, without the intermediate sum (what the layers run).
import { add, gate, linear, relu, tanh } from "../ops";
import { Tensor } from "../tensor";
import { CellBase, CellMode, CellWeights, RecurrentOptions } from "./cell-base";

export type Nonlinearity = "tanh" | "relu";

/** One RNN step: x [B, I], h [B, H] → h' [B, H]. */
export function rnnStep(x: Tensor, h: Tensor, w: CellWeights, nonlinearity: Nonlinearity = "tanh"): Tensor {
  const pre = add(linear(x, w.weight_ih, w.bias_ih), linear(h, w.weight_hh, w.bias_hh)); // W_ih x + b_ih + W_hh h + b_hh
  return nonlinearity === "tanh" ? tanh(pre) : relu(pre); //                                 h' = act(pre)
}

/** The same step as rnnStep, the same numbers; for tanh, the sum and the tanh are one op (`gate`). */
export function rnnStepFused(x: Tensor, h: Tensor, w: CellWeights, nonlinearity: Nonlinearity = "tanh"): Tensor {
  const xProj = linear(x, w.weight_ih, w.bias_ih);
  const hProj = linear(h, w.weight_hh, w.bias_hh);
  return nonlinearity === "tanh" ? gate("tanh", xProj, hProj, 0, 1) : relu(add(xProj, hProj));
}

/**
 * The cell mode for a nonlinearity (default tanh), checked: `who` names the class in the error.
 * RNNCell and the RNN layer both take { nonlinearity } and store PyTorch's mode name.
 */
export function rnnMode(who: string, nonlinearity: Nonlinearity = "tanh"): CellMode {
  if (nonlinearity !== "tanh" && nonlinearity !== "relu") {
    throw new Error(`${who}: nonlinearity must be "tanh" or "relu", got ${JSON.stringify(nonlinearity)}`);
  }
  return nonlinearity === "tanh" ? "rnn_tanh" : "rnn_relu";
}

export interface RNNCellOptions extends RecurrentOptions {
  nonlinearity?: Nonlinearity;
}

/** A single RNN step as a module (parameters weight_ih [H, I], weight_hh [H, H], bias_ih, bias_hh [H]). */
export class RNNCell extends CellBase {
  readonly nonlinearity: Nonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super(rnnMode("RNNCell", options.nonlinearity), inputSize, hiddenSize, options);
    this.nonlinearity = this.mode === "rnn_tanh" ? "tanh" : "relu";
  }

  /** x [B, I], h [B, H] (zeros if omitted) → the next hidden state [B, H]. */
  forward(x: Tensor, h?: Tensor): Tensor {
    const batch = this.batchOf(x);
    return (this.fused ? rnnStepFused : rnnStep)(x, this.stateOrZeros(h, batch, "h"), this, this.nonlinearity);
  }
}
