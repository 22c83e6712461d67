// Checks for the exercises of capstone 1, "A character LSTM from ops".
//
// The capstone builds a character language model on first names from basic ops, in PyTorch's
// layout: the LSTM's weight_ih [4H, V], weight_hh [4H, H], bias_ih and bias_hh [4H] (gate blocks
// in the order i, f, g, o) and a linear read-out head_weight [V, H], head_bias [V], with one-hot
// characters as inputs and time-major batches (ids [T, B], logits [T, B, V]):
//   a = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh,  i, f, o = σ(a_i, a_f, a_o),  g = tanh(a_g),
//   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c'),  logits_t = h_t W_outᵀ + b_out.
// Each check calls the learner's function on probes of its own, recognises the usual mistakes by
// the exact wrong answer they give, and names the term; it never prints the expected numbers.
// The last check measures the trained model against the threshold the hidden test uses.
import { checkExercise } from "../testing/exercise";
import { NO_GRADIENT, attempt, copyOf, near, nearNumber } from "./probes";
import { add, crossEntropy, index, linear, logSoftmax, mul, oneHot, reshape, sigmoid, softmax, split, stack, sub, sum, tanh } from "../ops";
import { noGrad } from "../autograd/tape";
import { lstmStep as libraryStep } from "../nn/lstm-cell";
import { clipGradNorm } from "../optim/clip";
import type { Optimizer } from "../optim/optimizer";
import { SGD } from "../optim/sgd";
import { Rng } from "../random";
import { Tensor, fromFlat, randn, zeros } from "../tensor";

/**
 * The held-out loss (mean cross-entropy of the next character, nats per character) below which
 * the hidden test passes a trained model. The teacher's solution reaches about 2.11 on the
 * held-out names (five training seeds: 2.10 to 2.12); the bigram table reaches 2.41, the unigram
 * 2.84, an untrained model 3.34. The public check holds the validation names to the same number.
 */
export const HELD_OUT_THRESHOLD = 2.3;

/** The model's parameters, under PyTorch's names for an LSTM layer and a linear read-out. */
export interface CharLstmParams {
  /** [4H, V]: the input weights of the gates i, f, g, o, stacked in that order. */
  weight_ih: Tensor;
  /** [4H, H]: the recurrent weights, stacked the same way. */
  weight_hh: Tensor;
  /** [4H] */
  bias_ih: Tensor;
  /** [4H] */
  bias_hh: Tensor;
  /** [V, H]: the read-out, one row of weights per character. */
  head_weight: Tensor;
  /** [V] */
  head_bias: Tensor;
}

/** The LSTM's state: the hidden state h and the cell state c, [B, H] each. */
export interface LstmState {
  h: Tensor;
  c: Tensor;
}

type Forward = (p: CharLstmParams, x: Tensor, state?: LstmState) => { logits: Tensor; state: LstmState };

/** The six tensors of the model in PyTorch's order (what the optimizer and the clipping see). */
const NAMES = ["weight_ih", "weight_hh", "bias_ih", "bias_hh", "head_weight", "head_bias"] as const;
type ParamName = (typeof NAMES)[number];

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;
const paramsCopy = (p: CharLstmParams): CharLstmParams =>
  Object.fromEntries(NAMES.map((k) => [k, fromFlat(p[k].data, p[k].shape, { requiresGrad: true })])) as unknown as CharLstmParams;
const stateCopy = (s: LstmState): LstmState => ({ h: copyOf(s.h), c: copyOf(s.c) });
const sameValues = (a: CharLstmParams, b: CharLstmParams) => NAMES.every((k) => near(a[k], b[k], 0));

/** Random probe parameters: V characters, H units; big enough that every term matters. */
function probeParams(seed: number, V: number, H: number, scale = 0.7): CharLstmParams {
  const rng = new Rng(seed);
  return {
    weight_ih: randn([4 * H, V], rng).mul(scale),
    weight_hh: randn([4 * H, H], rng).mul(scale),
    bias_ih: randn([4 * H], rng).mul(0.5),
    bias_hh: randn([4 * H], rng).mul(0.5),
    head_weight: randn([V, H], rng).mul(1.5),
    head_bias: randn([V], rng).mul(0.5),
  };
}

// ---------------------------------------------------------------------------------------------
// cap1-init

/**
 * Exercise cap1-init: the six tensors of PyTorch's nn.LSTM(V, H) and nn.Linear(H, V), drawn from
 * U(−1/√H, 1/√H) in that order (weight_ih, weight_hh, bias_ih, bias_hh, head_weight, head_bias,
 * each row-major) with the rng given, then the forget gate's total bias set to 1 (bias_ih's f
 * block to 1, bias_hh's to 0); all leaves that require grad.
 */
