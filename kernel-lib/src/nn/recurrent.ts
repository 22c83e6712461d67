// Sequence layers: RNN, LSTM, GRU run their cell over a whole sequence, optionally stacked.
//
// Input is time-major, as PyTorch's default: x [T, B, I] (T steps of a batch of B vectors), or
// an array of T tensors [B, I] (no splitting needed). Layer l > 0 reads layer l-1's hidden states.
//
// Parameters use PyTorch's nn.RNN names, one set per layer l:
//   weight_ih_l{l} [G*H, I or H]   weight_hh_l{l} [G*H, H]   bias_ih_l{l} [G*H]   bias_hh_l{l} [G*H]
// so `lstm.loadStateDict(torchLstm.state_dict())` (as nested lists) works unchanged.
// parameters() lists them layer by layer, in that order within a layer (PyTorch's order).
import { concat, dropout, index, reshape, split, stack } from "../ops";
import { checkOptions, shapeStr } from "../errors";
import { Rng, defaultRng } from "../random";
import { Tensor, zeros } from "../tensor";
import { CELL_WEIGHT_NAMES, CellMode, CellWeights, checkState, lstmStateParts, makeCellWeights, RecurrentOptions } from "./cell-base";
import { gruStep, gruStepFused } from "./gru-cell";
import { LSTMState, lstmStep, lstmStepFused } from "./lstm-cell";
import { Module } from "./module";
import { Parameter } from "./parameter";
import { Nonlinearity, rnnMode, rnnStep, rnnStepFused } from "./rnn-cell";

export interface SequenceOptions extends RecurrentOptions {
  /** Number of stacked layers (default 1). */
  numLayers?: number;
  /** Dropout probability on each layer's outputs except the last one's, in training mode (default 0). */
  dropout?: number;
}

/** SequenceOptions' names, for the check of options given at run time (TypeScript checks a literal). */
const SEQUENCE_OPTIONS = ["rng", "fused", "numLayers", "dropout"] as const satisfies readonly (keyof SequenceOptions)[];

/** What RNN and GRU return. */
export interface SequenceOutput {
  /** The last layer's hidden state at every step: [T, B, H]. */
  output: Tensor;
  /** The same, one tensor [B, H] per step: hs[t] is the state after reading x[t]. These are the
   * tensors the graph actually uses, so hs[t].retainGrad() gives dLoss/dh_t after backward(). */
  hs: Tensor[];
  /** Every layer's final hidden state: [numLayers, B, H]. */
  hN: Tensor;
}

/** What LSTM returns: SequenceOutput plus the cell states. */
export interface LSTMOutput extends SequenceOutput {
  /** The last layer's cell state at every step, one [B, H] per step. */
  cs: Tensor[];
  /** Every layer's final cell state: [numLayers, B, H]. */
  cN: Tensor;
}

/** The sequence input: [T, B, I], or T tensors [B, I]. */
export type SequenceInput = Tensor | readonly Tensor[];

/** Base of RNN, LSTM, GRU: the per-layer parameters and the loop over layers and time. */
export abstract class RecurrentLayer extends Module {
  /** Each layer's parameters under PyTorch's names: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_ih_l1, ... */
  readonly [name: `${"weight" | "bias"}_${"ih" | "hh"}_l${number}`]: Parameter;
  readonly numLayers: number;
  readonly dropout: number;
  /** Steps run with the fused ops (default) or with the readable basic-op step; see RecurrentOptions. */
  readonly fused: boolean;
  /** Generator for the dropout masks between layers. */
  private readonly rng: Rng;

  constructor(readonly mode: CellMode, readonly inputSize: number, readonly hiddenSize: number, options: SequenceOptions) {
    super();
    checkOptions(new.target.name, options, this instanceof RNN ? [...SEQUENCE_OPTIONS, "nonlinearity"] : SEQUENCE_OPTIONS);
    const { numLayers = 1, dropout: p = 0 } = options;
    if (!Number.isInteger(numLayers) || numLayers < 1) throw new RangeError(`${this.constructor.name}: numLayers must be a positive integer, got ${numLayers}`);
    if (!(p >= 0 && p < 1)) throw new RangeError(`${this.constructor.name}: dropout must be in [0, 1), got ${p}`);
    this.numLayers = numLayers;
    this.dropout = p;
    this.fused = options.fused ?? true;
    this.rng = options.rng ?? defaultRng();
    // Fields named as PyTorch names them (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0,
    // weight_ih_l1, ...), set in that order, so that Module's walk gives PyTorch's names and order.
    const fields = this as unknown as Record<string, Parameter>;
    for (let l = 0; l < numLayers; l++) {
      const w = makeCellWeights(mode, l === 0 ? inputSize : hiddenSize, hiddenSize, this.rng);
      for (const name of CELL_WEIGHT_NAMES) fields[`${name}_l${l}`] = w[name];
    }
  }

