// Chirps and band energies: classes are balanced, a falling chirp is a reversed rising one, its
// features are the reversed features, and order-free statistics cannot separate the classes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor } from "../src";
import { bandEnergies, generateChirps } from "../src/data";

test("shapes, balance and determinism", () => {
  const a = generateChirps({ batchSize: 10, seed: 4 });
  assert.deepEqual(a.waves.shape, [10, 4096]);
  assert.deepEqual(a.y.shape, [10]);
  assert.equal(a.y.data.reduce((s, v) => s + v, 0), 5);
  assert.deepEqual(generateChirps({ batchSize: 10, seed: 4 }).waves.data, a.waves.data);
  assert.notDeepEqual(generateChirps({ batchSize: 10, seed: 5 }).waves.data, a.waves.data);
  const f = bandEnergies(a.waves);
  assert.deepEqual(f.shape, [31, 10, 16]); // (4096 - 256) / 128 + 1 = 31 frames
  assert.ok(f.data.every(Number.isFinite));
  assert.throws(() => bandEnergies(a.waves, { frameLength: 8192 }), /a frame of 8192 samples is longer than the waveforms \(4096 samples\)/);
  assert.throws(() => bandEnergies(new Tensor(new Float64Array(8), [8])), /waves must be \[B, S\]/);
});

test("the features of a reversed wave are the features of the wave, in reverse frame order", () => {
  const { waves } = generateChirps({ batchSize: 2, seed: 1 });
  const S = waves.shape[1];
  const reversed = new Float64Array(2 * S);
  for (let b = 0; b < 2; b++) reversed.set(waves.data.slice(b * S, (b + 1) * S).reverse(), b * S);
  const f = bandEnergies(waves), g = bandEnergies(new Tensor(reversed, [2, S]));
  const [T, B, J] = f.shape;
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let j = 0; j < J; j++) {
    assert.ok(Math.abs(f.get(t, b, j) - g.get(T - 1 - t, b, j)) < 1e-8);
  }
});

test("order-free statistics do not separate rising from falling; the order of the frames does", () => {
  const B = 200;
  const { waves, y } = generateChirps({ batchSize: B, seed: 11 });
  const f = bandEnergies(waves);
  const [T, , J] = f.shape;
  // Order-free: each wave's band energies averaged over time (its total spectrum, roughly).
  const avg = (b: number) => Array.from({ length: J }, (_, j) => { let s = 0; for (let t = 0; t < T; t++) s += f.get(t, b, j); return s / T; });
  const train = Array.from({ length: B / 2 }, (_, b) => b), held = Array.from({ length: B / 2 }, (_, b) => B / 2 + b);
  const centroid = (c: number) => {
    const members = train.filter((b) => y.data[b] === c).map(avg);
    return Array.from({ length: J }, (_, j) => members.reduce((s, m) => s + m[j], 0) / members.length);
  };
  const c0 = centroid(0), c1 = centroid(1);
  const dist = (a: number[], c: number[]) => a.reduce((s, v, j) => s + (v - c[j]) ** 2, 0);
  const orderFree = held.filter((b) => (dist(avg(b), c1) < dist(avg(b), c0) ? 1 : 0) === y.data[b]).length / held.length;
  assert.ok(orderFree > 0.35 && orderFree < 0.65, `nearest centroid on time-averaged features: ${orderFree}`);
  // Order-aware: does the energy-weighted band rise from the first frames to the last?
  const peak = (t: number, b: number) => { let best = 0; for (let j = 1; j < J; j++) if (f.get(t, b, j) > f.get(t, b, best)) best = j; return best; };
  const byOrder = held.filter((b) => (peak(T - 4, b) < peak(3, b) ? 1 : 0) === y.data[b]).length / held.length;
  assert.equal(byOrder, 1);
});
