// Immediate, specific feedback for the course's exercises.
//
// The best assignments test one term at a time: a check that says "the W_x·x_t term is off" teaches,
// one that says "wrong answer" does not. A check cell therefore calls the learner's function on
// probe inputs chosen to isolate each term (e.g. h_{t-1} = 0 leaves only the input term), and
// names the term whose result differs. Feedback tells *where* and *how much*, never the expected
// numbers, so it cannot be copied into a solution.
//
//   checkExercise("rnn-step", (c) => {
//     c.shape("h_t", rnnStep(x, zeros([2, 3]), W), [2, 3]);
//     c.close("the input term W_x x_t (probe: h_{t-1} = 0)", rnnStep(x, h0, W), reference(x, h0, W),
//             { hint: "multiply x_t by W_x, not by W_h" });
//   });
//
// A failing check throws (so the cell shows an error and an autograder scores it 0); a passing one
// prints one line. Grading metadata (grade_id, points) lives in the notebook cell, not here.
import { FeedbackError, shapeStr } from "../errors";
import { Shape, Tensor } from "../tensor";

export type Checkable = Tensor | number | ArrayLike<number>;

export interface CloseOptions {
  /**
   * Allowed |got - want| / max(1, |want|), element by element (default 1e-6): an absolute
   * difference where |want| <= 1, a relative one above. The feedback says which of the two it reports.
   */
  tol?: number;
  /** One sentence that points the learner in the right direction without giving the answer. */
  hint?: string;
  /** What it means when `got` is missing (default: a value the learner forgot to return). */
  missing?: string;
}

/** Thrown by a failing check: its message is the feedback, and all that a notebook shows of it. */
export class ExerciseError extends FeedbackError {}

function flat(v: Checkable): { data: ArrayLike<number>; shape: Shape } {
  if (v instanceof Tensor) return { data: v.data, shape: v.shape };
  if (typeof v === "number") return { data: [v], shape: [] };
  return { data: v, shape: [v.length] };
}

function indexOf(flatIndex: number, shape: Shape): string {
  if (shape.length === 0) return "";
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flatIndex % shape[d]);
    flatIndex = Math.floor(flatIndex / shape[d]);
  }
  return ` at [${idx.join(",")}]`;
}

/** A number as the feedback prints it: two significant digits, no trailing zeros (0.35, 1.2e+145). */
function short(x: number, digits = 2): string {
  return String(Number(x.toPrecision(digits)));
}

/**
 * How far off an element is, in the terms the learner can check: the plain difference where the
 * expected value is at most 1 in size, the difference as a percentage of the expected value above
 * (the same measure `tol` bounds, so the tolerance is said in the same terms).
 */
function offBy(err: number, want: number, tol: number, where: string): string {
  const relative = Math.abs(want) > 1;
  const scale = relative ? 100 : 1;
  // Enough digits that the difference never reads as equal to the tolerance it exceeds.
  let digits = 2;
  while (digits < 8 && short(err * scale, digits) === short(tol * scale, digits)) digits++;
  const [e, t] = [short(err * scale, digits), short(tol * scale, digits)];
  if (!relative) return `is off by ${e} (absolute difference)${where}, more than the tolerance of ${t}`;
  return `is off by ${e}% (relative to the expected value)${where}, more than the tolerance of ${t}%`;
}

export class ExerciseChecker {
  private passed = 0;

  constructor(readonly exercise: string) {}

  private fail(what: string, problem: string, hint?: string): never {
    const tip = hint ? `\nHint: ${hint}` : "";
    throw new ExerciseError(`✘ ${this.exercise}: ${what}: ${problem}.${tip}`);
  }

  /** The value must be a Tensor of exactly this shape. */
  shape(what: string, got: unknown, want: Shape, hint?: string): void {
    if (!(got instanceof Tensor)) this.fail(what, `expected a Tensor, got ${got === undefined ? "undefined (did you forget to return it?)" : typeof got}`, hint);
    if (got.shape.length !== want.length || got.shape.some((d, i) => d !== want[i])) {
      this.fail(what, `has shape ${shapeStr(got.shape)}, expected ${shapeStr(want)}`, hint);
    }
    this.passed++;
  }

  /**
   * got ≈ want elementwise; the feedback names the term, the worst element and its error (saying
   * whether absolute or relative), never the expected value. An answer that is the negative of the
   * expected one is named as a wrong sign.
   */
  close(what: string, got: Checkable | undefined, want: Checkable, options: CloseOptions = {}): void {
    const tol = options.tol ?? 1e-6;
    if (got === undefined || got === null) this.fail(what, options.missing ?? "got nothing (did you forget to return a value?)", options.hint);
    const g = flat(got);
    const w = flat(want);
    if (g.data.length !== w.data.length) {
      this.fail(what, `has ${g.data.length} elements (shape ${shapeStr(g.shape)}), expected ${w.data.length} (shape ${shapeStr(w.shape)})`, options.hint);
    }
    let worst = -1;
    let worstErr = 0;
    for (let i = 0; i < w.data.length; i++) {
      const a = g.data[i];
      const b = w.data[i];
      if (!Number.isFinite(a)) this.fail(what, `contains ${a}${indexOf(i, w.shape)}`, options.hint);
      const err = Math.abs(a - b) / Math.max(1, Math.abs(b));
      if (err > worstErr) {
        worstErr = err;
        worst = i;
      }
    }
    if (worstErr > tol) {
      // A flipped sign: every element is the negative of the expected one, to the tolerance, and
      // the flip matters (the answer is more than ten tolerances off; an expected value near 0 is
      // its own negative).
      let flipped = worstErr > 10 * tol;
      for (let i = 0; flipped && i < w.data.length; i++) {
        flipped = Math.abs(g.data[i] + w.data[i]) / Math.max(1, Math.abs(w.data[i])) <= tol;
      }
      if (flipped) this.fail(what, "has the wrong sign (it is the negative of the expected value)", options.hint);
      this.fail(what, offBy(worstErr, w.data[worst], tol, indexOf(worst, w.shape)), options.hint);
    }
    this.passed++;
  }

  /** A property that must hold, e.g. "the gradient norm is returned before clipping". */
  that(what: string, ok: boolean, hint?: string): void {
    if (!ok) this.fail(what, "does not hold", hint);
    this.passed++;
  }

  /** Number of checks passed so far. */
  get count(): number {
    return this.passed;
  }
}

/**
 * Runs an exercise's checks. Throws ExerciseError with specific feedback at the first failing
 * check; otherwise prints `✔ id: N checks passed`. An error thrown by the learner's own code (e.g.
 * "not implemented yet") passes through unchanged. It returns nothing: a check cell written as
 * `kl.testing.checkExercise(...)` would otherwise show the count under its ✔ line.
 */
export function checkExercise(exercise: string, checks: (c: ExerciseChecker) => void): void {
  const c = new ExerciseChecker(exercise);
  checks(c);
  if (c.count === 0) throw new Error(`checkExercise("${exercise}"): no checks were run`);
  console.log(`✔ ${exercise}: ${c.count} check${c.count === 1 ? "" : "s"} passed`);
}
