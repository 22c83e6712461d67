// The LSTM cell (Hochreiter & Schmidhuber, 1997, with the forget gate of Gers et al., 2000).
//
// lstmStep is the cell as the chapter writes it, one line per equation. The four gates' weights
// are stacked in one matrix (PyTorch's layout, rows i, f, g, o), so one product gives every
// gate's pre-activation at once, and `split` cuts it into the four named gates.
// lstmStepFused computes the same numbers in two fused ops (ops/lstm.ts): what the layers run.
import { add, linear, lstmMemory, lstmOutput, mul, sigmoid, split, tanh } from "../ops";
import { Tensor } from "../tensor";
import { CellBase, CellWeights, RecurrentOptions, lstmStateParts } from "./cell-base";

/** The state an LSTM carries from step to step: hidden state h and cell (memory) state c, both [B, H]. */
export interface LSTMState {
  h: Tensor;
  c: Tensor;
}

/** One LSTM step: x [B, I] and state {h, c} ([B, H] each) → the next {h, c}. */
export function lstmStep(x: Tensor, { h, c }: LSTMState, w: CellWeights): LSTMState {
  const pre = add(linear(x, w.weight_ih, w.bias_ih), linear(h, w.weight_hh, w.bias_hh)); // [B, 4H]
  const [ai, af, ag, ao] = split(pre, 4, 1);
  const i = sigmoid(ai); //                 input gate: how much new content to write
  const f = sigmoid(af); //                 forget gate: how much old memory to keep
  const g = tanh(ag); //                    candidate content
  const o = sigmoid(ao); //                 output gate: how much of the memory to show
  const cNext = add(mul(f, c), mul(i, g)); // c' = f ⊙ c + i ⊙ g
  const hNext = mul(o, tanh(cNext)); //       h' = o ⊙ tanh(c')
  return { h: hNext, c: cNext };
}

/**
 * The same step as lstmStep, the same numbers, in two fused ops after the two products: each
 * reads its gates' blocks of the products in place and does its equations in one pass and one
 * tape node (c' = lstmMemory: i, f, g and f ⊙ c + i ⊙ g; h' = lstmOutput: o and o ⊙ tanh(c')).
 * What fusion buys is measured in the library README.
 */
export function lstmStepFused(x: Tensor, { h, c }: LSTMState, w: CellWeights): LSTMState {
  const xProj = linear(x, w.weight_ih, w.bias_ih); // [B, 4H]
  const hProj = linear(h, w.weight_hh, w.bias_hh); // [B, 4H]
  const cNext = lstmMemory(xProj, hProj, c);
  return { h: lstmOutput(xProj, hProj, cNext), c: cNext };
}

/** A single LSTM step as a module (parameters weight_ih [4H, I], weight_hh [4H, H], bias_ih, bias_hh [4H]). */
export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super("lstm", inputSize, hiddenSize, options);
  }

  /**
   * x [B, I], state {h, c} ([B, H] each) → the next {h, c}. Both h and c, or neither (then zeros):
   * one alone is an error, as in PyTorch (whose LSTMCell takes the pair or nothing).
   */
  forward(x: Tensor, state?: Partial<LSTMState>): LSTMState {
    const batch = this.batchOf(x);
    const given = lstmStateParts(this.constructor.name, state, ["h", "c"], (s, name) => this.stateOrZeros(s, batch, name));
    const h = this.stateOrZeros(given.h, batch, "h");
    const c = this.stateOrZeros(given.c, batch, "c");
    return (this.fused ? lstmStepFused : lstmStep)(x, { h, c }, this);
  }
}
