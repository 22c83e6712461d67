// Hidden tests of notebook 06, "The GRU" (see types.ts for how observers are used).
// Sizes vary with the case, so a function that only works for the notebook's shapes fails.
import type { Rng, Tensor } from "kernel-lib";
import type { Kl, Observers } from "./types";

/** Random weights of one GRU layer with I inputs and H units, in PyTorch's layout (blocks r, z, n). */
const gruWeights = (kl: Kl, rng: Rng, I: number, H: number) => ({
  weight_ih: kl.randn([3 * H, I], rng).mul(0.7),
  weight_hh: kl.randn([3 * H, H], rng).mul(0.7),
  bias_ih: kl.randn([3 * H], rng).mul(0.5),
  bias_hh: kl.randn([3 * H], rng).mul(0.5),
});

const snapshot = (ts: Tensor[]) => ts.map((t) => Array.from(t.data));
const unchanged = (ts: Tensor[], before: number[][]) => ts.every((t, k) => t.data.length === before[k].length && before[k].every((v, i) => Object.is(t.data[i], v)));

/** A number in [lo, hi) on a grid of quarters, so that runs of two cells can tie exactly. */
const onGrid = (rng: Rng, lo: number, hi: number) => lo + rng.int(Math.round((hi - lo) * 4)) / 4;

export const observers: Observers = {
  "ch06-gru-step": (s, kl, rng) => {
    const B = 1 + rng.int(4), I = 1 + rng.int(6), H = 2 + rng.int(6);
    const w0 = gruWeights(kl, rng, I, H);
    const x0 = kl.randn([B, I], rng);
    const h0 = kl.randn([B, H], rng).mul(0.8);
    const probe = kl.randn([B, H], rng); // the loss is sum(probe ⊙ h'), so every entry's gradient counts
    // Leaves the tape differentiates: the exercise asks for a step built from kl ops.
    const leaf = (t: Tensor) => kl.fromFlat(t.data, t.shape, { requiresGrad: true });
    const x = leaf(x0), h = leaf(h0);
    const w = { weight_ih: leaf(w0.weight_ih), weight_hh: leaf(w0.weight_hh), bias_ih: leaf(w0.bias_ih), bias_hh: leaf(w0.bias_hh) };
    const args = [x, h, w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh];
    const before = snapshot(args);
    const out = s.gruStep(x, h, w);
    const argumentsUnchanged = unchanged(args, before);
    let gradients: unknown = "the result is not on the tape";
    if (out instanceof kl.Tensor && out.requiresGrad && out.shape.join() === probe.shape.join()) {
      kl.sum(kl.mul(out, probe)).backward();
      gradients = { x: x.grad, h: h.grad, weight_ih: w.weight_ih.grad, weight_hh: w.weight_hh.grad, bias_ih: w.bias_ih.grad, bias_hh: w.bias_hh.grad };
    }
    return { h: out, argumentsUnchanged, gradients };
  },

  "ch06-chung-convention": (s, kl, rng) => {
    const I = 1 + rng.int(6), H = 1 + rng.int(6);
    const w = gruWeights(kl, rng, I, H);
    const args = [w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh];
    const before = snapshot(args);
    const got = s.toChungConvention({ ...w });
    // What the converted network computes with. Every weight is fixed by "the same h'", and so are
    // the candidate's two biases (r scales b_hn alone); of the r and z blocks only the sum
    // b_i + b_h reaches the gate, so the exercise leaves its split between the two free.
    const bi = Array.from(got.bias_ih.data as ArrayLike<number>), bh = Array.from(got.bias_hh.data as ArrayLike<number>);
    return {
      weight_ih: got.weight_ih,
      weight_hh: got.weight_hh,
      biasShapes: [got.bias_ih.shape, got.bias_hh.shape],
      gateBiases: bi.slice(0, 2 * H).map((v, j) => v + bh[j]), // r and z: b_i + b_h
      candidateBias_ih: bi.slice(2 * H),
      candidateBias_hh: bh.slice(2 * H),
      givenUnchanged: unchanged(args, before),
    };
  },

  "ch06-parameter-count": (s, kl, rng) => {
    const sizes = Array.from({ length: 2 }, () => [1 + rng.int(100), 1 + rng.int(80)]);
    return (["rnn", "gru", "lstm"] as const).map((cell) => sizes.map(([I, H]) => s.parameterCount(cell, I, H)));
  },

  "ch06-seed-verdict": (s, kl, rng) => {
    // 40 comparisons: separated ranges either way, ranges that touch (the best of one equals the
    // worst of the other), overlapping ranges whose means differ, 1 to 5 runs per cell, both directions.
    const out: unknown[] = [];
    for (let n = 0; n < 40; n++) {
      const nA = 1 + rng.int(5), nB = 1 + rng.int(5);
      const kind = n % 5;
      let a: number[], b: number[];
      if (kind === 0 || kind === 1) {
        // Separated: one cell's runs in [0, 2.5), the other's in [2.5, 5).
        a = Array.from({ length: nA }, () => onGrid(rng, 0, 2.5));
        b = Array.from({ length: nB }, () => onGrid(rng, 2.5, 5));
        if (kind === 1) [a, b] = [b, a];
      } else if (kind === 2) {
        // Touching: the largest of a equals the smallest of b.
        const edge = onGrid(rng, 1, 3);
        a = [edge, ...Array.from({ length: nA - 1 }, () => edge - onGrid(rng, 0, 1))];
        b = [edge, ...Array.from({ length: nB - 1 }, () => edge + onGrid(rng, 0, 1))];
        if (rng.int(2) === 1) [a, b] = [b, a];
      } else {
        // Overlapping, with means that usually differ; one of a's runs inside b's range.
        a = Array.from({ length: nA }, () => onGrid(rng, 0, 3));
        b = Array.from({ length: nB }, () => onGrid(rng, 1, 4));
        if (nB >= 2) a[rng.int(nA)] = (Math.min(...b) + Math.max(...b)) / 2;
        if (kind === 4) [a, b] = [b, a];
      }
      // Every other comparison in units ten times larger (a loss of 12.5 beside 9.3): runs compared
      // as text ("12.5" sorts before "9.3") go wrong there.
      if (n % 2 === 1) [a, b] = [a.map((v) => 10 * v), b.map((v) => 10 * v)];
      // Shuffle the runs: seed k of one cell has nothing to do with seed k of the other.
      rng.shuffle(a);
      rng.shuffle(b);
      const lowerIsBetter = rng.int(2) === 0;
      out.push(s.seedVerdict(a.slice(), b.slice(), lowerIsBetter));
    }
    return out;
  },
};
