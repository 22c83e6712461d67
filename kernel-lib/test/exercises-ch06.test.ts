// The checks of notebook 06 accept a right answer and name the wrong term of typical wrong ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";
import { exercises, Tensor } from "../src";
import { passes, rejects } from "./exercise-harness";

const ch06 = exercises.ch06;
type W = { weight_ih: Tensor; weight_hh: Tensor; bias_ih: Tensor; bias_hh: Tensor };

// ---- ch06-gru-step
interface StepOptions { chung?: boolean; order?: [number, number, number]; resetOutsideBias?: boolean; resetBeforeProduct?: boolean; noReset?: boolean; gateTanh?: boolean }
function step(x: Tensor, h: Tensor, w: W, o: StepOptions = {}): Tensor {
  const [ir, iz, inn] = o.order ?? [0, 1, 2];
  const xs = kl.split(kl.linear(x, w.weight_ih, w.bias_ih), 3, 1);
  const hp = kl.split(kl.linear(h, w.weight_hh), 3, 1);
  const bh = kl.split(w.bias_hh, 3, 0);
  const act = o.gateTanh ? kl.tanh : kl.sigmoid;
  const r = act(kl.add(kl.add(xs[ir], hp[ir]), bh[ir]));
  const z = act(kl.add(kl.add(xs[iz], hp[iz]), bh[iz]));
  let rec: Tensor;
  if (o.noReset) rec = kl.add(hp[inn], bh[inn]);
  else if (o.resetOutsideBias) rec = kl.add(kl.mul(r, hp[inn]), bh[inn]);
  else if (o.resetBeforeProduct) rec = kl.add(kl.linear(kl.mul(r, h), kl.split(w.weight_hh, 3, 0)[inn]), bh[inn]);
  else rec = kl.mul(r, kl.add(hp[inn], bh[inn]));
  const n = kl.tanh(kl.add(xs[inn], rec));
  return o.chung ? kl.add(kl.mul(z, n), kl.mul(kl.sub(1, z), h)) : kl.add(kl.mul(kl.sub(1, z), n), kl.mul(z, h));
}
test("gru-step: PyTorch's step passes, and so does kl.nn.gruStep", () => {
  assert.ok(passes(() => ch06.checkGruStep((x, h, w) => step(x, h, w))) >= 10);
  passes(() => ch06.checkGruStep((x, h, w) => kl.nn.gruStep(x, h, w)));
});
test("gru-step: Chung et al.'s convention (z weighs the candidate) is named", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => step(x, h, w, { chung: true })), /Chung et al\.'s convention/));
test("gru-step: the gate blocks in the order z, r, n are named", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => step(x, h, w, { order: [1, 0, 2] })), /PyTorch's order r, z, n/));
for (const order of [[0, 2, 1], [1, 2, 0], [2, 0, 1], [2, 1, 0]] as [number, number, number][])
  test(`gru-step: the gate blocks in the order ${order} are named as the block order`, () =>
    rejects(() => ch06.checkGruStep((x, h, w) => step(x, h, w, { order })), /PyTorch's order r, z, n \(yours takes/));
test("gru-step: z left off the old state (h' = (1 − z) ⊙ n + h) is named as the z ⊙ h term", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => {
    const [xr, xz, xn] = kl.split(kl.linear(x, w.weight_ih, w.bias_ih), 3, 1);
    const [hr, hz, hn] = kl.split(kl.linear(h, w.weight_hh, w.bias_hh), 3, 1);
    const r = kl.sigmoid(kl.add(xr, hr)), z = kl.sigmoid(kl.add(xz, hz));
    const n = kl.tanh(kl.add(xn, kl.mul(r, hn)));
    return kl.add(kl.mul(kl.sub(1, z), n), h);
  }), /the z ⊙ h term/));
test("gru-step: a step cut from the tape (kl.noGrad) is named", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => kl.noGrad(() => step(x, h, w))), /tape can differentiate your step/));
test("gru-step: a step computed on copies of the weights' numbers is named by the gradient", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => step(x, h, {
    weight_ih: w.weight_ih, weight_hh: kl.fromFlat(w.weight_hh.data, w.weight_hh.shape), bias_ih: w.bias_ih, bias_hh: w.bias_hh,
  })), /with respect to weight_hh/));
test("gru-step: b_hn left outside the reset gate is named", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => step(x, h, w, { resetOutsideBias: true })), /leaves b_hn outside r/));
test("gru-step: the reset gate applied to h before W_hn is named", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => step(x, h, w, { resetBeforeProduct: true })), /applies it to h before W_hn/));
test("gru-step: a candidate without the reset gate is named", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => step(x, h, w, { noReset: true })), /with r = 0 your n still depends on h/));
test("gru-step: tanh gates are named by the term they break", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => step(x, h, w, { gateTanh: true })), /update gate is z = 1|candidate/));
test("gru-step: writing into the state is named", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => { const out = step(x, h, w); h.data.fill(0); return out; }), /leaves its arguments unchanged \(yours changed h\)/));

