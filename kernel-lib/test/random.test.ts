import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, seed, defaultRng, randn } from "../src";

test("the same seed gives the same sequence; different seeds differ", () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const xs = Array.from({ length: 20 }, () => a.next());
  const ys = Array.from({ length: 20 }, () => b.next());
  const zs = Array.from({ length: 20 }, () => c.next());
  assert.deepEqual(xs, ys);
  assert.notDeepEqual(xs, zs);
  for (const x of xs) assert.ok(x >= 0 && x < 1);
});

test("the stream is pinned: these exact values on every platform", () => {
  // Integer-only arithmetic makes the stream platform-independent; pin it so a change is noticed
  // (notebook text quotes numbers that depend on it).
  const r = new Rng(1);
  const got = [r.uint32(), r.uint32(), r.uint32()];
  const again = new Rng(1);
  assert.deepEqual([again.uint32(), again.uint32(), again.uint32()], got);
  assert.deepEqual(got, PINNED);
});
// Recorded from the implementation (xoshiro128** seeded by splitmix32).
const PINNED = [2442144158, 3238099751, 3819917871];

test("normal() has mean ≈ 0 and variance ≈ 1 over 1e5 draws", () => {
  const r = new Rng(7);
  const n = 100_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
  }
  const mean = s / n;
  const variance = s2 / n - mean * mean;
  // Standard errors: 1/sqrt(n) ≈ 0.0032 for the mean, sqrt(2/n) ≈ 0.0045 for the variance.
  assert.ok(Math.abs(mean) < 0.015, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}`);
});

test("uniform, int, shuffle and categorical stay in range and look uniform", () => {
  const r = new Rng(3);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 50_000; i++) counts[r.int(5)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `int counts ${counts}`);
  for (let i = 0; i < 1000; i++) {
    const u = r.uniform(-2, 3);
    assert.ok(u >= -2 && u < 3);
  }
  const arr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const shuffled = r.shuffle(arr.slice());
  assert.deepEqual(shuffled.slice().sort((a, b) => a - b), arr);
  assert.notDeepEqual(shuffled, arr);
  const cat = [0, 0, 0];
  for (let i = 0; i < 30_000; i++) cat[r.categorical([0.2, 0, 0.8])]++;
  assert.equal(cat[1], 0);
  assert.ok(Math.abs(cat[0] / 30_000 - 0.2) < 0.015, `categorical ${cat}`);
  // Unnormalised weights work too.
  assert.equal(r.categorical([0, 5, 0]), 1);
});

test("bad arguments are named", () => {
  const r = new Rng(0);
  assert.throws(() => new Rng(0.5), /Rng: seed must be an integer, got 0.5/);
  assert.throws(() => r.int(0), /Rng.int: n must be a positive integer/);
  assert.throws(() => r.categorical([0.5, -1]), /probs\[1\] = -1/);
  assert.throws(() => r.categorical([0, 0]), /sum to 0/);
});

test("fork gives an independent, reproducible stream", () => {
  const a = new Rng(9);
  const b = new Rng(9);
  const fa = a.fork();
  const fb = b.fork();
  assert.equal(fa.next(), fb.next());
  assert.notEqual(fa.next(), a.next());
});

test("seed() resets the default generator used by randn", () => {
  seed(5);
  const x = randn([4]).toArray();
  seed(5);
  assert.deepEqual(randn([4]).toArray(), x);
  const r = defaultRng();
  seed(5);
  assert.notEqual(defaultRng(), r);
});
