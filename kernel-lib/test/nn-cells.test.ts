import { test } from "node:test";
import assert from "node:assert/strict";
import { GRUCell, LSTMCell, RNNCell } from "../src/nn";
import { Rng, Tensor, randn, sigmoid, tanh, tensor } from "../src";
import { gradcheck } from "../src/testing";

const I = 3;
const H = 4;
const B = 2;

test("cells have PyTorch's parameter names, shapes and order", () => {
  const rng = new Rng(1);
  const cases: [string, { namedParameters(): [string, Tensor][] }, number][] = [
    ["rnn", new RNNCell(I, H, { rng }), 1],
    ["gru", new GRUCell(I, H, { rng }), 3],
    ["lstm", new LSTMCell(I, H, { rng }), 4],
  ];
  for (const [what, cell, G] of cases) {
    const named = cell.namedParameters().map(([n, t]) => [n, t.shape.slice()]);
    assert.deepEqual(
      named,
      [["weight_ih", [G * H, I]], ["weight_hh", [G * H, H]], ["bias_ih", [G * H]], ["bias_hh", [G * H]]],
      what,
    );
  }
});

test("default init is uniform in ±1/sqrt(H), reproducible from the Rng", () => {
  const a = new LSTMCell(I, 16, { rng: new Rng(5) });
  const b = new LSTMCell(I, 16, { rng: new Rng(5) });
  const bound = 1 / Math.sqrt(16);
  for (const p of a.parameters()) for (const v of p.data) assert.ok(Math.abs(v) <= bound);
  assert.deepEqual(a.stateDict(), b.stateDict());
  assert.ok(a.parameters().every((p) => p.requiresGrad));
});

test("RNNCell computes act(W_ih x + b_ih + W_hh h + b_hh), tanh or relu", () => {
  for (const nonlinearity of ["tanh", "relu"] as const) {
    const cell = new RNNCell(1, 1, { nonlinearity });
    cell.loadStateDict({ weight_ih: [[2]], weight_hh: [[-3]], bias_ih: [0.5], bias_hh: [-0.25] });
    const h = cell.forward(tensor([[1], [-1]]), tensor([[0.5], [1]]));
    // pre = 2x + 0.5 - 3h - 0.25: row 0: 2 + 0.5 - 1.5 - 0.25 = 0.75; row 1: -2 + 0.5 - 3 - 0.25 = -4.75
    const act = nonlinearity === "tanh" ? Math.tanh : (v: number) => Math.max(0, v);
    assert.deepEqual(h.toArray(), [[act(0.75)], [act(-4.75)]]);
  }
});

test("LSTMCell follows the README equations with gate blocks i, f, g, o", () => {
  const cell = new LSTMCell(1, 1);
  // W_ih rows: i, f, g, o. W_hh and biases zero, so each gate's pre-activation is its weight times x.
  cell.loadStateDict({ weight_ih: [[1], [2], [3], [4]], weight_hh: [[0], [0], [0], [0]], bias_ih: [0, 0, 0, 0], bias_hh: [0, 0, 0, 0] });
  const x = 0.3;
  const c0 = 0.7;
  const { h, c } = cell.forward(tensor([[x]]), { h: tensor([[0.1]]), c: tensor([[c0]]) });
  const s = (v: number) => sigmoid(tensor([v])).item();
  const cExpected = s(2 * x) * c0 + s(1 * x) * Math.tanh(3 * x);
  assert.ok(Math.abs(c.item() - cExpected) < 1e-15);
  assert.ok(Math.abs(h.item() - s(4 * x) * tanh(tensor([cExpected])).item()) < 1e-15);
});

test("GRUCell applies r to (W_hn h + b_hn), bias included (PyTorch's variant)", () => {
  const cell = new GRUCell(1, 1);
  // Only b_hn (last entry of bias_hh) and W_hr are non-zero: r = sigmoid(W_hr h), z = 0.5.
  cell.loadStateDict({ weight_ih: [[0], [0], [0]], weight_hh: [[1], [0], [0]], bias_ih: [0, 0, 0], bias_hh: [0, 0, 2] });
  const h0 = 0.5;
  const h = cell.forward(tensor([[0.9]]), tensor([[h0]])).item();
  const r = 1 / (1 + Math.exp(-h0));
  const n = Math.tanh(r * 2);
  assert.ok(Math.abs(h - (0.5 * n + 0.5 * h0)) < 1e-15);
});

test("omitted states are zeros", () => {
  const rng = new Rng(2);
  const x = randn([B, I], rng);
  const lstm = new LSTMCell(I, H, { rng });
  const zeros = tensor(new Array(B * H).fill(0), [B, H]);
  assert.deepEqual(lstm.forward(x).h.toArray(), lstm.forward(x, { h: zeros, c: zeros }).h.toArray());
  const gru = new GRUCell(I, H, { rng });
  assert.deepEqual(gru.forward(x).toArray(), gru.forward(x, zeros).toArray());
});

test("shape errors name the cell and both shapes", () => {
  const cell = new LSTMCell(I, H);
  assert.throws(() => cell.forward(randn([B, I + 1])), /LSTMCell: x has shape \[2,4\], expected \[batch,3\]/);
  assert.throws(() => cell.forward(randn([B, I]), { h: randn([B, H + 1]) }), /LSTMCell: h has shape \[2,5\], expected \[2,4\]/);
  assert.throws(() => new RNNCell(I, 0), /hiddenSize must be a positive integer/);
  assert.throws(() => new RNNCell(I, H, { nonlinearity: "sigmoid" as "tanh" }), /nonlinearity must be "tanh" or "relu"/);
});

test("gradcheck: every cell, w.r.t. x, the state and every parameter", () => {
  const rng = new Rng(3);
  const x = randn([B, I], rng, { requiresGrad: true });
  const h = randn([B, H], rng, { requiresGrad: true });
  const c = randn([B, H], rng, { requiresGrad: true });
  const checks: [string, () => Tensor, Tensor[]][] = [];
  const tanhCell = new RNNCell(I, H, { rng });
  checks.push(["rnn tanh", () => tanhCell.forward(x, h), [x, h, ...tanhCell.parameters()]]);
  // relu has a kink at 0; random inputs and weights keep pre-activations away from it.
  const reluCell = new RNNCell(I, H, { nonlinearity: "relu", rng });
  checks.push(["rnn relu", () => reluCell.forward(x, h), [x, h, ...reluCell.parameters()]]);
  const gru = new GRUCell(I, H, { rng });
  checks.push(["gru", () => gru.forward(x, h), [x, h, ...gru.parameters()]]);
  const lstm = new LSTMCell(I, H, { rng });
  checks.push(["lstm h", () => lstm.forward(x, { h, c }).h, [x, h, c, ...lstm.parameters()]]);
  checks.push(["lstm c", () => lstm.forward(x, { h, c }).c, [x, h, c, ...lstm.parameters()]]);
  for (const [what, fn, inputs] of checks) {
    const r = gradcheck(fn, inputs);
    assert.ok(r.ok, `${what}: max rel error ${r.maxRelError} at input ${r.worst.input} [${r.worst.index}]`);
  }
});
