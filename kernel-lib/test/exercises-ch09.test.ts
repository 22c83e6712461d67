// The check of notebook 09 accepts a right answer and names the usual mistakes of the seasonal
// naive forecast from an origin by the step they read.
import assert from "node:assert/strict";
import { test } from "node:test";
import { baselines, exercises } from "../src";
import { passes, rejectionMessage, rejects } from "./exercise-harness";

const ch09 = exercises.ch09;
type History = number[];

/** A forecast that reads history[index(h, …)] for each step ahead. */
const reading = (index: (h: number, period: number, origin: number, length: number) => number) =>
  (history: History, period: number, horizon: number, origin: number) => Array.from({ length: horizon }, (_, h) => history[index(h, period, origin, history.length)]);
const right = reading((h, period, origin) => origin - period + (h % period));

// ---- ch09-seasonal-naive
test("seasonal-naive: origin − period + (h mod period) passes", () => assert.ok(passes(() => ch09.checkSeasonalNaive(right)) > 40));
test("seasonal-naive: kl.baselines.seasonalNaive is exactly the exercise (a Float64Array passes)", () =>
  void passes(() => ch09.checkSeasonalNaive((history, period, horizon, origin) => baselines.seasonalNaive(history, { period, horizon, origin }) as unknown as number[])));
test("seasonal-naive: a loop that pushes into a new array passes", () =>
  void passes(() => ch09.checkSeasonalNaive((history, period, horizon, origin) => {
    const season = history.slice(origin - period, origin);
    const out: number[] = [];
    while (out.length < horizon) out.push(season[out.length % period]);
    return out;
  })));

test("seasonal-naive: the end of the history instead of the origin is named", () =>
  rejects(() => ch09.checkSeasonalNaive(reading((h, period, _origin, length) => length - period + (h % period))),
    /starts from the origin, not from the end of the history \(yours reads the last period of the whole history, from step 53/));
test("seasonal-naive: one step late (the origin itself read) is named", () =>
  rejects(() => ch09.checkSeasonalNaive(reading((h, period, origin) => origin - period + 1 + (h % period))), /one step too late: for h = period − 1 it reads the origin itself/));
test("seasonal-naive: one step early is named", () =>
  rejects(() => ch09.checkSeasonalNaive(reading((h, period, origin) => origin - period - 1 + (h % period))), /one step too early: period \+ 1 steps back/));
test("seasonal-naive: no wrap beyond one period (h, not h mod period) is named", () =>
  rejects(() => ch09.checkSeasonalNaive(reading((h, period, origin) => origin - period + h)),
    /reads step 30 for h = 7: more than one period ahead it carries on past the origin instead of repeating the last period/));
test("seasonal-naive: the end of the history read only beyond one period is named", () =>
  rejects(() => ch09.checkSeasonalNaive(reading((h, period, origin, length) => (h < period ? origin - period + h : length - period + (h % period)))),
    /reads only steps before the origin 30 \(yours reads step 53 for h = 7;/));
test("seasonal-naive: the last season read backwards is named", () =>
  rejects(() => ch09.checkSeasonalNaive((history, period, horizon, origin) => Array.from({ length: horizon }, (_, h) => history[origin - 1 - (h % period)])), /h = 0 repeats the FIRST step of the last season, step origin − period \(yours reads the last season backwards/));
test("seasonal-naive: a week whatever the period is named", () =>
  rejects(() => ch09.checkSeasonalNaive(reading((h, _period, origin) => origin - 7 + (h % 7))), /goes back 7 steps from the origin: a week, whatever period says; probe: period 5/));
test("seasonal-naive: the right period going back but h mod 7 for the wrap is named as a week of its own", () =>
  rejects(() => ch09.checkSeasonalNaive(reading((h, period, origin) => origin - period + (h % 7))),
    /repeats the last season every period steps \(yours starts again after 7 steps, a week, whatever period \(5\) says; probe: period 5/));
test("seasonal-naive: 365 days for a period of 364 is named", () =>
  rejects(() => ch09.checkSeasonalNaive(reading((h, period, origin) => { const m = period === 364 ? 365 : period; return origin - m + (h % m); })),
    /goes back 365 steps from the origin: 365, a year of days, but period says 364/));
test("seasonal-naive: the last value repeated is named as persistence (a trial: the hint asked about a number of its own)", () =>
  rejects(() => ch09.checkSeasonalNaive(reading((_h, _period, origin) => origin - 1)), /repeats its own place in the last season \(yours repeats the last known value, step \d+, for every step: persistence/));
test("seasonal-naive: always one period of values is named", () =>
  rejects(() => ch09.checkSeasonalNaive((history, period, _horizon, origin) => history.slice(origin - period, origin)), /one forecast per step ahead: 3 for horizon 3 \(yours has 7/));
test("seasonal-naive: holes instead of numbers are named", () =>
  rejects(() => ch09.checkSeasonalNaive((_history, _period, horizon) => new Array(horizon)), /yours gives undefined for h = 0: it reads a step that is not in the history/));
test("seasonal-naive: values that are no step's are named", () =>
  rejects(() => ch09.checkSeasonalNaive((history, period, horizon, origin) => right(history, period, horizon, origin).map((v) => v + 0.5)), /the value of no step/));
test("seasonal-naive: a history cut at the origin in place is named", () =>
  rejects(() => ch09.checkSeasonalNaive((history, period, horizon, origin) => {
    history.splice(origin); // the future dropped "to be safe": the learner's own array shrinks
    return right(history, period, horizon, origin);
  }), /leaves the history unchanged/));
// A trial's history[0] = 0 before forecasting: named as the change, where it was named by the wrong
// value it led to ("the value of no step").
test("seasonal-naive: a history overwritten in place is named as that, before the values it spoils", () =>
  rejects(() => ch09.checkSeasonalNaive((history, period, horizon, origin) => {
    history[0] = 0;
    return right(history, period, horizon, origin);
  }), /^✘ ch09-seasonal-naive: seasonalNaive leaves the history unchanged \(yours changed it; /));
test("seasonal-naive: the feedback never prints the step or the value the first forecast should read", () => {
  const wrongs = [
    reading((h, period, _origin, length) => length - period + (h % period)),
    reading((h, period, origin) => origin - period + 1 + (h % period)),
    reading((h, period, origin) => origin - period + h),
    reading((_h, _period, origin) => origin - 1),
  ];
  for (const wrong of wrongs) assert.doesNotMatch(rejectionMessage(() => ch09.checkSeasonalNaive(wrong)), /\b(step 23|1023)\b/);
});
