// Checks for the exercises of notebook 01, "Order matters".
//
// The notebook works with plain arrays (no tensors yet): a sequence of symbols is number[], a
// vector is number[], a matrix is number[][] (row i = output unit i), and a recurrent network's
// parameters are { Wh, Wx, b } for  h_t = φ(W_h h_{t−1} + W_x x_t + b).
// Each check calls the learner's function on probes that isolate one term (h_{t−1} = 0 leaves
// only the input term, and so on) and names the term that is off; it never prints the answer.
// The right answers to the probes are stored, not computed here (see answers.ts): the teacher's
// reference solutions compute them from the probes below (ch01Probes), which both share.
import { checkExercise } from "../testing/exercise";
import { sameNumbers } from "./probes";
import { answerValue } from "./answers";
import { answers } from "./answers/ch01";

/** What a learner's result is, for a message about its length: "yours has 3 entries", or what it is instead. */
const lengthOf = (v: unknown): string =>
  Array.isArray(v) ? `yours has ${v.length} ${v.length === 1 ? "entry" : "entries"}` : `yours is ${v === null ? "null" : typeof v}, not an array`;

/** The parameters of a one-layer RNN as plain arrays: W_h [H][H], W_x [H][D], b [H]. */
export interface RnnParams {
  Wh: number[][];
  Wx: number[][];
  b: number[];
}

export type Activation = (u: number) => number;

const identity: Activation = (u) => u;

/** Deep copies, so a learner's function that writes into its arguments cannot spoil a probe. */
const copy = (p: RnnParams): RnnParams => ({ Wh: p.Wh.map((r) => r.slice()), Wx: p.Wx.map((r) => r.slice()), b: p.b.slice() });

/** A stored right answer (a number[] or number[][]). */
const stored = <T = number[]>(key: string): T => answerValue<T>(answers, key);

/** The counter's input symbols, one-hot in this order. */
const COUNTER_SYMBOLS = ["(", ")", "x"];

/** The input of the parity prediction exercise. */
export const PARITY_INPUT = "01011";

/** A counter probe: which unit is read after `text`, from `h0`; `key` names its stored answer. */
interface CounterProbe {
  key: string;
  text: string;
  h0: number[];
  unit: 0 | 1 | "both";
}

/**
 * The probes of these checks (inputs are not secret: the notebook could print them). The
 * teacher's reference solutions (grading/references/ch01.ts) compute the stored answers from them.
 */
export const ch01Probes = {
  bagOfSymbols: () => ({
    one: { seq: [2], vocabSize: 4 },
    zero: { seq: [0, 0, 1], vocabSize: 3 },
    mixed: { seq: [1, 3, 1, 1, 0, 3], vocabSize: 5 },
    long: { seq: Array.from({ length: 200 }, (_, i) => (i % 4 === 3 ? 0 : 2)), vocabSize: 3 },
  }),
  rnnStep: () => {
    // H = 2 units, D = 3 inputs (not square, so a transposed W_x shows), W_h not symmetric.
    const p: RnnParams = { Wh: [[0.5, -1.0], [0.25, 0.75]], Wx: [[1, 2, -1], [0.5, -0.5, 3]], b: [0.1, -0.2] };
    return { p, zeroB: { ...copy(p), b: [0, 0] }, h: [0.4, -0.6], x: [1, -2, 0.5] };
  },
  runRnn: () => ({
    // One unit that adds up its inputs (W_h = 1, W_x = 1): its states are running sums.
    sum: { Wh: [[1]], Wx: [[1]], b: [0] } as RnnParams,
    one: { xs: [[2]], h0: [3] },
    sums: { xs: [[1], [2], [3], [4]], h0: [0] },
    // Two units with a little of everything.
    p: { Wh: [[0.9, -0.3], [0.2, 0.5]], Wx: [[1, 0], [-0.5, 2]], b: [0.05, -0.1] } as RnnParams,
    xs: [[1, 0], [0, 1], [0.5, -1], [-2, 0.3]],
    h0: [0.1, 0.2],
  }),
  counter: (): CounterProbe[] => [
    ...COUNTER_SYMBOLS.flatMap((ch): CounterProbe[] => [
      { key: `depth/${ch}`, text: ch, h0: [0, 0], unit: 0 },
      { key: `length/${ch}`, text: ch, h0: [0, 0], unit: 1 },
    ]),
    { key: "depth/x-from-length-5", text: "x", h0: [0, 5], unit: 0 },
    { key: "length/x-from-depth-4", text: "x", h0: [4, 0], unit: 1 },
    { key: "depth/((", text: "((", h0: [0, 0], unit: 0 },
    { key: "length/xxx", text: "xxx", h0: [0, 0], unit: 1 },
    { key: "both/(()x((x)))(", text: "(()x((x)))(", h0: [0, 0], unit: "both" },
  ],
  parityTrace: () => ({
    // The hand-made parity RNN of the notebook: a = OR unit, c = AND unit, φ = step.
    p: { Wh: [[1, -1], [1, -1]], Wx: [[1], [1]], b: [-0.5, -1.5] } as RnnParams,
    phi: ((u) => (u > 0 ? 1 : 0)) as Activation,
    bits: Array.from(PARITY_INPUT).map((ch) => [Number(ch)]),
    h0: [0, 0],
  }),
};

