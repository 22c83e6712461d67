// The checks of notebook 01 accept a right answer and name the wrong term of typical wrong ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { exercises } from "../src";
import { ExerciseError } from "../src/testing";
import type { Activation, RnnParams } from "../src/exercises/ch01";
import { passes, rejects } from "./exercise-harness";

const ch01 = exercises.ch01;


test("ch01-bag-of-symbols: accepts normalised counts, names raw counts, skipped zeros and position weights", () => {
  const right = (seq: number[], V: number) => {
    const out = new Array<number>(V).fill(0);
    for (const s of seq) out[s] += 1 / seq.length;
    return out;
  };
  assert.equal(passes(() => ch01.checkBagOfSymbols(right)), 8);
  // Sorts the caller's sequence first (a learner's trial: it passed, and changed the notebook's data).
  rejects(() => ch01.checkBagOfSymbols((seq, V) => right(seq.sort(), V)), /bagOfSymbols leaves seq unchanged/);
  // Counts, not fractions.
  rejects(() => ch01.checkBagOfSymbols((seq, V) => {
    const out = new Array<number>(V).fill(0);
    for (const s of seq) out[s] += 1;
    return out;
  }), /the sum of the entries/);
  // `if (s)` skips symbol 0 (and then the fractions no longer add up... only when 0 occurs).
  rejects(() => ch01.checkBagOfSymbols((seq, V) => {
    const out = new Array<number>(V).fill(0);
    const kept = seq.filter((s) => s);
    for (const s of kept) out[s] += 1 / kept.length;
    return out;
  }), /the entry of symbol 0/);
  // Off by one: symbol s counted in entry s − 1 (wrapping).
  rejects(() => ch01.checkBagOfSymbols((seq, V) => {
    const out = new Array<number>(V).fill(0);
    for (const s of seq) out[(s + V - 1) % V] += 1 / seq.length;
    return out;
  }), /the entry of each symbol/);
  // Later positions weigh more: not a bag any more.
  rejects(() => ch01.checkBagOfSymbols((seq, V) => {
    const out = new Array<number>(V).fill(0);
    const total = (seq.length * (seq.length + 1)) / 2;
    seq.forEach((s, t) => (out[s] += (t + 1) / total));
    return out;
  }), /the bag of the reversed sequence/);
  // Only the first 10 symbols.
  rejects(() => ch01.checkBagOfSymbols((seq, V) => right(seq.slice(0, 10), V)), /a longer sequence/);
});

const matVec = (M: number[][], v: number[]) => M.map((row) => row.reduce((s, m, j) => s + m * v[j], 0));
const rightStep = (h: number[], x: number[], p: RnnParams, phi: Activation) => {
  const a = matVec(p.Wh, h);
  const b = matVec(p.Wx, x);
  return p.b.map((bi, i) => phi(a[i] + b[i] + bi));
};

test("ch01-rnn-step: accepts φ(W_h h + W_x x + b), names the missing bias, the transposes, φ per term", () => {
  assert.equal(passes(() => ch01.checkRnnStep(rightStep)), 7);
  rejects(() => ch01.checkRnnStep((h, x, p, phi) => {
    const next = rightStep(h, x, p, phi);
    next.forEach((v, i) => (h[i] = v));
    return h.slice();
  }), /rnnStep leaves h and x unchanged/);
  rejects(() => ch01.checkRnnStep((h, x, p, phi) => rightStep(h, x, { ...p, b: p.b.map(() => 0) }, phi)), /the bias b/);
  const transpose = (M: number[][]) => M[0].map((_, j) => M.map((row) => row[j]));
  rejects(() => ch01.checkRnnStep((h, x, p, phi) => rightStep(h, x, { ...p, Wh: transpose(p.Wh) }, phi)), /the recurrent term W_h h_\{t−1\}/);
  // W_x transposed is 3×2: its rows have 2 entries, so x's third entry is dropped and a third unit appears.
  rejects(() => ch01.checkRnnStep((h, x, p, phi) => {
    const WxT = transpose(p.Wx);
    return p.b.map((bi, i) => phi(matVec(p.Wh, h)[i] + WxT[i].reduce((s, m, j) => s + m * x[j], 0) + bi));
  }), /the input term W_x x_t/);
  // φ applied to each term separately.
  rejects(() => ch01.checkRnnStep((h, x, p, phi) => {
    const a = matVec(p.Wh, h);
    const b = matVec(p.Wx, x);
    return p.b.map((bi, i) => phi(a[i]) + phi(b[i]) + phi(bi));
  }), /φ applied to the whole sum/);
  // φ forgotten.
  rejects(() => ch01.checkRnnStep((h, x, p) => rightStep(h, x, p, (u) => u)), /φ applied to the whole sum/);
});

