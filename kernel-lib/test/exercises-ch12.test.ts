// The check of notebook 12 accepts a right answer and names the wrong term of typical wrong ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import { baselines, exercises } from "../src";
import { answers as stored } from "../src/exercises/answers/ch12";
import { passes as passesCheck, rejectionMessage as feedbackOf, rejects } from "./exercise-harness";

const ch12 = exercises.ch12;
type BigramBits = (trainIds: number[], validIds: number[], V: number, alpha: number) => number;

/** Runs the check on an answer that must pass; returns the number of checks its one line reports. */
const passes = (fn: BigramBits): number => passesCheck(() => ch12.checkBigramBits(fn));

interface Variant {
  /** The probability given to b after a: from the pair counts n(a b), the context counts and the training ids. */
  prob?: (k: Counts, a: number, b: number, V: number, alpha: number) => number;
  log?: (x: number) => number;
  /** How the total over the targets becomes the result (m: the number of validation ids). */
  reduce?: (total: number, m: number, first: number, k: Counts, V: number, alpha: number) => number;
}

interface Counts {
  pair: Float64Array; // n(a b) at a·V + b
  followed: Float64Array; // n(a ·): positions 0 … N − 2
  every: Float64Array; // n(a): all N positions
  N: number;
}

function count(train: number[], V: number): Counts {
  const pair = new Float64Array(V * V), followed = new Float64Array(V), every = new Float64Array(V);
  for (let t = 0; t < train.length; t++) {
    every[train[t]] += 1;
    if (t + 1 < train.length) {
      pair[train[t] * V + train[t + 1]] += 1;
      followed[train[t]] += 1;
    }
  }
  return { pair, followed, every, N: train.length };
}

const rightProb: NonNullable<Variant["prob"]> = (k, a, b, V, alpha) => (k.pair[a * V + b] + alpha) / (k.followed[a] + alpha * V);

/** A hand-written bigram, right by default; each option changes one piece into a usual mistake. */
function bigram(v: Variant = {}): BigramBits {
  const prob = v.prob ?? rightProb;
  const log = v.log ?? Math.log2;
  const reduce = v.reduce ?? ((total, m) => total / (m - 1));
  return (train, valid, V, alpha) => {
    const k = count(train, V);
    let total = 0;
    for (let t = 1; t < valid.length; t++) total -= log(prob(k, valid[t - 1], valid[t], V, alpha));
    return reduce(total, valid.length, valid[0], k, V, alpha);
  };
}

test("bigram-bits: a hand-written add-α bigram and kl.baselines.bigramModel pass", () => {
  const n = passes(bigram());
  assert.ok(n >= 20, `the check runs its probes one by one (${n} checks)`);
  passes((train, valid, V, alpha) => baselines.bigramModel(train, V, { alpha }).bitsPerCharacter(valid));
  // Counting with Maps and a loop of its own over the pairs is as right.
  passes((train, valid, V, alpha) => {
    const pairs = new Map<string, number>(), ctx = new Map<number, number>();
    for (let t = 1; t < train.length; t++) {
      pairs.set(`${train[t - 1]} ${train[t]}`, (pairs.get(`${train[t - 1]} ${train[t]}`) ?? 0) + 1);
      ctx.set(train[t - 1], (ctx.get(train[t - 1]) ?? 0) + 1);
    }
    let bits = 0;
    for (let t = 1; t < valid.length; t++) {
      const p = ((pairs.get(`${valid[t - 1]} ${valid[t]}`) ?? 0) + alpha) / ((ctx.get(valid[t - 1]) ?? 0) + alpha * V);
      bits += -Math.log(p) / Math.LN2;
    }
    return bits / (valid.length - 1);
  });
});