// ---- ch06-chung-convention
function toChung(w: W, o: { negateBiases?: boolean; negateWeights?: boolean; oneMinus?: boolean; whole?: boolean; inPlace?: boolean } = {}): W {
  const { negateBiases = true, negateWeights = true } = o;
  const flip = (t: Tensor, doIt: boolean) => {
    if (!doIt) return o.inPlace ? t : kl.fromFlat(t.data, t.shape);
    if (o.whole) return kl.neg(t);
    const [r, z, n] = kl.split(t, 3, 0);
    const zz = o.oneMinus ? kl.sub(1, z) : kl.neg(z);
    if (o.inPlace) { const H = z.shape[0]; t.data.set(zz.data, H * (t.size / t.shape[0])); return t; }
    return kl.concat([r, zz, n], 0);
  };
  return { weight_ih: flip(w.weight_ih, negateWeights), weight_hh: flip(w.weight_hh, negateWeights), bias_ih: flip(w.bias_ih, negateBiases), bias_hh: flip(w.bias_hh, negateBiases) };
}
test("gru-step: a result made anew from the step's numbers (requiresGrad set by hand) is told no gradient reached h, not to return a value (a learner's trial)", () =>
  rejects(() => ch06.checkGruStep((x, h, w) => { const out = step(x, h, w); return kl.fromFlat(out.data, out.shape, { requiresGrad: true }); }),
    /with respect to h, through your step: no gradient reached it: the result was cut off the tape/));
test("chung-convention: negating the z block of all four passes", () => void passes(() => ch06.checkChungConvention((w) => toChung(w))));
test("chung-convention: weights returned unchanged are named at the z block", () =>
  rejects(() => ch06.checkChungConvention((w) => toChung(w, { negateBiases: false, negateWeights: false })), /update block W_iz of weight_ih changes/));
test("chung-convention: the biases left as they were are named", () =>
  rejects(() => ch06.checkChungConvention((w) => toChung(w, { negateBiases: false })), /update block b_iz \+ b_hz of bias_ih \+ bias_hh changes/));
test("chung-convention: the z biases moved between bias_ih and bias_hh (their sum is what the gate reads) pass (a learner's trial: it was failed)", () =>
  void passes(() => ch06.checkChungConvention((w) => {
    const c = toChung(w);
    const H = c.bias_ih.shape[0] / 3;
    const [ir, iz, inn] = kl.split(c.bias_ih, 3, 0), [hr, hz, hn] = kl.split(c.bias_hh, 3, 0);
    return { ...c, bias_ih: kl.concat([kl.add(ir, hr), kl.add(iz, hz), inn], 0), bias_hh: kl.concat([kl.zeros([H]), kl.zeros([H]), hn], 0) };
  })));
test("chung-convention: b_hn moved into bias_ih (outside the reset gate's product) is named", () =>
  rejects(() => ch06.checkChungConvention((w) => {
    const c = toChung(w);
    const H = c.bias_ih.shape[0] / 3;
    const [ir, iz, inn] = kl.split(c.bias_ih, 3, 0), [hr, hz, hn] = kl.split(c.bias_hh, 3, 0);
    return { ...c, bias_ih: kl.concat([ir, iz, kl.add(inn, hn)], 0), bias_hh: kl.concat([hr, hz, kl.zeros([H])], 0) };
  }), /the candidate block of bias_ih/));
test("chung-convention: 1 − the weights is named", () =>
  rejects(() => ch06.checkChungConvention((w) => toChung(w, { oneMinus: true })), /not σ\(1 − a\)/));
test("chung-convention: negating every block is named at the reset block", () =>
  rejects(() => ch06.checkChungConvention((w) => toChung(w, { whole: true })), /reset block W_ir of weight_ih/));
test("chung-convention: changing the given weights in place is named", () =>
  rejects(() => ch06.checkChungConvention((w) => toChung(w, { inPlace: true })), /left unchanged/));
test("chung-convention: chungStep with the converted weights matches PyTorch's step", () => {
  const rng = new kl.Rng(3);
  const w = { weight_ih: kl.randn([6, 2], rng), weight_hh: kl.randn([6, 2], rng), bias_ih: kl.randn([6], rng), bias_hh: kl.randn([6], rng) };
  const x = kl.randn([3, 2], rng), h = kl.randn([3, 2], rng);
  const a = ch06.chungStep(x, h, toChung(w)), b = kl.nn.gruStep(x, h, w);
  a.data.forEach((v, i) => assert.ok(Math.abs(v - b.data[i]) < 1e-12));
});

