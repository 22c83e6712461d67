// Checks for the exercises of notebook 05, "The LSTM".
//
// The notebook writes the LSTM step in PyTorch's layout (weight_ih [4H, I], weight_hh [4H, H],
// bias_ih and bias_hh [4H], gate blocks in the order i, f, g, o; the equations are in its section
// 2), with the examples of a batch as rows; then follows the gradient along the cell's additive
// path, sets the forget gate's bias, predicts the decay it gives, and counts the parameters. Each
// check probes one term at a time, recognises the usual mistakes by the exact wrong answer they
// produce, and names the term; it never prints the answer.
//
// The right answers are not computed here. They are stored (./answers/ch05.ts, read through
// ./answers.ts), computed on the probes below by the teacher's reference solutions, which a
// student's copy of the course does not contain. So are the wrong answers of the mistakes that
// are the solution with one piece changed (keys ending in /mistake/...): their code would read
// as the solution. What stays here is the probes, the learner's results, and wrong answers that
// owe nothing to the solution (a probe's own input, 1 − a stored gate).
import { checkExercise } from "../testing/exercise";
import { attempt, checkOnTape, copyOf, leafOf, near, nearNumber } from "./probes";
import { answerNumber, answerTensor } from "./answers";
import { answers } from "./answers/ch05";
import { sigmoid } from "../ops";
import { LSTM } from "../nn/recurrent";
import { Rng } from "../random";
import { Tensor, fromFlat, randn, zeros } from "../tensor";

/** A stored right answer (or a stored wrong answer, under a /mistake/ key) on this chapter's probes. */
const want = (key: string): Tensor => answerTensor(answers, key);
const wantNumber = (key: string): number => answerNumber(answers, key);

// ---------------------------------------------------------------------------------------------
// Helpers for these checks (the ones all chapters share are in probes.ts)

/** The LSTM's weights as the notebook passes them: PyTorch's names for one layer. */
export interface LstmWeights {
  /** [4H, I]: the input weights of the gates i, f, g, o, stacked in that order. */
  weight_ih: Tensor;
  /** [4H, H]: the recurrent weights, stacked the same way. */
  weight_hh: Tensor;
  /** [4H] */
  bias_ih: Tensor;
  /** [4H] */
  bias_hh: Tensor;
}

/** What the learner's step returns: the next state, and the three gates and the candidate it computed on the way. */
export interface LstmStepResult {
  h: Tensor;
  c: Tensor;
  i: Tensor;
  f: Tensor;
  g: Tensor;
  o: Tensor;
}

const GATE_NAMES = ["i", "f", "g", "o"] as const;
type GateName = (typeof GATE_NAMES)[number];
const GATE_ROLE: Record<GateName, string> = {
  i: "the input gate i",
  f: "the forget gate f",
  g: "the candidate g",
  o: "the output gate o",
};

const weightsCopy = (w: LstmWeights): LstmWeights => ({
  weight_ih: copyOf(w.weight_ih), weight_hh: copyOf(w.weight_hh), bias_ih: copyOf(w.bias_ih), bias_hh: copyOf(w.bias_hh),
});

/** The four gates side by side, [B, 4H] (for comparing all gates at once): the learner's i, f, g, o, packed. */
function gatesOf(r: Pick<LstmStepResult, GateName>): Tensor {
  const parts = [r.i, r.f, r.g, r.o];
  const B = parts[0].shape[0];
  const H = parts[0].shape[1];
  const out = new Float64Array(B * 4 * H);
  parts.forEach((p, k) => {
    for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) out[b * 4 * H + k * H + j] = p.data[b * H + j];
  });
  return fromFlat(out, [B, 4 * H]);
}

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

// ---------------------------------------------------------------------------------------------
// The probes (inputs are not secret): the checks below and the reference solutions that computed
// the stored answers both build them here, so they are the same numbers.

