// The Elman RNN cell:  h' = act(W_ih x + b_ih + W_hh h + b_hh),  act = tanh or relu.
import { add, gate, linear, relu } from "../ops";
import { Tensor } from "../tensor";
import { CellBase, CellMode, CellWeights, RecurrentOptions } from "./cell-base";

export type Nonlinearity = "tanh" | "relu";

/** One RNN step: x [B, I], h [B, H] → h' [B, H]. */
export function rnnStep(x: Tensor, h: Tensor, w: CellWeights, nonlinearity: Nonlinearity): Tensor {
  const xProj = linear(x, w.weight_ih, w.bias_ih); // W_ih x + b_ih
  const hProj = linear(h, w.weight_hh, w.bias_hh); // W_hh h + b_hh
  // tanh(xProj + hProj) as one op: `gate` is exactly tanh(add(xProj, hProj)) for a single block,
  // without the intermediate sum tensor (the same op the LSTM and GRU gates use).
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
    return rnnStep(x, this.stateOrZeros(h, batch, "h"), this, this.nonlinearity);
  }
}
