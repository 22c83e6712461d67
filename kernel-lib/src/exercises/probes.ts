// Helpers the exercise checks share: comparing a learner's result with the library's, and
// calling the learner's code so that its own errors become feedback that names the probe.
import { ExerciseChecker, ExerciseError } from "../testing/exercise";
import { Tensor, fromFlat } from "../tensor";
import { sum } from "../ops";

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

/** For c.close on a gradient a leaf never received: what that means (the learner did return something). */
export const NO_GRADIENT = "no gradient reached it: the result was cut off the tape (.data, plain numbers, a new tensor from its values, or kl.noGrad?)";

/** A copy of t that requires a gradient: a leaf of the tape for a check to differentiate through. */
export const leafOf = (t: Tensor): Tensor => fromFlat(t.data, t.shape, { requiresGrad: true });

/**
 * Checks that the learner's step is built on the tape from its inputs: `run` is called with leaves
 * (`leafOf`) in place of the named tensors, the result must require a gradient, and backward() of
 * its sum must give each leaf a gradient that is not all zeros. A step computed from `.data` (a
 * Math.tanh on numbers, say) gives the right numbers and passes every value check, then trains
 * nothing: this is where it is caught.
 */
export function checkOnTape(c: ExerciseChecker, step: string, result: string, leaves: Record<string, Tensor>, run: () => unknown): void {
  const out = attempt(c, `${step} on the probe (its inputs requiring gradients)`, run, "");
  c.that(`the tape can differentiate your ${step} (yours returns a tensor the tape does not reach: .data, Math functions on numbers, or kl.noGrad?)`,
    out instanceof Tensor && out.requiresGrad, `build ${result} from kl ops on the tensors you were given, all the way`);
  attempt(c, `backward through your ${result}`, () => sum(out as Tensor).backward(), `build ${result} from kl ops on the tensors you were given, all the way`);
  const cut = Object.entries(leaves).filter(([, t]) => t.grad === null || !t.grad.data.some((v) => v !== 0)).map(([name]) => name);
  c.that(`the gradient of sum(${result}) reaches ${Object.keys(leaves).join(", ")} through your ${step}${cut.length ? ` (it does not reach ${cut.join(", ")})` : ""}`,
    cut.length === 0, "use the tensors you were given through kl ops, not copies of their numbers");
}

/** A copy the learner's code cannot change under the check (a probe is reused for the reference). */
export const copyOf = (t: Tensor): Tensor => fromFlat(t.data, t.shape);
