// Bad input must never become a silent blank chart. Two kinds of problem, two answers:
//
// - Shape problems are bugs in the calling code (x and y of different lengths, an empty series,
//   a ragged matrix, a label count that does not match): they throw, naming the chart, the
//   series and the numbers, e.g. `lineChart "Loss": series "lstm" has 50 x values but 49 y values`.
// - Values that cannot be drawn (NaN, +-Infinity, values <= 0 on a log axis) are data: a diverging
//   run produces them, and that is exactly when the learner needs the chart. Those points are
//   left out and the chart says so, in its title and in the text summary:
//   `2 NaN values in series "rnn" not drawn`.
import { plural } from "./format";

/** A chart's input was unusable; the message names the chart, the series and the problem. */
export class ChartInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChartInputError";
  }
}

/** `lineChart "Loss"`: how errors name the chart (the function the learner called, and its title). */
export function chartName(fn: string, title: unknown): string {
  return typeof title === "string" && title.trim() ? `${fn} "${title}"` : fn;
}

/** Every chart needs a title and axis titles (with units): empty ones are refused. */
export function requireText(where: string, option: string, value: unknown): string {
  if (typeof value !== "string" || !value.trim()) {
    throw new ChartInputError(`${where}: ${option} is missing; every chart needs a title and axis titles (with units, e.g. "loss (nats)")`);
  }
  return value;
}

/**
 * A value as a figure carries it: integers as they are, others to `digits` significant digits
 * (6 unless the series needs more: see `digitsFor`). float64's 17 digits everywhere would triple
 * the size of every output.
 */
export function compact(v: number, digits = 6): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(digits));
}

/**
 * The significant digits that draw a series faithfully: enough for 6 digits of its spread
 * (largest minus smallest finite value). A chart zooms its axis onto the spread, so a series whose
 * spread is small against its size (23.4518 to 23.4529: 5e-5 of it) would show 6-digit rounding as
 * a staircase; it keeps one more digit per order of magnitude between its size and its spread (up
 * to all 17). A series that spreads widely (or not at all) stays at 6.
 */
export function digitsFor(values: Iterable<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return 6;
  // The last of d digits of the largest value sits at 10^(e(size) − d + 1), e = the decimal
  // exponent; 6 digits of the spread reach down to 10^(e(spread) − 5).
  const exponent = (v: number) => Math.floor(Math.log10(v));
  const size = Math.max(Math.abs(lo), Math.abs(hi));
  return Math.min(17, Math.max(6, 6 + exponent(size) - exponent(hi - lo)));
}

/** Counts of values that were not drawn, by reason, for one series. */
export class Undrawable {
  /** Significant digits for the drawn values: 6, or more for a nearly constant series (`digitsFor`). */
  readonly digits: number;
  nan = 0;
  posInf = 0;
  negInf = 0;
  nonPositiveOnLog = 0;

  /** `values`: the whole series (or matrix) these values come from, which sets the digits kept. */
  constructor(values: Iterable<number> = []) {
    this.digits = digitsFor(values);
  }

  /** Returns the value to draw, or null (a gap) after counting why not. */
  admit(v: number, logAxis: boolean): number | null {
    if (Number.isNaN(v)) this.nan++;
    else if (v === Infinity) this.posInf++;
    else if (v === -Infinity) this.negInf++;
    else if (logAxis && v <= 0) this.nonPositiveOnLog++;
    else return compact(v, this.digits);
    return null;
  }

  get total(): number {
    return this.nan + this.posInf + this.negInf + this.nonPositiveOnLog;
  }

  /** Notes such as `2 NaN values in series "rnn" not drawn`; `what` is `series "rnn"` or `z`. */
  notes(what: string, axis = "y"): string[] {
    const out: string[] = [];
    if (this.nan) out.push(`${plural(this.nan, "NaN value")} in ${what} not drawn`);
    if (this.posInf) out.push(`${plural(this.posInf, "Infinity value")} in ${what} not drawn`);
    if (this.negInf) out.push(`${plural(this.negInf, "-Infinity value")} in ${what} not drawn`);
    if (this.nonPositiveOnLog) out.push(`${plural(this.nonPositiveOnLog, "value")} <= 0 in ${what} not drawn on the log ${axis} axis`);
    return out;
  }
}

/** Series names must be unique within a chart: the legend would otherwise lie. */
export function checkUniqueNames(where: string, names: readonly string[], what = "series"): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new ChartInputError(`${where}: ${what} "${name}" appears twice; names must be unique`);
    seen.add(name);
  }
}
