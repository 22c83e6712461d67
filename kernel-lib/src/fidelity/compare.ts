// Comparing our numbers with PyTorch's.
//
// Each number is compared with
//
//     err(a, b) = |a - b| / max(|a|, |b|, 1)
//
// i.e. relative error for values above 1 and absolute error below. A pure relative error would
// blow up for values near zero: a gradient that is a sum of O(1) terms cancelling to 1e-13 carries
// rounding error of order 1e-17 from those terms, a "relative error" of 1e-4 that says nothing
// about correctness. Everything in these cases is built from O(1) quantities, so an absolute floor
// of 1 is the natural scale. A case passes when its worst err is <= 1e-9 (FIDELITY_TOLERANCE):
// float64 agreement is ~1e-15; a real bug (a wrong gate order, a missing bias) gives 1e-3 or more.
import { Nested } from "../io/state-dict";
import { Tensor } from "../tensor";

/** The comparison measure documented above: |a - b| / max(|a|, |b|, 1); NaN counts as Infinity. */
export function relativeError(a: number, b: number): number {
  const e = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1);
  return Number.isNaN(e) ? Infinity : e;
}


/** The largest error found so far and where: a field path such as "grads.weight_hh[2][1]". */
export interface WorstError {
  error: number;
  where: string;
  expected: number;
  actual: number;
}

/** Compares nested arrays element by element, remembering the worst error. */
export class Comparison {
  worst: WorstError = { error: 0, where: "(nothing compared)", expected: 0, actual: 0 };
  count = 0;

  /** Compares `actual` (a tensor, nested arrays or a number) with the fixture's `expected`. */
  check(where: string, expected: Nested, actual: Tensor | Nested): void {
    const got: Nested = actual instanceof Tensor ? actual.toArray() : actual;
    this.walk(where, expected, got);
  }

  private walk(where: string, expected: Nested, actual: Nested): void {
    if (typeof expected === "number") {
      if (typeof actual !== "number") throw new Error(`${where}: expected a number, computed an array`);
      const error = relativeError(expected, actual);
      this.count += 1;
      if (error > this.worst.error || this.count === 1) this.worst = { error, where, expected, actual };
      return;
    }
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      const len = Array.isArray(actual) ? `length ${actual.length}` : "a number";
      throw new Error(`${where}: expected an array of length ${expected.length}, computed ${len}`);
    }
    expected.forEach((e, i) => this.walk(`${where}[${i}]`, e, actual[i]));
  }
}
