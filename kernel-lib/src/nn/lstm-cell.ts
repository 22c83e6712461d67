// The LSTM cell (Hochreiter & Schmidhuber, 1997, with the forget gate of Gers et al., 2000):
//
//   i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)     input gate: how much new content to write
//   f = sigmoid(W_if x + b_if + W_hf h + b_hf)     forget gate: how much old memory to keep
//   g = tanh   (W_ig x + b_ig + W_hg h + b_hg)     candidate content
//   o = sigmoid(W_io x + b_io + W_ho h + b_ho)     output gate: how much memory to show
//   c' = f * c + i * g
//   h' = o * tanh(c')
//
// The additive update of c is the point: dc'/dc = f, so gradients flow back through time
// multiplied by gate values the network can hold near 1, not by a weight matrix.
import { linear, lstmMemory, lstmOutput } from "../ops";
import { Tensor } from "../tensor";
import { CellBase, CellWeights, RecurrentOptions } from "./cell-base";

/** The state an LSTM carries from step to step: hidden state h and cell (memory) state c, both [B, H]. */
export interface LSTMState {
  h: Tensor;
  c: Tensor;
}

/** One LSTM step: x [B, I] and state {h, c} ([B, H] each) → the next {h, c}. */
export function lstmStep(x: Tensor, state: LSTMState, w: CellWeights): LSTMState {
  // Both products give all four gates' pre-activations at once, [B, 4H], in row blocks i, f, g, o
  // as in the weights.
  const xProj = linear(x, w.weight_ih, w.bias_ih);
  const hProj = linear(state.h, w.weight_hh, w.bias_hh);
  // Two fused ops (ops/lstm.ts) read each gate's block of xProj and hProj in place and do the
  // equations above in one pass each, the same as these nine basic ops:
  //   i = gate("sigmoid", xProj, hProj, 0, 4)     i = sigmoid(x_i + h_i)
  //   f = gate("sigmoid", xProj, hProj, 1, 4)     f = sigmoid(x_f + h_f)
  //   g = gate("tanh", xProj, hProj, 2, 4)        g = tanh(x_g + h_g)
  //   o = gate("sigmoid", xProj, hProj, 3, 4)     o = sigmoid(x_o + h_o)
  //   c = add(mul(f, state.c), mul(i, g))         c' = f * c + i * g
  //   h = mul(o, tanh(c))                         h' = o * tanh(c')
  // Nine tape nodes and nine fresh arrays per step: the whole training step took about 12% longer
  // that way at hidden 128 (npm run bench, before and after).
  const c = lstmMemory(xProj, hProj, state.c);
  const h = lstmOutput(xProj, hProj, c);
  return { h, c };
}

/** A single LSTM step as a module (parameters weight_ih [4H, I], weight_hh [4H, H], bias_ih, bias_hh [4H]). */
export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super("lstm", inputSize, hiddenSize, options);
  }

  /** x [B, I], state {h, c} ([B, H] each; zeros if omitted) → the next {h, c}. */
  forward(x: Tensor, state?: Partial<LSTMState>): LSTMState {
    const batch = this.batchOf(x);
    const h = this.stateOrZeros(state?.h, batch, "h");
    const c = this.stateOrZeros(state?.c, batch, "c");
    return lstmStep(x, { h, c }, this);
  }
}