export const ch05Probes = {
  /** ch05-lstm-step: B = 2 rows, I = 3 inputs, H = 4 units; weights, x, h and c drawn from seed 7. */
  lstmStep() {
    const rng = new Rng(7);
    const I = 3, H = 4, B = 2;
    const w: LstmWeights = {
      weight_ih: randn([4 * H, I], rng).mul(0.8),
      weight_hh: randn([4 * H, H], rng).mul(0.8),
      bias_ih: randn([4 * H], rng).mul(0.6),
      bias_hh: randn([4 * H], rng).mul(0.6),
    };
    const x = randn([B, I], rng);
    const h = randn([B, H], rng).mul(0.7);
    const cell = randn([B, H], rng).mul(1.5);
    const zeroBias = zeros([4 * H]);
    const noBias: LstmWeights = { ...w, bias_ih: zeroBias, bias_hh: zeroBias };
    return { I, H, B, w, x, h, cell, noBias };
  },
  /** ch05-additive-path: T = 5 forget gates [B = 2, H = 3], drawn from seed 17, and the steps t probed. */
  additivePath() {
    const rng = new Rng(17);
    const T = 5, B = 2, H = 3;
    const fs = Array.from({ length: T }, () => sigmoid(randn([B, H], rng).add(1)));
    return { T, B, H, fs, ts: [T - 1, T - 2, 0, 2] };
  },
  /** ch05-forget-decay: the (b_f, k) probed. */
  forgetDecay: [[1, 10], [3, 50], [0, 7], [-0.5, 4]] as [number, number][],
  /** ch05-parameter-count: the (I, H, numLayers) probed. */
  parameterCount: [[3, 5, 1], [3, 5, 2], [10, 4, 3], [64, 32, 1]] as [number, number, number][],
};

// ---------------------------------------------------------------------------------------------
// ch05-lstm-step

/**
 * Exercise ch05-lstm-step: one LSTM step for a batch of rows, in PyTorch's layout, returning the
 * next state {h, c} and the gates {i, f, g, o}.
 */
