// Time series: splits by time, the scaler fitted on the training split only, windows and their
// targets, and the errors for windows that do not fit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DataError, Scaler, asSeries, forecastDataset, labelledWindows, minibatches, slidingWindows, timeSplit } from "../src/data";
import { Rng, tensor } from "../src";

const ramp = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

test("timeSplit is contiguous and in time order, and rejects impossible fractions", () => {
  const s = timeSplit(1000);
  assert.deepEqual(s, { train: { start: 0, end: 700 }, val: { start: 700, end: 850 }, test: { start: 850, end: 1000 } });
  assert.throws(() => timeSplit(100, { train: 0.9, val: 0.1 }), /leaves nothing for the test split/);
  assert.throws(() => timeSplit(100, { train: 0 }), /train fraction must be in \(0, 1\)/);
  assert.throws(() => timeSplit(3, { train: 0.1, val: 0.1 }), DataError);
});

test("slidingWindows: x [T, W, F] holds consecutive steps, y [W, H] the H steps after", () => {
  const two = asSeries(tensor(Array.from({ length: 20 }, (_, i) => i), [10, 2]), "test"); // step s: [2s, 2s + 1]
  const w = slidingWindows(two, { window: 3, horizon: 2, target: 1 });
  assert.deepEqual(w.x.shape, [3, 6, 2]); // 10 - (3 + 2) + 1 = 6 windows
  assert.deepEqual(w.y.shape, [6, 2]);
  for (let win = 0; win < 6; win++) {
    for (let t = 0; t < 3; t++) {
      assert.equal(w.x.get(t, win, 0), 2 * (win + t)); // feature 0 of step win + t is 2(win + t)
      assert.equal(w.x.get(t, win, 1), 2 * (win + t) + 1);
    }
    assert.deepEqual([w.y.get(win, 0), w.y.get(win, 1)], [2 * (win + 3) + 1, 2 * (win + 4) + 1]);
  }
  const strided = slidingWindows(asSeries(ramp(10), "ramp"), { window: 2, stride: 3 });
  assert.deepEqual(Array.from(strided.starts), [0, 3, 6]);
});

test("a window longer than the series is an error with the numbers, not an empty tensor", () => {
  const s = asSeries(ramp(20), "ramp");
  assert.throws(() => slidingWindows(s, { window: 18, horizon: 5, label: "births" }), (e: Error) => e instanceof DataError && /slidingWindows \(births\): a window of 18 steps plus a horizon of 5 needs 23 steps, but the series has only 20/.test(e.message));
  assert.throws(() => slidingWindows(s, { window: 0 }), /window must be an integer >= 1, got 0/);
  assert.throws(() => forecastDataset(ramp(100), { window: 20, horizon: 1 }), /forecastDataset \(series\): a window of 20 steps plus a horizon of 1 needs 21 steps in every split, but the series' 100 steps split into train 70, val 15, test 15: the val split is too short\. With these split fractions the series needs at least 139 steps; or shorten the window/);
  // The length it names is the shortest that works.
  assert.equal(forecastDataset(ramp(139), { window: 20, horizon: 1 }).val.x.shape[1], 1);
  assert.throws(() => forecastDataset(ramp(138), { window: 20, horizon: 1 }), /too short/);
  assert.throws(() => slidingWindows(asSeries(ramp(100), "r"), { window: 20, range: { start: 70, end: 85 }, label: "val split" }), /val split\): a window of 20 steps plus a horizon of 1 needs 21 steps, but the range 70..85 holds only 15/);
  assert.throws(() => asSeries([1, 2, NaN, 4], "sensor"), /sensor: value NaN at step 2 is not a finite number/);
});

test("the scaler is fitted on the training split only: changing the test period changes nothing in training", () => {
  const a = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i / 5) * 10 + 50);
  const b = a.slice();
  for (let i = 170; i < 200; i++) b[i] = 1e6; // a wild test period
  const fa = forecastDataset(a, { window: 10, horizon: 2 });
  const fb = forecastDataset(b, { window: 10, horizon: 2 });
  assert.deepEqual(fa.scaler.offset, fb.scaler.offset);
  assert.deepEqual(fa.scaler.scale, fb.scaler.scale);
  assert.deepEqual(fa.train.x.data, fb.train.x.data);
  assert.deepEqual(fa.val.y.data, fb.val.y.data);
  // Training inputs are standardised over the training steps.
  const train = fa.scaled.data.subarray(0, fa.split.train.end);
  const mean = train.reduce((s, v) => s + v, 0) / train.length;
  const variance = train.reduce((s, v) => s + (v - mean) ** 2, 0) / train.length;
  assert.ok(Math.abs(mean) < 1e-12 && Math.abs(variance - 1) < 1e-12);
});

