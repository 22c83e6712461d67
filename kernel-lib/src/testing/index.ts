// Checking numbers: gradients by finite differences, the largest difference of two tensors, a notebook's claims, and the machinery of
// the course's exercise checks (the checks themselves are in exercises/).
export { gradcheck } from "./gradcheck";
export { maxAbsDiff } from "./difference";
export type { GradcheckOptions, GradcheckResult } from "./gradcheck";
export { claim, ClaimError } from "./claim";
export type { ClaimNumbers } from "./claim";
export { checkExercise, ExerciseChecker, ExerciseError } from "./exercise";
export type { Checkable, CloseOptions } from "./exercise";