export function checkLstmStep(lstmStep: (x: Tensor, state: { h: Tensor; c: Tensor }, w: LstmWeights) => LstmStepResult): void {
  checkExercise("ch05-lstm-step", (c) => {
    const { I, H, B, w, x, h, cell, noBias } = ch05Probes.lstmStep();

    const call = (xx: Tensor, hh: Tensor, cc: Tensor, ww: LstmWeights, probe: string): LstmStepResult => {
      const r = attempt(c, `lstmStep on the probe (${probe})`, () => lstmStep(copyOf(xx), { h: copyOf(hh), c: copyOf(cc) }, weightsCopy(ww)),
        "x is [B, I], h and c are [B, H]; kl.linear(x, W, b) computes x Wᵀ + b, and kl.split(pre, 4, 1) cuts [B, 4H] into the four blocks i, f, g, o");
      c.that(`lstmStep returns { h, c, i, f, g, o }, all tensors (probe: ${probe})`,
        r !== null && typeof r === "object" && isTensor(r.h) && isTensor(r.c) && GATE_NAMES.every((k) => isTensor(r[k])),
        "return an object with the next state h and c, the three gates i, f, o and the candidate g");
      return r;
    };

    const full = call(x, h, cell, w, "B = 2, I = 3, H = 4, all terms");
    for (const k of ["h", "c", ...GATE_NAMES] as const) c.shape(`${k}, one row per example (probe: B = 2, H = 4)`, full[k], [B, H]);

    // The activations and the order of the blocks, on the full probe: each gate against the
    // stored results of the wrong activation on its block and of its activation on another block.
    GATE_NAMES.forEach((k) => {
      const got = full[k];
      c.that(`${GATE_ROLE[k]} uses ${k === "g" ? "tanh" : "the sigmoid"} (yours uses ${k === "g" ? "the sigmoid" : "tanh"})`,
        !near(got, want(`lstm-step/gate/${k}/mistake/${k === "g" ? "sigmoid" : "tanh"}`)),
        k === "g"
          ? "the candidate is new content, in (−1, 1) so that it can raise or lower the memory: tanh"
          : "a gate is a fraction between 0 and 1 that scales what passes through it: kl.sigmoid");
      GATE_NAMES.forEach((other, j) => {
        if (other === k) return;
        const misread = want(`lstm-step/gate/${k}/mistake/block-${other}`);
        c.that(`${GATE_ROLE[k]} reads its own block of the pre-activation (yours reads the ${other} block, kl.split(pre, 4, 1)[${j}])`,
          !near(got, misread) || near(misread, want(`lstm-step/gate/${k}`)),
          "PyTorch stacks the gates in the order i, f, g, o: kl.split(pre, 4, 1) gives [a_i, a_f, a_g, a_o]");
      });
    });

    // The pre-activation, one term at a time, through all four gates at once.
    const biasOnly = gatesOf(call(zeros([B, I]), zeros([B, H]), cell, w, "x = 0, h = 0"));
    c.that("the pre-activation includes bias_hh (yours has bias_ih only)", !near(biasOnly, want("lstm-step/biases/mistake/bias-ih-only")),
      "the layer has two biases, as PyTorch's: does each of the two products bring its own?");
    c.that("the pre-activation includes bias_ih (yours has bias_hh only)", !near(biasOnly, want("lstm-step/biases/mistake/bias-hh-only")),
      "the layer has two biases, as PyTorch's: does each of the two products bring its own?");
    c.that("the recurrent term reads the hidden state h (yours reads the cell state c: with h = 0 your gates still move)",
      !near(biasOnly, want("lstm-step/biases/mistake/reads-c")) && !near(biasOnly, want("lstm-step/biases/mistake/reads-c-without-bias-hh")),
      "the gates look at h_{t−1}, what the cell showed at the last step; c is the memory they act on");
    c.close("the biases b_ih + b_hh in the gates (probe: x = 0, h = 0)", biasOnly, want("lstm-step/biases"), {
      hint: "with x = 0 and h = 0, what is left of the pre-activation? Are both of the layer's biases in it?",
    });
    const inputOnly = gatesOf(call(x, zeros([B, H]), cell, noBias, "h = 0, biases 0"));
    c.close("the input term x W_ihᵀ in the gates (probe: h = 0, biases 0)", inputOnly, want("lstm-step/input-term"), {
      hint: "which of the two weight matrices does the input x go through, and is it transposed the way kl.linear expects?",
    });
    const recurrentOnly = gatesOf(call(zeros([B, I]), h, cell, noBias, "x = 0, biases 0"));
    c.that("the recurrent term reads the hidden state h (yours reads the cell state c)",
      !near(recurrentOnly, want("lstm-step/recurrent-term/mistake/reads-c")),
      "the gates look at h_{t−1}, what the cell showed at the last step; c is the memory they act on");
    c.close("the recurrent term h W_hhᵀ in the gates (probe: x = 0, biases 0)", recurrentOnly, want("lstm-step/recurrent-term"), {
      hint: "which of the two weight matrices does the previous hidden state go through?",
    });

    // The gates of the full probe, now that the pre-activation and the activations are checked.
    for (const k of GATE_NAMES) {
      c.close(`${GATE_ROLE[k]} (probe: all terms)`, full[k], want(`lstm-step/gate/${k}`), { hint: "each gate is its activation of its block of the pre-activation" });
    }

    // c', from the (checked) gates: each usual mistake's c' is stored.
    c.that("c' includes the i ⊙ g term (yours is f ⊙ c alone: nothing new is written)", !near(full.c, want("lstm-step/c/mistake/without-i-g")),
      "where does new content enter the memory, and which gate decides how much of it?");
    c.that("c' includes the f ⊙ c term (yours is i ⊙ g alone: the old memory is dropped)", !near(full.c, want("lstm-step/c/mistake/without-f-c")),
      "what happens to the old memory c from one step to the next, and which gate decides how much of it stays?");
    c.that("the old memory c is scaled by the forget gate (yours adds c unscaled: c + i ⊙ g)", !near(full.c, want("lstm-step/c/mistake/c-unscaled")),
      "f ⊙ c: the forget gate decides how much of the memory to keep");
    c.that("the candidate g is scaled by the input gate (yours adds g unscaled: f ⊙ c + g)", !near(full.c, want("lstm-step/c/mistake/g-unscaled")),
      "i ⊙ g: the input gate decides how much of the candidate to write");
    c.that("c' is a sum of two products (yours multiplies them: (f ⊙ c) ⊙ (i ⊙ g))", !near(full.c, want("lstm-step/c/mistake/product")),
      "the cell is updated by addition: that is what lets the gradient through");
    c.that("f is what the gate KEEPS: yours scales the old memory c by 1 − f, what it forgets", !near(full.c, want("lstm-step/c/mistake/one-minus-f")),
      "with f = 1 the cell should be the carousel, keeping all of c: which factor on c gives that?");
    c.that("the candidate g is scaled by the input gate i (yours scales it by 1 − f: input and forget gates coupled, a different cell)",
      !near(full.c, want("lstm-step/c/mistake/coupled")),
      "this LSTM has its own gate for how much of g to write: which of the gates you computed is it?");
    c.close("the new cell state c'", full.c, want("lstm-step/c"), { hint: "which two products make up c', and which of the c passed in and the new gates goes into each?" });

    // h'.
    c.that("h' squashes the new cell state with tanh (yours is o ⊙ c', without tanh)", !near(full.h, want("lstm-step/h/mistake/without-tanh")),
      "the cell state can grow beyond ±1; h' shows tanh(c'), scaled by the output gate");
    c.that("h' uses the NEW cell state c' (yours uses the old c: o ⊙ tanh(c))", !near(full.h, want("lstm-step/h/mistake/old-c")),
      "which cell state should the new hidden state show: the one passed in, or the one this step computed?");
    c.that("h' is scaled by the output gate (yours is tanh(c') alone)", !near(full.h, want("lstm-step/h/mistake/without-output-gate")),
      "which gate decides how much of the memory the rest of the network sees?");
    c.close("the new hidden state h'", full.h, want("lstm-step/h"), { hint: "which cell state does h' show, the one passed in or the one you just computed, and through which gate?" });

    // The arguments are left as they were.
    const x2 = copyOf(x), h2 = copyOf(h), c2 = copyOf(cell), w2 = weightsCopy(w);
    attempt(c, "lstmStep", () => lstmStep(x2, { h: h2, c: c2 }, w2), "");
    c.that("lstmStep leaves its arguments unchanged",
      near(x2, x, 0) && near(h2, h, 0) && near(c2, cell, 0) && near(w2.weight_ih, w.weight_ih, 0) && near(w2.weight_hh, w.weight_hh, 0) &&
        near(w2.bias_ih, w.bias_ih, 0) && near(w2.bias_hh, w.bias_hh, 0),
      "compute new tensors with kl ops; do not write into x, the state or the weights");

    // The tape: training needs the gradient to reach the state and every weight through the step.
    const leaves = { h: leafOf(h), c: leafOf(cell), weight_ih: leafOf(w.weight_ih), weight_hh: leafOf(w.weight_hh), bias_ih: leafOf(w.bias_ih), bias_hh: leafOf(w.bias_hh) };
    checkOnTape(c, "lstmStep", "h'", leaves, () => lstmStep(copyOf(x), { h: leaves.h, c: leaves.c },
      { weight_ih: leaves.weight_ih, weight_hh: leaves.weight_hh, bias_ih: leaves.bias_ih, bias_hh: leaves.bias_hh }).h);
  });
}

