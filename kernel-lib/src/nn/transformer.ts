// A Transformer block (Vaswani et al. 2017, one encoder layer) and a tiny causal language model
// made of them. Names follow PyTorch's nn.TransformerEncoderLayer (self_attn, linear1, linear2,
// norm1, norm2), so a block's state dict matches torch's with dropout left out.
import { reshape, relu } from "../ops";
import type { AttentionOptions } from "../ops";
import { shapeStr } from "../errors";
import { Rng, defaultRng } from "../random";
import { Tensor, fromFlat } from "../tensor";
import { Embedding } from "./embedding";
import { LayerNorm } from "./layer-norm";
import { Linear } from "./linear";
import { Module } from "./module";
import { KeyValueCache, MultiheadAttention } from "./multihead-attention";
import { PositionalEncoding, PositionKind } from "./positional";

export interface TransformerBlockOptions {
  /**
   * Layer norm before each sub-layer ("pre-LN", GPT-2's choice, which trains without warm-up) or
   * after the residual sum (false, the default: the original paper's and PyTorch's).
   */
  normFirst?: boolean;
  rng?: Rng;
}

export class TransformerBlock extends Module {
  readonly self_attn: MultiheadAttention;
  readonly linear1: Linear;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly normFirst: boolean;

  constructor(readonly embedDim: number, readonly numHeads: number, readonly ffDim = 4 * embedDim, options: TransformerBlockOptions = {}) {
    super();
    const rng = options.rng ?? defaultRng();
    this.self_attn = new MultiheadAttention(embedDim, numHeads, { rng });
    this.linear1 = new Linear(embedDim, ffDim, { rng });
    this.linear2 = new Linear(ffDim, embedDim, { rng });
    this.norm1 = new LayerNorm(embedDim);
    this.norm2 = new LayerNorm(embedDim);
    this.normFirst = options.normFirst ?? false;
  }

  protected override describeOptions(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, ffDim=${this.ffDim}${this.normFirst ? ", normFirst" : ""}`;
  }

  /** The position-wise feed-forward network: linear2(relu(linear1(x))), the same at every position. */
  private feedForward(x: Tensor): Tensor {
    return this.linear2.forward(relu(this.linear1.forward(x)));
  }

  /** x [T, B, E] → [T, B, E]: attention, then the feed-forward network, each inside a residual connection. */
  forward(x: Tensor, options: AttentionOptions = {}): Tensor {
    const attend = (h: Tensor) => this.self_attn.forward(h, h, h, options).output;
    return this.combine(x, attend);
  }

  /** The block for new positions after those in `cache` (see MultiheadAttention.forwardCached). */
  forwardCached(x: Tensor, cache: KeyValueCache): Tensor {
    return this.combine(x, (h) => this.self_attn.forwardCached(h, cache).output);
  }

  private combine(x: Tensor, attend: (h: Tensor) => Tensor): Tensor {
    if (this.normFirst) {
      const h = x.add(attend(this.norm1.forward(x)));
      return h.add(this.feedForward(this.norm2.forward(h)));
    }
    const h = this.norm1.forward(x.add(attend(x)));
    return this.norm2.forward(h.add(this.feedForward(h)));
  }
}

export interface TransformerLMOptions {
  embedDim: number;
  numHeads: number;
  numLayers: number;
  /** The feed-forward width (default 4 · embedDim). */
  ffDim?: number;
  /** The longest sequence the positional encoding covers. */
  maxLen: number;
  /** "learned" (default, as GPT-2) or "sinusoidal". */
  positions?: PositionKind;
  rng?: Rng;
}

/** The key-value caches of every block, and how many positions they hold. */
export interface TransformerCache {
  layers: KeyValueCache[];
  length: number;
}

/**
 * A tiny GPT: token embedding + positions, pre-LN causal blocks, a final layer norm, a linear
 * read-out to next-token logits. Every position sees itself and the positions before it only.
 */
export class TransformerLM extends Module {
  readonly embed: Embedding;
  readonly pos: PositionalEncoding;
  readonly blocks: TransformerBlock[];
  readonly norm: LayerNorm;
  readonly head: Linear;

  constructor(readonly vocabSize: number, readonly options: TransformerLMOptions) {
    super();
    const { embedDim: E, numHeads, numLayers, maxLen } = options;
    if (!Number.isInteger(numLayers) || numLayers <= 0) throw new RangeError(`TransformerLM: numLayers must be a positive integer, got ${numLayers}`);
    const rng = options.rng ?? defaultRng();
    this.embed = new Embedding(vocabSize, E, { rng });
    this.pos = new PositionalEncoding(maxLen, E, { kind: options.positions ?? "learned", rng });
    this.blocks = Array.from({ length: numLayers }, () => new TransformerBlock(E, numHeads, options.ffDim ?? 4 * E, { normFirst: true, rng }));
    this.norm = new LayerNorm(E);
    this.head = new Linear(E, vocabSize, { rng });
  }

  protected override describeOptions(): string {
    const o = this.options;
    return `vocab=${this.vocabSize}, embedDim=${o.embedDim}, numHeads=${o.numHeads}, numLayers=${o.numLayers}, maxLen=${o.maxLen}`;
  }

  /** Token ids [T][B] (or a tensor [T, B]) → next-token logits [T, B, V]; position t sees 0..t. */
  forward(tokens: Tensor | readonly (readonly number[])[]): Tensor {
    const ids = tokens instanceof Tensor ? tokens : idsTensor(tokens);
    if (ids.rank !== 2) throw new RangeError(`TransformerLM: tokens have shape ${shapeStr(ids.shape)}, expected [T, B] token ids`);
    let x = this.pos.forward(this.embed.forward(ids));
    for (const block of this.blocks) x = block.forward(x, { causal: true });
    return this.head.forward(this.norm.forward(x));
  }

  /** An empty key-value cache for step(). */
  newCache(): TransformerCache {
    return { layers: this.blocks.map(() => ({ key: null, value: null })), length: 0 };
  }

  /**
   * One new position per batch entry (token ids [B]) after those in `cache`: its logits [B, V].
   * The earlier positions' keys and values are read from the cache, not computed again.
   */
  step(tokens: readonly number[], cache: TransformerCache): Tensor {
    const B = tokens.length;
    let x = this.pos.forward(this.embed.forward(fromFlat(tokens, [1, B])), cache.length);
    this.blocks.forEach((block, i) => { x = block.forwardCached(x, cache.layers[i]); });
    cache.length += 1;
    return reshape(this.head.forward(this.norm.forward(x)), [B, this.vocabSize]);
  }
}

function idsTensor(tokens: readonly (readonly number[])[]): Tensor {
  const T = tokens.length, B = T === 0 ? 0 : tokens[0].length;
  if (T === 0 || B === 0) throw new RangeError("TransformerLM: tokens are empty; expected [T][B] token ids with T, B >= 1");
  if (tokens.some((row) => row.length !== B)) throw new RangeError(`TransformerLM: tokens rows have different lengths (expected ${B} ids in each of the ${T} rows)`);
  return fromFlat(tokens.flat(), [T, B]);
}
