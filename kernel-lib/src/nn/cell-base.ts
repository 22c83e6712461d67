// What the three recurrent cells share: PyTorch's four parameters and their default init.
//
// A cell with G gates (RNN 1, GRU 3, LSTM 4) and hidden size H, input size I, holds
//   weight_ih [G*H, I]   weight_hh [G*H, H]   bias_ih [G*H]   bias_hh [G*H]
// with the gates stacked as row blocks (LSTM: i, f, g, o; GRU: r, z, n). Two biases where one
// would do: PyTorch keeps both (cuDNN's layout), and we keep its names and layout so that
// state dicts and fixtures move between the two.
import { shapeStr } from "../errors";
import { Rng, defaultRng } from "../random";
import { Tensor, zeros } from "../tensor";
import * as init from "./init";
import { Module } from "./module";
import { Parameter } from "./parameter";

/** The recurrent cell types, named as in the PyTorch fixtures. */
export type CellMode = "rnn_tanh" | "rnn_relu" | "lstm" | "gru";

/** Gates per cell type: the G in [G*H, I]. */
export const GATES: Record<CellMode, number> = { rnn_tanh: 1, rnn_relu: 1, lstm: 4, gru: 3 };

/** The parameters of one cell (or one layer of a sequence layer). */
export interface CellWeights {
  readonly weight_ih: Tensor;
  readonly weight_hh: Tensor;
  readonly bias_ih: Tensor;
  readonly bias_hh: Tensor;
}

export interface RecurrentOptions {
  /** Random generator for the initial weights (default: the library's default generator). */
  rng?: Rng;
  /**
   * Run each step with the fused ops (the default: the same numbers, faster), or with `false` as
   * the readable step written with basic ops (`lstmStep`, `gruStep`, `rnnStep`), one op per equation.
   */
  fused?: boolean;
}

/** The four parameters' names, in PyTorch's order. */
export const CELL_WEIGHT_NAMES = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"] as const;

/** Allocates the four parameters of a cell with PyTorch's default init (all uniform in ±1/sqrt(H)). */
export function makeCellWeights(mode: CellMode, inputSize: number, hiddenSize: number, rng: Rng): { [K in keyof CellWeights]: Parameter } {
  for (const [what, n] of [["inputSize", inputSize], ["hiddenSize", hiddenSize]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${mode}: ${what} must be a positive integer, got ${n}`);
  }
  const gh = GATES[mode] * hiddenSize;
  const w = {
    weight_ih: new Parameter(zeros([gh, inputSize])),
    weight_hh: new Parameter(zeros([gh, hiddenSize])),
    bias_ih: new Parameter(zeros([gh])),
    bias_hh: new Parameter(zeros([gh])),
  };
  init.recurrentDefault([w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh], hiddenSize, rng);
  return w;
}

/** Base of RNNCell, LSTMCell, GRUCell: the four parameters, under PyTorch's names. */
export abstract class CellBase extends Module implements CellWeights {
  readonly weight_ih: Parameter;
  readonly weight_hh: Parameter;
  readonly bias_ih: Parameter;
  readonly bias_hh: Parameter;
  /** Steps run with the fused ops (default) or with the readable basic-op step; see RecurrentOptions. */
  readonly fused: boolean;

  constructor(readonly mode: CellMode, readonly inputSize: number, readonly hiddenSize: number, options: RecurrentOptions = {}) {
    super();
    const w = makeCellWeights(mode, inputSize, hiddenSize, options.rng ?? defaultRng());
    this.weight_ih = w.weight_ih;
    this.weight_hh = w.weight_hh;
    this.bias_ih = w.bias_ih;
    this.bias_hh = w.bias_hh;
    this.fused = options.fused ?? true;
  }

  protected override describeOptions(): string {
    return `${this.inputSize}, ${this.hiddenSize}`;
  }

  /** Checks x is [B, inputSize] and returns B. */
  protected batchOf(x: Tensor): number {
    if (x.rank !== 2 || x.shape[1] !== this.inputSize) {
      throw new RangeError(`${this.constructor.name}: x has shape ${shapeStr(x.shape)}, expected [batch,${this.inputSize}]`);
    }
    return x.shape[0];
  }

  /** The given state, checked to be [B, H], or zeros [B, H] when none is given. */
  protected stateOrZeros(s: Tensor | undefined, batch: number, what: string): Tensor {
    if (s === undefined) return zeros([batch, this.hiddenSize]);
    checkState(this.constructor.name, what, s, [batch, this.hiddenSize]);
    return s;
  }
}

/** Throws `LSTM: h0 has shape [2,3], expected [1,2,4]` unless s has the expected shape. */
export function checkState(who: string, what: string, s: Tensor, expected: readonly number[]): void {
  if (s.rank !== expected.length || s.shape.some((n, i) => n !== expected[i])) {
    throw new RangeError(`${who}: ${what} has shape ${shapeStr(s.shape)}, expected ${shapeStr(expected)}`);
  }
}
