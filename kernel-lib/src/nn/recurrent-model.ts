// A recurrent layer and a linear read-out: the model the course trains on its long-range tasks
// (04's latch, 05-07's comparisons), one class for every cell so that experiments differ only in
// the name of the cell.
//
//   const model = new kl.nn.RecurrentModel("lstm", 8, 32, 4, { rng: new kl.Rng(0), forgetBias: 1 });
//   const { out } = model.forward(x);          // x [T, B, 8] → out [B, 4] (the last state, read out)
//
// As in PyTorch, the fields are the layers: `model.rnn` (an RNN, LSTM or GRU under PyTorch's
// parameter names) and `model.head` (a Linear), so model.stateDict() has keys "rnn.weight_ih_l0", ...
import { Rng, defaultRng } from "../random";
import { Tensor } from "../tensor";
import * as init from "./init";
import { Linear } from "./linear";
import { Module } from "./module";
import { GRU, LSTM, RNN, SequenceInput } from "./recurrent";

/** The cells the course compares. "irnn" is a ReLU RNN started at W_hh = I (Le, Jaitly & Hinton 2015). */
export type CellKind = "rnn" | "irnn" | "lstm" | "gru";
export const CELL_KINDS: readonly CellKind[] = ["rnn", "irnn", "lstm", "gru"];

/** Throws, naming `who` and the cells there are, unless `cell` is one of CELL_KINDS. */
export function checkCellKind(who: string, cell: unknown): asserts cell is CellKind {
  if (!CELL_KINDS.includes(cell as CellKind)) throw new Error(`${who}: cell must be one of ${CELL_KINDS.map((c) => `"${c}"`).join(", ")}, got ${JSON.stringify(cell)}`);
}

export interface RecurrentModelOptions {
  /** Generator for the initial weights (default: the library's default generator). */
  rng?: Rng;
  /** Read out the last state only ([B, out], default) or every step's ([T, B, out]). */
  readout?: "last" | "every";
  /** LSTM only: the forget gate's initial bias (default: PyTorch's uniform draw, like every bias). */
  forgetBias?: number;
  /** Run the readable basic-op steps instead of the fused ones (default: fused). */
  fused?: boolean;
}

/** What forward returns: the read-out, every hidden state, and for an LSTM every cell state. */
export interface RecurrentModelOutput {
  /** [B, out] (readout "last") or [T, B, out] (readout "every"). */
  out: Tensor;
  /** hs[t]: the hidden state after reading x[t], [B, H] (retainGrad() on them to see ∂L/∂h_t). */
  hs: Tensor[];
  /** LSTM only: cs[t], the cell state after reading x[t]. */
  cs?: Tensor[];
}

export class RecurrentModel extends Module {
  readonly rnn: RNN | LSTM | GRU;
  readonly head: Linear;
  readonly readout: "last" | "every";

  constructor(readonly cell: CellKind, readonly inputSize: number, readonly hiddenSize: number, readonly outputSize: number, options: RecurrentModelOptions = {}) {
    super();
    checkCellKind("RecurrentModel", cell);
    const readout = options.readout ?? "last";
    if (readout !== "last" && readout !== "every") throw new Error(`RecurrentModel: readout must be "last" or "every", got ${JSON.stringify(readout)}`);
    if (options.forgetBias !== undefined && cell !== "lstm") throw new Error(`RecurrentModel: forgetBias is for an LSTM, not a ${cell}`);
    const rng = options.rng ?? defaultRng();
    const fused = options.fused ?? true;
    if (cell === "lstm") this.rnn = new LSTM(inputSize, hiddenSize, { rng, fused });
    else if (cell === "gru") this.rnn = new GRU(inputSize, hiddenSize, { rng, fused });
    else this.rnn = new RNN(inputSize, hiddenSize, { rng, fused, nonlinearity: cell === "irnn" ? "relu" : "tanh" });
    if (cell === "irnn") {
      // Le et al. (2015): W_hh = I, biases 0, input weights from N(0, 0.001²).
      init.irnn(this.rnn);
      init.normal(this.rnn.layer(0).weight_ih, 0, 0.001, rng);
    }
    if (options.forgetBias !== undefined) init.setForgetBias(this.rnn, options.forgetBias);
    this.head = new Linear(hiddenSize, outputSize, { rng });
    this.readout = readout;
  }

  protected override describeOptions(): string {
    return `"${this.cell}", ${this.inputSize}, ${this.hiddenSize}, ${this.outputSize}${this.readout === "every" ? ", readout=every" : ""}`;
  }

  /** x [T, B, inputSize] (or T tensors [B, inputSize]), read from a zero state. */
  forward(x: SequenceInput): RecurrentModelOutput {
    const r: { hs: Tensor[]; output: Tensor; cs?: Tensor[] } = this.rnn.forward(x);
    const out = this.readout === "last" ? this.head.forward(r.hs[r.hs.length - 1]) : this.head.forward(r.output);
    return r.cs ? { out, hs: r.hs, cs: r.cs } : { out, hs: r.hs };
  }
}
