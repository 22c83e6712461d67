// The checks of capstone 1 accept a right answer and name the wrong term of typical wrong ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";
import { exercises, Tensor } from "../src";
import type { CharLstmParams, LstmState } from "../src/exercises/capstone1";
import { passes, rejectionMessage, rejects } from "./exercise-harness";

const cap1 = exercises.capstone1;

const stub = () => {
  throw new Error("not implemented yet: cap1");
};

// ---- the solution, as the notebook writes it
function initParams(V: number, H: number, rng: kl.Rng, o: { bound?: number; order?: string[]; forgetBlock?: number; bothOne?: boolean; grad?: boolean; extraDraw?: boolean } = {}): CharLstmParams {
  const k = o.bound ?? 1 / Math.sqrt(H);
  const shapes: Record<string, number[]> = { weight_ih: [4 * H, V], weight_hh: [4 * H, H], bias_ih: [4 * H], bias_hh: [4 * H], head_weight: [V, H], head_bias: [V] };
  const p: Record<string, Tensor> = {};
  for (const name of o.order ?? Object.keys(shapes)) p[name] = kl.uniform(shapes[name], -k, k, rng, { requiresGrad: o.grad ?? true });
  const fb = o.forgetBlock ?? 1;
  p.bias_ih.data.fill(1, fb * H, (fb + 1) * H);
  p.bias_hh.data.fill(o.bothOne ? 1 : 0, fb * H, (fb + 1) * H);
  if (o.extraDraw) rng.uniform(0, 1);
  return p as unknown as CharLstmParams;
}

function lstmStep(x: Tensor, s: LstmState, p: CharLstmParams): LstmState {
  const pre = kl.add(kl.linear(x, p.weight_ih, p.bias_ih), kl.linear(s.h, p.weight_hh, p.bias_hh));
  const [ai, af, ag, ao] = kl.split(pre, 4, 1);
  const c = kl.add(kl.mul(kl.sigmoid(af), s.c), kl.mul(kl.sigmoid(ai), kl.tanh(ag)));
  return { h: kl.mul(kl.sigmoid(ao), kl.tanh(c)), c };
}

type FwdOpts = { carry?: boolean; headBias?: boolean; ignoreState?: boolean; flat?: boolean; returnFirst?: boolean; step?: typeof lstmStep };
function forward(p: CharLstmParams, x: Tensor, state?: LstmState, o: FwdOpts = {}) {
  const [T, B] = x.shape;
  const H = p.weight_hh.shape[1], V = p.head_weight.shape[0];
  const start = state && !o.ignoreState ? state : { h: kl.zeros([B, H]), c: kl.zeros([B, H]) };
  const oneHots = kl.oneHot(x, V);
  let s = start;
  let first = start;
  const hs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    s = (o.step ?? lstmStep)(kl.index(oneHots, 0, t), o.carry === false ? start : s, p);
    if (t === 0) first = s;
    hs.push(s.h);
  }
  const flat = kl.reshape(kl.stack(hs, 0), [T * B, H]);
  const logits = o.headBias === false ? kl.linear(flat, p.head_weight) : kl.linear(flat, p.head_weight, p.head_bias);
  return { logits: o.flat ? logits : kl.reshape(logits, [T, B, V]), state: o.returnFirst ? first : s };
}

function loss(logits: Tensor, y: Tensor, mask: Tensor, o: { sum?: boolean; allSteps?: boolean; divideByAll?: boolean } = {}) {
  const [T, B, V] = logits.shape;
  const logp = kl.logSoftmax(kl.reshape(logits, [T * B, V]), -1);
  const picked = kl.sum(kl.mul(logp, kl.oneHot(kl.reshape(y, [T * B]), V)), 1);
  const m = o.allSteps ? kl.ones([T * B]) : kl.reshape(mask, [T * B]);
  const total = kl.neg(kl.sum(kl.mul(picked, m)));
  if (o.sum) return total;
  return total.mul(1 / (o.divideByAll ? T * B : m.sum().item()));
}

