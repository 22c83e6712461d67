// The shape of a hidden test. Each grading/hidden/<notebook>.ts exports `observers`: for every
// exercise of that notebook (by grade_id), a function that calls the student's functions on
// inputs drawn from `rng` and returns what came out (tensors, numbers, arrays, plain objects).
//
// An observer runs inside the student's sandbox, once with the student's solutions and once with
// the teacher's, on the same seeds; the grader compares the two results outside both. So an
// observer holds no secret (no expected value, no label) and imports nothing but kernel-lib.
// An observer may return its case's input under `given` (small, and never the answer): when the
// case fails, the student's feedback shows it, so they can replay the case by hand.
// `student` holds every top-level name the notebook's cells defined (the student's functions and
// the teacher's context cells); types are the notebook's, so they are `any` here.
import type * as KL from "kernel-lib";

export type Kl = typeof KL;
export interface Case {
  /** 0, 1, 2, ...: which hidden case this is (to vary sizes or edge cases by case). */
  case: number;
  /** Input data the grader read from a hidden file, when the exercise has one (else null). */
  input: unknown;
}
export type Observer = (student: Record<string, any>, kl: Kl, rng: KL.Rng, c: Case) => unknown;
export type Observers = Record<string, Observer>;
