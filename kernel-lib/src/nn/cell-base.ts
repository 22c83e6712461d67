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

/** Throws `LSTM: h0 has shape [2,3], expected [1,2,4]` unless s is a tensor of the expected shape. */
export function checkState(who: string, what: string, s: Tensor, expected: readonly number[]): void {
  if (!(s instanceof Tensor)) {
    const hint = isObject(s) && "h" in s && "c" in s ? " ({ h, c } is an LSTM's state; this layer's state is one tensor)" : "";
    throw new TypeError(`${who}: ${what} must be a Tensor ${shapeStr(expected)}, got ${describeValue(s)}${hint}`);
  }
  if (s.rank !== expected.length || s.shape.some((n, i) => n !== expected[i])) {
    throw new RangeError(`${who}: ${what} has shape ${shapeStr(s.shape)}, expected ${shapeStr(expected)}`);
  }
}

/**
 * An LSTM's state as given to a cell or a layer: both h and c, or neither (then zeros). One
 * without the other would start the missing one from zeros in silence; a tensor, or an object
 * with other keys ({ hN, cN }, a layer's whole output), would be read as no state at all.
 * `names` are the names in errors: ["h", "c"] for a cell, ["h0", "c0"] for a layer. `checkGiven`
 * checks the one that is given before the missing one is reported (its shape error comes first).
 */
export function lstmStateParts(
  who: string,
  state: unknown,
  names: readonly [string, string],
  checkGiven: (s: Tensor, name: string) => void,
): { h?: Tensor; c?: Tensor } {
  if (state === undefined) return {};
  const [hName, cName] = names;
  const expected = `{ h, c } (${hName} and ${cName}, or neither for zeros)`;
  if (!isObject(state) || state instanceof Tensor || Array.isArray(state)) {
    throw new TypeError(`${who}: the state must be ${expected}, got ${describeValue(state)}`);
  }
  const { h, c } = state as { h?: unknown; c?: unknown };
  const hasH = h !== undefined && h !== null;
  const hasC = c !== undefined && c !== null;
  if (hasH && hasC) return { h: h as Tensor, c: c as Tensor };
  if (hasH || hasC) {
    const [missing, given] = hasH ? [cName, hName] : [hName, cName];
    checkGiven((hasH ? h : c) as Tensor, given);
    throw new TypeError(`${who}: ${missing} is missing: the state { h, c } needs both, or neither to start from zeros; got ${given} alone`);
  }
  const keys = Object.keys(state).filter((k) => (state as Record<string, unknown>)[k] !== undefined);
  if (keys.length > 0) {
    throw new TypeError(`${who}: the state has keys ${keys.join(", ")}; expected ${expected}`);
  }
  return {};
}

function isObject(v: unknown): v is object {
  return typeof v === "object" && v !== null;
}

/** What a wrong value is, for an error: "a Tensor [2,4]", "an array of 2", "an object with keys h, c", "0". */
export function describeValue(v: unknown): string {
  if (v instanceof Tensor) return `a Tensor ${shapeStr(v.shape)}`;
  if (Array.isArray(v)) return `an array of ${v.length}${v.length > 0 && v[0] instanceof Tensor ? ` (the first a Tensor ${shapeStr(v[0].shape)})` : ""}`;
  if (isObject(v)) {
    const name = v.constructor?.name;
    const keys = Object.keys(v);
    return name && name !== "Object" ? `a ${name}` : `an object with keys ${keys.length > 0 ? keys.join(", ") : "(none)"}`;
  }
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}