test("no window crosses a split boundary, and the splits keep time order", () => {
  const f = forecastDataset(ramp(500), { window: 24, horizon: 6, stride: 2 });
  for (const which of ["train", "val", "test"] as const) {
    const { start, end } = f.split[which];
    for (const s of f[which].starts) assert.ok(s >= start && s + 24 + 6 <= end, `${which} window at ${s}`);
  }
  assert.ok(f.train.starts[f.train.starts.length - 1] < f.val.starts[0] && f.val.starts[f.val.starts.length - 1] < f.test.starts[0]);
  assert.match(f.describe(), /train +steps 0\.\.349: x \[T=24, W=161, F=1\], y \[W=161, H=6\]/);
});

test("inverse maps scaled targets back to the original units (for plots)", () => {
  const values = Float64Array.from({ length: 300 }, (_, i) => 1000 + 37 * Math.cos(i / 7) + i);
  for (const scale of ["standard", "minmax", "none"] as const) {
    const f = forecastDataset(values, { window: 14, horizon: 3, scale });
    const back = f.inverse(f.test.y);
    for (let w = 0; w < f.test.starts.length; w++) {
      for (let h = 0; h < 3; h++) assert.ok(Math.abs(back[w * 3 + h] - values[f.test.starts[w] + 14 + h]) < 1e-9);
    }
  }
  const constant = Scaler.fit(asSeries([5, 5, 5, 5], "c"), { start: 0, end: 4 });
  assert.deepEqual(Array.from(constant.transform(asSeries([5, 6], "c"))), [0, 1]); // scale 1, not a division by 0
});

test("labelledWindows: y is the label of each window's last step", () => {
  const labels = [0, 0, 0, 1, 1, 0, 0];
  const w = labelledWindows(asSeries(ramp(7), "s"), labels, { window: 3 });
  assert.deepEqual(w.x.shape, [3, 5, 1]);
  assert.deepEqual(Array.from(w.y.data), [0, 1, 1, 0, 0]);
  assert.throws(() => labelledWindows(asSeries(ramp(7), "s"), [0, 1], { window: 3 }), /2 labels for a series of 7 steps/);
  // A missing label (NaN) or one that is not a class would become a target no loss can use.
  assert.throws(() => labelledWindows(asSeries(ramp(7), "s"), [0, 0, NaN, 1, 1, 0, 0], { window: 3 }), /the label at step 2 is NaN; a label is a class, a whole number from 0/);
  assert.throws(() => labelledWindows(asSeries(ramp(7), "s"), [0, 0, 0, -1, 1, 0, 0], { window: 3 }), /the label at step 3 is -1/);
  assert.deepEqual(Array.from(labelledWindows(asSeries(ramp(7), "s"), [0, 2, 0, 1, 1, 0, 2], { window: 3 }).y.data), [0, 1, 1, 0, 2], "class indices above 1 are classes");
});

test("minibatches cover every window once, in a seeded order, with x [T, B, F] and matching y rows", () => {
  const f = forecastDataset(ramp(400), { window: 8, horizon: 2 });
  const batches = minibatches(f.train, 32, new Rng(1));
  const W = f.train.x.shape[1];
  assert.equal(batches.length, Math.ceil(W / 32));
  assert.deepEqual(batches[0].x.shape, [8, 32, 1]);
  assert.deepEqual(batches[0].y.shape, [32, 2]);
  const firstSteps: number[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.x.shape[1]; i++) {
      firstSteps.push(b.x.get(0, i, 0));
      // The target follows the window in the same (scaled) units: the ramp's step is constant.
      const step = b.x.get(1, i, 0) - b.x.get(0, i, 0);
      assert.ok(Math.abs(b.y.get(i, 0) - (b.x.get(7, i, 0) + step)) < 1e-9);
    }
  }
  assert.equal(new Set(firstSteps).size, W);
  const again = minibatches(f.train, 32, new Rng(1));
  assert.deepEqual(again[0].x.data, batches[0].x.data);
});