export function checkInitParams(initParams: (vocabSize: number, hiddenSize: number, rng: Rng) => CharLstmParams): void {
  checkExercise("cap1-init", (c) => {
    const probe = (V: number, H: number, seed: number) => {
      const got = attempt(c, `initParams(${V}, ${H}, new kl.Rng(${seed}))`, () => initParams(V, H, new Rng(seed)),
        "draw each tensor with kl.uniform(shape, −k, k, rng, { requiresGrad: true }), k = 1/√H");
      c.that(`initParams returns { ${NAMES.join(", ")} }, all tensors (probe: V = ${V}, H = ${H})`,
        got !== null && typeof got === "object" && NAMES.every((k) => isTensor(got[k])),
        "return an object with the six tensors under these names");
      return got;
    };
    const V = 5, H = 3;
    const got = probe(V, H, 11);
    const shapes: Record<ParamName, number[]> = { weight_ih: [4 * H, V], weight_hh: [4 * H, H], bias_ih: [4 * H], bias_hh: [4 * H], head_weight: [V, H], head_bias: [V] };
    const layoutHint: Record<ParamName, string> = {
      weight_ih: "PyTorch's layout is [4H, I]: one row per gate unit (four blocks of H rows), one column per input (here the V characters)",
      weight_hh: "[4H, H]: one row per gate unit, one column per hidden unit",
      bias_ih: "one bias per gate unit: 4H numbers",
      bias_hh: "one bias per gate unit: 4H numbers",
      head_weight: "nn.Linear(H, V) keeps its weight as [out, in] = [V, H]",
      head_bias: "one bias per character: V numbers",
    };
    for (const k of NAMES) c.shape(`${k} (probe: V = ${V}, H = ${H})`, got[k], shapes[k], layoutHint[k]);
    for (const k of NAMES) {
      c.that(`${k} is a leaf that requires grad (yours ${got[k].requiresGrad ? "was made by an op" : "has requiresGrad false"})`,
        got[k].requiresGrad && got[k]._node === null,
        got[k].requiresGrad ? "make the tensor with the factory's { requiresGrad: true } rather than by an op on a tensor" : "pass { requiresGrad: true } to kl.uniform, or the optimizer cannot train it");
    }

    // The forget block: bias_ih[H..2H) = 1 and bias_hh[H..2H) = 0.
    const block = (t: Tensor, b: number) => Array.from(t.data.slice(b * H, (b + 1) * H));
    const all = (xs: number[], v: number) => xs.every((x) => x === v);
    ["the input gate i", "the candidate g", "the output gate o"].forEach((role, idx) => {
      const b = [0, 2, 3][idx];
      c.that(`the bias of 1 goes in the forget gate's block, rows H to 2H − 1 (yours set block ${b + 1}, ${role}'s)`,
        !(all(block(got.bias_ih, b), 1) && !all(block(got.bias_ih, 1), 1)), "PyTorch stacks the gates in the order i, f, g, o: the forget gate is the second block");
    });
    c.that("the forget gate's TOTAL bias is 1 (yours sets both bias_ih and bias_hh to 1 in the f block: the gate sees 2)",
      !(all(block(got.bias_ih, 1), 1) && all(block(got.bias_hh, 1), 1)), "the gate adds bias_ih and bias_hh: set one of them to 1 and the other to 0");
    c.that("bias_ih's forget block is 1 (rows H to 2H − 1)", all(block(got.bias_ih, 1), 1),
      "after drawing, fill bias_ih.data from H to 2H with 1 (the forget gate starts open, as Gers et al. and Jozefowicz et al. advise)");
    c.that("bias_hh's forget block is 0 (rows H to 2H − 1), so that the gate's total bias is exactly 1", all(block(got.bias_hh, 1), 0),
      "the gate adds bias_ih and bias_hh: after drawing, fill bias_hh.data from H to 2H with 0");

    // The draws: the same generator, in PyTorch's order, from U(−1/√H, 1/√H).
    const want = referenceInit(V, H, new Rng(11));
    const k = 1 / Math.sqrt(H);
    for (const n of NAMES) {
      const g = masked(got[n], n, H), w = masked(want[n], n, H);
      const j = w.data.findIndex((v) => Math.abs(v) > 1e-3);
      const r = j >= 0 ? g.data[j] / w.data[j] : 1;
      if (Math.abs(r - 1) > 1e-9 && near(g, w.mul(r), 1e-9)) {
        const bounds = [[1 / Math.sqrt(V), "1/√V (the input size)"], [1 / H, "1/H"], [1, "1"], [1 / Math.sqrt(4 * H), "1/√(4H)"], [Math.sqrt(6 / (V + 4 * H)), "Xavier's √(6/(fan in + fan out))"]] as const;
        const which = bounds.find(([b]) => Math.abs(b / k - r) < 1e-9);
        c.that(`${n} is drawn from U(−1/√H, 1/√H) (yours from ±${(r * k).toPrecision(3)}${which ? `, a bound of ${which[1]}` : ""})`, false,
          "PyTorch draws every LSTM weight and bias from ±1/√H, H the hidden size; nn.Linear(H, V) uses 1/√(in features) = 1/√H too");
      }
    }
    const outside = NAMES.find((n) => got[n].data.some((v, j) => Math.abs(v) > k + 1e-12 && !(n === "bias_ih" && j >= H && j < 2 * H)));
    if (outside !== undefined) {
      const m = Math.max(...Array.from(got[outside].data, Math.abs));
      const bound = [[1 / Math.sqrt(V), "1/√V (the input size)"], [1, "1"], [1 / Math.sqrt(4 * H), "1/√(4H)"]] as const;
      const which = bound.find(([b]) => m <= b && m > k);
      c.that(`${outside} is drawn from U(−1/√H, 1/√H) (yours has a value of size ${m.toPrecision(2)}, outside ±1/√H${which ? `: a bound of ${which[1]}?` : ""})`, false,
        "PyTorch draws every LSTM weight and bias from ±1/√H, H the hidden size; nn.Linear(H, V) uses 1/√(in features) = 1/√H too");
    }
    const firstWrong = NAMES.find((n) => !near(masked(got[n], n, H), masked(want[n], n, H), 1e-12));
    if (firstWrong !== undefined) {
      const pool = NAMES.map((n) => masked(want[n], n, H));
      const elsewhere = NAMES.find((n) => n !== firstWrong && want[n].size === got[firstWrong].size && near(masked(got[firstWrong], firstWrong, H), pool[NAMES.indexOf(n)], 1e-12));
      const earlier = NAMES.slice(0, NAMES.indexOf(firstWrong));
      c.that(`${firstWrong} holds ${earlier.length ? `the draws that come after ${earlier.join(", ")}` : "the rng's first draws (it is drawn first)"}` +
        (elsewhere ? ` (yours holds the draws meant for ${elsewhere})` : ""), false,
        `draw with the rng given, one tensor after the other in PyTorch's order: ${NAMES.join(", ")}; each with kl.uniform(shape, −1/√H, 1/√H, rng), and nothing else drawn in between`);
    }
    const rngGot = new Rng(12);
    attempt(c, "initParams", () => initParams(V, H, rngGot), "");
    const rngWant = new Rng(12);
    referenceInit(V, H, rngWant);
    c.that("initParams draws exactly the numbers the six tensors need from the rng, no more (the next draw from the rng differs)",
      rngGot.uniform(0, 1) === rngWant.uniform(0, 1), "set the forget bias by writing into bias_ih and bias_hh, not by drawing again");

    // Other sizes: nothing hard-wired.
    const other = probe(4, 6, 13);
    const otherWant = referenceInit(4, 6, new Rng(13));
    for (const n of NAMES) {
      c.close(`${n} for another size (probe: V = 4, H = 6)`, other[n], otherWant[n], { tol: 1e-12, hint: "take the sizes from the arguments vocabSize and hiddenSize" });
    }
  });
}

/** The reference initialisation (also what kl.nn.LSTM and kl.nn.Linear draw, then the forget bias). */
function referenceInit(V: number, H: number, rng: Rng): CharLstmParams {
  const k = 1 / Math.sqrt(H);
  const u = (shape: number[]) => {
    const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-k, k);
    return fromFlat(data, shape, { requiresGrad: true });
  };
  const p = { weight_ih: u([4 * H, V]), weight_hh: u([4 * H, H]), bias_ih: u([4 * H]), bias_hh: u([4 * H]), head_weight: u([V, H]), head_bias: u([V]) };
  p.bias_ih.data.fill(1, H, 2 * H);
  p.bias_hh.data.fill(0, H, 2 * H);
  return p;
}

/** A copy with the forget block of the biases zeroed (compared separately from the draws). */
function masked(t: Tensor, name: ParamName, H: number): Tensor {
  const out = copyOf(t);
  if (name === "bias_ih" || name === "bias_hh") out.data.fill(0, H, 2 * H);
  return out;
}

// ---------------------------------------------------------------------------------------------
// cap1-lstm-step

interface StepVariant {
  order?: [number, number, number, number];
  acts?: [(t: Tensor) => Tensor, (t: Tensor) => Tensor, (t: Tensor) => Tensor, (t: Tensor) => Tensor];
  bih?: boolean;
  bhh?: boolean;
  readC?: boolean;
  cNext?: (f: Tensor, c: Tensor, i: Tensor, g: Tensor) => Tensor;
  hNext?: (o: Tensor, cNext: Tensor, c: Tensor) => Tensor;
}

