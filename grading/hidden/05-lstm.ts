// Hidden tests of notebook 05, "The LSTM" (see types.ts for how observers are used).
// Sizes vary with the case, so a function that only works for the notebook's shapes fails; the
// numbers are drawn so that every term of the public checks moves the result well beyond the
// judge's tolerance (1e-7, absolute below 1).
import type { Rng, Tensor } from "kernel-lib";
import type { Kl, Observers } from "./types";

/** Random weights of one LSTM layer with I inputs and H units, in PyTorch's layout (blocks i, f, g, o). */
const lstmWeights = (kl: Kl, rng: Rng, I: number, H: number) => ({
  weight_ih: kl.randn([4 * H, I], rng).mul(0.7),
  weight_hh: kl.randn([4 * H, H], rng).mul(0.7),
  bias_ih: kl.randn([4 * H], rng).mul(0.5),
  bias_hh: kl.randn([4 * H], rng).mul(0.5),
});

/** The numbers of some tensors, to tell afterwards whether a function wrote into them. */
const snapshot = (ts: Tensor[]) => ts.map((t) => Array.from(t.data));
const unchanged = (ts: Tensor[], before: number[][]) => ts.every((t, k) => t.data.length === before[k].length && before[k].every((v, i) => Object.is(t.data[i], v)));

export const observers: Observers = {
  "ch05-lstm-step": (s, kl, rng) => {
    const B = 1 + rng.int(4), I = 1 + rng.int(6), H = 2 + rng.int(6);
    const w = lstmWeights(kl, rng, I, H);
    const x = kl.randn([B, I], rng);
    const h = kl.randn([B, H], rng).mul(0.7);
    const c = kl.randn([B, H], rng).mul(1.5);
    const args = [x, h, c, w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh];
    const before = snapshot(args);
    const r = s.lstmStep(x, { h, c }, w);
    return { h: r.h, c: r.c, i: r.i, f: r.f, g: r.g, o: r.o, argumentsUnchanged: unchanged(args, before) };
  },

  "ch05-parameter-count": (s, kl, rng) => {
    // I ≠ H, so that giving every layer I inputs (or H inputs to the first) shows.
    const I = 1 + rng.int(80);
    let H = 1 + rng.int(64);
    if (H === I) H += 1;
    const I2 = 1 + rng.int(200), H2 = 1 + rng.int(100);
    return [
      s.lstmParameterCount(I, H, 1),
      s.lstmParameterCount(I, H, 2),
      s.lstmParameterCount(I, H, 3 + rng.int(3)),
      s.lstmParameterCount(I2, H2, 1 + rng.int(4)),
    ];
  },

  "ch05-additive-path": (s, kl, rng) => {
    const T = 2 + rng.int(7), B = 1 + rng.int(4), H = 1 + rng.int(6);
    // Gates between about 0.3 and 0.98, so that one factor more or less moves every product.
    const fs = Array.from({ length: T }, () => kl.sigmoid(kl.randn([B, H], rng).mul(0.8).add(1)));
    const before = snapshot(fs);
    const paths = fs.map((_, t) => s.additivePath(fs, t)); // every t, the empty product (t = T − 1) included
    return { paths, gatesUnchanged: unchanged(fs, before) };
  },

  "ch05-forget-bias": (s, kl, rng, { case: k }) => {
    const I = 1 + rng.int(6), H = 1 + rng.int(6);
    const L = k === 1 ? 1 : 2 + rng.int(2); // stacks of 2 or 3 layers, and one single layer
    const value = rng.uniform(-4, 4);
    const lstm = new kl.nn.LSTM(I, H, { rng, numLayers: L });
    s.setForgetBias(lstm, value);
    // What the network computes with: the gates see bias_ih + bias_hh. The exercise leaves free how
    // the forget gate's total is split between the two; every other block must stay as it was.
    return Array.from({ length: L }, (_, l) => {
      const w = lstm.layer(l);
      const ih = Array.from(w.bias_ih.data), hh = Array.from(w.bias_hh.data);
      const block = (a: number[], b: number) => a.slice(b * H, (b + 1) * H);
      return {
        forgetTotal: block(ih, 1).map((v, j) => v + hh[H + j]),
        otherBlocksIh: [0, 2, 3].map((b) => block(ih, b)),
        otherBlocksHh: [0, 2, 3].map((b) => block(hh, b)),
        weight_ih: w.weight_ih,
        weight_hh: w.weight_hh,
      };
    });
  },

  "ch05-forget-decay": (s, kl, rng) => {
    const probes: [number, number][] = [];
    for (let n = 0; n < 6; n++) {
      const b = rng.uniform(-1.5, 4.5);
      const p = 1 / (1 + Math.exp(-b));
      // k with p^k above 1e-3, so that one factor more or less shows at the judge's tolerance.
      const kMax = Math.max(1, Math.floor(Math.log(1e-3) / Math.log(p)));
      probes.push([b, n === 0 ? 1 : 1 + rng.int(kMax)]);
    }
    return probes.map(([b, k]) => {
      const r = s.forgetDecay(b, k);
      return { perStep: r.perStep, afterK: r.afterK, halfLife: r.halfLife };
    });
  },
};
