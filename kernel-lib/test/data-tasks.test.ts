// The long-range tasks: shapes, determinism by seed, and the properties the course quotes (the
// adding problem's baseline MSE 1/6, the copy task's memoryless loss, balanced classes that
// order-free statistics cannot separate, Reber strings the grammar accepts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ADDING_BASELINE_MSE, REBER_SYMBOLS, addingProblem, copyBaselineLoss, copyTask, embeddedReber, embeddedReberNext, isEmbeddedReber, isReber, temporalOrder, twoSequenceLatch } from "../src/data";
import { Rng } from "../src";

test("every generator is deterministic by seed and takes T, batchSize and a seed", () => {
  const gens = [addingProblem, temporalOrder, copyTask, embeddedReber, twoSequenceLatch];
  for (const g of gens) {
    const a = g({ T: 20, batchSize: 6, seed: 3 }), b = g({ T: 20, batchSize: 6, seed: 3 }), c = g({ T: 20, batchSize: 6, seed: 4 });
    assert.deepEqual(a.x.data, b.x.data, g.name);
    assert.notDeepEqual(a.x.data, c.x.data, g.name);
    assert.equal(typeof a.describe(), "string");
    // An Rng continues one stream: two calls on it give different batches.
    const rng = new Rng(9);
    assert.notDeepEqual(g({ T: 20, batchSize: 6, seed: rng }).x.data, g({ T: 20, batchSize: 6, seed: rng }).x.data, g.name);
  }
  assert.throws(() => addingProblem({ T: 1, batchSize: 2, seed: 0 }), /addingProblem: T must be an integer >= 2, got 1/);
  assert.throws(() => temporalOrder({ T: 50, batchSize: 0, seed: 0 }), /batchSize must be an integer >= 1/);
});

test("adding problem: two markers (one per half), y = the sum of the marked values", () => {
  const T = 50, B = 64;
  const { x, y, marked } = addingProblem({ T, batchSize: B, seed: 1 });
  assert.deepEqual(x.shape, [T, B, 2]);
  assert.deepEqual(y.shape, [B, 1]);
  for (let b = 0; b < B; b++) {
    const ones: number[] = [];
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const v = x.get(t, b, 0);
      assert.ok(v >= 0 && v < 1);
      if (x.get(t, b, 1) === 1) { ones.push(t); sum += v; }
    }
    assert.deepEqual(ones, [marked[2 * b], marked[2 * b + 1]]);
    assert.ok(ones[0] < T / 2 && ones[1] >= T / 2);
    assert.ok(Math.abs(y.get(b, 0) - sum) < 1e-15);
  }
});

test("adding problem: predicting 1 always has MSE 1/6 = Var(v1) + Var(v2) = 2/12 (derived, and measured)", () => {
  assert.equal(ADDING_BASELINE_MSE, 1 / 6);
  const { y } = addingProblem({ T: 10, batchSize: 20000, seed: 2 });
  let mse = 0, mean = 0;
  for (const v of y.data) { mse += (v - 1) ** 2; mean += v; }
  mse /= y.size;
  mean /= y.size;
  // Standard error of this estimate: sqrt(Var((S-1)²) / n) = sqrt((1/15 - 1/36) / 20000) ≈ 0.0014.
  assert.ok(Math.abs(mse - 1 / 6) < 0.006, `measured ${mse}`);
  assert.ok(Math.abs(mean - 1) < 0.01, `mean target ${mean}`);
  // The best constant is the mean: any other constant does worse by (c - 1)².
  let mse09 = 0;
  for (const v of y.data) mse09 += (v - 0.9) ** 2;
  assert.ok(mse09 / y.size > mse);
});

