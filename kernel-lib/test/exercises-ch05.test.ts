// The checks of notebook 05 accept a right answer and name the wrong term of typical wrong ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";
import { exercises, Tensor } from "../src";
import { passes, rejectionMessage as messageOf, rejects } from "./exercise-harness";

const ch05 = exercises.ch05;

// ---- ch05-lstm-step
type W = { weight_ih: Tensor; weight_hh: Tensor; bias_ih: Tensor; bias_hh: Tensor };
interface StepVariant {
  pre?: (x: Tensor, h: Tensor, c: Tensor, w: W) => Tensor;
  acts?: [(t: Tensor) => Tensor, (t: Tensor) => Tensor, (t: Tensor) => Tensor, (t: Tensor) => Tensor];
  order?: [number, number, number, number];
  cNext?: (f: Tensor, c: Tensor, i: Tensor, g: Tensor) => Tensor;
  hNext?: (o: Tensor, cNext: Tensor, c: Tensor) => Tensor;
}
function step(v: StepVariant = {}) {
  return (x: Tensor, { h, c }: { h: Tensor; c: Tensor }, w: W) => {
    const pre = v.pre ? v.pre(x, h, c, w) : kl.add(kl.linear(x, w.weight_ih, w.bias_ih), kl.linear(h, w.weight_hh, w.bias_hh));
    const parts = kl.split(pre, 4, 1);
    const [oi, of, og, oo] = v.order ?? [0, 1, 2, 3];
    const [ai, af, ag, ao] = v.acts ?? [kl.sigmoid, kl.sigmoid, kl.tanh, kl.sigmoid];
    const i = ai(parts[oi]), f = af(parts[of]), g = ag(parts[og]), o = ao(parts[oo]);
    const cNext = v.cNext ? v.cNext(f, c, i, g) : kl.add(kl.mul(f, c), kl.mul(i, g));
    const hNext = v.hNext ? v.hNext(o, cNext, c) : kl.mul(o, kl.tanh(cNext));
    return { h: hNext, c: cNext, i, f, g, o };
  };
}
const S = kl.sigmoid, Th = kl.tanh;

test("lstm-step: the right step passes", () => void passes(() => ch05.checkLstmStep(step())));
test("lstm-step: kernel-lib's readable step, with the gates recomputed, passes", () =>
  void passes(() => ch05.checkLstmStep((x, s, w) => {
    const next = kl.nn.lstmStep(x, s, w);
    const [ai, af, ag, ao] = kl.split(kl.add(kl.linear(x, w.weight_ih, w.bias_ih), kl.linear(s.h, w.weight_hh, w.bias_hh)), 4, 1);
    return { ...next, i: kl.sigmoid(ai), f: kl.sigmoid(af), g: kl.tanh(ag), o: kl.sigmoid(ao) };
  })));
test("lstm-step: h' computed from .data (right numbers, cut off from the tape) is named", () =>
  rejects(() => ch05.checkLstmStep((x, s, w) => {
    const r = step()(x, s, w);
    return { ...r, h: kl.fromFlat(r.h.data, r.h.shape) };
  }), /the tape can differentiate your lstmStep/));
test("lstm-step: f with tanh is named", () => rejects(() => ch05.checkLstmStep(step({ acts: [S, Th, Th, S] })), /forget gate f uses the sigmoid \(yours uses tanh\)/));
test("lstm-step: g with the sigmoid is named", () => rejects(() => ch05.checkLstmStep(step({ acts: [S, S, S, S] })), /candidate g uses tanh \(yours uses the sigmoid\)/));
test("lstm-step: the gate blocks in the wrong order are named", () =>
  rejects(() => ch05.checkLstmStep(step({ order: [1, 0, 2, 3] })), /input gate i reads its own block .*yours reads the f block, kl\.split\(pre, 4, 1\)\[1\]/));
test("lstm-step: the i, f, o, g order (another framework's) is named", () =>
  rejects(() => ch05.checkLstmStep(step({ order: [0, 1, 3, 2] })), /candidate g uses tanh|reads its own block/));
