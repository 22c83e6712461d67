// Train / validation / test splits of a time series, by time: train is the earliest stretch,
// then validation, then test. Never shuffled across the split: a model evaluated on days it (or
// its normalisation) saw during training looks better than it is. That is leakage.
import { DataError } from "../errors";

/** Steps start (inclusive) to end (exclusive). */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

export interface TimeSplit {
  readonly train: TimeRange;
  readonly val: TimeRange;
  readonly test: TimeRange;
}

export interface SplitFractions {
  /** Fraction of the steps for training (default 0.7). */
  train?: number;
  /** Fraction for validation (default 0.15); the rest is the test split. */
  val?: number;
}

/** `timeSplit(1000)` → train 0..700, val 700..850, test 850..1000. */
export function timeSplit(length: number, fractions: SplitFractions = {}): TimeSplit {
  const { train = 0.7, val = 0.15 } = fractions;
  if (!Number.isInteger(length) || length < 3) throw new DataError(`timeSplit: length must be an integer >= 3, got ${length}`);
  for (const [name, f] of [["train", train], ["val", val]] as const) {
    if (!(f > 0 && f < 1)) throw new DataError(`timeSplit: the ${name} fraction must be in (0, 1), got ${f}`);
  }
  if (train + val >= 1) throw new DataError(`timeSplit: train + val = ${train + val} leaves nothing for the test split (must be < 1)`);
  const a = Math.round(length * train);
  const b = Math.round(length * (train + val));
  if (a < 1 || b <= a || b >= length) throw new DataError(`timeSplit: ${length} steps are too few for fractions train ${train}, val ${val} (a split would be empty)`);
  return { train: { start: 0, end: a }, val: { start: a, end: b }, test: { start: b, end: length } };
}
