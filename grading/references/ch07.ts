// The teacher's reference solutions to notebook 07's exercises ("A long-range memory lab"), and
// what they give on the public checks' probes (kernel-lib/src/exercises/ch07.ts builds the probes;
// this module builds the same ones from there). Not in a student's copy of the course: `npm run
// exercises:answers` calls answers() and stores the results in kernel-lib/src/exercises/answers/ch07.ts,
// which is all the public checks read. Keys ending in /mistake/... are the wrong answers of the
// usual mistakes that are the solution with one piece changed, stored so that the checks can
// recognise them without holding the solution's code.
import { ch07Probes } from "../../kernel-lib/src/exercises/ch07";
import type { StoredRateRow } from "../../kernel-lib/src/exercises/ch07";
import { successRates } from "../../kernel-lib/src/tasks/success-grid";
import type { GridRow, RateRow } from "../../kernel-lib/src/tasks/success-grid";
import type { CellKind } from "../../kernel-lib/src/nn/recurrent-model";
import type { TaskName } from "../../kernel-lib/src/tasks/long-range";

/** ch07-adding-baseline: E[(v₁ + v₂ − c)²] for v₁, v₂ independent and uniform on [0, 1], Var(v₁ + v₂) + (1 − c)². */
export const constantMse = (c: number): number => 1 / 6 + (1 - c) ** 2;

/** The number of steps of one copy sequence: K symbols, T − 1 blanks, a delimiter, K answer steps. */
const copySteps = (T: number, K: number): number => T + 2 * K;

/** ch07-copy-baseline: K recall steps at ln A each, averaged over every step. */
export const copyBaseline = (T: number, K: number, A: number): number => (K * Math.log(A)) / copySteps(T, K);

/** ch07-is-solved: the criteria of kl.tasks.LONG_RANGE_TASKS, and no success for a diverged run. (Its checks' verdicts are written in the check.) */
export function isSolved(task: TaskName, score: number | null): boolean {
  if (score === null || !Number.isFinite(score)) return false;
  return task === "adding" ? score < 0.01 : score >= 0.95;
}

/** ch07-success-table: kl.tasks.successRates, the library's own. */
export const successTable = (runs: GridRow[]): RateRow[] => successRates(runs);

/** ch07-longest-solved: the largest T of the task's and cell's rows with a rate of at least one half, or null. */
export function longestSolved(rates: readonly RateRow[], task: TaskName, cell: CellKind, atLeast = 0.5): number | null {
  let best: number | null = null;
  for (const r of rates) if (r.task === task && r.cell === cell && r.rate >= atLeast && (best === null || r.T > best)) best = r.T;
  return best;
}

export function answers(): Record<string, number | StoredRateRow[]> {
  const out: Record<string, number | StoredRateRow[]> = {};

  // ch07-adding-baseline
  {
    const { atMean, atZero, atFour, more } = ch07Probes.constantMse;
    const key = (x: number) => `adding-baseline/c=${x}`;
    for (const x of [atMean, atZero, atFour, ...more]) out[key(x)] = constantMse(x);
    out[`${key(atMean)}/mistake/one-value-variance`] = 1 / 12 + (1 - atMean) ** 2;
    out[`${key(atMean)}/mistake/uniform-on-0-2`] = 1 / 3 + (1 - atMean) ** 2;
    out[`${key(atFour)}/mistake/unsquared`] = 1 / 6 + Math.abs(1 - atFour);
    out[`${key(atZero)}/mistake/half-squared`] = 1 / 6 + (1 - atZero) ** 2 / 2;
    out[`${key(atFour)}/mistake/half-squared`] = 1 / 6 + (1 - atFour) ** 2 / 2;
  }

  // ch07-copy-baseline
  {
    const { paper, shorter, otherK, more } = ch07Probes.copyBaseline;
    const key = ([T, K, A]: [number, number, number]) => `copy-baseline/T=${T},K=${K},A=${A}`;
    for (const probe of more) out[key(probe)] = copyBaseline(...probe);
    const [T, K, A] = paper;
    out[`${key(paper)}/steps`] = copySteps(T, K);
    out[`${key(paper)}/total`] = K * Math.log(A);
    out[`${key(paper)}/mistake/log2`] = (K * Math.log2(A)) / copySteps(T, K);
    out[`${key(paper)}/mistake/log10`] = (K * Math.log10(A)) / copySteps(T, K);
    out[`${key(paper)}/mistake/all-tokens`] = (K * Math.log(A + 2)) / copySteps(T, K);
    out[`${key(paper)}/mistake/total`] = K * Math.log(A);
    const ratioKey = `copy-baseline/ratio/T=${shorter[0]}:T=${T}`; // K and A the same
    out[ratioKey] = copySteps(T, K) / copySteps(shorter[0], shorter[1]);
    out[`${ratioKey}/mistake/T+K-steps`] = (T + K) / (shorter[0] + K);
    out[`${ratioKey}/mistake/T-steps`] = T / shorter[0];
    out[`${key(otherK)}/steps`] = copySteps(otherK[0], otherK[1]);
    out[`${key(otherK)}/total`] = otherK[1] * Math.log(otherK[2]);
  }

  // ch07-success-table: the rows in successRates' order, with each group's diverged runs, and
  // the number of rows that grouping by two of the three fields gives.
  {
    const runs = ch07Probes.successTable();
    out["success-table/rows"] = successTable(runs).map((w): StoredRateRow => [
      w.task, w.cell, w.T, w.runs, w.solved, w.rate,
      runs.filter((r) => r.task === w.task && r.cell === w.cell && r.T === w.T && r.diverged).length,
    ]);
    const groups = (key: (r: GridRow) => string) => new Set(runs.map(key)).size;
    out["success-table/mistake/rows-per-task-cell"] = groups((r) => `${r.task}|${r.cell}`);
    out["success-table/mistake/rows-per-cell-T"] = groups((r) => `${r.cell}|${r.T}`);
    out["success-table/mistake/rows-per-task-T"] = groups((r) => `${r.task}|${r.T}`);
  }

  // ch07-longest-solved
  {
    const best = longestSolved(ch07Probes.longestSolved(), "adding", "gru");
    if (best === null) throw new Error("ch07 reference: the first longest-solved probe must have a solved length");
    out["longest-solved/rates-1-1-1/3-0"] = best;
  }
  return out;
}
