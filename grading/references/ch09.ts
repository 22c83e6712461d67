// The teacher's reference solution to notebook 09's exercise ("Project: forecasting US births"),
// and the right answers it gives on the public check's probes (kernel-lib/src/exercises/ch09.ts,
// `ch09Probes`). `npm run exercises:answers` stores those answers in
// kernel-lib/src/exercises/answers/ch09.ts, which is all the check reads. This file is not part of a
// student's copy of the course.
import { ch09Probes, seasonalNaiveKey } from "../../kernel-lib/src/exercises/ch09";

/** ch09-seasonal-naive: step origin + h is the step one period before it in the last period before the origin. */
export const seasonalNaive = (history: readonly number[], period: number, horizon: number, origin: number): number[] =>
  Array.from({ length: horizon }, (_, h) => history[origin - period + (h % period)]);

export function answers(): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, p] of Object.entries(ch09Probes.seasonalNaive())) {
    for (const horizon of p.horizons) out[seasonalNaiveKey(name, horizon)] = seasonalNaive(p.history, p.period, horizon, p.origin);
  }
  return out;
}
