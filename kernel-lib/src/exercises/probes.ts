// Helpers the exercise checks share: comparing a learner's result with the library's, and
// calling the learner's code so that its own errors become feedback that names the probe.
import { ExerciseChecker, ExerciseError } from "../testing/exercise";
import { Tensor, fromFlat } from "../tensor";

/** True when `got` is a tensor of `want`'s size whose entries all agree with `want` to `tol`. */
export function near(got: unknown, want: Tensor, tol = 1e-7): boolean {
  if (!(got instanceof Tensor) || got.size !== want.size) return false;
  for (let i = 0; i < want.size; i++) {
    if (!(Math.abs(got.data[i] - want.data[i]) <= tol * Math.max(1, Math.abs(want.data[i])))) return false;
  }
  return true;
}

export function nearNumber(got: unknown, want: number, tol = 1e-7): boolean {
  return typeof got === "number" && Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}

/**
 * Calls the learner's code. An error of its own that is not the notebook's "not implemented yet"
 * stub becomes feedback that names the probe; the stub's error passes through unchanged, so a
 * learner's notebook stops where the runner expects it to.
 */
export function attempt<T>(c: ExerciseChecker, what: string, run: () => T, hint: string): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ExerciseError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (/not implemented yet/.test(message)) throw e;
    throw new ExerciseError(`✘ ${c.exercise}: ${what} threw an error: ${message.split("\n")[0]}${hint ? `\nHint: ${hint}` : ""}`);
  }
}

/** The same numbers in the same places, exactly (what "left unchanged" means for a learner's input). */
export const sameNumbers = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => !!a && a.length === b.length && Array.from(b).every((v, i) => Object.is(a[i], v));

/** The same numbers to `tol`, relative above 1 (a learner's result against a known wrong variant or a reference). */
export const closeNumbers = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9): boolean =>
  !!a && a.length === b.length && Array.from(b).every((v, i) => Math.abs(a[i] - v) <= tol * Math.max(1, Math.abs(v)));

/** A tensor the learner's code was given, as it was: the same shape and exactly the same numbers. */
export const unchangedTensor = (given: Tensor, original: Tensor): boolean => given.shape.join() === original.shape.join() && sameNumbers(given.data, original.data);

/** A copy the learner's code cannot change under the check (a probe is reused for the reference). */
export const copyOf = (t: Tensor): Tensor => fromFlat(t.data, t.shape);