test("temporal order: B...E framing, X/Y at the set positions, balanced classes", () => {
  const T = 100, B = 400;
  const { x, ids, y, positions } = temporalOrder({ T, batchSize: B, seed: 5 });
  assert.deepEqual(x.shape, [T, B, 8]);
  const counts = [0, 0, 0, 0];
  for (let b = 0; b < B; b++) {
    counts[y.data[b]]++;
    assert.equal(ids.get(0, b), 6);
    assert.equal(ids.get(T - 1, b), 7);
    const [p1, p2] = [positions[2 * b], positions[2 * b + 1]];
    assert.ok(p1 >= 10 && p1 <= 20 && p2 >= 50 && p2 <= 60);
    const relevant: number[] = [];
    for (let t = 0; t < T; t++) if (ids.get(t, b) === 4 || ids.get(t, b) === 5) relevant.push(t);
    assert.deepEqual(relevant, [p1, p2]);
    const cls = (ids.get(p1, b) === 4 ? 0 : 2) + (ids.get(p2, b) === 4 ? 0 : 1);
    assert.equal(cls, y.data[b]);
    for (let t = 0; t < T; t++) assert.equal(x.get(t, b, ids.get(t, b)), 1);
  }
  assert.deepEqual(counts, [100, 100, 100, 100]);
});

test("temporal order: XY and YX have the same bag of symbols, so bags reach 75% at best", () => {
  const bags = (seed: number) => {
    const { ids, y } = temporalOrder({ T: 60, batchSize: 2000, seed });
    const [T, B] = ids.shape;
    return Array.from({ length: B }, (_, b) => {
      const c = new Array(8).fill(0);
      for (let t = 0; t < T; t++) c[ids.get(t, b)]++;
      return { bag: c, y: y.data[b] };
    });
  };
  const train = bags(1), held = bags(2);
  // Exactly: every XY and YX sequence holds one X and one Y.
  for (const { bag, y } of train) if (y === 1 || y === 2) assert.deepEqual([bag[4], bag[5]], [1, 1]);
  // The distractor counts have the same distribution in XY and YX (compare their means).
  const meanBag = (cls: number) => [0, 1, 2, 3].map((j) => { const m = train.filter((s) => s.y === cls); return m.reduce((s, v) => s + v.bag[j], 0) / m.length; });
  const xy = meanBag(1), yx = meanBag(2);
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(xy[j] - yx[j]) < 0.5, `distractor ${j}: ${xy[j]} vs ${yx[j]}`);
  // The best classifier on bags: the distractors carry no class information (above), so it looks
  // at the counts of X and Y and picks the majority class seen with them in training.
  const votes = new Map<string, number[]>();
  for (const { bag, y } of train) {
    const v = votes.get(`${bag[4]},${bag[5]}`) ?? [0, 0, 0, 0];
    v[y]++;
    votes.set(`${bag[4]},${bag[5]}`, v);
  }
  const predict = (bag: number[]) => { const v = votes.get(`${bag[4]},${bag[5]}`)!; return v.indexOf(Math.max(...v)); };
  const acc = held.filter((s) => predict(s.bag) === s.y).length / held.length;
  // Right about XX and YY, a coin toss between XY and YX: 0.25 + 0.25 + 0.5 · 0.5 = 0.75.
  assert.ok(acc > 0.7 && acc < 0.8, `bag-of-symbols accuracy ${acc}`);
});

test("copy task: the layout of Arjovsky et al. (T + 20 steps) and the memoryless baseline", () => {
  const T = 30, B = 500, K = 10;
  const { ids, x, y, baselineLoss } = copyTask({ T, batchSize: B, seed: 7 });
  const L = T + 2 * K;
  assert.deepEqual(ids.shape, [L, B]);
  assert.deepEqual(x.shape, [L, B, 10]);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < L; t++) {
      const input = ids.get(t, b), target = y.get(t, b);
      if (t < K) assert.ok(input >= 1 && input <= 8);
      else assert.equal(input, t === K + T - 1 ? 9 : 0);
      if (t < T + K) assert.equal(target, 0);
      else assert.equal(target, ids.get(t - T - K, b));
    }
  }
  assert.equal(baselineLoss, (K * Math.log(8)) / L);
  assert.equal(copyBaselineLoss(100), (10 * Math.log(8)) / 120);
  // Measured: the best predictor that ignores the input is each step's target frequencies. Fit
  // them on one batch, score them on another: the cross-entropy is the baseline (within noise).
  const freq = Array.from({ length: L }, () => new Array(10).fill(0));
  for (let t = 0; t < L; t++) for (let b = 0; b < B; b++) freq[t][y.get(t, b)] += 1 / B;
  const held = copyTask({ T, batchSize: B, seed: 8 }).y;
  let ce = 0;
  for (let t = 0; t < L; t++) for (let b = 0; b < B; b++) ce -= Math.log(freq[t][held.get(t, b)]);
  ce /= L * B;
  assert.ok(Math.abs(ce - baselineLoss) < 0.01, `measured ${ce} vs ${baselineLoss}`);
});

