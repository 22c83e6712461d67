// Small helpers shared by the ops.
import { shapeStr } from "../errors";
import { Shape, Tensor } from "../tensor";

/** Numbers in arithmetic (`x.mul(2)`) become constant scalar tensors. */
export function asTensor(x: Tensor | number): Tensor {
  return typeof x === "number" ? new Tensor(Float64Array.of(x), []) : x;
}

/**
 * The numpy broadcast of two shapes: align them on the right; each pair of sizes must be equal or
 * one of them 1, and the result takes the larger. [32,1] and [4] broadcast to [32,4].
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 1; i <= rank; i++) {
    const da = i <= a.length ? a[a.length - i] : 1;
    const db = i <= b.length ? b[b.length - i] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast: sizes ${da} and ${db} differ ` +
          `(axis ${-i} counting from the right) and neither is 1`,
      );
    }
    out[rank - i] = da === 1 ? db : da;
  }
  return out;
}

/** Product of shape[from..to). */
export function prod(shape: Shape, from = 0, to = shape.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= shape[i];
  return n;
}