function clip(params: Tensor[], maxNorm: number, o: { perParam?: boolean; returnAfter?: boolean; always?: boolean } = {}): number {
  if (o.perParam) {
    let total = 0;
    for (const p of params) total += kl.optim.clipGradNorm([p], maxNorm) ** 2;
    return Math.sqrt(total);
  }
  let sq = 0;
  for (const p of params) if (p.grad) for (const g of p.grad.data) sq += g * g;
  const norm = Math.sqrt(sq);
  if (norm > maxNorm || o.always) for (const p of params) if (p.grad) p.grad.data.forEach((g, i, a) => (a[i] = (g * maxNorm) / norm));
  return o.returnAfter ? Math.min(norm, maxNorm) : norm;
}

function trainStep(params: Tensor[], opt: kl.optim.Optimizer, computeLoss: () => Tensor, maxNorm: number, o: { noZero?: boolean; noClip?: boolean; clipAfter?: boolean; tensor?: boolean; after?: boolean } = {}): number {
  if (!o.noZero) opt.zeroGrad();
  const l = computeLoss();
  l.backward();
  if (!o.noClip && !o.clipAfter) clip(params, maxNorm);
  opt.step();
  if (o.clipAfter) clip(params, maxNorm);
  if (o.tensor) return l as unknown as number;
  return o.after ? kl.noGrad(() => computeLoss().item()) : l.item();
}

const names = kl.data.loadNames();
const boundary = names.vocab.id(".");
function sample(p: CharLstmParams, rng: kl.Rng, tau: number, maxLength = 20, o: { multiply?: boolean; noCarry?: boolean; greedy?: boolean; keepEnd?: boolean; noLimit?: boolean } = {}): string {
  return kl.noGrad(() => {
    let state: LstmState | undefined;
    let id = boundary;
    let name = "";
    for (let t = 0; t < (o.noLimit ? 40 : maxLength); t++) {
      const out = forward(p, kl.fromFlat([id], [1, 1]), o.noCarry ? undefined : state);
      state = out.state;
      const probs = kl.softmax(kl.reshape(out.logits, [out.logits.size]).mul(o.multiply ? tau : 1 / tau), -1).data;
      id = o.greedy ? probs.indexOf(Math.max(...probs)) : rng.categorical(probs);
      if (id === boundary) {
        if (o.keepEnd) name += ".";
        break;
      }
      name += names.vocab.tokens[id];
    }
    return name;
  });
}

