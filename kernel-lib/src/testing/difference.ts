// How far apart two tensors are, element by element: what the notebooks print and claim when they
// compare a learner's from-scratch version with the library's ("agree to 1e-12").
import { Tensor } from "../tensor";

/**
 * The largest |a[i] − b[i]| over the elements of two tensors of the same shape (0 for empty ones;
 * NaN if either holds a NaN, so that a broken result never reads as agreement). Different shapes
 * are an error naming both.
 */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError("maxAbsDiff: both arguments must be tensors");
  if (a.shape.length !== b.shape.length || a.shape.some((n, i) => n !== b.shape[i])) {
    throw new RangeError(`maxAbsDiff: the shapes differ, [${a.shape.join(",")}] and [${b.shape.join(",")}]`);
  }
  let largest = 0;
  for (let i = 0; i < a.size; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    if (Number.isNaN(d)) return NaN;
    if (d > largest) largest = d;
  }
  return largest;
}