test("bigram-bits: ids reversed or sorted in place (a right answer otherwise) are named", () => {
  const right = bigram();
  rejects(() => exercises.ch12.checkBigramBits((train, valid, V, alpha) => { const r = right(train, valid, V, alpha); train.reverse(); return r; }),
    /leaves trainIds and validIds unchanged \(yours changed trainIds on the first probe\)/);
  rejects(() => exercises.ch12.checkBigramBits((train, valid, V, alpha) => { const r = right(train, valid, V, alpha); valid.sort(); return r; }), /yours changed validIds on the first probe/);
});
test("bigram-bits: nats are named", () => rejects(() => ch12.checkBigramBits(bigram({ log: Math.log })), /use log₂ \(yours is in nats/));
test("bigram-bits: log₁₀ is named as another base (every cost the same factor off)", () =>
  rejects(() => ch12.checkBigramBits(bigram({ log: Math.log10 })), /all your costs are 0\.301 times the right ones .*another base/));
test("bigram-bits: a loop that stops before the last target is named on the one-target probe", () => {
  const early: BigramBits = (train, valid, V, alpha) => {
    const k = count(train, V);
    let total = 0;
    for (let t = 1; t < valid.length - 1; t++) total -= Math.log2(rightProb(k, valid[t - 1], valid[t], V, alpha));
    return total / (valid.length - 1);
  };
  rejects(() => ch12.checkBigramBits(early), /a text of 2 ids has one target/);
});
test("bigram-bits: no smoothing is named", () =>
  rejects(() => ch12.checkBigramBits(bigram({ prob: (k, a, b, V) => k.pair[a * V + b] / k.followed[a] })), /smoothed with α \(yours has no α/));
test("bigram-bits: smoothing only the denominator's α·V away (probability 0 for an unseen pair) is named by its Infinity", () =>
  rejects(() => ch12.checkBigramBits(bigram({ prob: (k, a, b, V, alpha) => k.pair[a * V + b] / (k.followed[a] + alpha * V) })), /never seen in training still has a probability above 0 \(yours is Infinity/));
test("bigram-bits: α in the numerator only is named", () =>
  rejects(() => ch12.checkBigramBits(bigram({ prob: (k, a, b, V, alpha) => (k.pair[a * V + b] + alpha) / k.followed[a] })), /numerator only/));
test("bigram-bits: α instead of α·V in the denominator is caught", () =>
  rejects(() => ch12.checkBigramBits(bigram({ prob: (k, a, b, V, alpha) => (k.pair[a * V + b] + alpha) / (k.followed[a] + alpha) })), /ch12-bigram-bits: (bits are never negative|the cost of one pair)/));
test("bigram-bits: the joint probability is named", () =>
  rejects(() => ch12.checkBigramBits(bigram({ prob: (k, a, b, V, alpha) => (k.pair[a * V + b] + alpha) / (k.N - 1 + alpha * V * V) })), /joint probability/));
test("bigram-bits: context and next swapped is named", () =>
  rejects(() => ch12.checkBigramBits(bigram({ prob: (k, a, b, V, alpha) => rightProb(k, b, a, V, alpha) })), /swaps them/));
test("bigram-bits: a unigram is named", () =>
  rejects(() => ch12.checkBigramBits(bigram({ prob: (k, _a, b, V, alpha) => (k.every[b] + alpha) / (k.N + alpha * V) })), /ignores the context/));
test("bigram-bits: the sum instead of the mean is named", () => rejects(() => ch12.checkBigramBits(bigram({ reduce: (total) => total })), /total over the text/));
test("bigram-bits: dividing by m is named", () => rejects(() => ch12.checkBigramBits(bigram({ reduce: (total, m) => total / m })), /yours divides by m\)/));
test("bigram-bits: scoring validIds[0] as a uniform guess is named", () =>
  rejects(() => ch12.checkBigramBits(bigram({ reduce: (total, m, _first, _k, V) => (total + Math.log2(V)) / m })), /context only, not a target \(yours also scores it, as a uniform guess/));
test("bigram-bits: scoring validIds[0] by its frequency is named", () =>
  rejects(() => ch12.checkBigramBits(bigram({ reduce: (total, m, first, k, V, alpha) => (total - Math.log2((k.every[first] + alpha) / (k.N + alpha * V))) / m })),
    /context only, not a target \(yours also scores it by its frequency/));
test("bigram-bits: scoring validIds[0] with validIds[−1] (NaN) is named", () =>
  rejects(() => ch12.checkBigramBits((train, valid, V, alpha) => {
    const k = count(train, V);
    let bits = 0;
    for (let t = 0; t < valid.length; t++) bits -= Math.log2(rightProb(k, valid[t - 1], valid[t], V, alpha));
    return bits / valid.length;
  }), /returns a number \(yours returned NaN.*\n.*validIds\[t − 1\] when t = 0/));
test("bigram-bits: n(a) over every training position (the last id a context too) is named", () =>
  rejects(() => ch12.checkBigramBits(bigram({ prob: (k, a, b, V, alpha) => (k.pair[a * V + b] + alpha) / (k.every[a] + alpha * V) })), /last training id is no context \(yours counts every occurrence/));
test("bigram-bits: α fixed at 1 (add-one) is named", () =>
  rejects(() => ch12.checkBigramBits(bigram({ prob: (k, a, b, V) => rightProb(k, a, b, V, 1) })), /α is the argument alpha/));
test("bigram-bits: a vocabulary size read from the ids is caught", () =>
  rejects(() => ch12.checkBigramBits((train, valid, _V, alpha) => bigram()(train, valid, Math.max(...train, ...valid) + 1, alpha)), /ch12-bigram-bits: .*probe/));
test("bigram-bits: counts from the validation ids too are named as the leak", () =>
  rejects(() => ch12.checkBigramBits((train, valid, V, alpha) => bigram()([...train, ...valid], valid, V, alpha)), /the counts come from trainIds only \(yours counts the pairs of validIds too/));
test("bigram-bits: the minus sign left out is named as the sign (a trial: it was told 'another base')", () =>
  rejects(() => ch12.checkBigramBits((train, valid, V, alpha) => -bigram()(train, valid, V, alpha)), /bits are a cost, −log₂ p, never negative \(yours is -[\d.]+ on the first probe: the minus sign is missing\?\)/));
test("bigram-bits: an error of the learner's own names the probe; the notebook's stub passes through", () => {
  assert.match(feedbackOf(() => ch12.checkBigramBits(() => { throw new TypeError("x is undefined"); })), /bigramBitsPerChar on the first probe .* threw an error: x is undefined/);
  assert.throws(() => ch12.checkBigramBits(() => { throw new Error("not implemented yet"); }), /not implemented yet/);
});

// ---- the feedback names the wrong term and asks a question; it never prints the answer
test("feedback on wrong answers never prints the expected bits", () => {
  const answers = Object.entries(stored).filter(([k]) => !k.includes("/mistake/")).map(([, v]) => v as number);
  const messages = [
    feedbackOf(() => ch12.checkBigramBits(bigram({ log: Math.log }))),
    feedbackOf(() => ch12.checkBigramBits(bigram({ log: Math.log10 }))),
    feedbackOf(() => ch12.checkBigramBits(bigram({ reduce: (total) => total }))),
    feedbackOf(() => ch12.checkBigramBits(bigram({ prob: (k, a, b, V, alpha) => (k.pair[a * V + b] + alpha) / (k.every[a] + alpha * V) }))),
  ];
  for (const m of messages) {
    assert.match(m, /^✘ ch12-bigram-bits: .*\nHint: .*\?/s);
    for (const a of answers) for (const digits of [3, 4, 6]) assert.ok(!m.includes(a.toFixed(digits)), `"${m}" prints ${a.toFixed(digits)}`);
  }
});
