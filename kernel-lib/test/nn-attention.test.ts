// MultiheadAttention, LayerNorm, positions, TransformerBlock and TransformerLM: what the layers
// promise beyond the PyTorch reference cases (the fidelity stage checks the numbers against torch).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";

const rng = new kl.Rng(81);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };

test("MultiheadAttention has PyTorch's parameter names, shapes and initial values' layout", () => {
  const m = new kl.nn.MultiheadAttention(6, 3, { rng });
  assert.deepEqual(m.namedParameters().map(([n, p]) => `${n}:${p.shape.join("x")}`),
    ["in_proj_weight:18x6", "in_proj_bias:18", "out_proj.weight:6x6", "out_proj.bias:6"]);
  assert.ok(m.in_proj_bias!.data.every((v) => v === 0) && m.out_proj.bias!.data.every((v) => v === 0));
  const a = Math.sqrt(6 / (6 + 18)); // Xavier-uniform over the whole [3E, E] block, as torch
  assert.ok(m.in_proj_weight.data.every((v) => Math.abs(v) <= a));
  assert.throws(() => new kl.nn.MultiheadAttention(6, 4), /embedDim 6 is not divisible by numHeads 4/);
});

test("one head of MultiheadAttention is scaledDotProductAttention between the projections", () => {
  const m = new kl.nn.MultiheadAttention(4, 1, { rng });
  const x = kl.randn([5, 1, 4], rng);
  const { output } = m.forward(x, x, x, { causal: true });
  const W = m.in_proj_weight, b = m.in_proj_bias!;
  const proj = (i: number) => kl.linear(kl.reshape(x, [5, 4]), kl.slice(W, 0, 4 * i, 4 * i + 4), kl.slice(b, 0, 4 * i, 4 * i + 4));
  const heads = kl.scaledDotProductAttention(kl.reshape(proj(0), [1, 5, 4]), kl.reshape(proj(1), [1, 5, 4]), kl.reshape(proj(2), [1, 5, 4]), { causal: true }).output;
  const want = m.out_proj.forward(kl.reshape(heads, [5, 4]));
  assert.ok(maxDiff(output.data, want.data) < 1e-13);
});

test("without positions, attention is permutation-equivariant; the causal mask makes position t independent of later inputs", () => {
  const m = new kl.nn.MultiheadAttention(4, 2, { rng });
  const x = kl.randn([4, 1, 4], rng);
  const perm = [2, 0, 3, 1];
  const px = kl.stack(perm.map((p) => kl.index(x, 0, p)), 0);
  const y = m.forward(x).output, py = m.forward(px).output;
  perm.forEach((p, i) => assert.ok(maxDiff(kl.index(py, 0, i).data, kl.index(y, 0, p).data) < 1e-13));
  const changed = kl.fromFlat(x.data, x.shape); changed.data.fill(9, 3 * 4); // a different last input
  const a = m.forward(x, x, x, { causal: true }).output, b = m.forward(changed, changed, changed, { causal: true }).output;
  assert.ok(maxDiff(a.data.subarray(0, 12), b.data.subarray(0, 12)) === 0);
  assert.ok(maxDiff(a.data.subarray(12), b.data.subarray(12)) > 1e-3);
});

test("MultiheadAttention names the shapes at fault", () => {
  const m = new kl.nn.MultiheadAttention(4, 2, { rng });
  assert.throws(() => m.forward(kl.zeros([3, 2, 5])), /MultiheadAttention: query \[3,2,5\].*last axis = embedDim/);
  assert.throws(() => m.forward(kl.zeros([3, 2, 4]), kl.zeros([5, 1, 4]), kl.zeros([5, 1, 4])), /batch sizes differ/);
});

test("LayerNorm starts as the identity affine map (weight 1, bias 0) and checks the last axis", () => {
  const ln = new kl.nn.LayerNorm(5);
  assert.deepEqual(ln.namedParameters().map(([n]) => n), ["weight", "bias"]);
  const x = kl.randn([2, 3, 5], rng);
  assert.ok(maxDiff(ln.forward(x).data, kl.layerNorm(x).data) === 0);
  assert.throws(() => ln.forward(kl.zeros([2, 4])), /LayerNorm: x has shape \[2,4\], expected \[\.\.\.,5\]/);
});