test("ch01-run-rnn: accepts the unrolled loop, names h_0 in the output, the state not carried, one array reused", () => {
  const right = (xs: number[][], h0: number[], p: RnnParams, phi: Activation) => {
    const hs: number[][] = [];
    let h = h0;
    for (const x of xs) hs.push((h = rightStep(h, x, p, phi)));
    return hs;
  };
  assert.equal(passes(() => ch01.checkRunRnn(right)), 6);
  // Each new state written back into h0 (a learner's trial: it passed).
  rejects(() => ch01.checkRunRnn((xs, h0, p, phi) => xs.map((x) => {
    const h = rightStep(h0, x, p, phi);
    h.forEach((v, i) => (h0[i] = v));
    return h;
  })), /runRnn leaves h0 and the inputs unchanged/);
  rejects(() => ch01.checkRunRnn((xs, h0, p, phi) => [h0, ...right(xs, h0, p, phi)]), /without h_0/);
  rejects(() => ch01.checkRunRnn((xs, h0, p, phi) => xs.map((x) => rightStep(h0, x, p, phi))), /the state carried from step to step/);
  // One array updated in place and pushed every step.
  rejects(() => ch01.checkRunRnn((xs, h0, p, phi) => {
    const h = h0.slice();
    const hs: number[][] = [];
    for (const x of xs) {
      const next = rightStep(h, x, p, phi);
      next.forEach((v, i) => (h[i] = v));
      hs.push(h);
    }
    return hs;
  }), /the states are separate arrays/);
});

test("ch01-counter: accepts depth and length weights (either way of counting), names the missing carry and the leak", () => {
  const right = (): RnnParams => ({ Wh: [[1, 0], [0, 1]], Wx: [[1, -1, 0], [0, 0, 0]], b: [0, 1] });
  assert.equal(passes(() => ch01.checkCounterWeights(right)), 12);
  // The length counted through W_x instead of b: the same behaviour, also right.
  assert.equal(passes(() => ch01.checkCounterWeights(() => ({ Wh: [[1, 0], [0, 1]], Wx: [[1, -1, 0], [1, 1, 1]], b: [0, 0] }))), 12);
  rejects(() => ch01.checkCounterWeights(() => ({ Wh: [[1, 0], [0, 1]], Wx: [[1, -1], [0, 0]], b: [0, 1] })), /the shapes/);
  // Signs swapped.
  rejects(() => ch01.checkCounterWeights(() => ({ Wh: [[1, 0], [0, 1]], Wx: [[-1, 1, 0], [0, 0, 0]], b: [0, 1] })), /unit 0 \(the depth\) after reading "\("/);
  // No memory of the depth (W_h[0][0] = 0).
  rejects(() => ch01.checkCounterWeights(() => ({ Wh: [[0, 0], [0, 1]], Wx: [[1, -1, 0], [0, 0, 0]], b: [0, 1] })), /unit 0 \(the depth\) over "\(\("/);
  // The length leaks into the depth (W_h[0][1] = 1), or the depth into the length.
  rejects(() => ch01.checkCounterWeights(() => ({ Wh: [[1, 1], [0, 1]], Wx: [[1, -1, 0], [0, 0, 0]], b: [0, 1] })), /the length must not leak into the depth/);
  rejects(() => ch01.checkCounterWeights(() => ({ Wh: [[1, 0], [1, 1]], Wx: [[1, -1, 0], [0, 0, 0]], b: [0, 1] })), /the depth must not leak into the length/);
  // The length unit forgot "x".
  rejects(() => ch01.checkCounterWeights(() => ({ Wh: [[1, 0], [0, 1]], Wx: [[1, -1, 0], [1, 1, 0]], b: [0, 0] })), /unit 1 \(the length\) after reading "x"/);
});

test("ch01-parity-trace: accepts the right trace, names the first wrong step and unit", () => {
  assert.equal(ch01.PARITY_INPUT, "01011");
  const right = [[0, 0], [1, 0], [1, 0], [1, 1], [1, 0]];
  assert.equal(passes(() => ch01.checkParityTrace(right.map((h) => h.slice()))), 11);
  rejects(() => ch01.checkParityTrace([[0, 0], ...right]), /one state per input bit/);
  // The AND unit read as "x_t = 1 and the previous a_t = 1" (forgetting to subtract c): wrong at step 5.
  rejects(() => ch01.checkParityTrace([[0, 0], [1, 0], [1, 0], [1, 1], [1, 1]]), /h_5, unit c \(the AND unit\), after reading "1"/);
  rejects(() => ch01.checkParityTrace([[0, 0], [1, 0], [0, 0], [1, 0], [1, 1]]), /h_3, unit a/);
});
