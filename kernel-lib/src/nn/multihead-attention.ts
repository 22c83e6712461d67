// Multi-head attention (Vaswani et al. 2017, section 3.2.2) with PyTorch's parameters and layout,
// so that a state dict moves between this and torch.nn.MultiheadAttention both ways:
//   in_proj_weight [3E, E]  the query, key and value projections stacked (row blocks q, k, v)
//   in_proj_bias   [3E]
//   out_proj       a Linear(E, E): out_proj.weight, out_proj.bias
// Sequence-first like PyTorch's default (batch_first=False): query [L, B, E], key/value [S, B, E].
import { shapeStr } from "../errors";
import { causalMask, concat, linear, mean, reshape, scaledDotProductAttention, slice, transpose } from "../ops";
import type { AttentionOptions } from "../ops";
import { Rng, defaultRng } from "../random";
import { Tensor, zeros } from "../tensor";
import * as init from "./init";
import { Linear } from "./linear";
import { Module } from "./module";
import { Parameter } from "./parameter";

export interface MultiheadAttentionOptions {
  /** Learn the projections' biases (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the library's default generator). */
  rng?: Rng;
}

export interface MultiheadAttentionOutput {
  /** [L, B, E] */
  output: Tensor;
  /** [B, L, S]: the attention weights averaged over the heads (PyTorch's need_weights=True). */
  weights: Tensor;
}

export class MultiheadAttention extends Module {
  readonly in_proj_weight: Parameter;
  readonly in_proj_bias: Parameter | null;
  readonly out_proj: Linear;
  readonly headDim: number;

  constructor(readonly embedDim: number, readonly numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    for (const [what, n] of [["embedDim", embedDim], ["numHeads", numHeads]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`MultiheadAttention: ${what} must be a positive integer, got ${n}`);
    }
    if (embedDim % numHeads !== 0) {
      throw new RangeError(`MultiheadAttention: embedDim ${embedDim} is not divisible by numHeads ${numHeads} (each head gets embedDim / numHeads features)`);
    }
    this.headDim = embedDim / numHeads;
    const rng = options.rng ?? defaultRng();
    const bias = options.bias !== false;
    // PyTorch's _reset_parameters: Xavier-uniform over the whole [3E, E] block, zero biases, and
    // the output projection's default Linear init with its bias then zeroed.
    this.in_proj_weight = new Parameter(init.xavierUniform(zeros([3 * embedDim, embedDim]), rng));
    this.in_proj_bias = bias ? new Parameter(zeros([3 * embedDim])) : null;
    this.out_proj = new Linear(embedDim, embedDim, { bias, rng });
    if (this.out_proj.bias) this.out_proj.bias.data.fill(0);
  }

  protected override describeOptions(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}`;
  }

  /** Rows [which·E, (which+1)·E) of the packed projection: which = 0 (q), 1 (k), 2 (v). */
  private project(x: Tensor, which: number): Tensor {
    const E = this.embedDim;
    const w = slice(this.in_proj_weight, 0, which * E, (which + 1) * E);
    const b = this.in_proj_bias === null ? undefined : slice(this.in_proj_bias, 0, which * E, (which + 1) * E);
    const [T, B] = x.shape;
    return reshape(linear(reshape(x, [T * B, E]), w, b), [T, B, E]);
  }

  /** [T, B, E] → [B·H, T, E/H]: one attention problem per (batch entry, head). */
  private splitHeads(x: Tensor): Tensor {
    const [T, B] = x.shape;
    return transpose(reshape(x, [T, B * this.numHeads, this.headDim]), 0, 1);
  }

  /**
   * query [L, B, E] attends over key [S, B, E] and value [S, B, E] (self-attention when key and
   * value are left out). Options: `causal` (query t sees keys 0..t; with S > L keys, the queries
   * are the last L positions: see causalMask), or an additive `mask` [L, S] for every sequence of
   * the batch (0 to keep, −Infinity to hide; PyTorch also takes boolean masks and a key_padding_mask).
   */
  forward(query: Tensor, key: Tensor = query, value: Tensor = key, options: AttentionOptions = {}): MultiheadAttentionOutput {
    const E = this.embedDim;
    const shapes = `query ${shapeStr(query.shape)}, key ${shapeStr(key.shape)}, value ${shapeStr(value.shape)}`;
    for (const t of [query, key, value]) {
      if (t.rank !== 3 || t.shape[2] !== E) throw new RangeError(`MultiheadAttention: ${shapes}: each must be [positions, batch, ${E}] (sequence-first, last axis = embedDim)`);
    }
    const B = query.shape[1];
    const S = key.shape[0];
    if (key.shape[1] !== B || value.shape[1] !== B) throw new RangeError(`MultiheadAttention: ${shapes}: batch sizes differ`);
    if (value.shape[0] !== S) throw new RangeError(`MultiheadAttention: ${shapes}: key and value must have the same number of positions`);
    return this.attend(this.project(query, 0), this.project(key, 1), this.project(value, 2), options);
  }

  /**
   * Causal self-attention for new positions x [L, B, E] that come after the ones in `cache`: their
   * keys and values are appended to the cache, and each new position attends over everything so
   * far. Generation feeds one position at a time (L = 1): the earlier positions' keys and values are
   * not computed again, only read. The same numbers as forward(whole sequence, { causal: true }).
   */
  forwardCached(x: Tensor, cache: KeyValueCache): MultiheadAttentionOutput {
    const E = this.embedDim;
    if (x.rank !== 3 || x.shape[2] !== E) throw new RangeError(`MultiheadAttention.forwardCached: x ${shapeStr(x.shape)} must be [positions, batch, ${E}]`);
    const k = this.project(x, 1), v = this.project(x, 2);
    cache.key = cache.key === null ? k : concat([cache.key, k], 0);
    cache.value = cache.value === null ? v : concat([cache.value, v], 0);
    return this.attend(this.project(x, 0), cache.key, cache.value, { mask: causalMask(x.shape[0], cache.key.shape[0]) });
  }

  /** Attention over projected q [L, B, E], k and v [S, B, E], head by head, then out_proj. */
  private attend(qp: Tensor, kp: Tensor, vp: Tensor, options: AttentionOptions): MultiheadAttentionOutput {
    const E = this.embedDim, H = this.numHeads;
    const [L, B] = qp.shape;
    const S = kp.shape[0];
    const q = this.splitHeads(qp), k = this.splitHeads(kp), v = this.splitHeads(vp);
    const { output: heads, weights } = scaledDotProductAttention(q, k, v, options); // [B·H, L, E/H], [B·H, L, S]
    const joined = reshape(transpose(heads, 0, 1), [L * B, E]); // the heads side by side again
    const output = reshape(this.out_proj.forward(joined), [L, B, E]);
    return { output, weights: mean(reshape(weights, [B, H, L, S]), 1) };
  }
}

/** The keys and values a layer has seen so far, projected ([S, B, E] each; null before the first step). */
export interface KeyValueCache {
  key: Tensor | null;
  value: Tensor | null;
}
