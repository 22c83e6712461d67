// A small causal Transformer on input vectors, the attention counterpart of RecurrentModel: the
// same inputs [T, B, I] and outputs [T, B, O], so that one pipeline can train either
// (kl.tasks.sequenceModel). With one-hot inputs its first map is an embedding plus a bias.
import { shapeStr } from "../errors";
import { defaultRng, type Rng } from "../random";
import { Tensor } from "../tensor";
import { LayerNorm } from "./layer-norm";
import { Linear } from "./linear";
import { Module } from "./module";
import { PositionalEncoding, type PositionKind } from "./positional";
import { TransformerBlock } from "./transformer";

export interface AttentionModelOptions {
  /** E: the width of every position's vector (default 32). */
  embedDim?: number;
  numHeads?: number;   // default 4
  numLayers?: number;  // default 1
  /** The feed-forward width (default embedDim). */
  ffDim?: number;
  /** The longest sequence (default 512). */
  maxLen?: number;
  /** Positions "sinusoidal" (default: nothing to learn, any length up to maxLen) or "learned". */
  positions?: PositionKind;
  rng?: Rng;
}

/**
 * A causal Transformer on input vectors: x [T, B, I] → a linear map to E, plus positions, then
 * pre-LN blocks with a causal mask, a final layer norm and a linear read-out at every position:
 * [T, B, O]. With one-hot inputs the first map is an embedding (plus a bias). Fields in PyTorch's
 * style: `input`, `pos`, `blocks`, `norm`, `head`.
 */
export class AttentionModel extends Module {
  readonly input: Linear;
  readonly pos: PositionalEncoding;
  readonly blocks: TransformerBlock[];
  readonly norm: LayerNorm;
  readonly head: Linear;
  readonly embedDim: number;

  constructor(readonly inputSize: number, readonly outputSize: number, options: AttentionModelOptions = {}) {
    super();
    const rng = options.rng ?? defaultRng();
    const E = options.embedDim ?? 32;
    const layers = options.numLayers ?? 1;
    if (!Number.isInteger(layers) || layers < 1) throw new RangeError(`AttentionModel: numLayers must be a positive integer, got ${layers}`);
    this.embedDim = E;
    this.input = new Linear(inputSize, E, { rng });
    this.pos = new PositionalEncoding(options.maxLen ?? 512, E, { kind: options.positions ?? "sinusoidal", rng });
    this.blocks = Array.from({ length: layers }, () => new TransformerBlock(E, options.numHeads ?? 4, options.ffDim ?? E, { normFirst: true, rng }));
    this.norm = new LayerNorm(E);
    this.head = new Linear(E, outputSize, { rng });
  }

  protected override describeOptions(): string {
    return `${this.inputSize}, ${this.outputSize}, embedDim=${this.embedDim}, numLayers=${this.blocks.length}, ${this.pos.kind} positions`;
  }

  /** x [T, B, inputSize] → [T, B, outputSize]; position t sees positions 0..t. */
  forward(x: Tensor): Tensor {
    if (x.rank !== 3 || x.shape[2] !== this.inputSize) throw new RangeError(`AttentionModel: x has shape ${shapeStr(x.shape)}, expected [seqLen,batch,${this.inputSize}] (time-major)`);
    let h = this.pos.forward(this.input.forward(x));
    for (const block of this.blocks) h = block.forward(h, { causal: true });
    return this.head.forward(this.norm.forward(h));
  }
}