// ---------------------------------------------------------------------------------------------
// ch05-additive-path

/**
 * Exercise ch05-additive-path: fs[s] is the forget gate f_s [B, H] of step s = 0..T−1 (T =
 * fs.length); return the diagonal of ∂c_{T−1}/∂c_t along the additive path (the notebook's
 * section 3), as a [B, H] tensor.
 */
export function checkAdditivePath(additivePath: (fs: Tensor[], t: number) => Tensor): void {
  checkExercise("ch05-additive-path", (c) => {
    const { T, B, H, fs } = ch05Probes.additivePath();
    const key = (t: number) => `additive-path/t=${t}`;
    const call = (t: number) => {
      const copies = fs.map(copyOf);
      const r = attempt(c, `additivePath(fs, ${t}) (probe: T = ${T}, fs[s] is [${B}, ${H}])`, () => additivePath(copies, t),
        t === T - 1
          ? "for t = T − 1 no step comes after t, so there is no fs[t + 1] to start from: what is a product of no factors, for every example and unit?"
          : "fs[s] is the forget gate of step s, a [B, H] tensor; multiply them elementwise with kl.mul");
      c.that(`additivePath leaves fs unchanged (probe: t = ${t})`, copies.every((f, s) => near(f, fs[s], 0)), "multiply into a new tensor; do not write into the gates");
      return r;
    };

    const last = call(T - 1);
    if (last === undefined || last === null) {
      // Starting the product at fs[t + 1] leaves nothing to return when no step comes after t.
      const before = call(T - 2);
      c.that("with t = T − 1 no step comes after t, so the product is empty, and an empty product is 1 for every example and unit (yours returns nothing there)",
        !(before instanceof Tensor),
        "what does your product start from when there is no fs[t + 1]? Start it from something that is right for every t, including the last");
    }
    c.shape("the additive path's factor, one per example and unit, [B, H] (probe: t = T − 1)", last, [B, H],
      "keep it elementwise: the Jacobian along the additive path is diagonal, so its diagonal is all there is");
    c.that("with t = T − 1 there is no step in between, so the product is empty and equals 1 (yours includes f_{T−1})", !near(last, fs[T - 1]),
      "c_{T−1} depends on itself with derivative 1; the factors are the gates of the steps AFTER t");
    c.close("the empty product for t = T − 1: ∂c_{T−1}/∂c_{T−1} = 1", last, want(key(T - 1)), {
      hint: "how many gates lie strictly after t = T − 1, and what is a product of that many factors?",
    });

    const one = call(T - 2);
    const spread = (t: Tensor) => Math.max(...t.data) - Math.min(...t.data);
    c.that("the factor is unit by unit: each entry is the product of that example's and unit's own gates (yours is one number everywhere: an average?)",
      !(one instanceof Tensor && spread(one) < 1e-12 && spread(want(key(T - 2))) > 1e-9), "multiply the [B, H] gates elementwise, kl.mul, and keep every entry");
    c.that("one step back, the factor is the gate of the step that READ c_t, f_{t+1} (yours uses f_t)", !near(one, fs[T - 2]),
      "c_{t+1} = f_{t+1} ⊙ c_t + i_{t+1} ⊙ g_{t+1}: the derivative with respect to c_t is f_{t+1}");
    c.close("one step, ∂c_{T−1}/∂c_{T−2} (probe: t = T − 2)", one, want(key(T - 2)), { hint: "which step's update reads c_{T−2}, and which gate scales it there?" });

    const all = call(0);
    c.that("the product starts at f_{t+1} (yours also multiplies by f_t, the gate of the step that wrote c_t)", !near(all, want(`${key(0)}/mistake/with-f_t`)),
      "the factors are f_{t+1}, ..., f_{T−1}: T − 1 − t of them");
    c.that("the product runs to the last step (yours leaves out f_{T−1})", !near(all, want(`${key(0)}/mistake/without-last`)),
      "the factors are f_{t+1}, ..., f_{T−1}, the last included");
    c.that("the factors are multiplied, not added (yours is a sum of gates)", !near(all, want(`${key(0)}/mistake/sum`)),
      "each step scales the gradient once more: a product, kl.mul");
    c.close(`∂c_{T−1}/∂c_0 along the additive path (probe: t = 0)`, all, want(key(0)), { hint: "which steps lie between c_0 and c_{T−1}, and does each one's gate appear exactly once?" });
    c.close("a middle start, ∂c_{T−1}/∂c_2 (probe: t = 2)", call(2), want(key(2)), { hint: "which gates belong to the steps after t, and only those?" });
  });
}

