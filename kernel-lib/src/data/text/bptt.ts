// Batches for truncated backpropagation through time (BPTT) on one long text.
//
// The corpus of N ids is cut into B contiguous streams of L = floor((N - 1) / B) ids each:
// stream b is ids[b·L .. b·L + L). Column b of every batch reads stream b, T steps at a time:
//
//     chunk k:  x[t, b] = ids[b·L + k·T + t],   y[t, b] = ids[b·L + k·T + t + 1]  (the next id)
//
// So chunk k of column b continues exactly where chunk k-1 of column b stopped. That is what makes
// carrying the hidden state across chunks correct: the state at the end of chunk k-1 (detached,
// so backward stops there) is the state the network would have had at the start of chunk k had
// it read the whole stream in one go. Any other layout (random offsets per chunk, a shuffled
// order of chunks) hands the network a state that belongs to some other place in the text.
import { Tensor } from "../../tensor";
import { describeLines, fmtCount, namedShape, type Described } from "../describe";
import { DataError, checkInt } from "../errors";

export interface BpttChunk {
  /** Which chunk (0-based). */
  readonly k: number;
  /** Input ids, [T, B] (time-major; the last chunk may have fewer steps). */
  readonly x: Tensor;
  /** Target ids, [T, B]: y[t, b] is the id after x[t, b]. */
  readonly y: Tensor;
  /** Position in each stream of this chunk's first step (k·T). */
  readonly offset: number;
}

export class BpttBatches implements Described, Iterable<BpttChunk> {
  /** L: ids per stream. */
  readonly streamLength: number;
  readonly numChunks: number;
  private readonly ids: Int32Array;

  constructor(ids: ArrayLike<number>, readonly batchSize: number, readonly seqLen: number) {
    checkInt("bpttBatches", "batchSize", batchSize, 1);
    checkInt("bpttBatches", "seqLen", seqLen, 1);
    this.ids = Int32Array.from(ids);
    for (let i = 0; i < this.ids.length; i++) {
      if (this.ids[i] !== ids[i] || ids[i] < 0) throw new DataError(`bpttBatches: ids[${i}] = ${ids[i]} is not a token id (a whole number >= 0)`);
    }
    this.streamLength = Math.floor((this.ids.length - 1) / batchSize);
    if (this.streamLength < 1) {
      throw new DataError(`bpttBatches: ${this.ids.length} ids are too few for ${batchSize} streams (each needs at least 2: an input and its next id)`);
    }
    this.numChunks = Math.ceil(this.streamLength / seqLen);
  }

  /** Stream b as ids (its L inputs): `vocab.decode(batches.stream(0))` reads column 0. */
  stream(b: number): Int32Array {
    if (!Number.isInteger(b) || b < 0 || b >= this.batchSize) throw new DataError(`BpttBatches.stream: b = ${b} is not in 0..${this.batchSize - 1}`);
    return this.ids.slice(b * this.streamLength, (b + 1) * this.streamLength);
  }

  /** Chunk k: x and y [T, B], T = seqLen except possibly for the last chunk. */
  chunk(k: number): BpttChunk {
    if (!Number.isInteger(k) || k < 0 || k >= this.numChunks) throw new DataError(`BpttBatches.chunk: k = ${k} is not in 0..${this.numChunks - 1}`);
    const B = this.batchSize, L = this.streamLength;
    const offset = k * this.seqLen;
    const T = Math.min(this.seqLen, L - offset);
    const x = new Float64Array(T * B);
    const y = new Float64Array(T * B);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const i = b * L + offset + t;
        x[t * B + b] = this.ids[i];
        y[t * B + b] = this.ids[i + 1];
      }
    }
    return { k, x: new Tensor(x, [T, B]), y: new Tensor(y, [T, B]), offset };
  }

  *[Symbol.iterator](): Iterator<BpttChunk> {
    for (let k = 0; k < this.numChunks; k++) yield this.chunk(k);
  }

  describe(): string {
    const last = this.streamLength - (this.numChunks - 1) * this.seqLen;
    return describeLines(`Truncated-BPTT batches of ${fmtCount(this.ids.length)} token ids`, [
      ["streams", `B=${this.batchSize} contiguous streams of L=${fmtCount(this.streamLength)} ids (stream b starts at id b·L)`],
      ["chunks", `${fmtCount(this.numChunks)} per epoch, each x and y ${namedShape([this.seqLen, this.batchSize], ["T", "B"])}${last !== this.seqLen ? ` (the last has T=${last})` : ""}`],
      ["state", "carry the hidden state from chunk k-1 to chunk k, detached; reset it each epoch"],
      ["unused", `${this.ids.length - this.batchSize * this.streamLength} ids at the end`],
    ]);
  }
}

/** `bpttBatches(vocab.encode(text), { batchSize: 32, seqLen: 64 })`; iterate with for...of. */
export function bpttBatches(ids: ArrayLike<number>, options: { batchSize: number; seqLen: number }): BpttBatches {
  return new BpttBatches(ids, options.batchSize, options.seqLen);
}
