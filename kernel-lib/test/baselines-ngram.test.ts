// The character n-gram baselines (kl.baselines.unigramModel, bigramModel) and the bits-per-character
// metric, on texts small enough to count by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src/index";

const close = (a: number, b: number, what: string, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a}, expected ${b}`);

// The training text of most cases: ids 0 1 0 0 1 (V = 2).
//   counts: n(0) = 3, n(1) = 2, N = 5
//   pairs:  (0,1) (1,0) (0,0) (0,1) → n(00) = 1, n(01) = 2, n(10) = 1, n(11) = 0; n(0·) = 3, n(1·) = 1
const train = [0, 1, 0, 0, 1];

test("unigram: add-one frequencies (n(c) + 1) / (N + V), the same whatever came before", () => {
  const uni = kl.baselines.unigramModel(train, 2);
  close(uni.prob(0), 4 / 7, "p(0)");
  close(uni.prob(1), 3 / 7, "p(1)");
  close(uni.prob(1, [0]), 3 / 7, "p(1 | 0) ignores the 0");
  assert.deepEqual([uni.count(0), uni.count(1), uni.contextCount()], [3, 2, 5]);
  // Held-out ids 1 1 0: targets are ids[1] = 1 and ids[2] = 0 (ids[0] is context only).
  const { bits, count } = uni.bits([1, 1, 0]);
  assert.equal(count, 2);
  close(bits, -Math.log2(3 / 7) - Math.log2(4 / 7), "total bits");
  close(uni.bitsPerCharacter([1, 1, 0]), Math.log2(49 / 12) / 2, "bits per character");
});

test("bigram: add-one pair counts (n(a c) + 1) / (n(a ·) + V), by hand", () => {
  const bi = kl.baselines.bigramModel(train, 2);
  close(bi.prob(0, [0]), 2 / 5, "p(0 | 0)");
  close(bi.prob(1, [0]), 3 / 5, "p(1 | 0)");
  close(bi.prob(0, [1]), 2 / 3, "p(0 | 1)");
  close(bi.prob(1, [1]), 1 / 3, "p(1 | 1): never seen in training, still above 0");
  close(bi.prob(1, [1, 1, 0]), 3 / 5, "only the last id of a longer context counts");
  assert.deepEqual([bi.count(0, [0]), bi.count(1, [0]), bi.count(0, [1]), bi.count(1, [1])], [1, 2, 1, 0]);
  assert.deepEqual([bi.contextCount([0]), bi.contextCount([1])], [3, 1]);
  // 1 1 0: −log₂ p(1 | 1) − log₂ p(0 | 1) = log₂ 3 + log₂ 3/2 = log₂ 4.5
  close(bi.bitsPerCharacter([1, 1, 0]), Math.log2(4.5) / 2, "bits per character");
  const dist = bi.distribution([0]);
  assert.deepEqual(Array.from(dist), [bi.prob(0, [0]), bi.prob(1, [0])]);
});

test("add-α smoothing with α = 0.5, a character never seen in training, and a context never seen", () => {
  // V = 3: id 2 never occurs in the training ids.
  const uni = kl.baselines.unigramModel(train, 3, { alpha: 0.5 });
  close(uni.prob(0), 3.5 / 6.5, "p(0) = (3 + 0.5) / (5 + 1.5)");
  close(uni.prob(2), 0.5 / 6.5, "p(2) = 0.5 / 6.5: unseen, small, not 0");
  const bi = kl.baselines.bigramModel(train, 3, { alpha: 0.5 });
  close(bi.prob(1, [0]), 2.5 / 4.5, "p(1 | 0) = (2 + 0.5) / (3 + 1.5)");
  for (let c = 0; c < 3; c++) close(bi.prob(c, [2]), 1 / 3, `p(${c} | 2): a context never seen gives the uniform 1/V`);
  close(bi.bitsPerCharacter([0, 2, 2]), (-Math.log2(0.5 / 4.5) - Math.log2(1 / 3)) / 2, "bits of 0 → 2 → 2");
  const again = kl.baselines.bigramModel(train, 3).withAlpha(0.5);
  assert.equal(again.alpha, 0.5);
  assert.equal(again.prob(1, [0]), bi.prob(1, [0]), "withAlpha: the same counts, another α");
  close(kl.baselines.bigramModel(train, 3).prob(1, [0]), 3 / 6, "the original keeps its α = 1: (2 + 1) / (3 + 3)");
});

test("on alternating text the bigram is nearly certain and the unigram is a coin: the bigram is the stronger baseline", () => {
  const abab = Array.from({ length: 100 }, (_, i) => i % 2); // 0 1 0 1 ... : 50 pairs (0,1), 49 pairs (1,0)
  const uni = kl.baselines.unigramModel(abab, 2);
  const bi = kl.baselines.bigramModel(abab, 2);
  close(bi.prob(1, [0]), 51 / 52, "p(1 | 0) = (50 + 1) / (50 + 2)");
  close(bi.prob(0, [1]), 50 / 51, "p(0 | 1) = (49 + 1) / (49 + 2)");
  const held = [0, 1, 0, 1, 0];
  close(uni.bitsPerCharacter(held), 1, "the unigram pays 1 bit per character (p = 51/102 = 1/2 each)");
  close(bi.bitsPerCharacter(held), (-2 * Math.log2(51 / 52) - 2 * Math.log2(50 / 51)) / 4, "the bigram pays about 0.03 bits");
  assert.ok(bi.bitsPerCharacter(held) < 0.03);
});

test("trigram: counts of the two ids before; the first target, with one id before it, uses the pair counts", () => {
  // Trigrams of 0 1 0 0 1: (0 1 → 0), (1 0 → 0), (0 0 → 1), each once.
  const tri = kl.baselines.ngramModel(train, 2, { order: 3 });
  close(tri.prob(0, [0, 1]), 2 / 3, "p(0 | 0 1) = (1 + 1) / (1 + 2)");
  close(tri.prob(1, [0, 1]), 1 / 3, "p(1 | 0 1) = (0 + 1) / (1 + 2)");
  close(tri.prob(1, [0, 0]), 2 / 3, "p(1 | 0 0)");
  close(tri.prob(0, [1, 1]), 1 / 2, "p(0 | 1 1): a context never seen, uniform");
  close(tri.prob(1, [1, 0, 1]), 1 / 3, "a longer context: the last two ids count");
  // Held-out 0 1 1 0: ids[1] after [0] alone (the pair counts: p(1 | 0) = 3/5), ids[2] after [0 1]
  // (p(1 | 0 1) = 1/3), ids[3] after [1 1] (never seen: 1/2).
  const { bits, count } = tri.bits([0, 1, 1, 0]);
  assert.equal(count, 3);
  close(bits, Math.log2(5 / 3) + Math.log2(3) + 1, "log₂ 5/3 + log₂ 3 + 1 = log₂ 5 + 1");
  // Every distribution sums to 1, for every order and context.
  const rng = new kl.Rng(5);
  const ids = Array.from({ length: 400 }, () => rng.int(4));
  for (let order = 1; order <= 4; order++) {
    const m = kl.baselines.ngramModel(ids, 4, { order, alpha: 0.1 });
    for (const context of [[], [1], [2, 3], [0, 1, 2], [3, 3, 3, 3]]) {
      close(m.distribution(context).reduce((s, p) => s + p, 0), 1, `order ${order}, context ${context}`, 1e-12);
    }
  }
  // More context fits the training text better: bits on the training ids fall with the order.
  const onTrain = [1, 2, 3, 4].map((order) => kl.baselines.ngramModel(ids, 4, { order, alpha: 0.1 }).bitsPerCharacter(ids));
  assert.ok(onTrain[0] > onTrain[1] && onTrain[1] > onTrain[2] && onTrain[2] > onTrain[3], onTrain.join(", "));
});

test("counts agree with a brute-force count, in a table (V^k up to 2^22) and in sorted arrays (beyond)", () => {
  const V = 100; // order 3: 10^6 possible trigrams (a table); order 4: 10^8 (sorted arrays)
  const rng = new kl.Rng(6);
  const ids = Array.from({ length: 3000 }, () => (rng.next() < 0.5 ? rng.int(5) : rng.int(V))); // some contexts repeat
  for (const order of [3, 4]) {
    const m = kl.baselines.ngramModel(ids, V, { order });
    for (let probe = 0; probe < 300; probe++) {
      const at = order - 1 + rng.int(ids.length - order + 1);
      const context = ids.slice(at - order + 1, at);
      const next = probe % 2 === 0 ? ids[at] : rng.int(V); // a seen n-gram, or any
      let n = 0, d = 0;
      for (let i = order - 1; i < ids.length; i++) {
        if (context.every((c, j) => ids[i - order + 1 + j] === c)) {
          d++;
          if (ids[i] === next) n++;
        }
      }
      assert.equal(m.count(next, context), n, `order ${order}: n(${context} ${next})`);
      assert.equal(m.contextCount(context), d, `order ${order}: n(${context} ·)`);
    }
  }
});

test("sample: draws follow the distribution, reshaped by the temperature p^(1/τ)", () => {
  const uni = kl.baselines.unigramModel(train, 2); // p(0) = 4/7, p(1) = 3/7
  const share0 = (ids: Int32Array) => ids.filter((v) => v === 0).length / ids.length;
  const plain = uni.sample(20000, new kl.Rng(1));
  assert.equal(plain.length, 20000);
  assert.ok(Math.abs(share0(plain) - 4 / 7) < 0.015, `share of 0 at τ = 1: ${share0(plain)}, expected 4/7`);
  // τ = 0.5 squares the probabilities: 16/49 against 9/49, so p(0) = 16/25 = 0.64.
  const cold = uni.sample(20000, new kl.Rng(1), { temperature: 0.5 });
  assert.ok(Math.abs(share0(cold) - 0.64) < 0.015, `share of 0 at τ = 0.5: ${share0(cold)}, expected 0.64`);
  // The bigram follows its context: after a 1 it draws 0 with p(0 | 1) = 2/3.
  const bi = kl.baselines.bigramModel(train, 2);
  const ids = bi.sample(30000, new kl.Rng(2), { context: [1] });
  let after1 = 0, zeroAfter1 = 0;
  for (let t = 1; t < ids.length; t++) if (ids[t - 1] === 1) { after1++; if (ids[t] === 0) zeroAfter1++; }
  assert.ok(Math.abs(zeroAfter1 / after1 - 2 / 3) < 0.02, `p(0 | 1) in the samples: ${zeroAfter1 / after1}`);
  assert.deepEqual(Array.from(bi.sample(5, new kl.Rng(3), { context: [0] })), Array.from(bi.sample(5, new kl.Rng(3), { context: [0] })), "the same seed gives the same sample");
  // The first draw after context [1] is 0 or 1 with p(· | 1) = 2/3, 1/3; after [0], 2/5, 3/5: the context matters.
  const firstAfter = (context: number[]) => Array.from({ length: 3000 }, (_, i) => bi.sample(1, new kl.Rng(100 + i), { context })[0]).filter((v) => v === 0).length / 3000;
  assert.ok(Math.abs(firstAfter([1]) - 2 / 3) < 0.03 && Math.abs(firstAfter([0]) - 2 / 5) < 0.03, `${firstAfter([1])}, ${firstAfter([0])}`);
});

test("bad inputs say what is wrong", () => {
  assert.throws(() => kl.baselines.bigramModel([0, 1, 2], 2), /bigramModel: trainIds\[2\] = 2 is not a token id in 0..1/);
  assert.throws(() => kl.baselines.unigramModel([0, 1], 2, { alpha: 0 }), /alpha must be a finite number > 0, got 0/);
  assert.throws(() => kl.baselines.unigramModel([0, 1], 2).withAlpha(-1), /withAlpha: alpha must be a finite number > 0, got -1/);
  assert.throws(() => kl.baselines.bigramModel([0], 2), /1 training ids are too few for order 2/);
  assert.throws(() => kl.baselines.ngramModel([0, 1], 1000, { order: 6 }), /order 6 with 1000 tokens has 1000\^6 possible n-grams/);
  assert.throws(() => kl.baselines.bigramModel(train, 2).prob(0, [3]), /context\[0\] = 3 is not a token id/);
  assert.throws(() => kl.baselines.unigramModel(train, 2).bits([1]), /1 ids give no target/);
  assert.throws(() => kl.baselines.unigramModel(train, 2).bitsPerCharacter([0, 0.5]), /ids\[1\] = 0.5 is not a token id/);
  assert.throws(() => kl.baselines.unigramModel(train, 2).sample(3, new kl.Rng(0), { temperature: 0 }), /temperature must be a finite number > 0/);
});

test("bitsPerCharacter: −log₂ of the softmax at the target, by hand, and the cross-entropy divided by ln 2", () => {
  // Row 0: logits (0, 0), uniform: 1 bit. Row 1: logits (ln 3, 0), target 1: p = 1/4, 2 bits.
  const logits = kl.tensor([0, 0, Math.log(3), 0], [2, 2]);
  close(kl.metrics.bitsPerCharacter(logits, [0, 1]), 1.5, "mean of 1 and 2 bits");
  close(kl.metrics.bitsPerCharacter(kl.reshape(logits, [1, 2, 2]), kl.tensor([0, 1], [1, 2])), 1.5, "[T, B, V] logits are T·B rows");
  // Large logits stay finite: p(target 1) = e^-1000 / (1 + e^-1000), −log₂ p ≈ 1000 / ln 2.
  close(kl.metrics.bitsPerCharacter(kl.tensor([1000, 0], [1, 2]), [1]), 1000 / Math.LN2, "stable log-softmax", 1e-9);
  close(kl.metrics.bitsPerCharacter(kl.tensor([1000, 0], [1, 2]), [0]), 0, "a certain, right prediction costs 0 bits");
  const random = kl.randn([6, 5], new kl.Rng(4));
  const targets = [0, 4, 2, 2, 1, 3];
  close(kl.metrics.bitsPerCharacter(random, targets), kl.crossEntropy(random, targets).item() / Math.LN2, "cross-entropy / ln 2", 1e-12);
  close(kl.metrics.natsToBits(Math.LN2), 1, "ln 2 nats are one bit");
  assert.throws(() => kl.metrics.bitsPerCharacter(logits, [0]), /hold 2 rows but there are 1 targets/);
  assert.throws(() => kl.metrics.bitsPerCharacter(logits, [0, 2]), /targets\[1\] = 2 is not a character id in 0..1/);
});
