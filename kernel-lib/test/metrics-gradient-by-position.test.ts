import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Rng, randn, tensor, zeros, linear, tanh } from "../src";
import { gradientByPosition, gradientByStep } from "../src/metrics";
import { GRU, LSTM, MultiheadAttention, RNN, RecurrentModel } from "../src/nn";

test("gradientByPosition on a recurrent layer is gradientByStep's x (same seed, same loss), for the RNN, the LSTM and the GRU", () => {
  const x = randn([7, 3, 4], new Rng(1));
  for (const layer of [new RNN(4, 5, { rng: new Rng(2) }), new LSTM(4, 5, { rng: new Rng(3) }), new GRU(4, 5, { rng: new Rng(4) })]) {
    const byStep = gradientByStep(layer, x, { seed: 9 });
    const byPos = gradientByPosition((xs) => layer.forward(xs).output, x, { seed: 9 });
    assert.deepEqual(byPos.distance, [6, 5, 4, 3, 2, 1, 0]);
    byPos.x.forEach((v, s) => assert.ok(Math.abs(v - byStep.x[s]) <= 1e-12 * Math.max(1, byStep.x[s]), `${layer.constructor.name} position ${s}: ${v} vs ${byStep.x[s]}`));
    assert.ok(byPos.x[0] < byPos.x[6], "the far end gets less than the last step here");
  }
});

test("gradientByPosition: a [B, O] output is the last position's; explicit weights; parameters' gradients put back", () => {
  const model = new RecurrentModel("gru", 2, 6, 3, { rng: new Rng(5) });
  const x = randn([5, 2, 2], new Rng(6));
  const w = randn([2, 3], new Rng(7));
  const p0 = model.parameters()[0];
  p0.grad = tensor(new Array(p0.size).fill(3), p0.shape);
  const last = gradientByPosition((xs) => model.forward(xs).out, x, { weights: w, parameters: model.parameters() });
  assert.ok(p0.grad!.data.every((v) => v === 3), "the gradient the parameter had is back");
  assert.ok(model.parameters().slice(1).every((p) => p.grad === null), "the others had none, and have none");
  const every = new RecurrentModel("gru", 2, 6, 3, { rng: new Rng(5), readout: "every" });
  const all = gradientByPosition((xs) => every.forward(xs).out, x, { weights: w });
  last.x.forEach((v, s) => assert.ok(Math.abs(v - all.x[s]) < 1e-12, "the same model read out at every step: the last step's loss is the same"));
  // By hand for a model with no memory: out_t = tanh(x_t W^T): only the last position gets gradient.
  const W = randn([3, 2], new Rng(8));
  const memoryless = gradientByPosition((xs) => tanh(linear(xs.reshape([10, 2]), W)).reshape([5, 2, 3]), x, { seed: 1 });
  assert.ok(memoryless.x.slice(0, 4).every((v) => v === 0) && memoryless.x[4] > 0);
});

test("gradientByPosition: wrong shapes and a detached input are errors that say what was expected", () => {
  const layer = new RNN(2, 3, { rng: new Rng(0) });
  assert.throws(() => gradientByPosition((xs) => layer.forward(xs).output, zeros([4, 2])), /expected \[seqLen,batch,features\]/);
  assert.throws(() => gradientByPosition(() => zeros([4]), zeros([4, 1, 2])), /expected \[4,1,outputs\]/);
  assert.throws(() => gradientByPosition((xs) => layer.forward(xs).output, zeros([4, 1, 2]), { weights: zeros([2, 3]) }), /weights have shape \[2,3\], expected \[1,3\]/);
  assert.throws(() => gradientByPosition((xs) => layer.forward(xs.detach()).output, randn([4, 1, 2], new Rng(1))), /no gradient reached the input/);
});

test("gradientByPosition on self-attention is the PyTorch cases' last_position_input_grad_norms (loss weights of the last position)", () => {
  const dir = join(__dirname, "fixtures", "pytorch-attention-more");
  const cases = readdirSync(dir).filter((f) => f.startsWith("mha_self_")).map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
  assert.ok(cases.length >= 4, `reference cases in ${dir}`);
  for (const c of cases) {
    const mha = new MultiheadAttention(c.embed_dim, c.num_heads);
    mha.loadStateDict(c.params);
    const x = tensor(c.x);
    const g = gradientByPosition((xs) => mha.forward(xs, xs, xs, { causal: c.causal }).output, x, { weights: tensor(c.loss_weights[c.seq_len - 1]), parameters: mha.parameters() });
    c.last_position_input_grad_norms.forEach((want: number, s: number) =>
      assert.ok(Math.abs(g.x[s] - want) <= 1e-9 * Math.max(1, want), `E${c.embed_dim} heads ${c.num_heads} T${c.seq_len}${c.causal ? " causal" : ""}, position ${s}: ${g.x[s]} vs PyTorch ${want}`));
    assert.ok(mha.parameters().every((p) => p.grad === null), "parameters' gradients left as they were");
  }
});