  /** Layer l's parameters, under the cell names (weight_ih, ...): the same tensors as weight_ih_l{l}, ... */
  layer(l: number): CellWeights {
    if (!Number.isInteger(l) || l < 0 || l >= this.numLayers) {
      throw new RangeError(`${this.constructor.name}: layer ${l} does not exist (numLayers = ${this.numLayers})`);
    }
    const fields = this as unknown as Record<string, Parameter>;
    return { weight_ih: fields[`weight_ih_l${l}`], weight_hh: fields[`weight_hh_l${l}`], bias_ih: fields[`bias_ih_l${l}`], bias_hh: fields[`bias_hh_l${l}`] };
  }

  protected override describeOptions(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.numLayers > 1 ? `, numLayers=${this.numLayers}` : ""}${this.dropout > 0 ? `, dropout=${this.dropout}` : ""}`;
  }

  /**
   * The input, checked, as one matrix [T*B, I]: the T steps' rows one after the other (a
   * reshape of a [T, B, I] tensor, which shares its data; a concat of T tensors [B, I]).
   */
  protected sequenceMatrix(input: SequenceInput): { x: Tensor; steps: number; batch: number } {
    const who = this.constructor.name;
    if (input instanceof Tensor) {
      if (input.rank !== 3 || input.shape[2] !== this.inputSize) {
        throw new RangeError(`${who}: input has shape ${shapeStr(input.shape)}, expected [seqLen,batch,${this.inputSize}] (time-major)`);
      }
      const [T, B, I] = input.shape;
      if (T === 0) throw new RangeError(`${who}: the input sequence is empty (seqLen 0)`);
      return { x: reshape(input, [T * B, I]), steps: T, batch: B };
    }
    if (input.length === 0) throw new RangeError(`${who}: the input sequence is empty (seqLen 0)`);
    const batch = input[0].shape[0];
    input.forEach((x, t) => {
      if (x.rank !== 2 || x.shape[0] !== batch || x.shape[1] !== this.inputSize) {
        throw new RangeError(`${who}: input step ${t} has shape ${shapeStr(x.shape)}, expected [${batch},${this.inputSize}]`);
      }
    });
    return { x: input.length === 1 ? input[0] : concat(input.slice(), 0), steps: input.length, batch };
  }

  /**
   * The initial state of each layer, [B, H] each: zeros, or taken from s, which is
   * [numLayers, B, H] (or [B, H] when there is one layer).
   */
  protected initialStates(s: Tensor | undefined, batch: number, what: string): Tensor[] {
    const { numLayers: L, hiddenSize: H } = this;
    if (s === undefined) return Array.from({ length: L }, () => zeros([batch, H]));
    if (L === 1 && (!(s instanceof Tensor) || s.rank === 2)) {
      checkState(this.constructor.name, what, s, [batch, H]);
      return [s];
    }
    checkState(this.constructor.name, what, s, [L, batch, H]);
    return Array.from({ length: L }, (_, l) => index(s, 0, l));
  }

  /**
   * Runs `step` over layers and time, given the input as one matrix x [T*B, I] (T steps of B
   * rows). State S is a tensor h (RNN, GRU) or {h, c} (LSTM). Returns the last layer's state at
   * every step and every layer's final state.
   *
   * Each step is the cell's own step function on x_t (split along axis 0 shares the data: no
   * copy), input product included. cuDNN and PyTorch instead compute W_ih x + b_ih for all T
   * steps in one large product before the loop, which suits a GPU. Here, on a CPU, that result
   * ([T*B, G*H]: 6 MB for a GRU at hidden 128, batch 32, 64 steps) has left the cache by the time
   * step t reads its rows, and its gradient is summed from memory the same way: computing each
   * step's part when it is needed made the LSTM's and GRU's training step 3-7% faster at hidden
   * 128 (npm run bench, interleaved runs of both versions).
   */
  protected unroll<S>(
    x: Tensor,
    steps: number,
    initial: S[],
    step: (x: Tensor, s: S, w: CellWeights) => S,
    hOf: (s: S) => Tensor,
  ): { top: S[]; finals: S[] } {
    let input = x;
    let top: S[] = [];
    const finals: S[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const w = this.layer(l);
      let s = initial[l];
      top = [];
      for (const xt of split(input, steps, 0)) {
        s = step(xt, s, w); // xt: [B, I]
        top.push(s);
      }
      finals.push(s);
      if (l === this.numLayers - 1) break;
      let hs = top.map(hOf);
      if (this.dropout > 0 && this.training) {
        hs = hs.map((h) => dropout(h, this.dropout, { rng: this.rng, training: true }));
      }
      input = concat(hs, 0); // [T*B, H]: the next layer's input
    }
    return { top, finals };
  }
}

/** Shared output assembly: stack the per-step and per-layer hidden states. */
function sequenceOutput(hs: Tensor[], finalH: Tensor[]): SequenceOutput {
  return { output: stack(hs, 0), hs, hN: stack(finalH, 0) };
}

export interface RNNOptions extends SequenceOptions {
  nonlinearity?: Nonlinearity;
}

/** An Elman RNN over a sequence (tanh or relu); see RNNCell for the step. */
export class RNN extends RecurrentLayer {
  readonly nonlinearity: Nonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super(rnnMode("RNN", options.nonlinearity), inputSize, hiddenSize, options);
    this.nonlinearity = this.mode === "rnn_tanh" ? "tanh" : "relu";
  }

  /** input [T, B, I] (or T × [B, I]); h0 [numLayers, B, H] (or [B, H] for one layer), zeros if omitted. */
  forward(input: SequenceInput, h0?: Tensor): SequenceOutput {
    const { x, steps, batch } = this.sequenceMatrix(input);
    const initial = this.initialStates(h0, batch, "h0");
    const { top, finals } = this.unroll(x, steps, initial, (xt, h, w) => (this.fused ? rnnStepFused : rnnStep)(xt, h, w, this.nonlinearity), (h) => h);
    return sequenceOutput(top, finals);
  }
}

/** A GRU over a sequence; see GRUCell for the step. */
export class GRU extends RecurrentLayer {
  constructor(inputSize: number, hiddenSize: number, options: SequenceOptions = {}) {
    super("gru", inputSize, hiddenSize, options);
  }

  /** input [T, B, I] (or T × [B, I]); h0 [numLayers, B, H] (or [B, H] for one layer), zeros if omitted. */
  forward(input: SequenceInput, h0?: Tensor): SequenceOutput {
    const { x, steps, batch } = this.sequenceMatrix(input);
    const initial = this.initialStates(h0, batch, "h0");
    const { top, finals } = this.unroll(x, steps, initial, this.fused ? gruStepFused : gruStep, (h) => h);
    return sequenceOutput(top, finals);
  }
}

/** An LSTM over a sequence; see LSTMCell for the step. */
export class LSTM extends RecurrentLayer {
  constructor(inputSize: number, hiddenSize: number, options: SequenceOptions = {}) {
    super("lstm", inputSize, hiddenSize, options);
  }

  /**
   * input [T, B, I] (or T × [B, I]); state {h, c}, each [numLayers, B, H] (or [B, H] for one
   * layer): both, or neither for zeros (one alone is an error, as in PyTorch).
   */
  forward(input: SequenceInput, state: { h?: Tensor; c?: Tensor } = {}): LSTMOutput {
    const { x, steps, batch } = this.sequenceMatrix(input);
    const given = lstmStateParts(this.constructor.name, state, ["h0", "c0"], (s, name) => this.initialStates(s, batch, name));
    const h0 = this.initialStates(given.h, batch, "h0");
    const c0 = this.initialStates(given.c, batch, "c0");
    const initial: LSTMState[] = h0.map((h, l) => ({ h, c: c0[l] }));
    const { top, finals } = this.unroll(x, steps, initial, this.fused ? lstmStepFused : lstmStep, (s) => s.h);
    return {
      ...sequenceOutput(top.map((s) => s.h), finals.map((s) => s.h)),
      cs: top.map((s) => s.c),
      cN: stack(finals.map((s) => s.c), 0),
    };
  }
}