/** The step, or one of its usual wrong versions. */
function variantStep(x: Tensor, s: LstmState, p: CharLstmParams, v: StepVariant = {}): LstmState {
  let pre = add(linear(x, p.weight_ih), linear(v.readC ? s.c : s.h, p.weight_hh));
  if (v.bih !== false) pre = add(pre, p.bias_ih);
  if (v.bhh !== false) pre = add(pre, p.bias_hh);
  const blocks = split(pre, 4, 1);
  const [oi, of, og, oo] = v.order ?? [0, 1, 2, 3];
  const [ai, af, ag, ao] = v.acts ?? [sigmoid, sigmoid, tanh, sigmoid];
  const i = ai(blocks[oi]), f = af(blocks[of]), g = ag(blocks[og]), o = ao(blocks[oo]);
  const cNext = v.cNext ? v.cNext(f, s.c, i, g) : add(mul(f, s.c), mul(i, g));
  const hNext = v.hNext ? v.hNext(o, cNext, s.c) : mul(o, tanh(cNext));
  return { h: hNext, c: cNext };
}

const STEP_MISTAKES: { what: string; hint: string; v: StepVariant }[] = [
  { what: "the gate blocks are in PyTorch's order i, f, g, o (yours reads them as i, f, o, g)", hint: "kl.split(pre, 4, 1) gives the blocks in the order i, f, g, o: the candidate is the third", v: { order: [0, 1, 3, 2] } },
  { what: "the gate blocks are in PyTorch's order i, f, g, o (yours reads them as f, i, g, o)", hint: "the input gate is the first block, the forget gate the second", v: { order: [1, 0, 2, 3] } },
  { what: "the gate blocks are in PyTorch's order i, f, g, o (yours reads them as i, g, f, o)", hint: "kl.split(pre, 4, 1) gives the blocks in the order i, f, g, o", v: { order: [0, 2, 1, 3] } },
  { what: "the candidate g uses tanh (yours uses the sigmoid)", hint: "the candidate is new content, in (−1, 1) so that it can raise or lower the memory", v: { acts: [sigmoid, sigmoid, sigmoid, sigmoid] } },
  { what: "the forget gate f uses the sigmoid (yours uses tanh)", hint: "a gate is a fraction between 0 and 1: kl.sigmoid", v: { acts: [sigmoid, tanh, tanh, sigmoid] } },
  { what: "the pre-activation includes bias_hh (yours has bias_ih only)", hint: "the layer has two biases, as PyTorch's: does each of the two products bring its own?", v: { bhh: false } },
  { what: "the pre-activation includes bias_ih (yours has bias_hh only)", hint: "the layer has two biases, as PyTorch's: does each of the two products bring its own?", v: { bih: false } },
  { what: "the recurrent term reads the hidden state h (yours reads the cell state c)", hint: "the gates look at h_{t−1}, what the cell showed at the last step; c is the memory they act on", v: { readC: true } },
  { what: "c' includes the i ⊙ g term (yours is f ⊙ c alone: nothing new is written)", hint: "where does new content enter the memory, and which gate decides how much of it?", v: { cNext: (f, c) => mul(f, c) } },
  { what: "c' includes the f ⊙ c term (yours is i ⊙ g alone: the old memory is dropped)", hint: "what happens to the old memory c from one step to the next?", v: { cNext: (_f, _c, i, g) => mul(i, g) } },
  { what: "the old memory c is scaled by the forget gate (yours adds c unscaled: c + i ⊙ g)", hint: "f ⊙ c: the forget gate decides how much of the memory to keep", v: { cNext: (_f, c, i, g) => add(c, mul(i, g)) } },
  { what: "the candidate g is scaled by the input gate (yours adds g unscaled: f ⊙ c + g)", hint: "i ⊙ g: the input gate decides how much of the candidate to write", v: { cNext: (f, c, _i, g) => add(mul(f, c), g) } },
  { what: "f is what the gate KEEPS: yours scales the old memory c by 1 − f", hint: "with f = 1 the cell should keep all of c: which factor on c gives that?", v: { cNext: (f, c, i, g) => add(mul(sub(1, f), c), mul(i, g)) } },
  { what: "h' squashes the new cell state with tanh (yours is o ⊙ c')", hint: "the cell state can grow beyond ±1; h' shows tanh(c'), scaled by the output gate", v: { hNext: (o, cn) => mul(o, cn) } },
  { what: "h' uses the NEW cell state c' (yours uses the old c: o ⊙ tanh(c))", hint: "which cell state should the new hidden state show: the one passed in, or the one this step computed?", v: { hNext: (o, _cn, c) => mul(o, tanh(c)) } },
  { what: "h' is scaled by the output gate (yours is tanh(c') alone)", hint: "which gate decides how much of the memory the rest of the network sees?", v: { hNext: (_o, cn) => tanh(cn) } },
];

/** Exercise cap1-lstm-step: one LSTM step for a batch of rows, returning the next { h, c }. */
export function checkLstmStep(lstmStep: (x: Tensor, state: LstmState, p: CharLstmParams) => LstmState): void {
  checkExercise("cap1-lstm-step", (c) => {
    const V = 5, H = 4, B = 3;
    const p = probeParams(21, V, H);
    const rng = new Rng(22);
    const x = randn([B, V], rng);
    const s: LstmState = { h: randn([B, H], rng).mul(0.7), c: randn([B, H], rng).mul(1.5) };
    const call = (xx: Tensor, ss: LstmState, pp: CharLstmParams, probe: string): LstmState => {
      const r = attempt(c, `lstmStep on the probe (${probe})`, () => lstmStep(copyOf(xx), stateCopy(ss), paramsCopy(pp)),
        "x is [B, I], h and c are [B, H]; kl.linear(x, W, b) computes x Wᵀ + b, and kl.split(pre, 4, 1) cuts [B, 4H] into the blocks i, f, g, o");
      c.that(`lstmStep returns { h, c }, both tensors (probe: ${probe})`, r !== null && typeof r === "object" && isTensor(r.h) && isTensor(r.c),
        "return the next hidden state and the next cell state as { h, c }");
      return r;
    };
    const full = call(x, s, p, `B = ${B}, I = ${V}, H = ${H}, all terms`);
    c.shape(`h', one row per example (probe: B = ${B}, H = ${H})`, full.h, [B, H]);
    c.shape(`c', one row per example (probe: B = ${B}, H = ${H})`, full.c, [B, H]);
    const want = variantStep(x, s, p);
    for (const m of STEP_MISTAKES) {
      const wrong = variantStep(x, s, p, m.v);
      c.that(m.what, !(near(full.h, wrong.h) && near(full.c, wrong.c)) || (near(wrong.h, want.h) && near(wrong.c, want.c)), m.hint);
    }
    // One term at a time, through the gates.
    const zeroBias = { ...p, bias_ih: zeros([4 * H]), bias_hh: zeros([4 * H]) };
    const biasOnly = call(zeros([B, V]), { h: zeros([B, H]), c: s.c }, p, "x = 0, h = 0");
    c.close("c' from the biases alone (probe: x = 0, h = 0)", biasOnly.c, variantStep(zeros([B, V]), { h: zeros([B, H]), c: s.c }, p).c, {
      hint: "with x = 0 and h = 0, what is left of the pre-activation? Are both of the layer's biases in it?",
    });
    const inputOnly = call(x, { h: zeros([B, H]), c: s.c }, zeroBias, "h = 0, biases 0");
    c.close("c' from the input term x W_ihᵀ alone (probe: h = 0, biases 0)", inputOnly.c, variantStep(x, { h: zeros([B, H]), c: s.c }, zeroBias).c, {
      hint: "which of the two weight matrices does the input x go through, and is it transposed the way kl.linear expects?",
    });
    const recurrentOnly = call(zeros([B, V]), s, zeroBias, "x = 0, biases 0");
    c.close("c' from the recurrent term h W_hhᵀ alone (probe: x = 0, biases 0)", recurrentOnly.c, variantStep(zeros([B, V]), s, zeroBias).c, {
      hint: "which of the two weight matrices does the previous hidden state go through?",
    });
    c.close("the new cell state c'", full.c, want.c, { hint: "c' = f ⊙ c + i ⊙ g: which of the c passed in and the new gates goes into each product?" });
    c.close("the new hidden state h'", full.h, want.h, { hint: "h' = o ⊙ tanh(c'), with the c' this step computed" });

    // The arguments are left as they were.
    const x2 = copyOf(x), s2 = stateCopy(s), p2 = paramsCopy(p);
    attempt(c, "lstmStep", () => lstmStep(x2, s2, p2), "");
    c.that("lstmStep leaves its arguments unchanged", near(x2, x, 0) && near(s2.h, s.h, 0) && near(s2.c, s.c, 0) && sameValues(p2, p),
      "compute new tensors with kl ops; do not write into x, the state or the weights");
    // Differentiable: the tape reaches the weights (training needs it).
    const leaves = paramsCopy(p);
    const r = attempt(c, "lstmStep with weights that require grad", () => lstmStep(copyOf(x), stateCopy(s), leaves), "build the step from kl ops only");
    attempt(c, "backward() through your step", () => sum(add(r.h, r.c)).backward(), "build the step from kl ops on the weights (no .data, no plain numbers), so that backward() can reach them");
    const ref = paramsCopy(p);
    const rr = variantStep(x, s, ref);
    sum(add(rr.h, rr.c)).backward();
    for (const k of ["weight_ih", "weight_hh", "bias_hh"] as const) {
      c.close(`the gradient reaching ${k} through your step`, leaves[k].grad ?? undefined, ref[k].grad!, { missing: NO_GRADIENT, hint: "every part of the step must be a kl op, so that backward() can reach the weights" });
    }

  });
}