test("lstm-step: a missing bias_hh is named", () =>
  rejects(() => ch05.checkLstmStep(step({ pre: (x, h, _c, w) => kl.add(kl.linear(x, w.weight_ih, w.bias_ih), kl.linear(h, w.weight_hh)) })), /includes bias_hh/));
test("lstm-step: the gates reading c instead of h are named", () =>
  rejects(() => ch05.checkLstmStep(step({ pre: (x, _h, c, w) => kl.add(kl.linear(x, w.weight_ih, w.bias_ih), kl.linear(c, w.weight_hh, w.bias_hh)) })), /reads the cell state c/));
test("lstm-step: a missing input term is named", () =>
  rejects(() => ch05.checkLstmStep(step({ pre: (x, h, _c, w) => kl.add(kl.add(w.bias_ih, kl.linear(h, w.weight_hh, w.bias_hh)), kl.mul(kl.sum(x), 0)) })), /input term x W_ihᵀ/));
test("lstm-step: c' missing the i ⊙ g term is named", () => rejects(() => ch05.checkLstmStep(step({ cNext: (f, c) => kl.mul(f, c) })), /c' includes the i ⊙ g term/));
test("lstm-step: c' missing f ⊙ c is named", () => rejects(() => ch05.checkLstmStep(step({ cNext: (_f, _c, i, g) => kl.mul(i, g) })), /c' includes the f ⊙ c term/));
test("lstm-step: c not scaled by f is named", () => rejects(() => ch05.checkLstmStep(step({ cNext: (_f, c, i, g) => kl.add(c, kl.mul(i, g)) })), /scaled by the forget gate/));
test("lstm-step: g not scaled by i is named", () => rejects(() => ch05.checkLstmStep(step({ cNext: (f, c, _i, g) => kl.add(kl.mul(f, c), g) })), /scaled by the input gate/));
test("lstm-step: c scaled by 1 − f (what the gate forgets) is named", () =>
  rejects(() => ch05.checkLstmStep(step({ cNext: (f, c, i, g) => kl.add(kl.mul(kl.sub(1, f), c), kl.mul(i, g)) })), /f is what the gate KEEPS: yours scales the old memory c by 1 − f/));
test("lstm-step: the coupled form f ⊙ c + (1 − f) ⊙ g is named", () =>
  rejects(() => ch05.checkLstmStep(step({ cNext: (f, c, _i, g) => kl.add(kl.mul(f, c), kl.mul(kl.sub(1, f), g)) })), /scaled by the input gate i \(yours scales it by 1 − f/));
test("lstm-step: h' without tanh is named", () => rejects(() => ch05.checkLstmStep(step({ hNext: (o, cn) => kl.mul(o, cn) })), /h' squashes the new cell state with tanh/));
test("lstm-step: h' from the old c is named", () => rejects(() => ch05.checkLstmStep(step({ hNext: (o, _cn, c) => kl.mul(o, kl.tanh(c)) })), /h' uses the NEW cell state/));
test("lstm-step: h' without the output gate is named", () => rejects(() => ch05.checkLstmStep(step({ hNext: (_o, cn) => kl.tanh(cn) })), /scaled by the output gate/));
test("lstm-step: a missing gate in the result is named", () =>
  rejects(() => ch05.checkLstmStep((x, s, w) => { const r = step()(x, s, w); return { h: r.h, c: r.c } as never; }), /returns \{ h, c, i, f, g, o \}/));
test("lstm-step: writing into the state is named", () =>
  rejects(() => ch05.checkLstmStep((x, s, w) => { const r = step()(x, s, w); s.c.data.fill(0); return r; }), /leaves its arguments unchanged/));
test("lstm-step: the not-implemented stub passes through unchanged", () =>
  assert.throws(() => ch05.checkLstmStep(() => { throw new Error("not implemented yet"); }), /not implemented yet/));

// ---- ch05-additive-path
function path(fs: Tensor[], t: number, from = t + 1, to = fs.length - 1): Tensor {
  let p = kl.ones(fs[0].shape);
  for (let s = from; s <= to; s++) p = kl.mul(p, fs[s]);
  return p;
}
test("additive-path: the product f_{t+1} ⊙ … ⊙ f_{T−1} passes", () => void passes(() => ch05.checkAdditivePath((fs, t) => path(fs, t))));
test("additive-path: including f_t is named", () => rejects(() => ch05.checkAdditivePath((fs, t) => path(fs, t, t)), /includes f_\{T−1\}|uses f_t|also multiplies by f_t/));
test("additive-path: leaving out the last gate is named", () =>
  rejects(() => ch05.checkAdditivePath((fs, t) => (t === fs.length - 1 ? kl.ones(fs[0].shape) : t === fs.length - 2 ? fs[t + 1] : path(fs, t, t + 1, fs.length - 2))), /runs to the last step/));
test("additive-path: a sum instead of a product is named", () =>
  rejects(() => ch05.checkAdditivePath((fs, t) => {
    if (t >= fs.length - 2) return path(fs, t);
    let s = kl.zeros(fs[0].shape);
    for (let k = t + 1; k < fs.length; k++) s = kl.add(s, fs[k]);
    return s;
  }), /multiplied, not added/));
test("additive-path: starting from zeros is named", () => rejects(() => ch05.checkAdditivePath((fs) => kl.zeros(fs[0].shape)), /empty product/));
test("additive-path: a product started at fs[t + 1] (nothing at t = T − 1) is named as the empty product", () =>
  rejects(() => ch05.checkAdditivePath((fs, t) => {
    let p = fs[t + 1];
    for (let s = t + 2; s < fs.length; s++) p = kl.mul(p, fs[s]);
    return p;
  }), /the product is empty, and an empty product is 1 .*yours returns nothing there/));
test("additive-path: a product started at fs[t + 1] that throws at t = T − 1 gets the empty-product hint", () =>
  rejects(() => ch05.checkAdditivePath((fs, t) => {
    let p = kl.mul(fs[t + 1], 1);
    for (let s = t + 2; s < fs.length; s++) p = kl.mul(p, fs[s]);
    return p;
  }), /additivePath\(fs, 4\) .*threw an error[^]*a product of no factors/));
test("additive-path: forgetting to return anything is still told so", () =>
  rejects(() => ch05.checkAdditivePath(() => undefined as never), /did you forget to return it/));
test("additive-path: the product averaged over units (one number everywhere) is named", () =>
  rejects(() => ch05.checkAdditivePath((fs, t) => {
    const p = path(fs, t);
    return kl.full(p.shape, p.data.reduce((a, v) => a + v, 0) / p.size);
  }), /the factor is unit by unit[^]*yours is one number everywhere/));
test("additive-path: a mean over the batch (wrong shape) is named", () =>
  rejects(() => ch05.checkAdditivePath((fs, t) => kl.mean(path(fs, t), 0)), /\[B, H\]/));

// ---- ch05-forget-bias
function rightBias(lstm: kl.nn.LSTM, value: number): void {
  const H = lstm.hiddenSize;
  for (let l = 0; l < lstm.numLayers; l++) {
    lstm.layer(l).bias_ih.data.fill(value, H, 2 * H);
    lstm.layer(l).bias_hh.data.fill(0, H, 2 * H);
  }
}
test("forget-bias: the f block of bias_ih = value, of bias_hh = 0, every layer, passes", () => void passes(() => ch05.checkForgetBias(rightBias)));
test("forget-bias: kl.nn.init.setForgetBias passes", () => void passes(() => ch05.checkForgetBias((lstm, v) => kl.nn.init.setForgetBias(lstm, v))));
test("forget-bias: any split of the value between the two biases passes", () =>
  void passes(() => ch05.checkForgetBias((lstm, v) => {
    const H = lstm.hiddenSize;
    for (let l = 0; l < lstm.numLayers; l++) { lstm.layer(l).bias_ih.data.fill(v / 2, H, 2 * H); lstm.layer(l).bias_hh.data.fill(v / 2, H, 2 * H); }
  })));
test("forget-bias: new tensors that never reach the LSTM are named", () =>
  rejects(() => ch05.checkForgetBias((lstm, v) => {
    const H = lstm.hiddenSize;
    for (let l = 0; l < lstm.numLayers; l++) kl.add(lstm.layer(l).bias_ih, kl.fromFlat(Array.from({ length: 4 * H }, (_, j) => (j >= H && j < 2 * H ? v : 0)), [4 * H]));
  }), /changes the LSTM's own biases \(yours left every bias/));
test("forget-bias: the i block instead of the f block is named", () =>
  rejects(() => ch05.checkForgetBias((lstm, v) => {
    const H = lstm.hiddenSize;
    for (let l = 0; l < lstm.numLayers; l++) { lstm.layer(l).bias_ih.data.fill(v, 0, H); lstm.layer(l).bias_hh.data.fill(0, 0, H); }
  }), /second \(entries H\.\.2H−1\)/));
test("forget-bias: the value in both biases is named", () =>
  rejects(() => ch05.checkForgetBias((lstm, v) => {
    const H = lstm.hiddenSize;
    for (let l = 0; l < lstm.numLayers; l++) { lstm.layer(l).bias_ih.data.fill(v, H, 2 * H); lstm.layer(l).bias_hh.data.fill(v, H, 2 * H); }
  }), /both hold 2\.5/));
test("forget-bias: bias_hh left at its random draw is named", () =>
  rejects(() => ch05.checkForgetBias((lstm, v) => {
    const H = lstm.hiddenSize;
    for (let l = 0; l < lstm.numLayers; l++) lstm.layer(l).bias_ih.data.fill(v, H, 2 * H);
  }), /leaves bias_hh's f block at its random draw/));
test("forget-bias: only the first layer is named", () =>
  rejects(() => ch05.checkForgetBias((lstm, v) => {
    const H = lstm.hiddenSize;
    lstm.layer(0).bias_ih.data.fill(v, H, 2 * H);
    lstm.layer(0).bias_hh.data.fill(0, H, 2 * H);
  }), /every layer gets the forget bias/));
test("forget-bias: the whole bias set is named", () =>
  rejects(() => ch05.checkForgetBias((lstm, v) => {
    for (let l = 0; l < lstm.numLayers; l++) { lstm.layer(l).bias_ih.data.fill(v); lstm.layer(l).bias_hh.data.fill(0); }
  }), /i block of bias_ih and bias_hh is left as it was/));
test("forget-bias: a fixed value of 2.5 is named", () => rejects(() => ch05.checkForgetBias((lstm) => rightBias(lstm, 2.5)), /uses the value given/));

// ---- ch05-forget-decay
const sig = (z: number) => 1 / (1 + Math.exp(-z));
const decay = (p: (b: number) => number, after?: (p: number, k: number) => number, half?: (p: number) => number) => (b: number, k: number) => {
  const perStep = p(b);
  return { perStep, afterK: after ? after(perStep, k) : perStep ** k, halfLife: half ? half(perStep) : Math.log(0.5) / Math.log(perStep) };
};
test("forget-decay: σ(b), σ(b)^k, ln(1/2)/ln σ(b) passes", () => void passes(() => ch05.checkForgetDecay(decay(sig))));
test("forget-decay: tanh(b) is named", () => rejects(() => ch05.checkForgetDecay(decay(Math.tanh)), /perStep is the forget gate, a sigmoid/));
test("forget-decay: 1 − σ(b) is named", () => rejects(() => ch05.checkForgetDecay(decay((b) => 1 - sig(b))), /what the gate KEEPS/));
test("forget-decay: perStep · k is named", () => rejects(() => ch05.checkForgetDecay(decay(sig, (p, k) => p * k)), /afterK multiplies k factors/));
test("forget-decay: k + 1 factors is named", () => rejects(() => ch05.checkForgetDecay(decay(sig, (p, k) => p ** (k + 1))), /yours has k \+ 1/));
test("forget-decay: the wrong sign of the half-life is named", () =>
  rejects(() => ch05.checkForgetDecay(decay(sig, undefined, (p) => Math.log(2) / Math.log(p))), /halfLife is positive/));
test("forget-decay: a half-life rounded up to whole steps is named", () =>
  rejects(() => ch05.checkForgetDecay(decay(sig, undefined, (p) => Math.ceil(Math.log(0.5) / Math.log(p)))), /not rounded to whole steps/));
test("forget-decay: mixed logarithms are named", () =>
  rejects(() => ch05.checkForgetDecay(decay(sig, undefined, (p) => Math.log10(0.5) / Math.log(p))), /mixes log10 and ln/));

// ---- ch05-parameter-count
const count = (gates: number, biases: number, everyLayerI = false) => (I: number, H: number, L: number) => {
  let n = 0;
  for (let l = 0; l < L; l++) n += gates * H * ((l === 0 || everyLayerI ? I : H) + H) + biases * gates * H;
  return n;
};
test("parameter-count: 4H(I + H) + 8H per layer passes", () => void passes(() => ch05.checkParameterCount(count(4, 2))));
test("parameter-count: one block (a vanilla RNN's count) is named", () => rejects(() => ch05.checkParameterCount(count(1, 2)), /four blocks of weights/));
test("parameter-count: one bias is named", () => rejects(() => ch05.checkParameterCount(count(4, 1)), /two biases/));
test("parameter-count: no biases is named", () => rejects(() => ch05.checkParameterCount(count(4, 0)), /biases are counted/));
test("parameter-count: I inputs in every layer is named", () => rejects(() => ch05.checkParameterCount(count(4, 2, true)), /layer 2 reads layer 1's hidden state/));
test("parameter-count: the layers ignored is named", () => rejects(() => ch05.checkParameterCount((I, H) => count(4, 2)(I, H, 1)), /weights in every layer/));

// ---- hints ask, they do not answer
test("hints never print the formula they ask for", () => {
  const wrong = [
    messageOf(() => ch05.checkParameterCount((I, H) => 4 * H * (I + H) + 8 * H + 1)),
    messageOf(() => ch05.checkForgetDecay(decay(sig, undefined, (p) => 0.5 / p))),
    messageOf(() => ch05.checkForgetDecay(decay(sig, undefined, (p) => Math.log(2) / Math.log(p)))),
    messageOf(() => ch05.checkForgetDecay(decay(sig, (p, k) => p ** (k - 1)))),
    messageOf(() => ch05.checkForgetBias((lstm, v) => rightBias(lstm, v + 1e-3))),
    messageOf(() => ch05.checkLstmStep(step({ cNext: (f, c, i, g) => kl.add(kl.mul(f, c), kl.mul(i, g)).mul(1.01) }))),
    messageOf(() => ch05.checkLstmStep(step({ cNext: (f, c) => kl.mul(f, c) }))),
    messageOf(() => ch05.checkLstmStep(step({ cNext: (_f, _c, i, g) => kl.mul(i, g) }))),
    messageOf(() => ch05.checkLstmStep(step({ hNext: (o, _cn, c) => kl.mul(o, kl.tanh(c)) }))),
    messageOf(() => ch05.checkLstmStep(step({ hNext: (o, cn) => kl.mul(o, kl.tanh(cn)).mul(1.01) }))),
    messageOf(() => ch05.checkLstmStep(step({ pre: (x, h, _c, w) => kl.add(kl.linear(x, w.weight_ih, w.bias_ih), kl.linear(h, w.weight_hh)) }))),
  ];
  for (const m of wrong) {
    assert.doesNotMatch(m, /ln\(1\/2\) \/ ln|4H·\(I \+ H\)|4H·I|8H|perStep \*\*|perStep to the power|f ⊙ c \+ i ⊙ g|o ⊙ tanh\(c'\)|h W_hhᵀ \+ b_hh|= value|kl\.ones/, m);
  }
});
