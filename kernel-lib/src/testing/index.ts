// Checking numbers: gradients by finite differences, a notebook's claims, and the machinery of
// the course's exercise checks (the checks themselves are in exercises/).
export { gradcheck } from "./gradcheck";
export type { GradcheckOptions, GradcheckResult } from "./gradcheck";
export { claim, ClaimError } from "./claim";
export type { ClaimNumbers } from "./claim";
export { checkExercise, ExerciseChecker, ExerciseError } from "./exercise";
export type { Checkable, CloseOptions } from "./exercise";