// ---------------------------------------------------------------------------------------------
// cap1-forward

interface ForwardVariant {
  carry?: boolean;
  headBias?: boolean;
  readC?: boolean;
  readBefore?: boolean; // the read-out of step t from the state before the step
  ignoreState?: boolean;
  returned?: "last" | "initial" | "first";
}

function variantForward(p: CharLstmParams, x: Tensor, state: LstmState | undefined, v: ForwardVariant = {}): { logits: Tensor; state: LstmState } {
  const [T, B] = x.shape;
  const H = p.weight_hh.shape[1];
  const V = p.head_weight.shape[0];
  const initial = state && !v.ignoreState ? state : { h: zeros([B, H]), c: zeros([B, H]) };
  let s = initial;
  const outs: Tensor[] = [];
  const states: LstmState[] = [];
  for (let t = 0; t < T; t++) {
    const before = s;
    s = libraryStep(oneHot(index(x, 0, t), V), v.carry === false ? initial : s, p);
    states.push(s);
    outs.push(v.readC ? s.c : v.readBefore ? before.h : s.h);
  }
  const flat = reshape(stack(outs, 0), [T * B, H]);
  const logits = reshape(v.headBias === false ? linear(flat, p.head_weight) : linear(flat, p.head_weight, p.head_bias), [T, B, V]);
  const returned = v.returned === "initial" ? initial : v.returned === "first" ? states[0] : states[T - 1];
  return { logits, state: returned };
}

const FORWARD_MISTAKES: { what: string; hint: string; v: ForwardVariant }[] = [
  { what: "the state is carried from step to step (yours starts every step from the initial state)", hint: "after each step, the state it returns is the state the next step reads", v: { carry: false } },
  { what: "the read-out adds head_bias (yours is h W_outᵀ without it)", hint: "the read-out is a linear layer: kl.linear(h, head_weight, head_bias)", v: { headBias: false } },
  { what: "the read-out reads the hidden state h (yours reads the cell state c)", hint: "what the rest of the network sees of the LSTM is h_t = o_t ⊙ tanh(c_t)", v: { readC: true } },
  { what: "the logits at step t read the h that step t returns (yours read h_{t−1}, the state before the step)", hint: "take the step first, then read out the h it returned", v: { readBefore: true } },
];

/**
 * Exercise cap1-forward: ids x [T, B] → one-hot inputs → your lstmStep at every step (from the
 * state given, or zeros) → logits [T, B, V] from a linear read-out of every h_t, and the state
 * after the last step.
 */
