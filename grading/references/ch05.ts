// The teacher's reference solutions to notebook 05's exercises ("The LSTM"), and what they give
// on the public checks' probes (kernel-lib/src/exercises/ch05.ts builds the probes; this module
// builds the same ones from there). Not in a student's copy of the course: `npm run
// exercises:answers` calls answers() and stores the results in kernel-lib/src/exercises/answers/ch05.ts,
// which is all the public checks read. Keys ending in /mistake/... are the wrong answers of the
// usual mistakes that are the solution with one piece changed, stored so that the checks can
// recognise them without holding the solution's code.
import { ch05Probes } from "../../kernel-lib/src/exercises/ch05";
import type { LstmStepResult, LstmWeights } from "../../kernel-lib/src/exercises/ch05";
import { add, concat, linear, mul, sigmoid, split, sub, tanh } from "../../kernel-lib/src/ops";
import { LSTM } from "../../kernel-lib/src/nn/recurrent";
import { Tensor, ones, zeros } from "../../kernel-lib/src/tensor";

const GATES = ["i", "f", "g", "o"] as const;
const ACTIVATION = { i: sigmoid, f: sigmoid, g: tanh, o: sigmoid };

/** The four pre-activation blocks [B, H] each, in the order i, f, g, o, with any of the four terms left out. */
function blocks(x: Tensor, h: Tensor, w: LstmWeights, terms: { ih?: boolean; hh?: boolean; bih?: boolean; bhh?: boolean } = {}): Tensor[] {
  const { ih = true, hh = true, bih = true, bhh = true } = terms;
  const H = w.weight_hh.shape[1];
  const B = x.shape[0];
  let pre = zeros([B, 4 * H]);
  if (ih) pre = add(pre, linear(x, w.weight_ih));
  if (hh) pre = add(pre, linear(h, w.weight_hh));
  if (bih) pre = add(pre, w.bias_ih);
  if (bhh) pre = add(pre, w.bias_hh);
  return split(pre, 4, 1);
}

/** ch05-lstm-step: the reference step, with every gate. */
export function lstmStep(x: Tensor, h: Tensor, c: Tensor, w: LstmWeights): LstmStepResult {
  const [ai, af, ag, ao] = blocks(x, h, w);
  const i = sigmoid(ai), f = sigmoid(af), g = tanh(ag), o = sigmoid(ao);
  const cNext = add(mul(f, c), mul(i, g));
  return { h: mul(o, tanh(cNext)), c: cNext, i, f, g, o };
}

/** The gates [B, 4H] (i, f, g, o side by side, as the check packs the learner's) that these pre-activation blocks give. */
const gatesFrom = (bl: Tensor[]): Tensor => concat(GATES.map((k, idx) => ACTIVATION[k](bl[idx])), 1);

/** ch05-additive-path: ∏_{s=from}^{to} fs[s], elementwise (ones when from > to); the exercise is from = t + 1, to = T − 1. */
export function productOf(fs: Tensor[], from: number, to: number): Tensor {
  let p = ones(fs[0].shape);
  for (let s = from; s <= to; s++) p = mul(p, fs[s]);
  return p;
}

/** ch05-forget-decay: the factor per step σ(b_f), what is left after k steps, and the half-life. */
export function forgetDecay(b: number, k: number): { perStep: number; afterK: number; halfLife: number } {
  const perStep = 1 / (1 + Math.exp(-b));
  return { perStep, afterK: perStep ** k, halfLife: Math.log(0.5) / Math.log(perStep) };
}

/** ch05-parameter-count, with the usual mistakes as options: 4H·(input + H) weights and two biases of 4H per layer. */
function lstmCount(I: number, H: number, L: number, gates = 4, biases = 2, inputEveryLayer = false): number {
  let n = 0;
  for (let l = 0; l < L; l++) n += gates * H * ((l === 0 || inputEveryLayer ? I : H) + H) + biases * gates * H;
  return n;
}