// ---------------------------------------------------------------------------------------------
// ch01-bag-of-symbols

/** Exercise ch01-bag-of-symbols: the fraction of the sequence taken by each symbol 0..V−1. */
export function checkBagOfSymbols(bagOfSymbols: (seq: number[], vocabSize: number) => number[]): void {
  const { one: oneProbe, zero, mixed, long } = ch01Probes.bagOfSymbols();
  checkExercise("ch01-bag-of-symbols", (c) => {
    const one = bagOfSymbols(oneProbe.seq.slice(), oneProbe.vocabSize);
    c.that(`the result has one entry per symbol of the vocabulary (probe: vocabSize = 4; ${lengthOf(one)})`, Array.isArray(one) && one.length === 4,
      "make an array of vocabSize zeros, then fill it");
    const seq = mixed.seq;
    const got = bagOfSymbols(seq.slice(), mixed.vocabSize);
    c.close("the sum of the entries (each entry is a fraction of the sequence, so they add up to 1)", got.reduce((s, v) => s + v, 0), 1, {
      hint: "divide each count by the length of the sequence",
    });
    c.close("the bag of the reversed sequence, which must be the same as the sequence's", bagOfSymbols(seq.slice().reverse(), mixed.vocabSize), got, {
      hint: "a bag forgets positions: nothing may depend on where a symbol occurs",
    });
    c.close("the entry of each symbol (probe: the one-symbol sequence [2])", one, stored("bag-of-symbols/one"), {
      hint: "symbol s is counted in entry s (symbols are 0-based)",
    });
    c.close("the entry of symbol 0 (probe: [0, 0, 1])", bagOfSymbols(zero.seq.slice(), zero.vocabSize), stored("bag-of-symbols/zero"), {
      hint: "0 is a symbol like any other: do not skip it",
    });
    c.close("the fraction of each symbol (probe: [1, 3, 1, 1, 0, 3])", got, stored("bag-of-symbols/mixed"), {
      hint: "count how many times each symbol occurs, then divide by the length",
    });
    c.close("the bag of a longer sequence, [2, 2, 2, 0] repeated 50 times", bagOfSymbols(long.seq.slice(), long.vocabSize),
      stored("bag-of-symbols/long"), { hint: "count every symbol of the sequence, not only the first few" });
    const given = mixed.seq.slice();
    bagOfSymbols(given, mixed.vocabSize);
    c.that("bagOfSymbols leaves seq unchanged (probe: [1, 3, 1, 1, 0, 3])", sameNumbers(given, mixed.seq),
      "count by reading seq; sorting or overwriting it changes the caller's sequence");
  });
}

// ---------------------------------------------------------------------------------------------
// ch01-rnn-step

