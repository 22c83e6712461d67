// The teacher's reference solutions to notebook 06's exercises ("The GRU"), and what they give on
// the public checks' probes (kernel-lib/src/exercises/ch06.ts builds the probes; this module builds
// the same ones from there). Not in a student's copy of the course: `npm run exercises:answers`
// calls answers() and stores the results in kernel-lib/src/exercises/answers/ch06.ts, which is all
// the public checks read. Keys ending in /mistake/... are the wrong answers of the usual mistakes
// that are the solution with one piece changed, stored so that the checks can recognise them
// without holding the solution's code. (ch06-seed-verdict's probes have their verdicts written
// in the check: nothing to compute.)
import { ch06Probes } from "../../kernel-lib/src/exercises/ch06";
import type { CellName, GruWeights } from "../../kernel-lib/src/exercises/ch06";
import { add, concat, linear, mul, neg, sigmoid, split, sub, sum, tanh } from "../../kernel-lib/src/ops";
import { gruStep } from "../../kernel-lib/src/nn/gru-cell";
import { GRU, LSTM, RNN } from "../../kernel-lib/src/nn/recurrent";
import { Rng } from "../../kernel-lib/src/random";
import { Tensor, fromFlat } from "../../kernel-lib/src/tensor";

/**
 * ch06-gru-step: a GRU step computed from its pieces, PyTorch's by default, with the usual
 * mistakes as options. (The right answers themselves come from kl.nn.gruStep, which the check's
 * messages name; this one gives the same numbers with no option set.)
 */
function variantStep(
  x: Tensor, h: Tensor, w: GruWeights,
  v: { order?: [number, number, number]; chung?: boolean; resetOutsideBias?: boolean; resetBeforeProduct?: boolean; noReset?: boolean } = {},
): Tensor {
  const [ir, iz, inn] = v.order ?? [0, 1, 2];
  const xs = split(linear(x, w.weight_ih, w.bias_ih), 3, 1);
  const hsPlain = split(linear(h, w.weight_hh), 3, 1);
  const bh = split(w.bias_hh, 3, 0);
  const hs = hsPlain.map((t, k) => add(t, bh[k]));
  const r = sigmoid(add(xs[ir], hs[ir]));
  const z = sigmoid(add(xs[iz], hs[iz]));
  let recurrent: Tensor;
  if (v.noReset) recurrent = hs[inn];
  else if (v.resetOutsideBias) recurrent = add(mul(r, hsPlain[inn]), bh[inn]);
  else if (v.resetBeforeProduct) recurrent = add(linear(mul(r, h), split(w.weight_hh, 3, 0)[inn]), bh[inn]);
  else recurrent = mul(r, hs[inn]);
  const n = tanh(add(xs[inn], recurrent));
  return v.chung ? add(mul(z, n), mul(sub(1, z), h)) : add(mul(sub(1, z), n), mul(z, h));
}

/** ch06-chung-convention: the update block of every tensor negated (1 − σ(a) = σ(−a)), r and n as they were. */
export function toChungConvention(w: GruWeights): GruWeights {
  const flipZ = (t: Tensor) => {
    const [r, z, n] = split(t, 3, 0);
    return concat([r, neg(z), n], 0);
  };
  return { weight_ih: flipZ(w.weight_ih), weight_hh: flipZ(w.weight_hh), bias_ih: flipZ(w.bias_ih), bias_hh: flipZ(w.bias_hh) };
}

/** ch06-parameter-count: kl.nn's own layer's count. */
function libraryCount(cell: CellName, I: number, H: number): number {
  const rng = new Rng(0);
  return (cell === "gru" ? new GRU(I, H, { rng }) : cell === "lstm" ? new LSTM(I, H, { rng }) : new RNN(I, H, { rng })).numParameters();
}

export function answers(): Record<string, Tensor | number> {
  const out: Record<string, Tensor | number> = {};

  // ch06-gru-step
  {
    const { w, x, h, zOne, zOff, resetOpen, resetClosed, orders } = ch06Probes.gruStep();
    for (const order of orders) out[`gru-step/mistake/order-${order.join(",")}`] = variantStep(x, h, w, { order });
    out["gru-step/z-one/mistake/chung"] = variantStep(x, h, zOne, { chung: true });
    const nOpen = gruStep(x, h, resetOpen);
    out["gru-step/reset-open"] = nOpen;
    out["gru-step/reset-open/mistake/plus-h"] = add(nOpen, h);
    out["gru-step/z-zero"] = gruStep(x, h, zOff);
    out["gru-step/z-zero/mistake/reset-before-product"] = variantStep(x, h, zOff, { resetBeforeProduct: true });
    out["gru-step/z-zero/mistake/no-reset"] = variantStep(x, h, zOff, { noReset: true });
    out["gru-step/z-zero/mistake/reset-outside-bias"] = variantStep(x, h, zOff, { resetOutsideBias: true });
    out["gru-step/reset-closed"] = gruStep(x, h, resetClosed);
    out["gru-step/reset-closed/mistake/no-reset"] = variantStep(x, h, resetClosed, { noReset: true });
    out["gru-step/reset-closed/mistake/reset-outside-bias"] = variantStep(x, h, resetClosed, { resetOutsideBias: true });
    out["gru-step/full"] = gruStep(x, h, w);
    out["gru-step/full/mistake/chung"] = variantStep(x, h, w, { chung: true });
    // The gradients of sum(h') with respect to h and weight_hh.
    const leaf = (t: Tensor) => fromFlat(t.data, t.shape, { requiresGrad: true });
    const wRef = { weight_ih: leaf(w.weight_ih), weight_hh: leaf(w.weight_hh), bias_ih: leaf(w.bias_ih), bias_hh: leaf(w.bias_hh) };
    const hRef = leaf(h);
    sum(gruStep(x, hRef, wRef)).backward();
    out["gru-step/grad/h"] = hRef.grad as Tensor;
    out["gru-step/grad/weight_hh"] = wRef.weight_hh.grad as Tensor;
  }

  // ch06-chung-convention
  {
    const { w, x, h } = ch06Probes.chungConvention();
    const chung = toChungConvention(w);
    for (const k of ["weight_ih", "weight_hh", "bias_ih", "bias_hh"] as const) {
      const [r, z, n] = split(chung[k], 3, 0);
      Object.assign(out, { [`chung-convention/${k}/r`]: r, [`chung-convention/${k}/z`]: z, [`chung-convention/${k}/n`]: n });
    }
    out["chung-convention/pytorch-step"] = gruStep(x, h, w);
  }

  // ch06-parameter-count
  {
    const { cells, base: [I0, H0], onePlus: [I1, H1], large: [I2, H2] } = ch06Probes.parameterCount;
    for (const cell of cells) {
      const key = `parameter-count/${cell}`;
      const base = libraryCount(cell, I0, H0);
      const perInput = libraryCount(cell, I1, H1) - base; // (blocks · H): one more column of weight_ih
      const rest = base - I0 * perInput; // weight_hh and both biases: blocks·H·H + 2·blocks·H
      out[`${key}/I=${I0},H=${H0}`] = base;
      out[`${key}/I=${I2},H=${H2}`] = libraryCount(cell, I2, H2);
      out[`${key}/per-input`] = perInput;
      out[`${key}/rest`] = rest;
      out[`${key}/rest/mistake/one-bias`] = rest - perInput;
      out[`${key}/rest/mistake/without-weight-hh`] = 2 * perInput;
    }
  }
  return out;
}
