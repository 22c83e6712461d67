// Hidden tests of notebook 09, "Project: forecasting US births" (see types.ts for how observers are
// used). The seasonal naive forecast from an origin, on random histories: lengths, periods of 1 to
// 30 steps (and, in one case, a year-like period of 300-420), origins anywhere from one period in
// to right after the last step, horizons of 1 to 3 periods. The history goes on past the origin
// (as the notebook's does), so a forecast that reads from the end of the history, or that carries
// on past the origin instead of repeating the last period, gives other numbers.
import type { Rng } from "kernel-lib";
import type { Observers } from "./types";

/** What came back, as a plain array when it is array-like (a Float64Array, as kl.baselines returns, is a right answer too). */
const plain = (f: unknown) => (f !== null && typeof f === "object" && typeof (f as ArrayLike<unknown>).length === "number" ? Array.from(f as ArrayLike<unknown>) : f);

/** A random history: a level, a season of `period` steps and noise, so that every step has its own value. */
function randomHistory(rng: Rng, L: number, period: number): number[] {
  const level = rng.uniform(1, 15000);
  const season = Array.from({ length: period }, () => rng.uniform(-0.3, 0.3));
  return Array.from({ length: L }, (_, t) => level * (1 + season[t % period] + 0.05 * rng.normal()));
}

export const observers: Observers = {
  "ch09-seasonal-naive": (s, kl, rng, { case: k }) => {
    const out: { period: number; origin: number; horizon: number; forecast: unknown; historyUnchanged: boolean }[] = [];
    for (let j = 0; j < 5; j++) {
      const period = k === 0 && j === 0 ? 300 + rng.int(121) : 1 + rng.int(30);
      const L = period + 1 + rng.int(3 * period + 30);
      // Origins: one period in (the earliest), right after the last step, and anywhere in between.
      const origin = j === 1 ? period : j === 2 ? L : period + rng.int(L - period);
      const horizon = 1 + rng.int(3 * period);
      const history = randomHistory(rng, L, period);
      const given = history.slice();
      const forecast = plain(s.seasonalNaive(given, period, horizon, origin));
      out.push({ period, origin, horizon, forecast, historyUnchanged: given.length === history.length && given.every((v, i) => Object.is(v, history[i])) });
    }
    return out;
  },
};