// ---- ch06-parameter-count
const blocks = { rnn: 1, gru: 3, lstm: 4 } as const;
test("parameter-count: blocks · H · (I + H + 2) passes", () => void passes(() => ch06.checkParameterCount((c, I, H) => blocks[c] * H * (I + H + 2))));
test("parameter-count: one bias is named", () =>
  rejects(() => ch06.checkParameterCount((c, I, H) => blocks[c] * H * (I + H + 1)), /PyTorch keeps two, bias_ih and bias_hh/));
test("parameter-count: the LSTM's four blocks given to the GRU are named", () =>
  rejects(() => ch06.checkParameterCount((c, I, H) => (c === "rnn" ? 1 : 4) * H * (I + H + 2)), /input weights weight_ih of the GRU/));
test("parameter-count: weight_hh left out is named", () =>
  rejects(() => ch06.checkParameterCount((c, I, H) => blocks[c] * H * (I + 2)), /recurrent weights weight_hh of the RNN/));
test("parameter-count: biases counted once per layer instead of per block are named", () =>
  rejects(() => ch06.checkParameterCount((c, I, H) => blocks[c] * H * (I + H) + 2 * H), /recurrent weights and biases of the GRU/));

// ---- ch06-seed-verdict
function verdict(a: number[], b: number[], lower: boolean): "first" | "second" | "inconclusive" {
  const better = (p: number, q: number) => (lower ? p < q : p > q);
  if (a.every((p) => b.every((q) => better(p, q)))) return "first";
  if (b.every((q) => a.every((p) => better(q, p)))) return "second";
  return "inconclusive";
}
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
test("seed-verdict: comparing the ranges passes", () => void passes(() => ch06.checkSeedVerdict(verdict)));
test("seed-verdict: sorting the caller's runs in place is named", () =>
  rejects(() => ch06.checkSeedVerdict((a, b, lower) => {
    a.sort((x, y) => x - y);
    b.sort((x, y) => x - y);
    return verdict(a, b, lower);
  }), /seedVerdict leaves the runs unchanged \(probe: [^)]*; yours changed the first runs to \[2\.1,2\.12,2\.15\] and the second runs to \[2\.25,2\.3,2\.4\]\)/));
test("seed-verdict: sorting a copy as text (sort() without a comparator) is named (a learner's trial: it passed)", () =>
  rejects(() => ch06.checkSeedVerdict((a, b, lower) => {
    const f = [...a].sort(), s = [...b].sort(); // "10" before "2"
    const [fLo, fHi, sLo, sHi] = [f[0], f[f.length - 1], s[0], s[s.length - 1]];
    if (lower ? fHi < sLo : fLo > sHi) return "first";
    if (lower ? sHi < fLo : sLo > fHi) return "second";
    return "inconclusive";
  }), /the runs are compared as numbers/));
test("seed-verdict: comparing the means is named", () =>
  rejects(() => ch06.checkSeedVerdict((a, b, lower) => ((lower ? mean(a) < mean(b) : mean(a) > mean(b)) ? "first" : "second")), /even when the means differ/));
test("seed-verdict: ignoring the direction is named", () =>
  rejects(() => ch06.checkSeedVerdict((a, b) => verdict(a, b, true)), /ignores lowerIsBetter/));
test("seed-verdict: a function that never returns \"second\" is not told it ignores the direction", () =>
  rejects(() => ch06.checkSeedVerdict((a, b, lower) => {
    const better = (p: number, q: number) => (lower ? p < q : p > q);
    return a.every((p) => b.every((q) => better(p, q))) ? "first" : "inconclusive";
  }), /order of the arguments: .*\(yours returned "inconclusive"\)/));
test("seed-verdict: a direction flipped only for \"second\" is named without blaming lowerIsBetter", () =>
  rejects(() => ch06.checkSeedVerdict((a, b, lower) => {
    const better = (p: number, q: number) => (lower ? p < q : p > q);
    if (a.every((p) => b.every((q) => better(p, q)))) return "first";
    if (lower && b.every((q) => a.every((p) => better(q, p)))) return "second";
    return "inconclusive";
  }), /never returns "second" when higher is better/));
test("seed-verdict: pairing the seeds is named", () =>
  rejects(() => ch06.checkSeedVerdict((a, b, lower) => {
    const better = (p: number, q: number) => (lower ? p < q : p > q);
    if (a.every((p, i) => better(p, b[i]))) return "first";
    if (b.every((q, i) => better(q, a[i]))) return "second";
    return "inconclusive";
  }), /not only with the run of the same seed/));
test("seed-verdict: touching ranges called a win are named", () =>
  rejects(() => ch06.checkSeedVerdict((a, b, lower) => {
    const better = (p: number, q: number) => (lower ? p <= q : p >= q);
    if (a.every((p) => b.every((q) => better(p, q)))) return "first";
    if (b.every((q) => a.every((p) => better(q, p)))) return "second";
    return "inconclusive";
  }), /touching ranges/));