// ---------------------------------------------------------------------------------------------
// ch05-forget-bias

function biasesOf(lstm: LSTM): { ih: Float64Array; hh: Float64Array }[] {
  return Array.from({ length: lstm.numLayers }, (_, l) => ({ ih: lstm.layer(l).bias_ih.data.slice(), hh: lstm.layer(l).bias_hh.data.slice() }));
}

function weightsOf(lstm: LSTM): number[] {
  const all: number[] = [];
  for (let l = 0; l < lstm.numLayers; l++) all.push(...lstm.layer(l).weight_ih.data, ...lstm.layer(l).weight_hh.data);
  return all;
}

const sameArray = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => v === b[i]);

/**
 * Exercise ch05-forget-bias: set the forget gate's bias of every layer of a kl.nn.LSTM to `value`:
 * the f block (entries H..2H−1) of bias_ih to value and of bias_hh to 0, so that the gate's total
 * bias is value; everything else unchanged.
 */
export function checkForgetBias(setForgetBias: (lstm: LSTM, value: number) => void): void {
  checkExercise("ch05-forget-bias", (c) => {
    const I = 3, H = 4;
    const run = (value: number, seed: number, layers: number) => {
      const lstm = new LSTM(I, H, { rng: new Rng(seed), numLayers: layers });
      const before = biasesOf(lstm);
      const weights = weightsOf(lstm);
      attempt(c, `setForgetBias(lstm, ${value}) (probe: kl.nn.LSTM(${I}, ${H}, { numLayers: ${layers} }))`, () => setForgetBias(lstm, value),
        "lstm.layer(l).bias_ih and .bias_hh are layer l's biases, [4H]; lstm.numLayers and lstm.hiddenSize say how many and how big");
      return { lstm, before, after: biasesOf(lstm), weights };
    };
    const block = (a: ArrayLike<number>, k: number) => Array.from(a).slice(k * H, (k + 1) * H);
    const fTotal = (b: { ih: Float64Array; hh: Float64Array }) => block(b.ih, 1).map((v, j) => v + b.hh[H + j]);

    const value = 2.5;
    const { lstm, before, after, weights } = run(value, 3, 2);
    c.that("setForgetBias leaves the weights unchanged", sameArray(weightsOf(lstm), weights),
      "only the biases change");
    c.that("setForgetBias changes the LSTM's own biases (yours left every bias of the LSTM as it was: were the new values put in new tensors?)",
      !after.every((b, l) => sameArray(b.ih, before[l].ih) && sameArray(b.hh, before[l].hh)),
      "write into the layer's tensors, lstm.layer(l).bias_ih.data[j] = ...: kl ops make new tensors, which the LSTM never reads");
    const l0 = after[0];
    c.that("the value goes into the forget gate's block, the second (entries H..2H−1); yours changed the first block, the input gate's",
      !(sameArray(block(l0.ih, 1), block(before[0].ih, 1)) && block(l0.ih, 0).every((v) => v === value)),
      "PyTorch's gate order is i, f, g, o: the f block of a [4H] bias is entries H to 2H − 1");
    for (const [k, name] of [[0, "i"], [2, "g"], [3, "o"]] as const) {
      c.that(`the ${name} block of bias_ih and bias_hh is left as it was (layer 1)`,
        sameArray(block(l0.ih, k), block(before[0].ih, k)) && sameArray(block(l0.hh, k), block(before[0].hh, k)),
        "set only entries H..2H−1 (the forget gate's)");
    }
    const total0 = fTotal(l0);
    c.that(`the forget gate sees bias_ih + bias_hh: both hold ${value}, so its bias is ${2 * value} (layer 1)`,
      !total0.every((v) => Math.abs(v - 2 * value) < 1e-12),
      "put the value in one of the two (bias_ih) and zeros in the other's f block");
    c.that("the forget gate sees bias_ih + bias_hh, and yours leaves bias_hh's f block at its random draw (layer 1)",
      !total0.every((v, j) => Math.abs(v - (value + before[0].hh[H + j])) < 1e-12),
      "zero the f block of bias_hh, so that the total is exactly the value");
    c.close(`the forget gate's total bias, bias_ih + bias_hh over its block (layer 1, value ${value})`, total0, total0.map(() => value), {
      tol: 1e-12, hint: "the gate adds the two biases: what must each one's f block hold for their sum to be the value?",
    });
    c.that("every layer gets the forget bias (yours left layer 2 of a two-layer LSTM as it was)",
      !(sameArray(after[1].ih, before[1].ih) && sameArray(after[1].hh, before[1].hh)),
      "loop over l = 0 .. lstm.numLayers − 1");
    const total1 = fTotal(after[1]);
    c.close(`the forget gate's total bias in layer 2 (value ${value})`, total1, total1.map(() => value), { tol: 1e-12, hint: "the same for every layer" });
    c.that("layer 2's i, g and o blocks are left as they were",
      [0, 2, 3].every((k) => sameArray(block(after[1].ih, k), block(before[1].ih, k)) && sameArray(block(after[1].hh, k), block(before[1].hh, k))),
      "set only the f block of each layer");

    const other = run(-1, 4, 1);
    const totalOther = fTotal(other.after[0]);
    c.close("the forget gate's total bias uses the value given (probe: value −1)", totalOther, totalOther.map(() => -1), {
      tol: 1e-12, hint: "use the argument `value`, not a fixed number",
    });
  });
}

