// kl.baselines.seasonalNaive: the value `period` steps back, for any horizon, counted by hand; it
// reads nothing at or after the origin; and bad arguments are errors that say what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src/index";

const naive = kl.baselines.seasonalNaive;

test("period 7 from the end of the history: the last week, repeated past one week", () => {
  // Two weeks, Monday..Sunday: 10..16, then 20..26. The forecast from day 14 on is the second week.
  const history = [10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 26];
  assert.deepEqual(Array.from(naive(history, { period: 7, horizon: 3 })), [20, 21, 22]);
  // Ten days ahead: days 14..20 are the last week; days 21..23 (h = 7, 8, 9) are its Monday..Wednesday again.
  assert.deepEqual(Array.from(naive(history, { period: 7, horizon: 10 })), [20, 21, 22, 23, 24, 25, 26, 20, 21, 22]);
  // Default horizon: one step, the value a week before it.
  assert.deepEqual(Array.from(naive(history, { period: 7 })), [20]);
});

test("period 1 is the naive (last value) forecast; a period as long as the history repeats it whole", () => {
  assert.deepEqual(Array.from(naive([3, 1, 4, 1, 5], { period: 1, horizon: 4 })), [5, 5, 5, 5]);
  assert.deepEqual(Array.from(naive([3, 1, 4], { period: 3, horizon: 7 })), [3, 1, 4, 3, 1, 4, 3]);
});

test("an origin inside the series: the forecast of steps origin.. from the steps before it", () => {
  const series = Array.from({ length: 20 }, (_, t) => 100 + t); // 100, 101, ..., 119
  // origin 12, period 5: step 12 takes step 7 (107), step 13 step 8, ..., step 17 (h = 5) step 7 again.
  assert.deepEqual(Array.from(naive(series, { period: 5, horizon: 6, origin: 12 })), [107, 108, 109, 110, 111, 107]);
  // The smallest origin is one period: the forecast repeats steps 0..period-1.
  assert.deepEqual(Array.from(naive(series, { period: 4, horizon: 2, origin: 4 })), [100, 101]);
});

test("nothing at or after the origin is read: changing the future does not change the forecast", () => {
  const series = Float64Array.from({ length: 30 }, (_, t) => Math.sin(t) * 10 + t);
  const before = naive(series, { period: 7, horizon: 14, origin: 20 });
  const changed = Float64Array.from(series);
  for (let t = 20; t < 30; t++) changed[t] = NaN; // a NaN would be an error if it were read
  assert.deepEqual(Array.from(naive(changed, { period: 7, horizon: 14, origin: 20 })), Array.from(before));
  // And a value the forecast does read changes it.
  changed[13] = -1;
  assert.equal(naive(changed, { period: 7, horizon: 14, origin: 20 })[0], -1);
  assert.equal(naive(changed, { period: 7, horizon: 14, origin: 20 })[7], -1, "h = 7 reads step 13 again");
});

test("a year of 52 weeks keeps the weekday: period 364 on daily data", () => {
  // Day t has weekday t mod 7; the forecast of day n + h comes from day n + h − 364, the same weekday.
  const days = Array.from({ length: 400 }, (_, t) => t);
  const f = naive(days, { period: 364, horizon: 28, origin: 380 });
  for (let h = 0; h < 28; h++) {
    assert.equal(f[h], 380 + h - 364);
    assert.equal(f[h] % 7, (380 + h) % 7);
  }
});

test("Tensors [N] and [N, 1] are read as their values", () => {
  assert.deepEqual(Array.from(naive(kl.tensor([1, 2, 3, 4]), { period: 2, horizon: 3 })), [3, 4, 3]);
  assert.deepEqual(Array.from(naive(kl.fromFlat([1, 2, 3, 4], [4, 1]), { period: 2, horizon: 3 })), [3, 4, 3]);
  assert.throws(() => naive(kl.fromFlat([1, 2, 3, 4], [2, 2]), { period: 1 }), /must be \[N\] or \[N, 1\].*\[2,2\]/);
});

test("errors name what is wrong", () => {
  assert.throws(() => naive([1, 2, 3], { period: 0 }), /period must be a whole number >= 1, got 0/);
  assert.throws(() => naive([1, 2, 3], { period: 1.5 }), /period must be a whole number >= 1, got 1.5/);
  assert.throws(() => naive([1, 2, 3], { period: 1, horizon: 0 }), /horizon must be a whole number >= 1, got 0/);
  assert.throws(() => naive([1, 2, 3], { period: 7 }), /a period of 7 needs at least 7 steps before the origin, and there are 3/);
  assert.throws(() => naive([1, 2, 3], { period: 1, origin: 4 }), /origin 4 is past the end of the history \(3 steps\)/);
  assert.throws(() => naive([1, NaN, 3], { period: 2 }), /value at step 1 is NaN, not a finite number/);
  assert.throws(() => naive([1, 2, 3], 7 as never), /options must be an object/);
});
