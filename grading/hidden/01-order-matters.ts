// Hidden tests of notebook 01, "Order matters" (see types.ts for how observers are used).
// The notebook works with plain arrays: vectors are number[], matrices number[][] (row i = unit i).
// Sizes vary with the case (never the notebook's 2 units and 3 inputs), matrices are not square or
// symmetric, and every call gets fresh copies of its inputs.
import type { Rng } from "kernel-lib";
import type { Observers } from "./types";

type Params = { Wh: number[][]; Wx: number[][]; b: number[] };
type Phi = (u: number) => number;

const matrix = (rng: Rng, rows: number, cols: number, scale = 1) =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * rng.uniform(-1, 1)));
const vector = (rng: Rng, n: number, scale = 1) => matrix(rng, 1, n, scale)[0];
const copy = (p: Params): Params => ({ Wh: p.Wh.map((r) => r.slice()), Wx: p.Wx.map((r) => r.slice()), b: p.b.slice() });

/** Sizes that change with the case: H units, D inputs, D ≠ H (a transposed W_x cannot hide). */
function sizes(rng: Rng, c: number) {
  const H = 2 + ((c + rng.int(3)) % 6);
  let D = 1 + rng.int(6);
  if (D === H) D = H + 1;
  return { H, D };
}

const PHIS: Phi[] = [Math.tanh, (u) => u, (u) => Math.max(0, u), (u) => 1 / (1 + Math.exp(-u))];

const COUNTER_SYMBOLS = ["(", ")", "x"];

export const observers: Observers = {
  "ch01-bag-of-symbols": (s, kl, rng, { case: c }) => {
    // A vocabulary of 2..40 symbols, sequences of 1..300 with some symbols absent and 0 often present.
    const V = 2 + rng.int(10 + 15 * c);
    const bags: unknown[] = [];
    for (let n = 0; n < 3; n++) {
      const len = n === 0 ? 1 + rng.int(3) : 5 + rng.int(60 + 120 * c);
      const used = 1 + rng.int(V); // only symbols below `used` occur
      const seq = Array.from({ length: len }, () => (rng.uniform(0, 1) < 0.25 ? 0 : rng.int(used)));
      bags.push(s.bagOfSymbols(seq.slice(), V));
    }
    return bags;
  },

  "ch01-rnn-step": (s, kl, rng, { case: c }) => {
    const { H, D } = sizes(rng, c);
    const p: Params = { Wh: matrix(rng, H, H, 1.2), Wx: matrix(rng, H, D, 1.2), b: vector(rng, H, 0.8) };
    const h = vector(rng, H, 1);
    const x = vector(rng, D, 1.5);
    return PHIS.map((phi) => s.rnnStep(h.slice(), x.slice(), copy(p), phi));
  },

  "ch01-run-rnn": (s, kl, rng, { case: c }) => {
    // runRnn calls the notebook's own rnnStep, as in the student's notebook: a wrong step fails
    // this exercise too, and the grader's note says so. (This file runs inside the student's
    // process, so it holds no solution to substitute.)
    const { H, D } = sizes(rng, c);
    const T = 2 + rng.int(5 + 4 * c);
    const p: Params = { Wh: matrix(rng, H, H, 0.9), Wx: matrix(rng, H, D, 1), b: vector(rng, H, 0.5) };
    const xs = Array.from({ length: T }, () => vector(rng, D, 1.5));
    const h0 = vector(rng, H, 0.8);
    return [Math.tanh, (u: number) => u].map((phi) => s.runRnn(xs.map((x) => x.slice()), h0.slice(), copy(p), phi));
  },

  "ch01-counter": (s, kl, rng, { case: c }) => {
    // The weights' behaviour on hidden bracket strings, from zero and from arbitrary states
    // (φ = identity, one-hot "(", ")", "x"): any weights that count depth and length pass.
    // The states come from kernel-lib's linear layer (the library, not a solution): one row per state.
    const p: Params = s.counterWeights();
    const [Wh, Wx, b] = [kl.tensor(p.Wh), kl.tensor(p.Wx), kl.tensor(p.b)];
    const next = (h: number[], x: number[]) => Array.from(kl.linear(kl.tensor([h]), Wh).add(kl.linear(kl.tensor([x]), Wx, b)).data);
    const traces: number[][][] = [];
    for (let n = 0; n < 4; n++) {
      const len = 1 + rng.int(8 + 10 * c);
      const text = Array.from({ length: len }, () => COUNTER_SYMBOLS[rng.int(3)]);
      if (n === 1) text[rng.int(len)] = "x";
      const h0 = n === 0 ? [0, 0] : [rng.int(11) - 5, rng.int(20)];
      let h = h0;
      const trace: number[][] = [];
      for (const ch of text) {
        h = next(h, COUNTER_SYMBOLS.map((sym) => (sym === ch ? 1 : 0)));
        trace.push(h);
      }
      traces.push(trace);
    }
    return traces;
  },

  "ch01-parity-trace": (s) => {
    // A prediction by hand of one fixed trace: the observation is the prediction itself.
    return s.predictParityTrace();
  },
};
