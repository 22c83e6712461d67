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
