// The GRU cell (Cho et al., 2014), in PyTorch's convention: z weighs the old state, and the reset
// gate r scales the recurrent part of the candidate, bias included.
//
// gruStep is the cell as the chapter writes it, one line per equation. The input and recurrent
// products are kept apart (not summed first, as the LSTM's are) because r multiplies only the
// recurrent part of n. gruStepFused computes the same numbers with one fused op (ops/gru.ts).
import { add, gruUpdate, linear, mul, sigmoid, split, sub, tanh } from "../ops";
import { Tensor } from "../tensor";
import { CellBase, CellWeights, RecurrentOptions } from "./cell-base";

/** One GRU step: x [B, I], h [B, H] → h' [B, H]. */
export function gruStep(x: Tensor, h: Tensor, w: CellWeights): Tensor {
  const [xr, xz, xn] = split(linear(x, w.weight_ih, w.bias_ih), 3, 1); // W_i· x + b_i·, [B, H] each
  const [hr, hz, hn] = split(linear(h, w.weight_hh, w.bias_hh), 3, 1); // W_h· h + b_h·
  const r = sigmoid(add(xr, hr)); //              reset gate: how much of h feeds the candidate
  const z = sigmoid(add(xz, hz)); //              update gate: how much of h to keep
  const n = tanh(add(xn, mul(r, hn))); //         candidate state
  return add(mul(sub(1, z), n), mul(z, h)); //    h' = (1 − z) ⊙ n + z ⊙ h
}

/**
 * The same step as gruStep, the same numbers, with one fused op after the two products:
 * gruUpdate reads the r, z, n blocks of both products in place and does the four equations in one
 * pass and one tape node. What fusion buys is measured in the library README.
 */
export function gruStepFused(x: Tensor, h: Tensor, w: CellWeights): Tensor {
  const xProj = linear(x, w.weight_ih, w.bias_ih); // [B, 3H]
  const hProj = linear(h, w.weight_hh, w.bias_hh); // [B, 3H]
  return gruUpdate(xProj, hProj, h);
}

/** A single GRU step as a module (parameters weight_ih [3H, I], weight_hh [3H, H], bias_ih, bias_hh [3H]). */
export class GRUCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super("gru", inputSize, hiddenSize, options);
  }

  /** x [B, I], h [B, H] (zeros if omitted) → the next hidden state [B, H]. */
  forward(x: Tensor, h?: Tensor): Tensor {
    const batch = this.batchOf(x);
    return (this.fused ? gruStepFused : gruStep)(x, this.stateOrZeros(h, batch, "h"), this);
  }
}
