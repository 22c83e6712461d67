// A lookup table of learned vectors: token id i → row i of weight [V, D] (PyTorch's nn.Embedding).
// The same as one-hot(i) · weight, without building the one-hot vectors.
import { embedding } from "../ops";
import type { Indices } from "../ops";
import { Rng, defaultRng } from "../random";
import { Tensor, zeros } from "../tensor";
import * as init from "./init";
import { Module } from "./module";
import { Parameter } from "./parameter";

export interface EmbeddingOptions {
  /** Generator for the initial weights (default: the library's default generator). */
  rng?: Rng;
}

export class Embedding extends Module {
  readonly weight: Parameter;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    for (const [what, n] of [["numEmbeddings", numEmbeddings], ["embeddingDim", embeddingDim]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Embedding: ${what} must be a positive integer, got ${n}`);
    }
    // PyTorch's default: N(0, 1), so embeddings start at about the scale of a one-hot input.
    this.weight = new Parameter(init.normal(zeros([numEmbeddings, embeddingDim]), 0, 1, options.rng ?? defaultRng()));
  }

  protected override describeOptions(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}`;
  }

  /** Token ids of shape S (a tensor [T, B], or an array of n ids) → their vectors [...S, D]. */
  forward(indices: Indices): Tensor {
    return embedding(this.weight, indices);
  }
}