// ---------------------------------------------------------------------------------------------
// ch05-forget-decay

/** What the learner's prediction returns. */
export interface ForgetDecay {
  /** The forget gate at initialisation: the factor per step along the additive path. */
  perStep: number;
  /** What is left after k steps. */
  afterK: number;
  /** The steps n after which half is left: perStep^n = 1/2. */
  halfLife: number;
}

/**
 * Exercise ch05-forget-decay: at initialisation (small weights) the forget gate is about σ(b_f);
 * the prediction for the additive path is the factor per step, what is left after k steps, and the
 * steps after which half is left.
 */
export function checkForgetDecay(forgetDecay: (forgetBias: number, k: number) => ForgetDecay): void {
  checkExercise("ch05-forget-decay", (c) => {
    const call = (b: number, k: number) => {
      const r = attempt(c, `forgetDecay(${b}, ${k})`, () => forgetDecay(b, k), "return { perStep, afterK, halfLife }");
      c.that(`forgetDecay returns { perStep, afterK, halfLife }, three numbers (probe: b_f = ${b}, k = ${k})`,
        r !== null && typeof r === "object" && [r.perStep, r.afterK, r.halfLife].every((v) => typeof v === "number"),
        "return an object with three numbers");
      return r;
    };
    for (const [b, k] of ch05Probes.forgetDecay) {
      const r = call(b, k);
      const key = `forget-decay/b=${b},k=${k}`;
      const p = wantNumber(`${key}/perStep`);
      const probe = `b_f = ${b}, k = ${k}`;
      c.that(`perStep is the forget gate, a sigmoid (yours is tanh(b_f)) (probe: ${probe})`, !nearNumber(r.perStep, Math.tanh(b), 1e-9) || nearNumber(p, Math.tanh(b), 1e-9),
        "f = σ(a_f), and at small weights a_f ≈ b_f");
      c.that(`perStep is what the gate KEEPS, σ(b_f) (yours is 1 − σ(b_f), what it forgets) (probe: ${probe})`, !nearNumber(r.perStep, 1 - p, 1e-9) || nearNumber(p, 0.5, 1e-9),
        "c_t = f_t ⊙ c_{t−1} + …: the factor along the path is f itself");
      c.that(`perStep is σ(b_f), not the bias itself (probe: ${probe})`, !nearNumber(r.perStep, b, 1e-9) || nearNumber(p, b, 1e-9),
        "pass the bias through the gate's sigmoid");
      c.close(`the factor per step, perStep (probe: ${probe})`, r.perStep, p, { tol: 1e-9, hint: "the forget gate's value when its pre-activation is b_f" });
      c.that(`afterK multiplies k factors (yours is perStep · k) (probe: ${probe})`, !nearNumber(r.afterK, wantNumber(`${key}/afterK/mistake/times-k`), 1e-9),
        "each step multiplies by perStep once more: a power, not a product with k");
      const oneMore = nearNumber(r.afterK, wantNumber(`${key}/afterK/mistake/one-factor-more`), 1e-9);
      c.that(`afterK has exactly k factors (yours has ${oneMore ? "k + 1" : "k − 1"}) (probe: ${probe})`,
        !oneMore && !nearNumber(r.afterK, wantNumber(`${key}/afterK/mistake/one-factor-less`), 1e-9),
        "k steps back, how many gates lie in between?");
      c.close(`what is left after k steps, afterK (probe: ${probe})`, r.afterK, wantNumber(`${key}/afterK`), { tol: 1e-9, hint: "over k steps the path passes k gates, each about perStep: what does that multiply to?" });
      const half = wantNumber(`${key}/halfLife`);
      c.that(`halfLife solves perStep^n = 1/2 (yours is 1/2 divided by perStep, or ln 2 divided by perStep) (probe: ${probe})`,
        (!nearNumber(r.halfLife, 0.5 / p, 1e-9) && !nearNumber(r.halfLife, Math.log(2) / p, 1e-9)) || nearNumber(r.halfLife, half, 1e-9),
        "take the logarithm of both sides of perStep^n = 1/2: what does n come out as?");
      c.that(`halfLife is positive: a factor below 1 takes a positive number of steps to halve (yours has the wrong sign) (probe: ${probe})`, !(r.halfLife < 0),
        "perStep is below 1 and so is 1/2: what sign does the logarithm of each have, and so their ratio?");
      c.that(`halfLife takes the same logarithm of both numbers (yours mixes log10 and ln) (probe: ${probe})`,
        !nearNumber(r.halfLife, wantNumber(`${key}/halfLife/mistake/log10-over-ln`), 1e-9) && !nearNumber(r.halfLife, wantNumber(`${key}/halfLife/mistake/ln-over-log10`), 1e-9),
        "a ratio of two logarithms is the same in any base, as long as both use the same one");
      c.that(`halfLife is the exact solution, not rounded to whole steps (yours is ${r.halfLife}, where n = ${half.toPrecision(4)}) (probe: ${probe})`,
        !(Number.isInteger(r.halfLife) && !Number.isInteger(half) && Math.abs(r.halfLife - half) < 1), "leave n as the logarithms give it: a fraction of a step is fine here");
      c.close(`the steps until half is left, halfLife (probe: ${probe})`, r.halfLife, half, { tol: 1e-9, hint: "for which n does perStep^n equal 1/2? Logarithms turn the power into a product" });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch05-parameter-count

/**
 * Exercise ch05-parameter-count: the number of parameters of kl.nn.LSTM(I, H, { numLayers: L })
 * (every layer's weight_ih, weight_hh, bias_ih and bias_hh).
 */
export function checkParameterCount(count: (inputSize: number, hiddenSize: number, numLayers: number) => number): void {
  checkExercise("ch05-parameter-count", (c) => {
    const call = (I: number, H: number, L: number) => {
      const r = attempt(c, `lstmParameterCount(${I}, ${H}, ${L})`, () => count(I, H, L), "return a number");
      c.that(`lstmParameterCount returns a whole number (probe: I = ${I}, H = ${H}, ${L} layer${L > 1 ? "s" : ""})`, typeof r === "number" && Number.isInteger(r),
        "count with whole numbers");
      return r as number;
    };
    const [oneLayer, twoLayers, threeLayers, wide] = ch05Probes.parameterCount;
    const key = ([I, H, L]: [number, number, number]) => `parameter-count/I=${I},H=${H},L=${L}`;
    const one = call(...oneLayer);
    c.that("an LSTM has four blocks of weights, one per gate (yours counts one, as for a vanilla RNN)", one !== wantNumber(`${key(oneLayer)}/mistake/one-block`),
      "i, f, g and o each have their own input weights, recurrent weights and biases: 4H rows");
    c.that("three blocks is a GRU; an LSTM has four (i, f, g, o)", one !== wantNumber(`${key(oneLayer)}/mistake/three-blocks`), "4H rows in weight_ih and weight_hh");
    c.that("the biases are counted (yours has weights only)", one !== wantNumber(`${key(oneLayer)}/mistake/no-biases`), "bias_ih and bias_hh are parameters too, 4H each");
    c.that("kl.nn.LSTM has two biases, bias_ih and bias_hh, as PyTorch's (yours counts one)", one !== wantNumber(`${key(oneLayer)}/mistake/one-bias`),
      "cuDNN's layout, kept by PyTorch: each layer has both bias_ih and bias_hh, although one bias would do");
    c.close("one layer, I = 3, H = 5", one, wantNumber(key(oneLayer)), { tol: 0, hint: "lstm.layer(0) has four tensors: what are the shapes of weight_ih, weight_hh, bias_ih and bias_hh, and how many numbers does each hold?" });
    const two = call(...twoLayers);
    c.that("a stacked LSTM has weights in every layer (yours counts the first layer only)", two !== wantNumber(`${key(twoLayers)}/mistake/first-layer-only`), "sum over the numLayers layers");
    c.that("layer 2 reads layer 1's hidden state, of size H, not the input (yours gives every layer I inputs)", two !== wantNumber(`${key(twoLayers)}/mistake/input-every-layer`),
      "weight_ih of layer l > 0 is [4H, H]");
    c.close("two layers, I = 3, H = 5", two, wantNumber(key(twoLayers)), { tol: 0, hint: "what does each layer read: the first the input of size I, and the others?" });
    c.close("three layers, I = 10, H = 4", call(...threeLayers), wantNumber(key(threeLayers)), { tol: 0, hint: "sum the layers" });
    c.close("one layer, I = 64, H = 32", call(...wide), wantNumber(key(wide)), { tol: 0, hint: "does your count hold for any I and H, or only for the small probes? Count each tensor's numbers from its shape" });
  });
}