test("sinusoidal positions: sin in even columns, cos in odd ones, periods 2π·10000^(2i/E)", () => {
  const pe = kl.nn.sinusoidalPositions(6, 4);
  assert.equal(pe.data[0], 0); assert.equal(pe.data[1], 1); // position 0: sin 0, cos 0
  assert.ok(Math.abs(pe.data[5 * 4 + 0] - Math.sin(5)) < 1e-15);
  assert.ok(Math.abs(pe.data[5 * 4 + 3] - Math.cos(5 / 100)) < 1e-15); // column 3: pair i = 1, 10000^(2/4) = 100
  const enc = new kl.nn.PositionalEncoding(6, 4);
  assert.equal(enc.parameters().length, 0);
  const learned = new kl.nn.PositionalEncoding(6, 4, { kind: "learned", rng });
  assert.deepEqual(learned.namedParameters().map(([n, p]) => `${n}:${p.shape.join("x")}`), ["weight:6x4"]);
  const x = kl.zeros([3, 2, 4]);
  assert.ok(maxDiff(enc.forward(x, 2).data.subarray(0, 4), pe.data.subarray(8, 12)) === 0);
  assert.throws(() => enc.forward(kl.zeros([5, 1, 4]), 2), /^RangeError: PositionalEncoding: positions 2\.\.6 were asked for, but maxLen is 6 \(positions 0\.\.5\); make the model with a larger maxLen$/);
});

test("TransformerBlock has PyTorch's TransformerEncoderLayer names; post-LN and pre-LN differ", () => {
  const r1 = new kl.Rng(5), r2 = new kl.Rng(5);
  const post = new kl.nn.TransformerBlock(4, 2, 8, { rng: r1 }), pre = new kl.nn.TransformerBlock(4, 2, 8, { normFirst: true, rng: r2 });
  assert.deepEqual(Object.keys(post.stateDict()), [
    "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
    "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"]);
  const x = kl.randn([3, 2, 4], rng);
  assert.ok(maxDiff(post.forward(x).data, pre.forward(x).data) > 1e-3);
});

test("TransformerLM: the key-value cache gives the same logits as the whole prefix, and the state dict round-trips", () => {
  const lm = new kl.nn.TransformerLM(9, { embedDim: 8, numHeads: 2, numLayers: 2, maxLen: 12, rng });
  const toks = [[1, 2, 3], [4, 5, 6], [7, 8, 0], [2, 2, 2], [1, 0, 1]];
  const whole = kl.noGrad(() => lm.forward(toks));
  assert.deepEqual(whole.shape, [5, 3, 9]);
  const cache = lm.newCache();
  kl.noGrad(() => toks.forEach((row, t) => {
    const step = lm.step(row, cache);
    assert.ok(maxDiff(step.data, kl.index(whole, 0, t).data) < 1e-12, `position ${t}`);
  }));
  assert.equal(cache.length, 5);
  assert.deepEqual(cache.layers[0].key!.shape, [5, 3, 8]);
  const copy = new kl.nn.TransformerLM(9, { embedDim: 8, numHeads: 2, numLayers: 2, maxLen: 12, rng: new kl.Rng(99) });
  copy.loadStateDict(JSON.parse(JSON.stringify(lm.stateDict())));
  assert.ok(maxDiff(kl.noGrad(() => copy.forward(toks)).data, whole.data) === 0);
  assert.throws(() => lm.forward([[1, 2], [3]]), /rows have different lengths/);
});

test("TransformerLM trains: a few Adam steps lower the loss on a repeating sequence", () => {
  const lm = new kl.nn.TransformerLM(4, { embedDim: 8, numHeads: 2, numLayers: 1, maxLen: 8, rng: new kl.Rng(3) });
  const opt = new kl.optim.Adam(lm.parameters(), { lr: 0.01 });
  const seq = [0, 1, 2, 3, 0, 1, 2, 3];
  const inputs = seq.slice(0, 7).map((t) => [t]), targets = seq.slice(1);
  const lossNow = () => kl.crossEntropy(kl.reshape(lm.forward(inputs), [7, 4]), targets);
  const first = kl.noGrad(() => lossNow()).item();
  for (let i = 0; i < 60; i++) { opt.zeroGrad(); lossNow().backward(); opt.step(); }
  const last = kl.noGrad(() => lossNow()).item();
  assert.ok(last < first / 5, `${first} -> ${last}`);
});

test("graphDepth grows with the sequence for a recurrent layer and not for attention; tapeBytes counts activations", () => {
  const depthOf = (T: number) => {
    const lstm = new kl.nn.LSTM(4, 4, { rng: new kl.Rng(1) });
    const mha = new kl.nn.MultiheadAttention(4, 1, { rng: new kl.Rng(1) });
    const x = kl.randn([T, 1, 4], new kl.Rng(2));
    const r = kl.autograd.graphDepth(lstm.forward(x).output);
    kl.autograd.resetTape();
    const bytesBefore = kl.autograd.tapeBytes();
    const a = kl.autograd.graphDepth(mha.forward(x).output);
    const bytes = kl.autograd.tapeBytes();
    kl.autograd.resetTape();
    return { r, a, bytes, bytesBefore };
  };
  const short = depthOf(4), long = depthOf(16);
  assert.ok(long.r >= 3.5 * short.r, `${short.r} -> ${long.r}`);
  assert.equal(long.a, short.a);
  assert.equal(short.bytesBefore, 0);
  assert.ok(long.bytes > 4 * short.bytes * 0.9, `${short.bytes} -> ${long.bytes}`); // the T×T scores grow fastest
});
