import { test } from "node:test";
import assert from "node:assert/strict";
import { Embedding, GRU, GRUCell, LSTM, LSTMCell, Linear, RNN, RNNCell } from "../src/nn";
import { Rng, Tensor, index, randn, stack, sum, tensor } from "../src";
import { gradcheck } from "../src/testing";

const T = 4;
const B = 2;
const I = 3;
const H = 3;

test("sequence layers: output [T,B,H], hs per step, hN [L,B,H]; PyTorch's per-layer names", () => {
  const rng = new Rng(1);
  const x = randn([T, B, I], rng);
  const lstm = new LSTM(I, H, { numLayers: 2, rng });
  const out = lstm.forward(x);
  assert.deepEqual(out.output.shape, [T, B, H]);
  assert.equal(out.hs.length, T);
  assert.deepEqual(out.hs[0].shape, [B, H]);
  assert.deepEqual(out.hN.shape, [2, B, H]);
  assert.deepEqual(out.cN.shape, [2, B, H]);
  assert.equal(out.cs.length, T);
  // The last layer's final h is both hs[T-1] and hN[1].
  assert.deepEqual(index(out.hN, 0, 1).toArray(), out.hs[T - 1].toArray());
  assert.deepEqual(out.output.toArray(), stack(out.hs, 0).toArray());
  assert.deepEqual(lstm.namedParameters().map(([n, p]) => [n, p.shape.slice()]), [
    ["weight_ih_l0", [4 * H, I]], ["weight_hh_l0", [4 * H, H]], ["bias_ih_l0", [4 * H]], ["bias_hh_l0", [4 * H]],
    ["weight_ih_l1", [4 * H, H]], ["weight_hh_l1", [4 * H, H]], ["bias_ih_l1", [4 * H]], ["bias_hh_l1", [4 * H]],
  ]);
});

test("a one-layer sequence layer equals its cell run in a loop", () => {
  const rng = new Rng(2);
  const x = randn([T, B, I], rng);
  const h0 = randn([B, H], rng);
  const c0 = randn([B, H], rng);
  const steps = Array.from({ length: T }, (_, t) => index(x, 0, t));
  const cellNames = (sd: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(sd).map(([k, v]) => [k.replace(/_l0$/, ""), v])) as Parameters<RNNCell["loadStateDict"]>[0];

  const rnn = new RNN(I, H, { nonlinearity: "relu", rng });
  const rnnCell = new RNNCell(I, H, { nonlinearity: "relu" });
  rnnCell.loadStateDict(cellNames(rnn.stateDict()));
  let h = h0;
  const hs = steps.map((xt) => (h = rnnCell.forward(xt, h)));
  assert.deepEqual(rnn.forward(x, h0).output.toArray(), stack(hs, 0).toArray());

  const gru = new GRU(I, H, { rng });
  const gruCell = new GRUCell(I, H);
  gruCell.loadStateDict(cellNames(gru.stateDict()));
  h = h0;
  for (const xt of steps) h = gruCell.forward(xt, h);
  assert.deepEqual(gru.forward(x, h0).hN.toArray(), [h.toArray()]);

  const lstm = new LSTM(I, H, { rng });
  const lstmCell = new LSTMCell(I, H);
  lstmCell.loadStateDict(cellNames(lstm.stateDict()));
  let s = { h: h0, c: c0 };
  for (const xt of steps) s = lstmCell.forward(xt, s);
  const out = lstm.forward(x, { h: h0, c: c0 });
  assert.deepEqual(out.hN.toArray(), [s.h.toArray()]);
  assert.deepEqual(out.cN.toArray(), [s.c.toArray()]);
});

test("input as a [T,B,I] tensor or as T tensors [B,I] gives the same result", () => {
  const rng = new Rng(3);
  const x = randn([T, B, I], rng);
  const gru = new GRU(I, H, { numLayers: 2, rng });
  const steps = Array.from({ length: T }, (_, t) => index(x, 0, t));
  assert.deepEqual(gru.forward(x).output.toArray(), gru.forward(steps).output.toArray());
});

test("initial state: [L,B,H], or [B,H] for one layer; wrong shapes are named", () => {
  const rng = new Rng(4);
  const x = randn([T, B, I], rng);
  const one = new RNN(I, H, { rng });
  const h0 = randn([B, H], rng);
  assert.deepEqual(one.forward(x, h0).output.toArray(), one.forward(x, h0.reshape([1, B, H])).output.toArray());
  const two = new LSTM(I, H, { numLayers: 2, rng });
  assert.throws(() => two.forward(x, { h: h0 }), /LSTM: h0 has shape \[2,3\], expected \[2,2,3\]/);
  assert.throws(() => two.forward(randn([T, B, I + 1])), /LSTM: input has shape \[4,2,4\], expected \[seqLen,batch,3\]/);
  assert.throws(() => two.forward([]), /empty/);
  assert.throws(() => new GRU(I, H, { numLayers: 0 }), /numLayers must be a positive integer/);
});

