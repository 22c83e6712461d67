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
