// The readable steps (rnnStep, lstmStep, gruStep: one basic op per equation) and the fused fast
// path the layers run (…Fused) compute the same numbers: outputs and every gradient.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, Tensor, randn, sum, mul } from "../src";
import { tapeSize } from "../src/autograd";
import { CellWeights, GRU, LSTM, Parameter, RNN, gruStep, gruStepFused, lstmStep, lstmStepFused, rnnStep, rnnStepFused } from "../src/nn";

const I = 3, H = 5, B = 4;

function weights(G: number, rng: Rng): CellWeights {
  return {
    weight_ih: new Parameter(randn([G * H, I], rng).mul(0.5)),
    weight_hh: new Parameter(randn([G * H, H], rng).mul(0.5)),
    bias_ih: new Parameter(randn([G * H], rng).mul(0.3)),
    bias_hh: new Parameter(randn([G * H], rng).mul(0.3)),
  };
}

/** Runs `step` on fresh copies of the inputs, a loss that weighs every output, and returns outputs and gradients. */
function runStep(G: number, seed: number, step: (x: Tensor, s: Tensor[], w: CellWeights) => Tensor[]) {
  const rng = new Rng(seed);
  const w = weights(G, rng);
  const x = new Parameter(randn([B, I], rng));
  const states = [new Parameter(randn([B, H], rng).mul(0.5)), new Parameter(randn([B, H], rng).mul(0.5))];
  const outs = step(x, states, w);
  const probes = outs.map(() => randn([B, H], rng));
  outs.map((o, k) => sum(mul(o, probes[k]))).reduce((a, b) => a.add(b)).backward();
  const all = [x, ...states, w.weight_ih, w.weight_hh, w.bias_ih, w.bias_hh];
  return { outs: outs.map((o) => Array.from(o.data)), grads: all.map((t) => (t.grad ? Array.from(t.grad.data) : null)) };
}

function assertSame(a: ReturnType<typeof runStep>, b: ReturnType<typeof runStep>, what: string): void {
  const close = (u: number[] | null, v: number[] | null, label: string) => {
    assert.equal(u === null, v === null, `${what}: ${label} has a gradient in one form only`);
    u?.forEach((x, i) => assert.ok(Math.abs(x - v![i]) <= 1e-13 * Math.max(1, Math.abs(x)), `${what}: ${label}[${i}] ${x} vs ${v![i]}`));
  };
  a.outs.forEach((o, k) => close(o, b.outs[k], `output ${k}`));
  const names = ["x", "h", "c", "weight_ih", "weight_hh", "bias_ih", "bias_hh"];
  a.grads.forEach((g, k) => close(g, b.grads[k], `d/d${names[k]}`));
}

test("rnnStep and rnnStepFused agree, outputs and every gradient (tanh and relu)", () => {
  for (const act of ["tanh", "relu"] as const) {
    for (const seed of [1, 2]) {
      assertSame(runStep(1, seed, (x, [h], w) => [rnnStep(x, h, w, act)]), runStep(1, seed, (x, [h], w) => [rnnStepFused(x, h, w, act)]), `rnn ${act}`);
    }
  }
});

test("lstmStep and lstmStepFused agree: h', c' and every gradient (x, h, c, weights, biases)", () => {
  for (const seed of [3, 4]) {
    const readable = runStep(4, seed, (x, [h, c], w) => { const s = lstmStep(x, { h, c }, w); return [s.h, s.c]; });
    const fused = runStep(4, seed, (x, [h, c], w) => { const s = lstmStepFused(x, { h, c }, w); return [s.h, s.c]; });
    assertSame(readable, fused, "lstm");
  }
});

test("gruStep and gruStepFused agree, outputs and every gradient", () => {
  for (const seed of [5, 6]) {
    assertSame(runStep(3, seed, (x, [h], w) => [gruStep(x, h, w)]), runStep(3, seed, (x, [h], w) => [gruStepFused(x, h, w)]), "gru");
  }
});

test("a layer with { fused: false } runs the readable step: same outputs and gradients, more ops on the tape", () => {
  const x = randn([6, B, I], new Rng(7));
  for (const make of [
    (fused: boolean) => new RNN(I, H, { numLayers: 2, rng: new Rng(8), fused }),
    (fused: boolean) => new GRU(I, H, { numLayers: 2, rng: new Rng(8), fused }),
    (fused: boolean) => new LSTM(I, H, { numLayers: 2, rng: new Rng(8), fused }),
  ]) {
    const results = [true, false].map((fused) => {
      const layer = make(fused);
      const out = layer.forward(x).output;
      const ops = tapeSize();
      sum(mul(out, out)).backward();
      return { name: layer.constructor.name, out: Array.from(out.data), grads: layer.parameters().map((p) => Array.from(p.grad!.data)), ops };
    });
    const [fast, readable] = results;
    fast.out.forEach((v, i) => assert.ok(Math.abs(v - readable.out[i]) < 1e-13, `${fast.name} output ${i}`));
    fast.grads.forEach((g, k) => g.forEach((v, i) => assert.ok(Math.abs(v - readable.grads[k][i]) < 1e-12, `${fast.name} gradient ${k}[${i}]`)));
    assert.ok(readable.ops > fast.ops, `${fast.name}: the readable step records more ops (${readable.ops}) than the fused one (${fast.ops})`);
  }
});
