// The seasonal naive forecast: each future step is the value one season (`period` steps) before
// it, the last season repeated. The yardstick of forecasting (Hyndman & Athanasopoulos, 2021,
// section 5.2): it knows the cycle and the current level for free, and a learned forecast that does
// not beat it has learned nothing worth its cost.
//
// From the steps before `origin` (by default, every step of the history), the forecast of step
// origin + h (h = 0, 1, ..., horizon − 1) is
//
//   ŷ[origin + h] = y[origin − period + (h mod period)]
//
// so a step more than one season ahead takes the same step of that last season again (h mod
// period). For daily data, period 7 is "the same weekday last week"; period 364 (52 weeks) is "the
// same weekday a year ago", which keeps the weekday where 365 would not.
//
//   kl.baselines.seasonalNaive(births, { period: 7, horizon: 28 })              // after the last day
//   kl.baselines.seasonalNaive(births, { period: 364, horizon: 28, origin: n })  // from days 0..n−1 only
//
// Only the steps origin − period ... origin − 1 are read: what happens at origin and after can
// never leak into the forecast.
import { Tensor } from "../tensor";
import { shapeStr } from "../errors";

export interface SeasonalNaiveOptions {
  /** The length of a season, in steps (7 for a week of days, 364 for 52 weeks). */
  period: number;
  /** How many steps to forecast (default 1). */
  horizon?: number;
  /** The first step forecast: the forecast uses steps 0 ... origin − 1 only (default: the history's length, i.e. forecast past its end). */
  origin?: number;
}

function valuesOf(history: ArrayLike<number> | Tensor): ArrayLike<number> {
  if (history instanceof Tensor) {
    if (history.rank === 1 || (history.rank === 2 && history.shape[1] === 1)) return history.data;
    throw new RangeError(`seasonalNaive: a history Tensor must be [N] or [N, 1] (one value per step), got ${shapeStr(history.shape)}`);
  }
  if (history === null || typeof history !== "object" || !Number.isInteger(history.length)) {
    throw new TypeError(`seasonalNaive: history must be an array of numbers or a Tensor [N], got ${history === null ? "null" : typeof history}`);
  }
  return history;
}

function wholeNumber(name: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new RangeError(`seasonalNaive: ${name} must be a whole number >= ${min}, got ${String(v)}`);
  return v;
}

/** The next `horizon` steps after `origin`, each the value `period` steps before it (the last season repeated). */
export function seasonalNaive(history: ArrayLike<number> | Tensor, options: SeasonalNaiveOptions): Float64Array {
  const y = valuesOf(history);
  if (options === null || typeof options !== "object") throw new TypeError("seasonalNaive: options must be an object { period, horizon?, origin? }");
  const period = wholeNumber("period", options.period, 1);
  const horizon = wholeNumber("horizon", options.horizon ?? 1, 1);
  const origin = wholeNumber("origin", options.origin ?? y.length, 0);
  if (origin > y.length) throw new RangeError(`seasonalNaive: origin ${origin} is past the end of the history (${y.length} steps); the forecast can start at most right after the last step`);
  if (origin < period) {
    throw new RangeError(`seasonalNaive: a period of ${period} needs at least ${period} steps before the origin, and there are ${origin} (origin ${origin})`);
  }
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    const t = origin - period + (h % period);
    const v = y[t];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`seasonalNaive: the history's value at step ${t} is ${String(v)}, not a finite number`);
    out[h] = v;
  }
  return out;
}
