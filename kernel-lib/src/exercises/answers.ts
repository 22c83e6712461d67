// The right answers the public checks compare a learner's results with, on the checks' own fixed
// probes. They are data, not code: the teacher's reference solutions (grading/references/, which
// a student's copy of the course does not contain) compute them, and scripts/exercise-answers.mjs
// writes them to answers/<chapter>.ts. So the checks can say which term is wrong without holding
// a solution a student could read or call; `npm test` regenerates them and fails if they differ.
import { Tensor, fromFlat } from "../tensor";

/** One stored answer: a number, a flag, nested arrays of numbers, or a tensor. */
export type Answer = number | boolean | string | null | Answer[] | { shape: number[]; data: number[] };
export type Answers = Record<string, Answer>;

function lookup(table: Answers, key: string): Answer {
  if (!(key in table)) throw new Error(`exercise answers: no stored answer "${key}" (run npm run exercises:answers)`);
  return table[key];
}

/** A stored tensor answer, as a fresh Tensor. */
export function answerTensor(table: Answers, key: string): Tensor {
  const a = lookup(table, key);
  if (a === null || typeof a !== "object" || Array.isArray(a)) throw new Error(`exercise answers: "${key}" is not a tensor`);
  return fromFlat(a.data, a.shape);
}

export function answerNumber(table: Answers, key: string): number {
  const a = lookup(table, key);
  if (typeof a !== "number") throw new Error(`exercise answers: "${key}" is not a number`);
  return a;
}

/** Any other stored answer (arrays, flags, strings), as stored. */
export function answerValue<T = Answer>(table: Answers, key: string): T {
  return lookup(table, key) as unknown as T;
}
