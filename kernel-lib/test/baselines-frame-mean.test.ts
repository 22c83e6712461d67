// kl.baselines.frameMeans and segmentMeans: averages counted by hand, segments that split an
// uneven T as documented, blind to order within a segment (and frameMeans to all order), and bad
// arguments are errors that say what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src/index";

/** [T, B, F] from frames[t][b] = [f0, f1, ...]. */
const frames = (rows: number[][][]) => kl.tensor(rows);

test("frameMeans: each sequence's frames averaged over time", () => {
  // T = 3, B = 2, F = 2. Sequence 0: (1, 10), (2, 20), (6, 60); sequence 1: (0, -1), (0, -2), (3, 0).
  const x = frames([
    [[1, 10], [0, -1]],
    [[2, 20], [0, -2]],
    [[6, 60], [3, 0]],
  ]);
  const m = kl.baselines.frameMeans(x);
  assert.deepEqual(m.shape, [2, 2]);
  assert.deepEqual(Array.from(m.data), [3, 30, 1, -1]);
});

test("segmentMeans: K stretches of floor(kT/K)..floor((k+1)T/K), each averaged, segment 0 first", () => {
  // T = 5, B = 1, F = 1: values 1, 2, 3, 4, 10.
  const x = frames([[[1]], [[2]], [[3]], [[4]], [[10]]]);
  // K = 2: steps 0..1 (mean 1.5) and 2..4 (mean 17 / 3).
  assert.deepEqual(Array.from(kl.baselines.segmentMeans(x, 2).data), [1.5, 17 / 3]);
  // K = 3: steps 0 | 1..2 | 3..4 → 1, 2.5, 7.
  assert.deepEqual(Array.from(kl.baselines.segmentMeans(x, 3).data), [1, 2.5, 7]);
  // K = T: the frames themselves; K = 1: the mean.
  assert.deepEqual(Array.from(kl.baselines.segmentMeans(x, 5).data), [1, 2, 3, 4, 10]);
  assert.deepEqual(Array.from(kl.baselines.segmentMeans(x, 1).data), [4]);
  // Two sequences, two features: row b holds [segment 0's F values, segment 1's F values].
  const y = frames([
    [[1, 2], [5, 5]],
    [[3, 4], [7, 7]],
    [[0, 0], [1, 1]],
    [[2, 2], [1, 3]],
  ]);
  const s = kl.baselines.segmentMeans(y, 2);
  assert.deepEqual(s.shape, [2, 4]);
  assert.deepEqual(Array.from(s.data), [2, 3, 1, 1, 6, 6, 1, 2]);
});

test("frameMeans cannot tell a sequence from its reverse; segmentMeans with K > 1 can", () => {
  const rng = new kl.Rng(3);
  const T = 8, F = 4;
  const seq = Array.from({ length: T }, () => Array.from({ length: F }, () => rng.normal()));
  const x = frames(seq.map((f) => [f]));
  const reversed = frames(seq.slice().reverse().map((f) => [f]));
  const a = kl.baselines.frameMeans(x).data, b = kl.baselines.frameMeans(reversed).data;
  for (let j = 0; j < F; j++) assert.ok(Math.abs(a[j] - b[j]) < 1e-12);
  const sa = kl.baselines.segmentMeans(x, 2).data, sb = kl.baselines.segmentMeans(reversed, 2).data;
  // The reverse's first half is the sequence's second half, reversed: same means, swapped.
  for (let j = 0; j < F; j++) {
    assert.ok(Math.abs(sa[j] - sb[F + j]) < 1e-12 && Math.abs(sa[F + j] - sb[j]) < 1e-12);
  }
  assert.ok(Array.from(sa).some((v, i) => Math.abs(v - sb[i]) > 1e-6));
});

test("bad arguments say what is wrong", () => {
  const x = kl.zeros([4, 2, 3]);
  assert.throws(() => kl.baselines.segmentMeans(x, 0), /segments must be a whole number >= 1, got 0/);
  assert.throws(() => kl.baselines.segmentMeans(x, 1.5), /segments must be a whole number >= 1, got 1.5/);
  assert.throws(() => kl.baselines.segmentMeans(x, 5), /5 segments but the sequences have only 4 steps/);
  assert.throws(() => kl.baselines.frameMeans(kl.zeros([4, 3])), /features must be \[T, B, F\] \(time-major frames\), got \[4,3\]/);
});
