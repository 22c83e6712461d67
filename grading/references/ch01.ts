// The teacher's reference solutions to notebook 01's exercises, and the right answers they give
// on the public checks' probes (kernel-lib/src/exercises/ch01.ts, `ch01Probes`).
// `npm run exercises:answers` stores those answers in kernel-lib/src/exercises/answers/ch01.ts,
// which is all the checks read. This file is not part of a student's copy of the course.
import type { Activation, RnnParams } from "../../kernel-lib/src/exercises/ch01";
import { ch01Probes } from "../../kernel-lib/src/exercises/ch01";

/** ch01-bag-of-symbols: the fraction of the sequence taken by each symbol 0..V−1. */
export function bagOfSymbols(seq: readonly number[], vocabSize: number): number[] {
  const counts = new Array<number>(vocabSize).fill(0);
  for (const s of seq) counts[s] += 1;
  return counts.map((n) => n / seq.length);
}

/** ch01-rnn-step: h_t = φ(W_h h_{t−1} + W_x x_t + b). */
export function rnnStep(h: readonly number[], x: readonly number[], p: RnnParams, phi: Activation): number[] {
  return p.b.map((bi, i) => {
    let u = bi;
    for (let j = 0; j < h.length; j++) u += p.Wh[i][j] * h[j];
    for (let j = 0; j < x.length; j++) u += p.Wx[i][j] * x[j];
    return phi(u);
  });
}

/** ch01-run-rnn: [h_1, ..., h_T]. */
export function runRnn(xs: readonly number[][], h0: readonly number[], p: RnnParams, phi: Activation): number[][] {
  const hs: number[][] = [];
  let h = h0.slice();
  for (const x of xs) {
    h = rnnStep(h, x, p, phi);
    hs.push(h);
  }
  return hs;
}

/** ch01-counter: one right answer (the length could also come through W_x). */
export function counterWeights(): RnnParams {
  return { Wh: [[1, 0], [0, 1]], Wx: [[1, -1, 0], [0, 0, 0]], b: [0, 1] };
}

const identity: Activation = (u) => u;

/** What the counter's units must read: the bracket depth and the number of symbols read, from h0. */
function counterTargets(text: string, h0: readonly number[]): number[][] {
  let [depth, length] = h0;
  return Array.from(text).map((ch) => [(depth += ch === "(" ? 1 : ch === ")" ? -1 : 0), (length += 1)]);
}

export function answers(): Record<string, unknown> {
  const out: Record<string, unknown> = {};

  const bag = ch01Probes.bagOfSymbols();
  for (const [name, probe] of Object.entries(bag)) out[`bag-of-symbols/${name}`] = bagOfSymbols(probe.seq, probe.vocabSize);

  const step = ch01Probes.rnnStep();
  out["rnn-step/bias"] = rnnStep([0, 0], [0, 0, 0], step.p, identity);
  out["rnn-step/input-term"] = rnnStep([0, 0], step.x, step.zeroB, identity);
  out["rnn-step/recurrent-term"] = rnnStep(step.h, [0, 0, 0], step.zeroB, identity);
  out["rnn-step/sum"] = rnnStep(step.h, step.x, step.p, identity);
  out["rnn-step/tanh"] = rnnStep(step.h, step.x, step.p, Math.tanh);

  const run = ch01Probes.runRnn();
  out["run-rnn/one-step"] = runRnn(run.one.xs, run.one.h0, run.sum, identity)[0];
  out["run-rnn/running-sums"] = runRnn(run.sums.xs, run.sums.h0, run.sum, identity).map((h) => h[0]);
  out["run-rnn/states"] = runRnn(run.xs, run.h0, run.p, Math.tanh);

  // The counter's targets come from what the units mean; a right set of weights must produce them.
  const weights = counterWeights();
  for (const probe of ch01Probes.counter()) {
    const targets = counterTargets(probe.text, probe.h0);
    const produced = runRnn(probe.text.split("").map((ch) => ["(", ")", "x"].map((s) => (s === ch ? 1 : 0))), probe.h0, weights, identity);
    if (JSON.stringify(produced) !== JSON.stringify(targets)) throw new Error(`ch01 reference: the counter weights miss probe ${probe.key}`);
    out[`counter/${probe.key}`] = probe.unit === "both" ? targets.flat() : targets.map((h) => h[probe.unit as 0 | 1]);
  }

  const parity = ch01Probes.parityTrace();
  out["parity-trace/states"] = runRnn(parity.bits, parity.h0, parity.p, parity.phi);
  return out;
}
