// Integer indices to vectors: embedding (a learned lookup table) and oneHot (a fixed one).
import { shapeStr } from "../errors";
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate } from "../tensor";

/** Indices may be a plain array, a typed array, or a tensor holding integers. */
export type Indices = ArrayLike<number> | Tensor;

function indexValues(indices: Indices): ArrayLike<number> {
  return indices instanceof Tensor ? indices.data : indices;
}

/** The shape of the indices: a tensor's own shape (e.g. [T, B]), or [n] for a plain array. */
function indexShape(indices: Indices): readonly number[] {
  return indices instanceof Tensor ? indices.shape : [indices.length];
}

/**
 * Rows of `weight` [V, D] picked by `indices`: the embedding of token ids. Indices of shape S
 * (a tensor [T, B], or an array of n ids: [n]) give [...S, D], as PyTorch's F.embedding.
 * It equals oneHot(indices, V)·weight, without building the one-hot vectors.
 */
export function embedding(weight: Tensor, indices: Indices): Tensor {
  if (weight.rank !== 2) {
    throw new RangeError(`embedding: weight must be [vocabulary, dim], got shape ${shapeStr(weight.shape)}`);
  }
  const [V, D] = weight.shape;
  const idx = Int32Array.from(indexValues(indices), (v, pos) => {
    if (!Number.isInteger(v) || v < 0 || v >= V) {
      throw new RangeError(`embedding: index ${v} at position ${pos} is out of range for a weight of shape ${shapeStr(weight.shape)} (vocabulary size ${V})`);
    }
    return v;
  });
  const n = idx.length;
  const shape = [...indexShape(indices), D];
  const out = new Tensor(allocate("embedding", shape), shape);
  for (let r = 0; r < n; r++) out.data.set(weight.data.subarray(idx[r] * D, (idx[r] + 1) * D), r * D);
  return record(out, [weight], (g) => {
    // Scatter-add: row r of the gradient goes to the row of weight it was copied from. A token
    // that appears twice in the batch collects both gradients.
    const gw = gradSlot(weight);
    if (!gw) return;
    for (let r = 0; r < n; r++) {
      const to = idx[r] * D;
      for (let j = 0; j < D; j++) gw[to + j] += g[r * D + j];
    }
  }, "embedding");
}

/**
 * One-hot vectors: indices of shape S (a tensor [T, B], or an array of n ids: [n]) give
 * [...S, depth], with a 1 at each index and 0 elsewhere, as PyTorch's F.one_hot. Constant: no gradient.
 */
export function oneHot(indices: Indices, depth: number): Tensor {
  if (!Number.isInteger(depth) || depth <= 0) throw new RangeError(`oneHot: depth must be a positive integer, got ${depth}`);
  const values = indexValues(indices);
  const shape = [...indexShape(indices), depth];
  const out = new Tensor(allocate("oneHot", shape), shape);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (!Number.isInteger(v) || v < 0 || v >= depth) {
      throw new RangeError(`oneHot: index ${v} at position ${r} is out of range for depth ${depth}`);
    }
    out.data[r * depth + v] = 1;
  }
  return out;
}