test("hs[t].retainGrad() gives dLoss/dh_t (the gradient-over-time curve)", () => {
  const rng = new Rng(5);
  const rnn = new RNN(I, H, { rng });
  const out = rnn.forward(randn([T, B, I], rng));
  for (const h of out.hs) h.retainGrad();
  sum(out.hs[T - 1]).backward();
  assert.deepEqual(out.hs[T - 1].grad!.toArray(), new Array(B).fill(new Array(H).fill(1)));
  for (const h of out.hs) assert.ok(h.grad !== null);
});

/** gradcheck of a sequence layer w.r.t. its input, initial state(s) and every parameter. */
function checkLayer(what: string, fn: () => Tensor, inputs: Tensor[]): void {
  const r = gradcheck(fn, inputs);
  assert.ok(r.ok, `${what}: max rel error ${r.maxRelError} at input ${r.worst.input} [${r.worst.index}]`);
}

test("gradcheck: RNN (tanh, relu), GRU, LSTM, with one and two layers", () => {
  const rng = new Rng(6);
  const x = randn([3, B, 2], rng, { requiresGrad: true });
  for (const numLayers of [1, 2]) {
    const h0 = randn([numLayers, B, H], rng, { requiresGrad: true });
    const c0 = randn([numLayers, B, H], rng, { requiresGrad: true });
    for (const nonlinearity of ["tanh", "relu"] as const) {
      const rnn = new RNN(2, H, { nonlinearity, numLayers, rng });
      checkLayer(`rnn ${nonlinearity} L${numLayers}`, () => rnn.forward(x, h0).output, [x, h0, ...rnn.parameters()]);
    }
    const gru = new GRU(2, H, { numLayers, rng });
    checkLayer(`gru L${numLayers}`, () => gru.forward(x, h0).output, [x, h0, ...gru.parameters()]);
    const lstm = new LSTM(2, H, { numLayers, rng });
    checkLayer(`lstm L${numLayers} output`, () => lstm.forward(x, { h: h0, c: c0 }).output, [x, h0, c0, ...lstm.parameters()]);
    checkLayer(`lstm L${numLayers} cN`, () => lstm.forward(x, { h: h0, c: c0 }).cN, [x, h0, c0, ...lstm.parameters()]);
  }
});

test("dropout between layers acts in training mode only, and never on the last layer", () => {
  const rng = new Rng(7);
  const x = randn([T, B, I], rng);
  const gru = new GRU(I, H, { numLayers: 2, dropout: 0.5, rng });
  const eval1 = gru.eval().forward(x).output.toArray();
  const eval2 = gru.forward(x).output.toArray();
  assert.deepEqual(eval1, eval2);
  const train = gru.train().forward(x).output.toArray();
  assert.notDeepEqual(train, eval1);
  const single = new GRU(I, H, { numLayers: 1, dropout: 0.5, rng });
  assert.deepEqual(single.train().forward(x).output.toArray(), single.eval().forward(x).output.toArray());
  assert.throws(() => new LSTM(I, H, { dropout: 1 }), /dropout must be in \[0, 1\)/);
});

test("Linear: weight [out,in], bias [out]; default bound 1/sqrt(in); works on [T,B,in]", () => {
  const lin = new Linear(4, 3, { rng: new Rng(8) });
  assert.deepEqual(lin.namedParameters().map(([n, p]) => [n, p.shape.slice()]), [["weight", [3, 4]], ["bias", [3]]]);
  for (const p of lin.parameters()) for (const v of p.data) assert.ok(Math.abs(v) <= 0.5);
  lin.loadStateDict({ weight: [[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 1, 1]], bias: [0, 10, 100] });
  assert.deepEqual(lin.forward(tensor([[1, 2, 3, 4]])).toArray(), [[1, 12, 110]]);
  const y = lin.forward(randn([5, 2, 4], new Rng(9)));
  assert.deepEqual(y.shape, [5, 2, 3]);
  assert.throws(() => lin.forward(randn([2, 5])), /Linear: x has shape \[2,5\], expected \[\.\.\.,4\]/);
  const noBias = new Linear(4, 3, { bias: false });
  assert.deepEqual(noBias.namedParameters().map(([n]) => n), ["weight"]);
  const x = randn([2, 4], new Rng(10), { requiresGrad: true });
  const r = gradcheck(() => lin.forward(x), [x, ...lin.parameters()]);
  assert.ok(r.ok);
});

test("Embedding: weight [V,D], rows looked up by id; a [T,B] id tensor gives [T,B,D]", () => {
  const emb = new Embedding(5, 2, { rng: new Rng(11) });
  emb.loadStateDict({ weight: [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]] });
  assert.deepEqual(emb.forward([3, 1]).toArray(), [[3, 3], [1, 1]]);
  const ids = tensor([[0, 4], [2, 2], [1, 3]]);
  assert.deepEqual(emb.forward(ids).shape, [3, 2, 2]);
  sum(emb.forward(ids)).backward();
  // Row 2 was used twice, row 4 once.
  assert.deepEqual(emb.weight.grad!.toArray(), [[1, 1], [1, 1], [2, 2], [1, 1], [1, 1]]);
});