export function answers(): Record<string, Tensor | number> {
  const out: Record<string, Tensor | number> = {};

  // ch05-lstm-step
  {
    const { x, h, cell, w, noBias } = ch05Probes.lstmStep();
    const bl = blocks(x, h, w);
    const want = lstmStep(x, h, cell, w);
    GATES.forEach((k, idx) => {
      out[`lstm-step/gate/${k}`] = want[k];
      out[`lstm-step/gate/${k}/mistake/${k === "g" ? "sigmoid" : "tanh"}`] = (k === "g" ? sigmoid : tanh)(bl[idx]);
      GATES.forEach((other, j) => {
        if (j !== idx) out[`lstm-step/gate/${k}/mistake/block-${other}`] = ACTIVATION[k](bl[j]);
      });
    });
    // Probe x = 0, h = 0 (the learner's step gets zeros; the blocks leave those terms out).
    out["lstm-step/biases"] = gatesFrom(blocks(x, h, w, { ih: false, hh: false }));
    out["lstm-step/biases/mistake/bias-ih-only"] = gatesFrom(blocks(x, h, w, { ih: false, hh: false, bhh: false }));
    out["lstm-step/biases/mistake/bias-hh-only"] = gatesFrom(blocks(x, h, w, { ih: false, hh: false, bih: false }));
    out["lstm-step/biases/mistake/reads-c"] = gatesFrom(blocks(x, cell, w, { ih: false }));
    out["lstm-step/biases/mistake/reads-c-without-bias-hh"] = gatesFrom(blocks(x, cell, w, { ih: false, bhh: false }));
    // Probe h = 0, biases 0; then x = 0, biases 0.
    out["lstm-step/input-term"] = gatesFrom(blocks(x, h, noBias, { hh: false }));
    out["lstm-step/recurrent-term"] = gatesFrom(blocks(x, h, noBias, { ih: false }));
    out["lstm-step/recurrent-term/mistake/reads-c"] = gatesFrom(blocks(x, cell, noBias, { ih: false }));
    // c' and h' on the full probe.
    const { i, f, g, o } = want;
    const oneMinusF = sub(1, f);
    out["lstm-step/c"] = want.c;
    out["lstm-step/c/mistake/without-i-g"] = mul(f, cell);
    out["lstm-step/c/mistake/without-f-c"] = mul(i, g);
    out["lstm-step/c/mistake/c-unscaled"] = add(cell, mul(i, g));
    out["lstm-step/c/mistake/g-unscaled"] = add(mul(f, cell), g);
    out["lstm-step/c/mistake/product"] = mul(mul(f, cell), mul(i, g));
    out["lstm-step/c/mistake/one-minus-f"] = add(mul(oneMinusF, cell), mul(i, g));
    out["lstm-step/c/mistake/coupled"] = add(mul(f, cell), mul(oneMinusF, g));
    out["lstm-step/h"] = want.h;
    out["lstm-step/h/mistake/without-tanh"] = mul(o, want.c);
    out["lstm-step/h/mistake/old-c"] = mul(o, tanh(cell));
    out["lstm-step/h/mistake/without-output-gate"] = tanh(want.c);
  }

  // ch05-additive-path
  {
    const { T, fs, ts } = ch05Probes.additivePath();
    for (const t of ts) out[`additive-path/t=${t}`] = productOf(fs, t + 1, T - 1);
    let sum = zeros(fs[0].shape);
    for (let s = 1; s < T; s++) sum = add(sum, fs[s]);
    out["additive-path/t=0/mistake/with-f_t"] = productOf(fs, 0, T - 1);
    out["additive-path/t=0/mistake/without-last"] = productOf(fs, 1, T - 2);
    out["additive-path/t=0/mistake/sum"] = sum;
  }

  // ch05-forget-decay
  for (const [b, k] of ch05Probes.forgetDecay) {
    const key = `forget-decay/b=${b},k=${k}`;
    const { perStep: p, afterK, halfLife } = forgetDecay(b, k);
    out[`${key}/perStep`] = p;
    out[`${key}/afterK`] = afterK;
    out[`${key}/afterK/mistake/times-k`] = p * k;
    out[`${key}/afterK/mistake/one-factor-more`] = p ** (k + 1);
    out[`${key}/afterK/mistake/one-factor-less`] = p ** (k - 1);
    out[`${key}/halfLife`] = halfLife;
    out[`${key}/halfLife/mistake/log10-over-ln`] = Math.log10(0.5) / Math.log(p);
    out[`${key}/halfLife/mistake/ln-over-log10`] = Math.log(0.5) / Math.log10(p);
  }

  // ch05-parameter-count: the right counts are kl.nn.LSTM's own (and agree with lstmCount's).
  for (const [I, H, L] of ch05Probes.parameterCount) {
    const n = new LSTM(I, H, { numLayers: L }).numParameters();
    if (n !== lstmCount(I, H, L)) throw new Error(`ch05 reference: kl.nn.LSTM(${I}, ${H}, ${L}) has ${n} parameters, the count says ${lstmCount(I, H, L)}`);
    out[`parameter-count/I=${I},H=${H},L=${L}`] = n;
  }
  const [[I1, H1, L1], [I2, H2, L2]] = ch05Probes.parameterCount;
  const one = `parameter-count/I=${I1},H=${H1},L=${L1}`, two = `parameter-count/I=${I2},H=${H2},L=${L2}`;
  out[`${one}/mistake/one-block`] = lstmCount(I1, H1, L1, 1);
  out[`${one}/mistake/three-blocks`] = lstmCount(I1, H1, L1, 3);
  out[`${one}/mistake/no-biases`] = lstmCount(I1, H1, L1, 4, 0);
  out[`${one}/mistake/one-bias`] = lstmCount(I1, H1, L1, 4, 1);
  out[`${two}/mistake/first-layer-only`] = lstmCount(I2, H2, 1);
  out[`${two}/mistake/input-every-layer`] = lstmCount(I2, H2, L2, 4, 2, true);
  return out;
}
