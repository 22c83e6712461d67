// One error class for everything that goes wrong with data: a missing or malformed file, a value
// that is not a number, a window longer than the series, a character outside the vocabulary.
//
// Why a class of its own? Bad data must stop loading with a message that names the file and the
// row (or the value), not turn into a NaN that surfaces 500 steps later as a loss of NaN. Tests
// and notebooks can tell these errors from programming errors with `instanceof DataError`.
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

/** An integer option at least `min`: `checkInt("slidingWindows", "window", 0, 1)` throws a DataError naming both. */
export function checkInt(where: string, what: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new DataError(`${where}: ${what} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/**
 * A range of steps start..end (end exclusive) inside a series of `length` steps. Reading outside
 * it gives undefined, which a Float64Array stores as NaN (or a subarray past the end returns
 * nothing, which leaves zeros): a range beyond the data is an error naming both.
 */
export function checkRange(where: string, range: { readonly start: number; readonly end: number }, length: number): void {
  const { start, end } = range;
  const r = `the range ${start}..${end}`;
  if (!Number.isInteger(start) || !Number.isInteger(end)) throw new DataError(`${where}: ${r} must be whole step numbers (start..end, end exclusive)`);
  if (start < 0) throw new DataError(`${where}: ${r} starts before step 0 (the series has ${length} steps)`);
  if (end > length) throw new DataError(`${where}: ${r} goes past the end of the series, which has ${length} steps (ranges are start..end, end exclusive, within 0..${length})`);
  if (start > end) throw new DataError(`${where}: ${r} ends before it starts (the series has ${length} steps)`);
}