test("embedded Reber: every string is accepted by the grammar, and the targets are its legal next symbols", () => {
  for (const s of ["BTSSXXTVVE", "BPVVE", "BTXSE", "BPTVPSE"]) assert.ok(isReber(s), s);
  for (const s of ["BTSSE", "BPVE", "BTXXE", "TXSE", "BTXS"]) assert.ok(!isReber(s), s);
  assert.ok(isEmbeddedReber("BTBTXSETE") && !isEmbeddedReber("BTBTXSEPE") && !isEmbeddedReber("BXBTXSEXE"));
  const T = 25, B = 300;
  const r = embeddedReber({ T, batchSize: B, seed: 2 });
  assert.deepEqual(r.x.shape, [T, B, 7]);
  assert.deepEqual(r.legalNext.shape, [T, B, 7]);
  assert.equal(new Set(r.strings.map((s) => s[1])).size, 2);
  r.strings.forEach((s, b) => {
    assert.ok(isEmbeddedReber(s) && s.length <= T, s);
    assert.equal(s[s.length - 2], s[1]); // the long-range dependency
    const next = embeddedReberNext(s);
    for (let t = 0; t < T; t++) {
      if (t < s.length) assert.equal(REBER_SYMBOLS[r.ids.get(t, b)], s[t]);
      else assert.equal(r.ids.get(t, b), 7);
      if (t + 1 < s.length) {
        assert.equal(r.mask.get(t, b), 1);
        assert.equal(r.legalNext.get(t, b, r.nextIds.get(t, b)), 1); // the symbol that came was legal
        assert.equal(r.legalNext.data.slice((t * B + b) * 7, (t * B + b + 1) * 7).reduce((a, v) => a + v, 0), next[t].length);
      } else assert.equal(r.mask.get(t, b), 0);
    }
    // Only the branch symbol is legal before the final E: predicting it needs the second symbol.
    assert.deepEqual(next[s.length - 3], [s[1]]);
  });
});

test("two-sequence latch: the class is in the first N steps only; the noise is the same for both classes", () => {
  const T = 40, B = 2000;
  const { x, y } = twoSequenceLatch({ T, batchSize: B, seed: 3, relevant: 3 });
  assert.deepEqual(x.shape, [T, B, 1]);
  assert.equal(y.data.reduce((s, v) => s + v, 0), B / 2);
  const stats = [[0, 0, 0], [0, 0, 0]]; // per class: n, sum, sum of squares of the noise steps
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < 3; t++) assert.equal(x.get(t, b, 0), y.data[b] === 1 ? 1 : -1);
    const s = stats[y.data[b]];
    for (let t = 3; t < T; t++) { s[0]++; s[1] += x.get(t, b, 0); s[2] += x.get(t, b, 0) ** 2; }
  }
  for (const [n, sum, sq] of stats) {
    assert.ok(Math.abs(sum / n) < 0.01);
    assert.ok(Math.abs(sq / n - 0.2) < 0.01);
  }
  assert.throws(() => twoSequenceLatch({ T: 3, batchSize: 2, seed: 0, relevant: 3 }), /relevant = 3 must be below T = 3/);
});
