import { test } from "node:test";
import assert from "node:assert/strict";
import { LSTM, LSTMCell, RNN, init } from "../src/nn";
import { Rng, Tensor, matmul, transpose, zeros } from "../src";

/** max |A - I| for a square A. */
function distanceFromIdentity(a: Tensor): number {
  const n = a.shape[0];
  let worst = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(a.get(i, j) - (i === j ? 1 : 0)));
  return worst;
}

test("orthogonal: square, tall and wide matrices have orthonormal rows/columns; gain scales", () => {
  const rng = new Rng(1);
  const square = init.orthogonal(zeros([6, 6]), rng);
  assert.ok(distanceFromIdentity(matmul(transpose(square), square)) < 1e-12);
  assert.ok(distanceFromIdentity(matmul(square, transpose(square))) < 1e-12);
  const tall = init.orthogonal(zeros([8, 3]), rng); // like an LSTM's [4H, H]: orthonormal columns
  assert.ok(distanceFromIdentity(matmul(transpose(tall), tall)) < 1e-12);
  const wide = init.orthogonal(zeros([3, 8]), rng); // orthonormal rows
  assert.ok(distanceFromIdentity(matmul(wide, transpose(wide))) < 1e-12);
  const scaled = init.orthogonal(zeros([4, 4]), rng, 2);
  const gram = matmul(transpose(scaled), scaled);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(gram.get(i, i) - 4) < 1e-12);
  // Reproducible from the seed.
  assert.deepEqual(init.orthogonal(zeros([5, 5]), new Rng(9)).toArray(), init.orthogonal(zeros([5, 5]), new Rng(9)).toArray());
});

test("xavierUniform stays within gain*sqrt(6/(in+out)); xavierNormal has std gain*sqrt(2/(in+out))", () => {
  const rng = new Rng(2);
  const u = init.xavierUniform(zeros([200, 100]), rng, 2);
  const bound = 2 * Math.sqrt(6 / 300);
  let max = 0;
  for (const v of u.data) max = Math.max(max, Math.abs(v));
  assert.ok(max <= bound && max > 0.99 * bound);
  const n = init.xavierNormal(zeros([200, 100]), rng);
  let s2 = 0;
  for (const v of n.data) s2 += v * v;
  const std = Math.sqrt(s2 / n.size);
  assert.ok(Math.abs(std / Math.sqrt(2 / 300) - 1) < 0.02, `std ${std}`);
});

test("identity sets the (leading) diagonal", () => {
  assert.deepEqual(init.identity(zeros([2, 3]), 0.5).toArray(), [[0.5, 0, 0], [0, 0.5, 0]]);
});

test("irnn: W_hh = identity and zero biases in every layer, input weights untouched", () => {
  const rnn = new RNN(2, 3, { nonlinearity: "relu", numLayers: 2, rng: new Rng(3) });
  const before = rnn.stateDict();
  init.irnn(rnn);
  const after = rnn.stateDict();
  for (const l of [0, 1]) {
    assert.deepEqual(after[`weight_hh_l${l}`], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    assert.deepEqual(after[`bias_ih_l${l}`], [0, 0, 0]);
    assert.deepEqual(after[`bias_hh_l${l}`], [0, 0, 0]);
    assert.deepEqual(after[`weight_ih_l${l}`], before[`weight_ih_l${l}`]);
  }
  assert.throws(() => init.irnn(new LSTM(2, 3)), /irnn: needs an RNN or RNNCell, got a lstm module/);
});

test("setForgetBias: the forget block [H,2H) of bias_ih = value, of bias_hh = 0, every layer", () => {
  const H = 2;
  const cell = new LSTMCell(3, H, { rng: new Rng(4) });
  init.setForgetBias(cell, 1);
  assert.deepEqual(Array.from(cell.bias_ih.data.subarray(H, 2 * H)), [1, 1]);
  assert.deepEqual(Array.from(cell.bias_hh.data.subarray(H, 2 * H)), [0, 0]);
  const lstm = new LSTM(3, H, { numLayers: 2, rng: new Rng(5) });
  const before = lstm.stateDict();
  init.setForgetBias(lstm, 2);
  const after = lstm.stateDict();
  for (const l of [0, 1]) {
    const b = after[`bias_ih_l${l}`] as number[];
    const old = before[`bias_ih_l${l}`] as number[];
    assert.deepEqual(b, [...old.slice(0, H), 2, 2, ...old.slice(2 * H)]);
    assert.deepEqual((after[`bias_hh_l${l}`] as number[]).slice(H, 2 * H), [0, 0]);
  }
  assert.throws(() => init.setForgetBias(new RNN(3, H), 1), /setForgetBias: needs an LSTM/);
});

test("linearDefault and recurrentDefault use PyTorch's bounds", () => {
  const rng = new Rng(6);
  const w = zeros([10, 25]);
  const b = zeros([10]);
  init.linearDefault(w, b, rng);
  for (const v of [...w.data, ...b.data]) assert.ok(Math.abs(v) <= 1 / 5);
  const p = zeros([40, 16]);
  init.recurrentDefault([p], 16, rng);
  for (const v of p.data) assert.ok(Math.abs(v) <= 1 / 4);
});