// ---- cap1-init
test("init: the right initialisation passes", () => void passes(() => cap1.checkInitParams((V, H, rng) => initParams(V, H, rng))));
test("init: it draws what kl.nn.LSTM and kl.nn.Linear draw from the same generator", () => {
  const p = initParams(7, 5, new kl.Rng(3));
  const rng = new kl.Rng(3);
  const lstm = new kl.nn.LSTM(7, 5, { rng });
  const head = new kl.nn.Linear(5, 7, { rng });
  kl.nn.init.setForgetBias(lstm, 1);
  const l = lstm.layer(0);
  for (const [a, b] of [[p.weight_ih, l.weight_ih], [p.weight_hh, l.weight_hh], [p.bias_ih, l.bias_ih], [p.bias_hh, l.bias_hh], [p.head_weight, head.weight], [p.head_bias, head.bias!]]) {
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
  }
});
test("init: a transposed weight_ih is named", () => rejects(() => cap1.checkInitParams((V, H, rng) => {
  const p = initParams(V, H, rng);
  return { ...p, weight_ih: kl.fromFlat(p.weight_ih.data, [V, 4 * H], { requiresGrad: true }) };
}), /weight_ih \(probe: V = 5, H = 3\): has shape \[5,12\], expected \[12,5\]/));
test("init: the bound 1/√V is named", () => rejects(() => cap1.checkInitParams((V, H, rng) => initParams(V, H, rng, { bound: 1 / Math.sqrt(V) })), /yours from ±0.447, a bound of 1\/√V/));
test("init: the forget bias in the input gate's block is named", () => rejects(() => cap1.checkInitParams((V, H, rng) => initParams(V, H, rng, { forgetBlock: 0 })), /yours set block 1, the input gate i's/));
test("init: a total forget bias of 2 is named", () => rejects(() => cap1.checkInitParams((V, H, rng) => initParams(V, H, rng, { bothOne: true })), /TOTAL bias is 1/));
test("init: tensors that do not require grad are named", () => rejects(() => cap1.checkInitParams((V, H, rng) => initParams(V, H, rng, { grad: false })), /weight_ih is a leaf that requires grad \(yours has requiresGrad false\)/));
test("init: drawing the read-out first is named", () =>
  rejects(() => cap1.checkInitParams((V, H, rng) => initParams(V, H, rng, { order: ["head_weight", "head_bias", "weight_ih", "weight_hh", "bias_ih", "bias_hh"] })), /weight_ih holds the rng's first draws \(it is drawn first\)/));
test("init: bias_hh drawn before bias_ih is named, with the draws it holds", () =>
  rejects(() => cap1.checkInitParams((V, H, rng) => initParams(V, H, rng, { order: ["weight_ih", "weight_hh", "bias_hh", "bias_ih", "head_weight", "head_bias"] })), /bias_ih holds the draws that come after weight_ih, weight_hh \(yours holds the draws meant for bias_hh\)/));
test("init: an extra draw is named", () => rejects(() => cap1.checkInitParams((V, H, rng) => initParams(V, H, rng, { extraDraw: true })), /exactly the numbers the six tensors need/));
test("init: the stub passes through", () => assert.throws(() => cap1.checkInitParams(stub), /not implemented yet/));

// ---- cap1-lstm-step
test("lstm-step: the right step passes", () => void passes(() => cap1.checkLstmStep(lstmStep)));
test("lstm-step: kernel-lib's readable step passes", () => void passes(() => cap1.checkLstmStep((x, s, p) => kl.nn.lstmStep(x, s, p))));
const stepWith = (f: (x: Tensor, s: LstmState, p: CharLstmParams) => { pre: Tensor; mix?: (i: Tensor, f: Tensor, g: Tensor, o: Tensor, c: Tensor) => LstmState }) =>
  (x: Tensor, s: LstmState, p: CharLstmParams): LstmState => {
    const { pre, mix } = f(x, s, p);
    const [a, b, g, o] = kl.split(pre, 4, 1);
    const [I, F, G, O] = [kl.sigmoid(a), kl.sigmoid(b), kl.tanh(g), kl.sigmoid(o)];
    if (mix) return mix(I, F, G, O, s.c);
    const c = kl.add(kl.mul(F, s.c), kl.mul(I, G));
    return { h: kl.mul(O, kl.tanh(c)), c };
  };
const fullPre = (x: Tensor, s: LstmState, p: CharLstmParams) => kl.add(kl.linear(x, p.weight_ih, p.bias_ih), kl.linear(s.h, p.weight_hh, p.bias_hh));
test("lstm-step: the blocks read as i, f, o, g are named", () =>
  rejects(() => cap1.checkLstmStep((x, s, p) => {
    const [a, b, o, g] = kl.split(fullPre(x, s, p), 4, 1);
    const c = kl.add(kl.mul(kl.sigmoid(b), s.c), kl.mul(kl.sigmoid(a), kl.tanh(g)));
    return { h: kl.mul(kl.sigmoid(o), kl.tanh(c)), c };
  }), /yours reads them as i, f, o, g/));
test("lstm-step: a missing bias_hh is named", () =>
  rejects(() => cap1.checkLstmStep(stepWith((x, s, p) => ({ pre: kl.add(kl.linear(x, p.weight_ih, p.bias_ih), kl.linear(s.h, p.weight_hh)) }))), /includes bias_hh/));
test("lstm-step: the gates reading c are named", () =>
  rejects(() => cap1.checkLstmStep(stepWith((x, s, p) => ({ pre: kl.add(kl.linear(x, p.weight_ih, p.bias_ih), kl.linear(s.c, p.weight_hh, p.bias_hh)) }))), /reads the cell state c/));
test("lstm-step: c scaled by 1 − f is named", () =>
  rejects(() => cap1.checkLstmStep(stepWith((x, s, p) => ({
    pre: fullPre(x, s, p),
    mix: (I, F, G, O, c0) => { const c = kl.add(kl.mul(kl.sub(1, F), c0), kl.mul(I, G)); return { h: kl.mul(O, kl.tanh(c)), c }; },
  }))), /f is what the gate KEEPS/));
test("lstm-step: h' from the old c is named", () =>
  rejects(() => cap1.checkLstmStep(stepWith((x, s, p) => ({
    pre: fullPre(x, s, p),
    mix: (I, F, G, O, c0) => ({ h: kl.mul(O, kl.tanh(c0)), c: kl.add(kl.mul(F, c0), kl.mul(I, G)) }),
  }))), /h' uses the NEW cell state/));
test("lstm-step: a step that writes into the state is named", () =>
  rejects(() => cap1.checkLstmStep((x, s, p) => { const r = lstmStep(x, s, p); s.h.data.fill(0); return r; }), /leaves its arguments unchanged/));
test("lstm-step: a step computed on .data (off the tape) is named", () =>
  rejects(() => cap1.checkLstmStep((x, s, p) => { const r = lstmStep(x, s, p); return { h: kl.fromFlat(r.h.data, r.h.shape), c: kl.fromFlat(r.c.data, r.c.shape) }; }),
    /the gradient reaching weight_ih through your step|backward\(\) through your step/));
test("lstm-step: the stub passes through", () => assert.throws(() => cap1.checkLstmStep(stub), /not implemented yet/));

// ---- cap1-forward
test("forward: the right forward pass passes", () => void passes(() => cap1.checkForward((p, x, s) => forward(p, x, s))));
test("forward: the state not carried is named", () => rejects(() => cap1.checkForward((p, x, s) => forward(p, x, s, { carry: false })), /the state is carried from step to step/));
test("forward: a read-out without its bias is named", () => rejects(() => cap1.checkForward((p, x, s) => forward(p, x, s, { headBias: false })), /adds head_bias/));
test("forward: a state passed in but ignored is named", () => rejects(() => cap1.checkForward((p, x, s) => forward(p, x, s, { ignoreState: true })), /starts from the state given/));
test("forward: the state after the first step returned is named", () => rejects(() => cap1.checkForward((p, x, s) => forward(p, x, s, { returnFirst: true })), /after the LAST step/));
test("forward: flat logits [T·B, V] are named", () => rejects(() => cap1.checkForward((p, x, s) => forward(p, x, s, { flat: true })), /keep the time and batch axes/));
test("forward: logits read out from the state before each step are named", () =>
  rejects(() => cap1.checkForward((p, x, s) => {
    const [T, B] = x.shape, V = p.head_weight.shape[0], H = p.weight_hh.shape[1];
    let state = s ?? { h: kl.zeros([B, H]), c: kl.zeros([B, H]) };
    const hs: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      hs.push(state.h);
      state = lstmStep(kl.index(kl.oneHot(x, V), 0, t), state, p);
    }
    return { logits: kl.reshape(kl.linear(kl.reshape(kl.stack(hs, 0), [T * B, H]), p.head_weight, p.head_bias), [T, B, V]), state };
  }), /read the h that step t returns \(yours read h_\{t−1\}/));
test("forward: a state kept between calls is named", () => {
  let kept: LstmState | undefined;
  rejects(() => cap1.checkForward((p, x, s) => {
    const out = forward(p, x, s ?? kept);
    kept = out.state;
    return out;
  }), /starts from zeros every time \(yours gave other logits when called again/);
});
test("forward: a wrong step is named as the step", () =>
  rejects(() => cap1.checkForward((p, x, s) => forward(p, x, s, { step: (xx, ss, pp) => { const r = lstmStep(xx, ss, pp); return { h: kl.tanh(r.c), c: r.c }; } })),
    /the logits of a single step.*\n.*does cap1-lstm-step pass/));
test("forward: the stub passes through", () => assert.throws(() => cap1.checkForward(stub), /not implemented yet/));

// ---- cap1-loss
test("loss: the right loss passes", () => void passes(() => cap1.checkNextCharLoss((l, y, m) => loss(l, y, m))));
test("loss: the sum instead of the mean is named", () => rejects(() => cap1.checkNextCharLoss((l, y, m) => loss(l, y, m, { sum: true })), /the mean over the steps, not the sum/));
test("loss: dividing by every step is named", () => rejects(() => cap1.checkNextCharLoss((l, y, m) => loss(l, y, m, { divideByAll: true })), /divides the masked sum by all T·B steps/));
test("loss: the mask left out is named", () => rejects(() => cap1.checkNextCharLoss((l, y, m) => loss(l, y, m, { allSteps: true })), /padded steps are left out/));
test("loss: targets read sequence by sequence are named", () =>
  rejects(() => cap1.checkNextCharLoss((l, y, m) => loss(l, kl.fromFlat(kl.transpose(y).data, y.shape), m)), /logits\[t, b\] is scored against targets\[t, b\]/));
test("loss: the stub passes through", () => assert.throws(() => cap1.checkNextCharLoss(stub), /not implemented yet/));

// ---- cap1-clip
test("clip: the right clipping passes", () => void passes(() => cap1.checkClipGradients((ps, m) => clip(ps, m))));
test("clip: kl.optim.clipGradNorm (PyTorch's 1e-6) passes too", () => void passes(() => cap1.checkClipGradients((ps, m) => kl.optim.clipGradNorm(ps, m))));
test("clip: per-parameter clipping is named", () => rejects(() => cap1.checkClipGradients((ps, m) => clip(ps, m, { perParam: true })), /ONE factor from the global norm/));
test("clip: the norm after clipping returned is named", () => rejects(() => cap1.checkClipGradients((ps, m) => clip(ps, m, { returnAfter: true })), /BEFORE clipping/));
test("clip: rescaling small gradients is named", () => rejects(() => cap1.checkClipGradients((ps, m) => clip(ps, m, { always: true })), /below the threshold are left unchanged/));
test("clip: clamping entries is named", () =>
  rejects(() => cap1.checkClipGradients((ps, m) => { const n = clip(ps, 1e9); for (const p of ps) p.grad?.data.forEach((g, i, a) => (a[i] = Math.max(-m, Math.min(m, g)))); return n; }), /clamps each entry/));
test("clip: scaled values put in new tensors (the gradients unchanged) are named", () =>
  rejects(() => cap1.checkClipGradients((ps, m) => {
    const norm = Math.sqrt(ps.reduce((t, p) => t + (p.grad ? p.grad.data.reduce((a, g) => a + g * g, 0) : 0), 0));
    for (let p of ps) if (p.grad && norm > m) p = kl.mul(p.grad, m / norm);
    return norm;
  }), /scaled, in place \(yours are unchanged/));
test("clip: a parameter without a gradient that crashes is told to skip it", () =>
  rejects(() => cap1.checkClipGradients((ps, m) => {
    const norm = Math.sqrt(ps.reduce((t, p) => t + p.grad!.data.reduce((a, g) => a + g * g, 0), 0));
    if (norm > m) for (const p of ps) p.grad!.data.forEach((g, i, a) => (a[i] = (g * m) / norm));
    return norm;
  }), /second parameter has no gradient[^]*skip a parameter whose grad is null/));
test("clip: the stub passes through", () => assert.throws(() => cap1.checkClipGradients(stub), /not implemented yet/));

// ---- cap1-train-step
test("train-step: the right step passes", () => void passes(() => cap1.checkTrainStep((ps, opt, f, m) => trainStep(ps, opt, f, m))));
test("train-step: no zeroGrad is named", () => rejects(() => cap1.checkTrainStep((ps, opt, f, m) => trainStep(ps, opt, f, m, { noZero: true })), /zeroed before each backward/));
test("train-step: no clipping is named", () => rejects(() => cap1.checkTrainStep((ps, opt, f, m) => trainStep(ps, opt, f, m, { noClip: true })), /steps with the unclipped gradient/));
test("train-step: clipping after the step is named", () => rejects(() => cap1.checkTrainStep((ps, opt, f, m) => trainStep(ps, opt, f, m, { clipAfter: true })), /clips after the step/));
test("train-step: returning the loss tensor is named", () => rejects(() => cap1.checkTrainStep((ps, opt, f, m) => trainStep(ps, opt, f, m, { tensor: true })), /returns a tensor: use loss.item\(\)/));
test("train-step: the loss after the update returned is named", () => rejects(() => cap1.checkTrainStep((ps, opt, f, m) => trainStep(ps, opt, f, m, { after: true })), /recomputed after opt.step\(\)/));
test("train-step: the stub passes through", () => assert.throws(() => cap1.checkTrainStep(stub), /not implemented yet/));

// ---- cap1-train: a model overfit on four names stands in for a trained one
function overfit(list: string[]): CharLstmParams {
  const p = initParams(names.vocab.size, 16, new kl.Rng(0));
  const ps = [p.weight_ih, p.weight_hh, p.bias_ih, p.bias_hh, p.head_weight, p.head_bias];
  const opt = new kl.optim.Adam(ps, { lr: 0.05 });
  const b = names.batch(list);
  for (let k = 0; k < 120; k++) trainStep(ps, opt, () => loss(forward(p, b.x).logits, b.y, b.mask), 5);
  return p;
}
const few = ["emma", "olivia", "noah", "liam"];
test("train: a model below the threshold on its validation names passes", () => void passes(() => cap1.checkTrainedModel((p, x, s) => forward(p, x, s), overfit(few), names.batch(few))));
test("train: an untrained model is named with its loss", () => {
  const message = rejectionMessage(() => cap1.checkTrainedModel((p, x, s) => forward(p, x, s), initParams(names.vocab.size, 16, new kl.Rng(0)), names.batch(few)));
  assert.match(message, new RegExp(`validation loss is below ${cap1.HELD_OUT_THRESHOLD} nats per character \\(yours is 3\\.\\d+\\)`));
});
test("train: a forward pass that ignores the state given is named (the grader reads one character at a time)", () =>
  rejects(() => cap1.checkTrainedModel((p, x, s) => forward(p, x, s, { ignoreState: true }), overfit(few), names.batch(few)), /read one character at a time, the state carried/));
test("train: a diverged model is named", () => {
  const p = initParams(names.vocab.size, 8, new kl.Rng(0));
  p.head_bias.data[0] = NaN;
  rejects(() => cap1.checkTrainedModel((q, x, s) => forward(q, x, s), p, names.batch(few)), /NaN or Infinity/);
});

// ---- cap1-sample
test("sample: the right sampler passes", () => void passes(() => cap1.checkSampleName((p, rng, t, m) => sample(p, rng, t, m), names.vocab)));
test("sample: multiplying by the temperature is named", () => rejects(() => cap1.checkSampleName((p, rng, t, m) => sample(p, rng, t, m, { multiply: true }), names.vocab), /DIVIDED by the temperature/));
test("sample: the state not carried is named", () => rejects(() => cap1.checkSampleName((p, rng, t, m) => sample(p, rng, t, m, { noCarry: true }), names.vocab), /carried from one character to the next/));
test("sample: the argmax is named", () => rejects(() => cap1.checkSampleName((p, rng, t, m) => sample(p, rng, t, m, { greedy: true }), names.vocab), /DRAWN with rng.categorical/));
test("sample: the closing '.' kept is named", () => rejects(() => cap1.checkSampleName((p, rng, t, m) => sample(p, rng, t, m, { keepEnd: true }), names.vocab), /closing "\." is not part of the name/));
test("sample: ignoring maxLength is named", () => rejects(() => cap1.checkSampleName((p, rng, t, m) => sample(p, rng, t, m, { noLimit: true }), names.vocab), /stops after maxLength/));
test("sample: the stub passes through", () => assert.throws(() => cap1.checkSampleName(stub, names.vocab), /not implemented yet/));