export function checkForward(charLstmForward: Forward): void {
  checkExercise("cap1-forward", (c) => {
    const V = 6, H = 4, T = 5, B = 2;
    const p = probeParams(31, V, H);
    const x = fromFlat([0, 3, 2, 5, 4, 1, 1, 1, 5, 0], [T, B]);
    const s0: LstmState = { h: randn([B, H], new Rng(32)).mul(0.6), c: randn([B, H], new Rng(33)) };
    type Out = { logits: Tensor; state: LstmState };
    const call = (xx: Tensor, state: LstmState | undefined, probe: string): Out => {
      const r = attempt(c, `charLstmForward on the probe (${probe})`, () => charLstmForward(paramsCopy(p), copyOf(xx), state ? stateCopy(state) : undefined),
        "x holds character ids [T, B]: kl.oneHot(x, V) is [T, B, V], and kl.index(oneHots, 0, t) is step t's input [B, V]");
      c.that(`charLstmForward returns { logits, state: { h, c } } (probe: ${probe})`,
        r !== null && typeof r === "object" && isTensor(r.logits) && r.state !== null && typeof r.state === "object" && isTensor(r.state.h) && isTensor(r.state.c),
        "return the logits and the state after the last step");
      return r;
    };
    const fromZero = call(x, undefined, `T = ${T}, B = ${B}, V = ${V}, H = ${H}, no state given`);
    if (fromZero.logits.shape.length === 2 && fromZero.logits.shape[0] === T * B) {
      c.shape("the logits keep the time and batch axes, [T, B, V] (yours are [T·B, V])", fromZero.logits, [T, B, V], "reshape the read-out's [T·B, V] back to [T, B, V]");
    }
    c.shape("the logits, one row of V scores per step and sequence", fromZero.logits, [T, B, V]);
    c.shape("the state's h after the last step", fromZero.state.h, [B, H]);
    c.shape("the state's c after the last step", fromZero.state.c, [B, H]);
    const want = variantForward(p, x, undefined);
    for (const m of FORWARD_MISTAKES) {
      const wrong = variantForward(p, x, undefined, m.v);
      c.that(m.what, !near(fromZero.logits, wrong.logits), m.hint);
    }
    // Is the learner's step right? If not, say so before the longer probes: the pass inherits its mistakes.
    const stepOnly = variantForward(p, fromFlat([3, 1], [1, B]), undefined);
    const oneStep = call(fromFlat([3, 1], [1, B]), undefined, "T = 1");
    const oneStepAgain = call(fromFlat([3, 1], [1, B]), undefined, "T = 1, called a second time");
    c.that("a call without a state starts from zeros every time (yours gave other logits when called again: a state kept between calls?)",
      near(oneStepAgain.logits, oneStep.logits, 1e-12), "keep the state in a local variable of charLstmForward, starting from zeros when no state is passed");
    c.close("the logits of a single step (probe: T = 1, from zeros)", oneStep.logits, stepOnly.logits, {
      hint: "with T = 1 this is one lstmStep on the one-hot input, from h = c = 0, then the read-out: does cap1-lstm-step pass, and is the input kl.oneHot of the ids with V columns?",
    });
    c.close("the logits at every step, from a zero state", fromZero.logits, want.logits, { hint: "step t reads the one-hot of x[t] and the state of step t − 1; the read-out applies to every h_t" });
    c.that("the state returned is the one after the LAST step (yours is the one after the first)",
      !(near(fromZero.state.h, variantForward(p, x, undefined, { returned: "first" }).state.h) && T > 1), "return the state the loop ends with");
    c.close("the state's h after the last step", fromZero.state.h, want.state.h, { hint: "return the state the loop ends with" });
    c.close("the state's c after the last step", fromZero.state.c, want.state.c, { hint: "return the state the loop ends with, both h and c" });

    // A state given: the pass continues from it.
    const given = call(x, s0, "a state given");
    c.that("the pass starts from the state given (yours starts from zeros when a state is passed)", !near(given.logits, want.logits),
      "use the state argument when there is one; zeros only when it is undefined");
    c.close("the logits when a state is given", given.logits, variantForward(p, x, s0).logits, { hint: "the first step reads the state passed in" });
    // Reading in two pieces, the state carried over, gives the same as reading at once.
    const first = call(fromFlat(x.data.slice(0, 2 * B), [2, B]), undefined, "the first 2 steps");
    const rest = call(fromFlat(x.data.slice(2 * B), [T - 2, B]), first.state, "the last 3 steps, from the state the first 2 ended with");
    c.close("the last 3 steps' logits when read after the first 2 with the state carried over (the grader reads your model one character at a time like this)",
      rest.logits, fromFlat(want.logits.data.slice(2 * B * V), [T - 2, B, V]), { hint: "return the state after the LAST step, and start from the state passed in" });

    // Differentiable: backward() from the logits reaches the weights.
    const leaves = paramsCopy(p);
    const out = attempt(c, "charLstmForward with weights that require grad", () => charLstmForward(leaves, copyOf(x)), "build the forward pass from kl ops only");
    const r = randn([T, B, V], new Rng(34));
    attempt(c, "backward() through your forward pass", () => sum(mul(out.logits, r)).backward(), "build everything from kl ops on the weights (no .data), so that backward() can reach them");
    const ref = paramsCopy(p);
    sum(mul(variantForward(ref, x, undefined).logits, r)).backward();
    for (const k of ["weight_ih", "weight_hh", "head_weight", "head_bias"] as const) {
      c.close(`the gradient reaching ${k} through your forward pass`, leaves[k].grad ?? undefined, ref[k].grad!, { missing: NO_GRADIENT, hint: "every part of the pass must be a kl op on the weights, so that backward() can reach them" });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// cap1-loss

/** Mean over the real steps of −log p(target), in plain numbers (logits [T, B, V], targets and mask [T, B]). */
function referenceLoss(logits: Tensor, targets: ArrayLike<number>, mask: ArrayLike<number>): number {
  const V = logits.shape[logits.shape.length - 1];
  const N = logits.size / V;
  const logp = logSoftmax(reshape(logits, [N, V]), -1);
  let total = 0, count = 0;
  for (let n = 0; n < N; n++) {
    total -= mask[n] * logp.data[n * V + targets[n]];
    count += mask[n];
  }
  return total / count;
}

/**
 * Exercise cap1-loss: the next-character cross-entropy from logits [T, B, V], targets [T, B] and a
 * mask [T, B]: −log p(target) averaged over the real steps (mask 1), a scalar tensor on the tape.
 */
export function checkNextCharLoss(nextCharLoss: (logits: Tensor, targets: Tensor, mask: Tensor) => Tensor): void {
  checkExercise("cap1-loss", (c) => {
    const T = 3, B = 2, V = 5;
    const call = (logits: Tensor, targets: number[], mask: number[], probe: string) =>
      attempt(c, `nextCharLoss on the probe (${probe})`, () => nextCharLoss(copyOf(logits), fromFlat(targets, [T, B]), fromFlat(mask, [T, B])),
        "logits are [T, B, V], targets and mask [T, B]: kl.reshape them to [T·B, V] and [T·B] first");
    const value = (t: unknown): number | undefined => (t instanceof Tensor && t.size === 1 ? t.data[0] : undefined);

    const uniform = call(zeros([T, B, V]), [0, 3, 1, 4, 2, 2], [1, 1, 1, 1, 1, 1], "uniform logits, no padding");
    c.shape("the loss, a scalar tensor (shape [])", uniform, [], "reduce with kl.sum, which returns shape []");
    c.that("the loss is the mean over the steps, not the sum (yours is T·B·ln V for uniform logits)", !nearNumber(value(uniform), T * B * Math.log(V)),
      "divide the sum by the number of real steps");
    c.close("−log p for uniform logits, ln V (probe: V = 5, no padding)", value(uniform), Math.log(V), { hint: "−log(1/V) at every step, averaged over the steps" });

    const logits = randn([T, B, V], new Rng(41)).mul(2);
    const targets = [2, 0, 4, 1, 3, 2];
    const all = [1, 1, 1, 1, 1, 1];
    const got = call(logits, targets, all, "random logits, no padding");
    const probs = softmax(logits, -1);
    const flatP = (n: number, v: number) => probs.data[n * V + v];
    let argmaxLoss = 0, plainP = 0, transposed = 0, transposedBack = 0;
    for (let n = 0; n < T * B; n++) {
      let best = 0;
      for (let v = 1; v < V; v++) if (flatP(n, v) > flatP(n, best)) best = v;
      argmaxLoss -= Math.log(flatP(n, best)) / (T * B);
      plainP -= flatP(n, targets[n]) / (T * B);
      const [t, b] = [Math.floor(n / B), n % B];
      transposed -= Math.log(flatP(n, targets[b * T + t])) / (T * B);
      const [t2, b2] = [n % T, Math.floor(n / T)];
      transposedBack -= Math.log(flatP(n, targets[t2 * B + b2])) / (T * B);
    }
    c.that("the loss reads the probability of the TARGET character (yours used the most likely one)", !nearNumber(value(got), argmaxLoss),
      "pick entry targets[t, b] of the row of step t, sequence b (multiply by kl.oneHot(targets, V) and sum each row)");
    c.that("the loss takes the log of the probability (yours averages −p, not −log p)", !nearNumber(value(got), plainP), "use kl.logSoftmax, or kl.log of the softmax");
    c.that("logits[t, b] is scored against targets[t, b] (yours pairs the rows of the logits with the targets read sequence by sequence)",
      !nearNumber(value(got), transposed) && !nearNumber(value(got), transposedBack), "reshape both the logits and the targets the same way, time first: [T, B, V] → [T·B, V] and [T, B] → [T·B]");
    c.close("−log p(target) averaged over the steps (probe: random logits, no padding)", value(got), referenceLoss(logits, targets, all), {
      hint: "log-softmax each row over the V characters, pick the target's entry, negate, average",
    });

    const mask = [1, 1, 1, 0, 0, 0];
    const wantMasked = referenceLoss(logits, targets, mask);
    const masked = call(logits, targets, mask, "mask 1, 1, 1, 0, 0, 0: three padded steps");
    c.that("the mean is over the real steps only (yours divides the masked sum by all T·B steps)", !nearNumber(value(masked), (wantMasked * 3) / 6),
      "divide by the number of 1s in the mask, not by T·B");
    c.that("padded steps are left out of the sum (yours averages every step)", !nearNumber(value(masked), referenceLoss(logits, targets, all)),
      "multiply each step's −log p by its mask entry before summing");
    c.close("the loss with padded steps left out", value(masked), wantMasked, { hint: "multiply each step's −log p by its mask entry, sum, divide by the sum of the mask" });
    c.close("the loss for large logits (probe: every logit + 1000, which must not change it)", value(call(logits.add(1000), targets, mask, "the same logits + 1000")), wantMasked, {
      hint: "e^1000 overflows: use kl.logSoftmax, which subtracts each row's maximum first",
    });

    const leaf = fromFlat(logits.data, logits.shape, { requiresGrad: true });
    const loss = attempt(c, "nextCharLoss with logits that require grad", () => nextCharLoss(leaf, fromFlat(targets, [T, B]), fromFlat(mask, [T, B])), "build the loss from kl ops only");
    attempt(c, "loss.backward()", () => loss.backward(), "build the loss from kl ops on the logits (no .data, no plain numbers), so that backward() can reach them");
    const wantGrad = mul(sub(probs, oneHot(fromFlat(targets, [T, B]), V)), fromFlat(mask, [T, B, 1])).mul(1 / 3);
    c.close("the gradient of the loss with respect to the logits", leaf.grad ?? undefined, wantGrad, {
      missing: NO_GRADIENT, hint: "every step of the computation must be a kl op on the logits; a padded step gets no gradient",
    });
  });
}

// ---------------------------------------------------------------------------------------------
// cap1-clip

/** Parameters with gradients of a given size (a fresh copy each time). */
function gradParams(seed: number, scale: number): Tensor[] {
  const rng = new Rng(seed);
  return [[3, 4], [4], [2, 3]].map((shape) => {
    const p = randn(shape, rng);
    const leaf = fromFlat(p.data, shape, { requiresGrad: true });
    leaf.grad = randn(shape, rng).mul(scale);
    return leaf;
  });
}
const gradsOf = (ps: Tensor[]) => fromFlat(ps.flatMap((p) => (p.grad ? Array.from(p.grad.data) : [])), [ps.reduce((n, p) => n + (p.grad ? p.size : 0), 0)]);
const normOf = (ps: Tensor[]) => Math.sqrt(ps.reduce((s, p) => s + (p.grad ? p.grad.data.reduce((a, v) => a + v * v, 0) : 0), 0));

/**
 * Exercise cap1-clip: rescale all gradients together so that their global L2 norm is at most
 * maxNorm (every gradient times maxNorm/‖g‖ when ‖g‖ > maxNorm); return ‖g‖ before clipping.
 */
export function checkClipGradients(clipGradients: (params: Tensor[], maxNorm: number) => number): void {
  checkExercise("cap1-clip", (c) => {
    const call = (ps: Tensor[], maxNorm: number, probe: string, hint = "read p.grad.data of every parameter and scale it in place") =>
      attempt(c, `clipGradients on the probe (${probe})`, () => clipGradients(ps, maxNorm), hint);
    const big = gradParams(51, 4);
    const normBefore = normOf(big);
    const wantScaled = gradsOf(big).mul(1 / normBefore);
    const got = call(big, 1, `3 parameters, gradient norm ${normBefore.toFixed(1)}, maxNorm 1`);
    c.that("clipGradients returns a number (the norm before clipping)", typeof got === "number", "return the total norm you computed");
    c.that("the returned norm is the one BEFORE clipping (yours is the norm after, maxNorm)", !nearNumber(got, 1, 1e-4),
      "compute the norm first, keep it, then scale, and return the kept value");
    const perParam = gradParams(51, 4);
    for (const p of perParam) clipGradNorm([p], 1);
    c.that("all gradients are scaled by ONE factor from the global norm (yours clips each parameter by its own norm)", !near(gradsOf(big), gradsOf(perParam), 1e-5),
      "sum the squares of every gradient entry of every parameter, then take one square root: one norm, one factor");
    const clamped = gradParams(51, 4);
    for (const p of clamped) p.grad!.data.forEach((v, i, a) => (a[i] = Math.max(-1, Math.min(1, v))));
    c.that("the gradients are rescaled, keeping their direction (yours clamps each entry to [−maxNorm, maxNorm])", !near(gradsOf(big), gradsOf(clamped), 1e-5),
      "multiply every entry by the same factor maxNorm / ‖g‖");
    const l1 = gradParams(51, 4).reduce((s, p) => s + p.grad!.data.reduce((a, v) => a + Math.abs(v), 0), 0);
    c.that("the norm is the L2 norm, √(Σ g²) (yours is the sum of the absolute values)", !nearNumber(got, l1), "square every entry, sum, then take the square root");
    c.that("the norm is √(Σ g²) (yours leaves out the square root)", !nearNumber(got, normBefore * normBefore), "take the square root of the sum of squares");
    c.close("the total norm before clipping, √(Σ over all parameters of Σ g²)", got, normBefore, { tol: 1e-9, hint: "one square root of the sum of the squares of all entries of all gradients" });
    c.that("the parameters' own gradients are scaled, in place (yours are unchanged: were the scaled values put in new tensors?)", !near(gradsOf(big), gradsOf(gradParams(51, 4)), 1e-12),
      "write into p.grad.data[i]: a new tensor, or a variable given a new value, leaves p.grad as it was");
    c.close("the clipped gradients (probe: maxNorm 1)", gradsOf(big), wantScaled, { tol: 1e-5, hint: "scale every gradient entry by maxNorm / ‖g‖ (PyTorch adds 1e-6 to ‖g‖: either passes)" });

    const small = gradParams(52, 0.1);
    const before = gradsOf(small);
    const smallNorm = call(small, 5, "gradient norm below maxNorm = 5");
    c.close("the returned norm when no clipping is needed", smallNorm, normOf(gradParams(52, 0.1)), { tol: 1e-9, hint: "return the norm in every case" });
    c.that("gradients below the threshold are left unchanged (yours rescaled them, although ‖g‖ < maxNorm)", near(gradsOf(small), before, 1e-12),
      "clipping only shrinks: scale only when ‖g‖ > maxNorm");

    const mixed = gradParams(53, 4);
    mixed[1].grad = null;
    const mixedNorm = normOf(mixed);
    const mixedGot = call(mixed, 2, "the second parameter has no gradient (grad === null)", "skip a parameter whose grad is null: it has no gradient to add to the norm or to scale");
    c.close("the norm when one parameter has no gradient (it is skipped)", mixedGot, mixedNorm, { tol: 1e-9, hint: "skip parameters whose grad is null" });
    c.that("a parameter without a gradient keeps grad === null", mixed[1].grad === null, "do not create a gradient for a parameter that has none");
  });
}

// ---------------------------------------------------------------------------------------------
// cap1-train-step

/** A tiny softmax regression to train: its parameters and a loss closure over fixed data. */
function tinyProblem(seed: number, lossScale: number) {
  const rng = new Rng(seed);
  const W = fromFlat(randn([3, 4], rng).mul(0.5).data, [3, 4], { requiresGrad: true });
  const b = fromFlat(randn([3], rng).mul(0.5).data, [3], { requiresGrad: true });
  const X = randn([6, 4], rng);
  const y = [0, 2, 1, 1, 0, 2];
  let calls = 0;
  return {
    params: [W, b],
    computeLoss: () => {
      calls++;
      return crossEntropy(linear(X, W, b), y).mul(lossScale);
    },
    calls: () => calls,
  };
}

interface TrainVariant {
  zeroGrad?: boolean;
  clip?: "before" | "none" | "after";
  returned?: "before" | "after";
}

/** Runs the reference training step (or a wrong version) `steps` times; returns the losses and the final parameters. */
function referenceTraining(seed: number, lossScale: number, maxNorm: number, steps: number, v: TrainVariant = {}) {
  const prob = tinyProblem(seed, lossScale);
  const opt = new SGD(prob.params, { lr: 0.1 });
  const losses: number[] = [];
  for (let k = 0; k < steps; k++) {
    if (v.zeroGrad !== false) opt.zeroGrad();
    const loss = prob.computeLoss();
    loss.backward();
    if ((v.clip ?? "before") === "before") clipGradNorm(prob.params, maxNorm);
    opt.step();
    if (v.clip === "after") clipGradNorm(prob.params, maxNorm);
    losses.push(v.returned === "after" ? noGrad(() => prob.computeLoss().item()) : loss.item());
  }
  return { losses, params: prob.params };
}

/**
 * Exercise cap1-train-step: zero the gradients, compute the loss with computeLoss(), backward,
 * clip the gradients' global norm to maxNorm (with your clipGradients), one optimizer step;
 * return the loss (a number, before the update).
 */
export function checkTrainStep(trainStep: (params: Tensor[], opt: Optimizer, computeLoss: () => Tensor, maxNorm: number) => number): void {
  checkExercise("cap1-train-step", (c) => {
    const run = (seed: number, lossScale: number, maxNorm: number, steps: number, probe: string) => {
      const prob = tinyProblem(seed, lossScale);
      const opt = new SGD(prob.params, { lr: 0.1 });
      const losses: unknown[] = [];
      for (let k = 0; k < steps; k++) {
        losses.push(attempt(c, `trainStep, step ${k + 1} of ${steps} (probe: ${probe})`, () => trainStep(prob.params, opt, prob.computeLoss, maxNorm),
          "opt.zeroGrad(), const loss = computeLoss(), loss.backward(), clipGradients(params, maxNorm), opt.step(), return loss.item()"));
      }
      return { losses, params: prob.params, calls: prob.calls() };
    };
    const flat = (ps: Tensor[]) => fromFlat(ps.flatMap((p) => Array.from(p.data)), [ps.reduce((n, p) => n + p.size, 0)]);
    const sameParams = (a: Tensor[], b: Tensor[]) => a.every((t, i) => near(t, b[i], 1e-9));
    const sameLosses = (a: unknown[], b: number[]) => a.every((l, i) => nearNumber(l, b[i], 1e-9));

    // No clipping needed (maxNorm far above the gradient): the loop itself.
    const free = run(61, 1, 1e6, 3, "3 steps of SGD, lr 0.1, maxNorm 1e6: no clipping");
    c.that("trainStep returns the loss as a number (yours returns " + (free.losses[0] instanceof Tensor ? "a tensor: use loss.item()" : typeof free.losses[0]) + ")",
      free.losses.every((l) => typeof l === "number"), "return loss.item(), the loss's value");
    const want = referenceTraining(61, 1, 1e6, 3);
    c.that("the gradients are zeroed before each backward (yours accumulate: the second step used the sum of two gradients)",
      !(sameParams(free.params, referenceTraining(61, 1, 1e6, 3, { zeroGrad: false }).params)), "call opt.zeroGrad() before loss.backward(): backward adds into .grad");
    c.that("the loss returned is the one computed before the update (yours is recomputed after opt.step())",
      !sameLosses(free.losses, referenceTraining(61, 1, 1e6, 3, { returned: "after" }).losses), "return the value of the loss you called backward() on");
    c.close("the losses of three steps (probe: no clipping)", free.losses as number[], want.losses, { tol: 1e-9, hint: "one backward and one opt.step() per call, with the gradients zeroed first" });
    c.that("computeLoss is called once per step (yours called it " + (free.calls / 3).toFixed(1) + " times per step)", free.calls === 3,
      "call computeLoss() once, and use that loss for backward() and for the value you return");
    c.close("the parameters after three steps (probe: no clipping)", flat(free.params), flat(want.params), { tol: 1e-9, hint: "zero the gradients, backward, then step: once per call" });

    // Clipping matters: a large loss and maxNorm 0.5.
    const clipped = run(62, 20, 0.5, 2, "2 steps of SGD, the loss ×20, maxNorm 0.5");
    const wantClipped = referenceTraining(62, 20, 0.5, 2);
    const unclippedStep = sameParams(clipped.params, referenceTraining(62, 20, 0.5, 2, { clip: "none" }).params);
    const clippedAfter = unclippedStep && nearNumber(normOf(clipped.params), 0.5, 1e-4);
    c.that("the gradients are clipped BEFORE opt.step() (yours clips after the step, when it no longer matters)", !clippedAfter,
      "the step uses the gradients as they are when opt.step() runs: clip first");
    c.that("the gradients are clipped before opt.step() (yours steps with the unclipped gradient)", !unclippedStep,
      "call clipGradients(params, maxNorm) between loss.backward() and opt.step()");
    c.close("the parameters after two clipped steps", flat(clipped.params), flat(wantClipped.params), { tol: 1e-6, hint: "zeroGrad, backward, clipGradients(params, maxNorm), step" });
  });
}

// ---------------------------------------------------------------------------------------------
// cap1-train

/**
 * Exercise cap1-train: the trained model, measured as the hidden test measures it, but on the
 * validation names: the mean cross-entropy of the next character (nats per character) with the
 * learner's forward pass, below HELD_OUT_THRESHOLD; and the model read one character at a time,
 * the state carried, gives what it gives read at once (how the grader reads it).
 */
export function checkTrainedModel(charLstmForward: Forward, model: CharLstmParams, validation: { x: Tensor; y: Tensor; mask: Tensor }): void {
  checkExercise("cap1-train", (c) => {
    c.that("model holds the six parameters { weight_ih, weight_hh, bias_ih, bias_hh, head_weight, head_bias }",
      model !== null && typeof model === "object" && NAMES.every((k) => isTensor(model[k])), "the training cell makes model with your initParams and trains it");
    const finite = NAMES.every((k) => model[k].data.every(Number.isFinite));
    c.that("every parameter of the model is finite (yours has NaN or Infinity: did the training diverge?)", finite,
      "lower the learning rate, or check that clipGradients really limits the gradient's norm");
    const [T, B] = validation.x.shape;
    const V = model.head_weight.shape[0];
    const out = attempt(c, "charLstmForward(model, validation.x)", () => noGrad(() => charLstmForward(model, validation.x)), "");
    c.shape("the logits of the validation batch", out.logits, [T, B, V]);
    const loss = noGrad(() => referenceLoss(out.logits, validation.y.data, validation.mask.data));
    c.that(`the validation loss is below ${HELD_OUT_THRESHOLD} nats per character (yours is ${loss.toFixed(3)})`, loss < HELD_OUT_THRESHOLD,
      "train longer (more steps), with more hidden units, or at another learning rate; first make sure every check above passes");
    // One character at a time, the state carried: as the grader reads the model.
    const n = Math.min(B, 5);
    noGrad(() => {
      for (let b = 0; b < n; b++) {
        let state: LstmState | undefined;
        for (let t = 0; t < T && validation.mask.data[t * B + b] === 1; t++) {
          const one = charLstmForward(model, fromFlat([validation.x.data[t * B + b]], [1, 1]), state);
          state = one.state;
          const whole = fromFlat(out.logits.data.slice((t * B + b) * V, (t * B + b + 1) * V), [1, 1, V]);
          c.close(`validation name ${b + 1}, step ${t + 1}: the logits read one character at a time, the state carried, equal those of the whole batch`,
            one.logits, whole, { tol: 1e-9, hint: "the grader sends your model one character at a time and passes back the state your charLstmForward returned: start from the state given" });
        }
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// cap1-sample

/** The reference sampler, or a wrong version. */
function referenceSample(p: CharLstmParams, boundary: number, rng: Rng, temperature: number, maxLength: number,
  v: { multiply?: boolean; noCarry?: boolean; greedy?: boolean; keepEnd?: boolean } = {}): number[] {
  return noGrad(() => {
    const V = p.head_weight.shape[0];
    const H = p.weight_hh.shape[1];
    const zero = { h: zeros([1, H]), c: zeros([1, H]) };
    let s = zero;
    let id = boundary;
    const out: number[] = [];
    for (let t = 0; t < maxLength; t++) {
      s = libraryStep(oneHot([id], V), v.noCarry ? zero : s, p);
      const logits = linear(s.h, p.head_weight, p.head_bias);
      const probs = softmax(logits.mul(v.multiply ? temperature : 1 / temperature), -1).data;
      id = v.greedy ? probs.indexOf(Math.max(...probs)) : rng.categorical(probs);
      if (id === boundary) {
        if (v.keepEnd) out.push(id);
        break;
      }
      out.push(id);
    }
    return out;
  });
}

/**
 * Exercise cap1-sample: a name drawn from the model: start from "." and a zero state, at every step
 * softmax(logits / temperature) and one rng.categorical draw, feed the character back in, stop at
 * "." (not part of the name) or after maxLength characters.
 */
export function checkSampleName(
  sampleName: (p: CharLstmParams, rng: Rng, temperature: number, maxLength?: number) => string,
  vocab: { size: number; tokens: readonly string[]; id(token: string): number },
): void {
  checkExercise("cap1-sample", (c) => {
    const V = vocab.size;
    const boundary = vocab.id(".");
    const p = probeParams(71, V, 6, 0.9);
    const text = (ids: number[]) => ids.map((i) => vocab.tokens[i]).join("");
    const call = (pp: CharLstmParams, seed: number, tau: number, maxLength: number, probe: string) => {
      const r = attempt(c, `sampleName on the probe (${probe})`, () => sampleName(paramsCopy(pp), new Rng(seed), tau, maxLength),
        "start from the id of \".\" and a zero state; at each step one charLstmForward on that id, softmax(logits / temperature), rng.categorical");
      c.that(`sampleName returns a string (probe: ${probe})`, typeof r === "string", "collect the characters with vocab.tokens[id] and return the name");
      return r;
    };
    // A model that ends every name at once: the empty name.
    const ending = paramsCopy(p);
    ending.head_bias.data.fill(-50);
    ending.head_bias.data[boundary] = 50;
    const empty = call(ending, 1, 1, 20, "a model that always predicts \".\"");
    c.that(`the closing "." is not part of the name (yours returned ${JSON.stringify(empty)} from a model that always predicts ".")`, empty === "",
      "stop when the model draws \".\", without adding it to the name");
    // A model that never ends: maxLength.
    const endless = paramsCopy(p);
    endless.head_bias.data[boundary] = -50;
    /** The learner's name against the reference, naming a known mistake when the name is one's. */
    const compare = (got: string, pp: CharLstmParams, seed: number, tau: number, maxLength: number, probe: string) => {
      const want = text(referenceSample(pp, boundary, new Rng(seed), tau, maxLength));
      if (got === want) return;
      const like = (v: Parameters<typeof referenceSample>[5]) => got === text(referenceSample(pp, boundary, new Rng(seed), tau, maxLength, v));
      if (tau !== 1) c.that(`the logits are DIVIDED by the temperature (yours multiplies: T = ${tau})`, !like({ multiply: true }), "softmax(logits / T): a high temperature flattens the distribution");
      c.that("the state is carried from one character to the next (yours starts every step from a zero state)", !like({ noCarry: true }),
        "pass the state charLstmForward returned into the next call");
      c.that("each character is DRAWN with rng.categorical (yours takes the most likely one)", !like({ greedy: true }), "id = rng.categorical(probs): sampling, not the argmax");
      c.that(`the name drawn with new kl.Rng(${seed}) at T = ${tau} (probe: ${probe}; yours is ${JSON.stringify(got)})`, false,
        "start with the id of \".\" and a zero state; each step: one forward step on the last id, softmax(logits / T) over the V characters, one rng.categorical draw, stop at \".\"");
    };
    const long = call(endless, 2, 1, 4, "a model that never predicts \".\", maxLength 4");
    c.that(`the name stops after maxLength characters (yours has ${long.length} with maxLength 4)`, long.length === 4, "loop at most maxLength times");
    compare(long, endless, 2, 1, 4, "a model that never predicts \".\", maxLength 4");
    for (const [seed, tau] of [[3, 1], [4, 0.6], [5, 1.8]] as const) {
      compare(call(p, seed, tau, 20, `T = ${tau}, new kl.Rng(${seed})`), p, seed, tau, 20, `T = ${tau}`);
    }
    c.that("names are drawn (probe: T = 1, seeds 3, 4, 5)", true);
    c.that("sampleName leaves the model unchanged", (() => {
      const q = paramsCopy(p);
      attempt(c, "sampleName", () => sampleName(q, new Rng(6), 1, 20), "");
      return sameValues(q, p);
    })(), "sampling only reads the weights");
  });
}