/** Exercise ch01-rnn-step: h_t = φ(W_h h_{t−1} + W_x x_t + b). */
export function checkRnnStep(rnnStep: (h: number[], x: number[], p: RnnParams, phi: Activation) => number[]): void {
  const { p, zeroB, h, x } = ch01Probes.rnnStep();
  checkExercise("ch01-rnn-step", (c) => {
    const bias = rnnStep([0, 0], [0, 0, 0], copy(p), identity);
    c.that(`h_t has one entry per hidden unit (probe: 2 units, 3 inputs; ${lengthOf(bias)})`, Array.isArray(bias) && bias.length === 2,
      "h_t has as many entries as b (and as W_h has rows)");
    c.close("the bias b (probe: h_{t−1} = 0, x_t = 0, φ = identity)", bias, stored("rnn-step/bias"), {
      hint: "with nothing coming in, the pre-activation is b",
    });
    c.close("the input term W_x x_t (probe: h_{t−1} = 0, b = 0, φ = identity)", rnnStep([0, 0], x.slice(), copy(zeroB), identity),
      stored("rnn-step/input-term"), { hint: "entry i of W_x x_t is Σ_j W_x[i][j]·x_t[j]: row i of W_x feeds unit i" });
    c.close("the recurrent term W_h h_{t−1} (probe: x_t = 0, b = 0, φ = identity)", rnnStep(h.slice(), [0, 0, 0], copy(zeroB), identity),
      stored("rnn-step/recurrent-term"), { hint: "entry i of W_h h_{t−1} is Σ_j W_h[i][j]·h_{t−1}[j]: row i, not column i" });
    c.close("the sum of the three terms (φ = identity)", rnnStep(h.slice(), x.slice(), copy(p), identity), stored("rnn-step/sum"), {
      hint: "add the recurrent term, the input term and the bias",
    });
    c.close("φ applied to the whole sum (φ = tanh)", rnnStep(h.slice(), x.slice(), copy(p), Math.tanh), stored("rnn-step/tanh"), {
      hint: "first add up W_h h_{t−1} + W_x x_t + b, then apply φ once to each unit's total",
    });
    const [hGiven, xGiven] = [h.slice(), x.slice()];
    rnnStep(hGiven, xGiven, copy(p), Math.tanh);
    c.that("rnnStep leaves h and x unchanged", sameNumbers(hGiven, h) && sameNumbers(xGiven, x),
      "compute the new state in a new array; writing into h or x changes the caller's state");
  });
}

// ---------------------------------------------------------------------------------------------
// ch01-run-rnn

/** Exercise ch01-run-rnn: [h_1, ..., h_T], each step fed the state the previous one returned. */
export function checkRunRnn(runRnn: (xs: number[][], h0: number[], p: RnnParams, phi: Activation) => number[][]): void {
  const probe = ch01Probes.runRnn();
  const { sum, p, xs } = probe;
  checkExercise("ch01-run-rnn", (c) => {
    const one = runRnn(probe.one.xs.map((x) => x.slice()), probe.one.h0.slice(), copy(sum), identity);
    c.that(`one state per input, h_1 … h_T, without h_0 (probe: T = 1; ${lengthOf(one)})`, Array.isArray(one) && one.length === 1,
      "return the states after each step: as many as there are inputs; h_0 is given, not returned");
    c.close("h_1, one step from h_0 (probe: a running-sum unit, h_0 = 3, x_1 = 2)", one[0], stored("run-rnn/one-step"), {
      hint: "the first step starts from h0",
    });
    const sums = runRnn(probe.sums.xs.map((x) => x.slice()), probe.sums.h0.slice(), copy(sum), identity);
    c.that("the states are separate arrays (probe: 4 steps)", Array.isArray(sums) && sums.length === 4 && new Set(sums).size === 4,
      "return a new array for each step rather than changing one array in place and pushing it again");
    c.close("the state carried from step to step (probe: a running-sum unit, inputs 1, 2, 3, 4)", sums.map((h) => h[0]), stored("run-rnn/running-sums"), {
      hint: "step t must start from h_{t−1}, the state step t−1 returned, not from h0",
    });
    const [xsGiven, h0Given] = [xs.map((x) => x.slice()), probe.h0.slice()];
    const got = runRnn(xsGiven, h0Given, copy(p), Math.tanh);
    c.close("h_1 … h_4 (probe: 2 units, tanh)", got.flat(), stored<number[][]>("run-rnn/states").flat());
    c.that("runRnn leaves h0 and the inputs unchanged", sameNumbers(h0Given, probe.h0) && xsGiven.length === xs.length && xsGiven.every((x, t) => sameNumbers(x, xs[t])),
      "carry the state in a variable of your own (h = rnnStep(h, ...)); writing each new state into h0 changes the caller's h0");
  });
}

// ---------------------------------------------------------------------------------------------
// ch01-counter

/**
 * What the learner's counter network computes, to be judged (its answer is weights, so the check
 * has to run them): with φ = identity and one-hot inputs, reading symbol s sets
 * h_t = W_h h_{t−1} + (column s of W_x) + b. Returns h_1 … h_T. The right states are stored.
 */
function counterStates(p: RnnParams, text: string, h0: number[]): number[][] {
  let h = h0.slice();
  return Array.from(text).map((ch) => {
    const s = COUNTER_SYMBOLS.indexOf(ch);
    if (s < 0) throw new Error(`counter probe: unknown symbol ${ch}`);
    h = [0, 1].map((i) => p.b[i] + p.Wh[i][0] * h[0] + p.Wh[i][1] * h[1] + p.Wx[i][s]);
    return h;
  });
}

