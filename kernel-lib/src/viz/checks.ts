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
 * A value as a figure carries it: integers as they are, others to 6 significant digits. A chart
 * cannot show more, and float64's 17 digits would triple the size of every output.
 */
export function compact(v: number): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(6));
}

/** Counts of values that were not drawn, by reason, for one series. */
export class Undrawable {
  nan = 0;
  posInf = 0;
  negInf = 0;
  nonPositiveOnLog = 0;

  /** Returns the value to draw, or null (a gap) after counting why not. */
  admit(v: number, logAxis: boolean): number | null {
    if (Number.isNaN(v)) this.nan++;
    else if (v === Infinity) this.posInf++;
    else if (v === -Infinity) this.negInf++;
    else if (logAxis && v <= 0) this.nonPositiveOnLog++;
    else return compact(v);
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
