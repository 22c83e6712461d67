// A notebook's takeaway, stated and checked in one line.
//
//   kl.testing.claim("the RNN beats the bigram table by more than 0.15 nats", gap > 0.15, { gap });
//   ✔ the RNN beats the bigram table by more than 0.15 nats (gap = 0.3127)
//
// Every sentence a notebook draws from a measurement is followed by its claim, so the runner
// fails, naming the sentence and the numbers, the day a change makes the sentence untrue.
import { FeedbackError } from "../errors";
import { formatNumber } from "../viz/format";

/** Thrown when a claim does not hold: `✘ claim does not hold: <statement> (x = 1.2)`. */
export class ClaimError extends FeedbackError {}

/** The numbers behind a claim, by name: numbers, arrays of numbers, or short texts. */
export type ClaimNumbers = Record<string, number | readonly number[] | string | boolean>;

function formatValue(v: number | readonly number[] | string | boolean): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string" || typeof v === "boolean") return String(v);
  return `[${v.map((x) => formatNumber(x)).join(", ")}]`;
}

/** `(gap = 0.3127, seeds = [0, 1, 2])`, or "" when there are no numbers. */
export function formatNumbers(numbers: ClaimNumbers): string {
  const parts = Object.entries(numbers).map(([k, v]) => `${k} = ${formatValue(v)}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/**
 * Prints `✔ statement (numbers)` when `holds`, otherwise throws a ClaimError with the statement
 * and the numbers. `holds` must be a boolean: a number or a tensor is refused, so that
 * `claim("...", loss)` cannot pass by accident.
 */
export function claim(statement: string, holds: boolean, numbers: ClaimNumbers = {}): void {
  if (typeof statement !== "string" || statement.trim() === "") throw new TypeError("claim: the statement must be a non-empty sentence");
  if (typeof holds !== "boolean") {
    throw new TypeError(`claim "${statement}": the second argument must be true or false (a comparison), got ${typeof holds}`);
  }
  const detail = formatNumbers(numbers);
  if (!holds) throw new ClaimError(`✘ claim does not hold: ${statement}${detail}`);
  console.log(`✔ ${statement}${detail}`);
}
