// Positions for attention. Attention treats its inputs as a set: permute them and the outputs are
// permuted the same way. Adding a different vector to each position makes order visible.
import { add, reshape, slice } from "../ops";
import { shapeStr } from "../errors";
import { Rng, defaultRng } from "../random";
import { Tensor, zeros } from "../tensor";
import * as init from "./init";
import { Module } from "./module";
import { Parameter } from "./parameter";

/**
 * Vaswani et al. (2017), section 3.5: PE[p, 2i] = sin(p / 10000^(2i/E)), PE[p, 2i+1] = cos(same).
 * Each pair of columns is a clock of its own period, from 2π to 10000·2π positions.
 */
export function sinusoidalPositions(T: number, E: number): Tensor {
  for (const [what, n] of [["T", T], ["E", E]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`sinusoidalPositions: ${what} must be a positive integer, got ${n}`);
  }
  const pe = zeros([T, E]);
  for (let p = 0; p < T; p++) {
    for (let c = 0; c < E; c++) {
      const angle = p / Math.pow(10000, (2 * Math.floor(c / 2)) / E);
      pe.data[p * E + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return pe;
}

export type PositionKind = "sinusoidal" | "learned";

export interface PositionalEncodingOptions {
  /** "sinusoidal" (fixed, default) or "learned" (a parameter per position, as GPT-2). */
  kind?: PositionKind;
  rng?: Rng;
}

export class PositionalEncoding extends Module {
  readonly kind: PositionKind;
  /** The learned kind's table [maxLen, E]; null for the sinusoidal kind (nothing to learn). */
  readonly weight: Parameter | null;
  /** The sinusoidal kind's fixed table [maxLen, E] (a plain tensor: not a parameter). */
  private readonly fixed: Tensor | null;

  constructor(readonly maxLen: number, readonly embedDim: number, options: PositionalEncodingOptions = {}) {
    super();
    this.kind = options.kind ?? "sinusoidal";
    if (this.kind !== "sinusoidal" && this.kind !== "learned") {
      throw new RangeError(`PositionalEncoding: kind must be "sinusoidal" or "learned", got ${JSON.stringify(this.kind)}`);
    }
    if (this.kind === "learned") {
      // GPT-2's init: N(0, 0.02²), small beside token embeddings of unit scale.
      this.weight = new Parameter(init.normal(zeros([maxLen, embedDim]), 0, 0.02, options.rng ?? defaultRng()));
      this.fixed = null;
    } else {
      this.weight = null;
      this.fixed = sinusoidalPositions(maxLen, embedDim);
    }
  }

  protected override describeOptions(): string {
    return `${this.kind}, maxLen=${this.maxLen}, ${this.embedDim}`;
  }

  /** The encodings of positions offset .. offset+T-1, [T, E]. */
  positions(T: number, offset = 0): Tensor {
    if (offset + T > this.maxLen) {
      throw new RangeError(`PositionalEncoding: positions ${offset}..${offset + T - 1} were asked for, but maxLen is ${this.maxLen} (positions 0..${this.maxLen - 1}); make the model with a larger maxLen`);
    }
    return slice((this.weight ?? this.fixed) as Tensor, 0, offset, offset + T);
  }

  /** x [T, B, E] + the encodings of positions offset .. offset+T-1 (the same for every batch entry). */
  forward(x: Tensor, offset = 0): Tensor {
    if (x.rank !== 3 || x.shape[2] !== this.embedDim) {
      throw new RangeError(`PositionalEncoding: x has shape ${shapeStr(x.shape)}, expected [T, B, ${this.embedDim}]`);
    }
    const T = x.shape[0];
    return add(x, reshape(this.positions(T, offset), [T, 1, this.embedDim]));
  }
}
