// Helpers for error messages. Every error in the library names the op and the shapes at fault,
// because "shape mismatch" alone sends a learner hunting through a whole notebook.
import type { Shape } from "./tensor";

/** `[32,64]`: the compact shape notation used in every error message. */
export function shapeStr(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

/**
 * Turns a possibly negative axis into 0..rank-1 (Python style: -1 is the last axis).
 * `what` is the op name, used in the error.
 */
export function normalizeAxis(axis: number, rank: number, op: string, shape: Shape): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(
      `${op}: axis ${axis} is out of range for a tensor of shape ${shapeStr(shape)} (rank ${rank}; allowed ${-rank}..${rank - 1})`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** What an option PyTorch has, or spells otherwise, is called here, or why it is missing. */
const TIME_MAJOR = "the recurrent layers read time-major input, x [T, B, I] (PyTorch's default, batch_first=False): give them kl.transpose(x, 0, 1) of a [B, T, I] batch";
const L2_ONLY = "clipGradNorm clips the L2 norm (PyTorch's default, norm_type=2); for each value alone use kl.optim.clipGradValue";
const OPTION_HINTS: Record<string, string> = {
  batchFirst: TIME_MAJOR,
  batch_first: TIME_MAJOR,
  bidirectional: "there are no bidirectional layers: run a second layer over the sequence reversed",
  bias: "every layer here has its biases (PyTorch's default, bias=True)",
  normType: L2_ONLY,
  norm_type: L2_ONLY,
  amsgrad: "there is no AMSGrad variant",
  weight_decay: "options are camelCase here: weightDecay",
  lr_decay: "options are camelCase here: lrDecay",
  initial_accumulator_value: "options are camelCase here: initialAccumulatorValue",
  num_layers: "options are camelCase here: numLayers",
  error_if_nonfinite: "options are camelCase here: errorIfNonfinite",
};

/**
 * Refuses options an op does not know (`{ batchFirst: true }`, `{ normType: Infinity }`) and options
 * that are not an object (`new Adam(params, 0.01)`). TypeScript refuses an object literal with an
 * unknown name, but not an options variable, nor a notebook's plain JavaScript: there the option
 * was ignored in silence (a [B, T, I] batch read as [T, B, I], the learning rate left at its default).
 */
export function checkOptions(op: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${op}: options must be an object such as { ${known[0]}: ... }, got ${Array.isArray(options) ? "an array" : String(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const hints = unknown.flatMap((k) => (OPTION_HINTS[k] ? [`${k}: ${OPTION_HINTS[k]}`] : []));
  throw new TypeError(`${op}: no option ${unknown.map((k) => JSON.stringify(k)).join(", ")} (the options are ${known.join(", ")})${hints.length ? `. ${hints.join(". ")}` : ""}`);
}

/**
 * An error whose message is all the reader needs: a failed exercise check, a notebook claim that
 * does not hold. tslab prints a thrown error with `console.error`, which shows Node's decoration
 * (the library's source line with a caret) and ten stack frames: it looks as if the library
 * crashed. This one prints as its message alone. Node adds the decoration only to errors with a
 * stack, so the stack is left empty; `util.inspect` (behind console.error) asks the custom hook.
 */
export class FeedbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    Object.defineProperty(this, "stack", { value: "", writable: true, configurable: true });
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.message;
  }

  override toString(): string {
    return this.message;
  }
}
