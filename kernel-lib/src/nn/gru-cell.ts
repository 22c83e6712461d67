// The GRU cell (Cho et al., 2014), with PyTorch's placement of the reset gate:
//
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)           reset gate
//   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)           update gate
//   n = tanh   (W_in x + b_in + r * (W_hn h + b_hn))     candidate; r scales the recurrent part
//   h' = (1 - z) * n + z * h  =  n + z * (h - n)
//
// Note r multiplies (W_hn h + b_hn), bias included: the input and recurrent products must be
// kept apart for the n block, so unlike the LSTM the two linear maps are not added up front.
//
// The step is three tape nodes: the two products xProj = W_ih x + b_ih and hProj = W_hh h + b_hh,
// and `gruUpdate` (ops/gru.ts), which reads each gate's block of the two [B, 3H] products in place and does
// the four lines r, z, n, h' in one pass. It is the same as gate, gate, gruCandidate, lerp (the
// comments below; six nodes with the products, which took about a third longer beyond the
// matrix products at hidden 128). Written with the basic ops it is 17 (two splits into three
// copies each, add, sigmoid, ...), which took over twice as long.
import { gruUpdate, linear } from "../ops";
import { Tensor } from "../tensor";
import { CellBase, CellWeights, RecurrentOptions } from "./cell-base";

/** One GRU step: x [B, I], h [B, H] → h' [B, H]. */
export function gruStep(x: Tensor, h: Tensor, w: CellWeights): Tensor {
  // Blocks r, z, n of xProj are x_r, x_z, x_n (W_i· x + b_i·); of hProj, h_r, h_z, h_n.
  const xProj = linear(x, w.weight_ih, w.bias_ih); // [B, 3H]
  const hProj = linear(h, w.weight_hh, w.bias_hh); // [B, 3H]
  // r = sigmoid(x_r + h_r)           gate("sigmoid", xProj, hProj, 0, 3)
  // z = sigmoid(x_z + h_z)           gate("sigmoid", xProj, hProj, 1, 3)
  // n = tanh(x_n + r * h_n)          gruCandidate(xProj, hProj, r)
  // h' = n + z * (h - n)             lerp(n, h, z)   (= (1 - z) * n + z * h)
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
    return gruStep(x, this.stateOrZeros(h, batch, "h"), this);
  }
}
