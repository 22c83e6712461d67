// The workload with kernel-lib, three ways:
//
// kernelLibTrainer: what a learner writes with the library's layers and the tape:
//     x = oneHot(tokens) [T, B, V] → LSTM/GRU/RNN layer → Linear head → crossEntropy
//     → backward() → clipGradNorm(model.parameters(), 5) → Adam.step()
//   The layers run their fused steps (the default). kernelLibReadableTrainer is the same model
//   with { fused: false }: each step is the readable one, one basic op per equation. The
//   ratio of the two is what fusion buys (the library README reports it).
//   Input choice: the one-hot tensor is fed to the recurrent layer, as a PyTorch char-RNN does
//   (F.one_hot then nn.LSTM), so W_ih x is a dense [B, V]·[V, G·H] product per time step.
//   `embedding` (a row gather of W_ih^T) would skip the zeros, but a learner using the LSTM
//   layer has no way to hand it pre-projected inputs, so the bench times the layer as it is.
//
// kernelLibByHandTrainer: the same step, same math and same per-step one-hot products, written
//   by hand on Float64Arrays with the library's own kernels (getKernels().matmul and
//   .addColumnSums for the bias gradients) and no
//   tape, no Tensor objects, nothing allocated per step. kernel-lib's time over this one is the
//   price of the tape and of composing small ops: the "tape overhead" column.

// The public API, as a notebook imports it.
import { Adam, clipGradNorm } from "../src/optim";
import { GRU, LSTM, Linear, Module, RNN } from "../src/nn";
import { Tensor, crossEntropy, oneHot, reshape } from "../src";
import { getKernels } from "../src/kernels";
import { handwrittenTrainer, type Floats, type Matmuls } from "./peers/handwritten";
import { BETA1, BETA2, CLIP_NORM, EPS, LR, type StepResult, type Trainer, type TrainerFactory } from "./workload";

/** The character model, as a notebook writes it: a class whose fields are its layers. */
class CharModel extends Module {
  rnn: LSTM | GRU | RNN;
  head: Linear;
  constructor(cell: string, V: number, H: number, fused: boolean) {
    super();
    this.rnn = cell === "lstm" ? new LSTM(V, H, { fused }) : cell === "gru" ? new GRU(V, H, { fused }) : new RNN(V, H, { fused });
    this.head = new Linear(H, V);
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.rnn.forward(x).output); // [T, B, V]
  }
}

const libTrainer = (fused: boolean): TrainerFactory => (cell, s, batch, w): Trainer => {
  const { batch: B, steps: T, vocab: V } = s;
  const model = new CharModel(cell, V, s.hidden, fused);
  // Start from the bench's shared weights, so the first loss can be checked against the others.
  const l0 = model.rnn.layer(0);
  l0.weight_ih.data.set(w.weightIh);
  l0.weight_hh.data.set(w.weightHh);
  l0.bias_ih.data.set(w.biasIh);
  l0.bias_hh.data.set(w.biasHh);
  model.head.weight.data.set(w.headWeight);
  model.head.bias!.data.set(w.headBias);
  const params = model.parameters();
  const optimizer = new Adam(params, { lr: LR, betas: [BETA1, BETA2], eps: EPS });

  return {
    step(): StepResult {
      optimizer.zeroGrad();
      const logits = model.forward(reshape(oneHot(batch.inputs, V), [T, B, V])); // time-major, as the layers expect
      const loss = crossEntropy(reshape(logits, [T * B, V]), batch.targets);
      loss.backward();
      const gradNorm = clipGradNorm(params, CLIP_NORM);
      optimizer.step();
      return { loss: loss.item(), gradNorm };
    },
    dispose(): void {},
  };
};

export const kernelLibTrainer: TrainerFactory = libTrainer(true);
export const kernelLibReadableTrainer: TrainerFactory = libTrainer(false);

/** The library's matmul kernel behind the hand-written step's three products (float64 only). */
function f64(a: Floats, offset: number, length: number): Float64Array {
  if (!(a instanceof Float64Array)) throw new TypeError("kernel-lib kernels take Float64Array only");
  return a.subarray(offset, offset + length);
}

const kernelMatmuls: Matmuls = {
  nt: (a, aOff, b, out, outOff, M, N, K) =>
    getKernels().matmul(f64(a, aOff, M * K), f64(b, 0, N * K), f64(out, outOff, M * N), M, K, N, { transB: true, accumulate: true }),
  nn: (a, aOff, b, out, outOff, M, N, K) =>
    getKernels().matmul(f64(a, aOff, M * K), f64(b, 0, K * N), f64(out, outOff, M * N), M, K, N, { accumulate: true }),
  tn: (a, aOff, b, bOff, out, M, N, K) =>
    getKernels().matmul(f64(a, aOff, K * M), f64(b, bOff, K * N), f64(out, 0, M * N), M, K, N, { transA: true, accumulate: true }),
};

export const kernelLibByHandTrainer: TrainerFactory = handwrittenTrainer({
  dtype: "float64",
  matmuls: kernelMatmuls,
  columnSums: (a, aOff, rows, cols, out) => getKernels().addColumnSums(f64(a, aOff, rows * cols), rows, cols, f64(out, 0, cols)),
  input: "one-hot-matmul",
});