/**
 * Exercise ch01-counter: weights for a 2-unit RNN with φ = identity over the one-hot symbols
 * "(", ")", "x" whose unit 0 is the bracket depth and unit 1 the number of symbols read.
 */
export function checkCounterWeights(counterWeights: () => RnnParams): void {
  const probes = new Map(ch01Probes.counter().map((probe) => [probe.key, probe]));
  checkExercise("ch01-counter", (c) => {
    const p = counterWeights();
    const ok = (m: unknown, rows: number, cols: number) =>
      Array.isArray(m) && m.length === rows && m.every((r) => Array.isArray(r) && r.length === cols && r.every((v) => typeof v === "number"));
    c.that("the shapes: W_h is 2×2, W_x is 2×3 (one column per symbol \"(\", \")\", \"x\"), b has 2 entries",
      p !== undefined && ok(p.Wh, 2, 2) && ok(p.Wx, 2, 3) && Array.isArray(p.b) && p.b.length === 2,
      "return { Wh, Wx, b } with Wh: number[][] of 2 rows of 2, Wx: 2 rows of 3, b: 2 numbers");
    /** The learner's network on probe `key`, and the stored right values for it. */
    const run = (key: string): [number[], number[]] => {
      const probe = probes.get(key);
      if (probe === undefined) throw new Error(`counter probe: no probe ${key}`);
      const states = counterStates(copy(p), probe.text, probe.h0);
      const got = probe.unit === "both" ? states.flat() : states.map((h) => h[probe.unit as 0 | 1]);
      return [got, stored(`counter/${key}`)];
    };
    for (const ch of COUNTER_SYMBOLS) {
      c.close(`unit 0 (the depth) after reading "${ch}" from h_0 = 0`, ...run(`depth/${ch}`), {
        hint: "the depth goes up by 1 on \"(\", down by 1 on \")\", and stays on \"x\": that is the column of W_x for each symbol (plus b)",
      });
      c.close(`unit 1 (the length) after reading "${ch}" from h_0 = 0`, ...run(`length/${ch}`), {
        hint: "the length goes up by 1 whatever the symbol: through b, or the same amount in every column of W_x",
      });
    }
    c.close("unit 0 (the depth) from h_0 = [0, 5]: the length must not leak into the depth", ...run("depth/x-from-length-5"), {
      hint: "unit 0's next value must not depend on unit 1: W_h[0][1] = 0",
    });
    c.close("unit 1 (the length) from h_0 = [4, 0]: the depth must not leak into the length", ...run("length/x-from-depth-4"), {
      hint: "unit 1's next value must not depend on unit 0: W_h[1][0] = 0",
    });
    c.close("unit 0 (the depth) over \"((\": it must keep what it had", ...run("depth/(("), {
      hint: "each unit must carry its own previous value: W_h[0][0] = 1",
    });
    c.close("unit 1 (the length) over \"xxx\": it must keep what it had", ...run("length/xxx"), {
      hint: "each unit must carry its own previous value: W_h[1][1] = 1",
    });
    c.close(`both units over "(()x((x)))("`, ...run("both/(()x((x)))("));
  });
}

// ---------------------------------------------------------------------------------------------
// ch01-parity-trace

/**
 * Exercise ch01-parity-trace: the hidden states [a_t, c_t] of the hand-made parity RNN
 *   a_t = step(a_{t−1} − c_{t−1} + x_t − 0.5),   c_t = step(a_{t−1} − c_{t−1} + x_t − 1.5),
 * from h_0 = [0, 0] over the bits of PARITY_INPUT, predicted by hand.
 */
export function checkParityTrace(trace: number[][]): void {
  const want = stored<number[][]>("parity-trace/states");
  checkExercise("ch01-parity-trace", (c) => {
    c.that(`one state per input bit: ${want.length} rows [a_t, c_t] for "${PARITY_INPUT}"`,
      Array.isArray(trace) && trace.length === want.length && trace.every((h) => Array.isArray(h) && h.length === 2),
      "write h_1 … h_T, each as [a_t, c_t]; h_0 = [0, 0] is not part of the answer");
    want.forEach((h, t) => {
      const read = PARITY_INPUT[t];
      c.close(`h_${t + 1}, unit a (the OR unit), after reading "${read}"`, trace[t][0], h[0], {
        hint: "first read the parity so far off h_{t−1} (it is a − c), then ask: is parity + x_t at least 1?",
      });
      c.close(`h_${t + 1}, unit c (the AND unit), after reading "${read}"`, trace[t][1], h[1], {
        hint: "first read the parity so far off h_{t−1} (it is a − c), then ask: is parity + x_t equal to 2?",
      });
    });
  });
}
