// Checks for the exercises of notebook 06, "The GRU".
//
// The notebook writes the GRU in PyTorch's convention (its section 1 gives the equations), with the
// examples of a batch as rows and the gates stacked as row blocks r, z, n of weight_ih [3H, I],
// weight_hh [3H, H], bias_ih and bias_hh [3H]. Cho et al. (2014) wrote the last line this way too;
// Chung et al. (2014), and courses after them, write the same family with z and 1 − z swapped (z
// weighs the new candidate). Each check calls the learner's function on probes that isolate one
// term (a gate's bias at ±40 pins the gate at 1 or 0), knows the usual mistakes by the exact wrong
// answer they give, and names the term; it never prints the answer.
//
// The right answers are not computed here. They are stored (./answers/ch06.ts, read through
// ./answers.ts), computed on the probes below by the teacher's reference solutions, which a
// student's copy of the course does not contain. So are the wrong answers of the mistakes that
// are the solution with one piece changed (keys ending in /mistake/...): their code would read
// as the solution. What stays here is the probes, the learner's results, and wrong answers that
// owe nothing to the solution (a probe's own block, 1 − it).
import { checkExercise } from "../testing/exercise";
import { NO_GRADIENT, attempt, copyOf, near, sameNumbers } from "./probes";
import { answerNumber, answerTensor } from "./answers";
import { answers } from "./answers/ch06";
import { add, linear, mul, sigmoid, split, sub, sum, tanh } from "../ops";
import { Rng } from "../random";
import { Tensor, fromFlat, randn } from "../tensor";

/** A stored right answer (or a stored wrong answer, under a /mistake/ key) on this chapter's probes. */
const want = (key: string): Tensor => answerTensor(answers, key);
const wantNumber = (key: string): number => answerNumber(answers, key);

/** A GRU's parameters under PyTorch's names and layout (blocks r, z, n). */
export interface GruWeights {
  /** [3H, I] */
  weight_ih: Tensor;
  /** [3H, H] */
  weight_hh: Tensor;
  /** [3H] */
  bias_ih: Tensor;
  /** [3H] */
  bias_hh: Tensor;
}

// ---------------------------------------------------------------------------------------------
// Helpers for these checks (the ones all chapters share are in probes.ts)

const weightsCopy = (w: GruWeights): GruWeights => ({
  weight_ih: copyOf(w.weight_ih), weight_hh: copyOf(w.weight_hh), bias_ih: copyOf(w.bias_ih), bias_hh: copyOf(w.bias_hh),
});

/** Probe weights with I = 3 inputs and H = 4 units. */
function probeWeights(seed: number, I = 3, H = 4): GruWeights {
  const rng = new Rng(seed);
  return {
    weight_ih: randn([3 * H, I], rng).mul(0.7),
    weight_hh: randn([3 * H, H], rng).mul(0.7),
    bias_ih: randn([3 * H], rng).mul(0.5),
    bias_hh: randn([3 * H], rng).mul(0.5),
  };
}

/** The same weights with block `k` (0 r, 1 z, 2 n) of the weights set to 0 and its input bias to `bias` (its recurrent bias 0). */
function pinGate(w: GruWeights, k: number, bias: number): GruWeights {
  const out = weightsCopy(w);
  const H = w.weight_hh.shape[1];
  const I = w.weight_ih.shape[1];
  out.weight_ih.data.fill(0, k * H * I, (k + 1) * H * I);
  out.weight_hh.data.fill(0, k * H * H, (k + 1) * H * H);
  out.bias_ih.data.fill(bias, k * H, (k + 1) * H);
  out.bias_hh.data.fill(0, k * H, (k + 1) * H);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The probes (inputs are not secret): the checks below and the reference solutions that computed
// the stored answers both build them here, so they are the same numbers.

export const ch06Probes = {
  /** ch06-gru-step: x [2, 3] and h [2, 4] from seed 62, weights from seed 61, and the same weights with gates pinned. */
  gruStep() {
    const w = probeWeights(61);
    const rng = new Rng(62);
    const x = randn([2, 3], rng);
    const h = randn([2, 4], rng).mul(0.8);
    const zOff = pinGate(w, 1, -40);
    return {
      w, x, h,
      /** z = 1: the state is copied. */
      zOne: pinGate(w, 1, 40),
      /** z = 0: h' is the candidate n. */
      zOff,
      /** z = 0 and r = 1: h' = n with no gate in the way. */
      resetOpen: pinGate(zOff, 0, 40),
      /** z = 0 and r = 0: the reset gate closed. */
      resetClosed: pinGate(zOff, 0, -40),
      /** The wrong orders of the blocks r, z, n that the check names. */
      orders: [[1, 0, 2], [0, 2, 1], [2, 1, 0], [1, 2, 0], [2, 0, 1]] as [number, number, number][],
    };
  },
  /** ch06-chung-convention: weights from seed 63 (I = 3, H = 4), and x [2, 3], h [2, 4] from seed 64 for the step. */
  chungConvention() {
    const w = probeWeights(63);
    const rng = new Rng(64);
    const x = randn([2, 3], rng), h = randn([2, 4], rng).mul(0.8);
    return { w, x, h, I: 3, H: 4 };
  },
  /** ch06-parameter-count: the cells, and the (I, H) probed. */
  parameterCount: { cells: ["rnn", "gru", "lstm"] as CellName[], base: [5, 7] as [number, number], onePlus: [6, 7] as [number, number], large: [28, 64] as [number, number] },
};

// ---------------------------------------------------------------------------------------------
// ch06-gru-step

/** Exercise ch06-gru-step: one GRU step h' from x [B, I], h [B, H] and the weights, in PyTorch's convention. */
export function checkGruStep(gruStep: (x: Tensor, h: Tensor, w: GruWeights) => Tensor): void {
  checkExercise("ch06-gru-step", (c) => {
    const { w, x, h, zOne, zOff, resetOpen, resetClosed, orders } = ch06Probes.gruStep();
    const call = (ww: GruWeights, probe: string, xx = x, hh = h) =>
      attempt(c, `gruStep on the probe (${probe})`, () => gruStep(copyOf(xx), copyOf(hh), weightsCopy(ww)),
        "x is [B, I] and h is [B, H]; kl.linear(x, w.weight_ih, w.bias_ih) is [B, 3H], and kl.split(t, 3, 1) cuts it into the r, z, n blocks");

    const full = call(w, "B = 2, I = 3, H = 4, random weights");
    c.shape("h', one row per example (probe: B = 2, H = 4)", full, [2, 4]);
    // Every wrong order of the three blocks, named by the blocks it reads in the wrong place.
    const roles = ["r", "z", "n"];
    for (const order of orders) {
      const misread = roles.filter((_, k) => order[k] !== k).map((role) => `${role} from block ${order[roles.indexOf(role)]}`).join(", ");
      c.that(`the blocks of weight_ih, weight_hh and the biases are in PyTorch's order r, z, n (yours takes ${misread})`,
        !near(full, want(`gru-step/mistake/order-${order.join(",")}`)), "which rows of weight_ih hold the reset gate, which the update gate, which the candidate?");
    }

    // z pinned at 1: the state is copied whatever the candidate.
    const copy = call(zOne, "update gate z = 1: its weights 0, its bias +40");
    c.that("with z = 1 the GRU keeps its state (yours returns the candidate n: h' = z ⊙ n + (1 − z) ⊙ h is Chung et al.'s convention, where z weighs the new candidate)",
      !near(copy, want("gru-step/z-one/mistake/chung")),
      "in PyTorch's convention, which of n and h does z weigh?");
    c.close("h' when the update gate is z = 1 (the state must be copied unchanged)", copy, h, { hint: "with z = 1, which term of h' is left?" });

    // z pinned at 0, r pinned at 1: h' is the candidate, no gate in the way.
    const open = call(resetOpen, "z = 0 and r = 1: h' is the candidate n");
    c.that("the z ⊙ h term: with z = 0 nothing of h is left outside n (yours adds h itself to (1 − z) ⊙ n)",
      !near(open, want("gru-step/reset-open/mistake/plus-h")), "what multiplies the old state h in h', and what is it when z = 0?");
    c.close("the candidate n = tanh(x W_inᵀ + b_in + h W_hnᵀ + b_hn) (probe: z = 0 and r = 1, so h' = n)", open, want("gru-step/reset-open"), {
      hint: "which block of each product, which biases and which activation make n?",
    });

    // z pinned at 0, r free: the reset gate as PyTorch applies it.
    const free = call(zOff, "z = 0, r from the random weights: h' = n");
    c.that("r is applied after the product, to h W_hnᵀ + b_hn (yours applies it to h before W_hn, as Cho et al.'s published paper and Chung et al. do: not PyTorch's form)",
      !near(free, want("gru-step/z-zero/mistake/reset-before-product")),
      "does r multiply h, or the result of the product with W_hn and its bias?");
    c.that("the reset gate scales the recurrent part of n (your n is the same as with r = 1: with r = 0 your n still depends on h)",
      !near(free, want("gru-step/z-zero/mistake/no-reset")), "which part of n should vanish when r = 0?");
    c.that("r multiplies h W_hnᵀ + b_hn, bias included (yours leaves b_hn outside r)", !near(free, want("gru-step/z-zero/mistake/reset-outside-bias")),
      "with r = 0, should b_hn still reach n?");
    c.close("the candidate n with the reset gate r (probe: z = 0, so h' = n)", free, want("gru-step/z-zero"), {
      hint: "which blocks of the two products make r, and which part of n does r multiply?",
    });

    // r pinned at 0: the candidate forgets h entirely, bias b_hn included.
    const reset = call(resetClosed, "z = 0 and r = 0: the reset gate closed");
    c.that("the reset gate scales the recurrent part of n (with r = 0 your n still depends on h)", !near(reset, want("gru-step/reset-closed/mistake/no-reset")),
      "which part of n should vanish when r = 0?");
    c.that("r multiplies h W_hnᵀ + b_hn, bias included (yours leaves b_hn outside r: with r = 0 your n keeps b_hn)",
      !near(reset, want("gru-step/reset-closed/mistake/reset-outside-bias")),
      "with r = 0, should b_hn still reach n?");
    c.close("the candidate with the reset gate closed, n = tanh(x W_inᵀ + b_in) (probe: z = 0, r = 0)", reset, want("gru-step/reset-closed"), {
      hint: "with r = 0, what of h and of b_hn should still reach n?",
    });

    c.that("h' = (1 − z) ⊙ n + z ⊙ h: z weighs the old state (yours weighs the candidate by z, Chung et al.'s convention)",
      !near(full, want("gru-step/full/mistake/chung")), "in PyTorch's convention, which of n and h does z weigh?");
    c.close("h' with every term (probe: random weights, compared with kl.nn.gruStep)", full, want("gru-step/full"), {
      hint: "which blocks make z, and which of n and h does it weigh?",
    });

    // The arguments are left as they were.
    const x2 = copyOf(x), h2 = copyOf(h), w2 = weightsCopy(w);
    attempt(c, "gruStep", () => gruStep(x2, h2, w2), "");
    const changed = ([["x", x2, x], ["h", h2, h], ...(["weight_ih", "weight_hh", "bias_ih", "bias_hh"] as const).map((n) => [`w.${n}`, w2[n], w[n]] as const)] as const)
      .filter(([, after, before]) => !near(after, before, 0)).map(([name]) => name);
    c.that(`gruStep leaves its arguments unchanged${changed.length ? ` (yours changed ${changed.join(", ")})` : ""}`, changed.length === 0,
      "compute new tensors with kl ops; do not write into x, h or the weights");

    // The tape: the gradient of h' reaches h and the weights through the learner's ops.
    const leaf = (t: Tensor) => fromFlat(t.data, t.shape, { requiresGrad: true });
    const wLeaf = { weight_ih: leaf(w.weight_ih), weight_hh: leaf(w.weight_hh), bias_ih: leaf(w.bias_ih), bias_hh: leaf(w.bias_hh) };
    const hLeaf = leaf(h);
    const onTape = attempt(c, "gruStep on the probe (h and the weights requiring gradients)", () => gruStep(copyOf(x), hLeaf, wLeaf), "");
    c.that("the tape can differentiate your step (yours returns a tensor the tape does not reach: kl.noGrad, .data or plain numbers?)",
      onTape instanceof Tensor && onTape.requiresGrad, "build h' from kl ops on x, h and w alone, outside kl.noGrad");
    attempt(c, "backward through your h'", () => sum(onTape).backward(), "build h' from kl ops on x, h and w alone, outside kl.noGrad");
    c.close("the gradient of sum(h') with respect to h, through your step", hLeaf.grad ?? undefined, want("gru-step/grad/h"), {
      missing: NO_GRADIENT, hint: "every use of h should go through kl ops (no .data, no copies)",
    });
    c.close("the gradient of sum(h') with respect to weight_hh, through your step", wLeaf.weight_hh.grad ?? undefined, want("gru-step/grad/weight_hh"), {
      missing: NO_GRADIENT, hint: "use the weights you were given through kl ops, not copies of their numbers",
    });
  });
}

// ---------------------------------------------------------------------------------------------
// ch06-chung-convention

/**
 * One step in Chung et al.'s convention: h' = z ⊙ n + (1 − z) ⊙ h, the rest as in PyTorch. This is
 * the notebook's own given code (the cell after exercise 2, not an exercise); the check runs the
 * learner's converted weights through it.
 */
export function chungStep(x: Tensor, h: Tensor, w: GruWeights): Tensor {
  const [xr, xz, xn] = split(linear(x, w.weight_ih, w.bias_ih), 3, 1);
  const [hr, hz, hn] = split(linear(h, w.weight_hh, w.bias_hh), 3, 1);
  const r = sigmoid(add(xr, hr)), z = sigmoid(add(xz, hz));
  const n = tanh(add(xn, mul(r, hn)));
  return add(mul(z, n), mul(sub(1, z), h));
}

/**
 * Exercise ch06-chung-convention: weights for a GRU written in Chung et al.'s convention that compute
 * exactly what the given PyTorch-convention weights compute (the same last line with z and 1 − z
 * swapped; the reset gate as PyTorch applies it).
 */
export function checkChungConvention(toChung: (w: GruWeights) => GruWeights): void {
  checkExercise("ch06-chung-convention", (c) => {
    const { w, x, h, I, H } = ch06Probes.chungConvention();
    const given = weightsCopy(w);
    const got = attempt(c, "toChungConvention on the probe (I = 3, H = 4)", () => toChung(given),
      "return { weight_ih, weight_hh, bias_ih, bias_hh }; kl.split(w.weight_ih, 3, 0) gives the r, z, n blocks of rows");
    c.that("toChungConvention returns an object with weight_ih, weight_hh, bias_ih and bias_hh",
      got !== null && typeof got === "object" && ["weight_ih", "weight_hh", "bias_ih", "bias_hh"].every((k) => (got as unknown as Record<string, unknown>)[k] instanceof Tensor),
      "the same four names as the weights you were given");
    c.shape("weight_ih [3H, I]", got.weight_ih, [3 * H, I]);
    c.shape("weight_hh [3H, H]", got.weight_hh, [3 * H, H]);
    c.shape("bias_ih [3H]", got.bias_ih, [3 * H]);
    c.shape("bias_hh [3H]", got.bias_hh, [3 * H]);
    const changedWeights = (["weight_ih", "weight_hh", "bias_ih", "bias_hh"] as const).filter((n) => !near(given[n], w[n], 0));
    c.that(`the given weights are left unchanged (yours changed ${changedWeights.join(", ") || "none"} in place)`, changedWeights.length === 0,
      "build new tensors (kl.split, kl.neg, kl.concat); do not write into the ones you were given");

    const blocks = (t: Tensor) => split(t, 3, 0);
    // The r and z gates read b_i + b_h only: the two biases may share their blocks any way (a
    // learner's trial put Chung's whole z bias in bias_ih, zeros in bias_hh, and was failed though
    // the step was right). So the biases' r and z blocks are checked as sums; n's are not (b_hn sits
    // inside r ⊙ (...), b_in outside it).
    const sumOf = (ws: GruWeights, gate: 0 | 1) => add(blocks(ws.bias_ih)[gate], blocks(ws.bias_hh)[gate]);
    const wantSum = (gate: "r" | "z") => add(want(`chung-convention/bias_ih/${gate}`), want(`chung-convention/bias_hh/${gate}`));
    const parts = [
      { symR: "W_ir", symZ: "W_iz", of: "weight_ih", r: blocks(got.weight_ih)[0], z: blocks(got.weight_ih)[1], given: blocks(w.weight_ih)[1], wantR: want("chung-convention/weight_ih/r"), wantZ: want("chung-convention/weight_ih/z") },
      { symR: "W_hr", symZ: "W_hz", of: "weight_hh", r: blocks(got.weight_hh)[0], z: blocks(got.weight_hh)[1], given: blocks(w.weight_hh)[1], wantR: want("chung-convention/weight_hh/r"), wantZ: want("chung-convention/weight_hh/z") },
      { symR: "b_ir + b_hr", symZ: "b_iz + b_hz", of: "bias_ih + bias_hh", r: sumOf(got, 0), z: sumOf(got, 1), given: sumOf(w, 1), wantR: wantSum("r"), wantZ: wantSum("z"), twoOnes: true },
    ];
    for (const p of parts) {
      c.close(`the reset block ${p.symR} of ${p.of} (r means the same in both conventions)`, p.r, p.wantR, { hint: "only the update gate changes meaning between the two conventions" });
      c.that(`the update block ${p.symZ} of ${p.of} changes: Chung's z is PyTorch's 1 − z (yours left it as it was)`, !near(p.z, p.given),
        "1 − σ(a) = σ(−a): which pre-activation gives Chung's z?");
      c.that(`the update block ${p.symZ} of ${p.of}: 1 − σ(a) is σ(−a), not σ(1 − a) (yours is 1 − the values)`, !near(p.z, sub(p.twoOnes ? 2 : 1, p.given)),
        "is 1 − σ(a) the same as σ(1 − a)? Try a = 0");
      c.close(`the update block ${p.symZ} of ${p.of}`, p.z, p.wantZ, { hint: "which pre-activation gives Chung's z, and which of the four tensors feed it?" });
    }
    for (const k of ["weight_ih", "weight_hh", "bias_ih", "bias_hh"] as const) {
      c.close(`the candidate block of ${k} (n means the same in both conventions)`, blocks(got[k])[2], want(`chung-convention/${k}/n`), { hint: "only the update gate changes meaning between the two conventions" });
    }
    // The two conventions now compute the same step: Chung's step with the learner's weights
    // against the stored PyTorch step with the given ones.
    c.close("Chung's step with your weights against PyTorch's step with the given ones", chungStep(x, h, got), want("chung-convention/pytorch-step"), {
      hint: "h' = z_chung ⊙ n + (1 − z_chung) ⊙ h must equal (1 − z) ⊙ n + z ⊙ h",
    });
  });
}

// ---------------------------------------------------------------------------------------------
// ch06-parameter-count

export type CellName = "rnn" | "gru" | "lstm";

/**
 * Exercise ch06-parameter-count: the parameters of one layer of `cell` with I inputs and H units,
 * as PyTorch (and kernel-lib) hold them: weight_ih, weight_hh, bias_ih, bias_hh for every block.
 */
export function checkParameterCount(parameterCount: (cell: CellName, I: number, H: number) => number): void {
  checkExercise("ch06-parameter-count", (c) => {
    const { cells, base: [I0, H0], onePlus: [I1, H1], large: [I2, H2] } = ch06Probes.parameterCount;
    const blockNames: Record<CellName, string> = { rnn: "one block (the tanh layer)", gru: "three blocks (r, z, n)", lstm: "four blocks (i, f, g, o)" };
    for (const cell of cells) {
      const key = `parameter-count/${cell}`;
      const count = (I: number, H: number) => attempt(c, `parameterCount("${cell}", ${I}, ${H})`, () => parameterCount(cell, I, H), "it returns a number");
      const base = count(I0, H0);
      c.that(`parameterCount("${cell}", ${I0}, ${H0}) returns a whole number`, typeof base === "number" && Number.isInteger(base), "count the entries of the four parameters");
      // One more input adds one column to weight_ih.
      const perInput = count(I1, H1) - base;
      c.that(`the input weights weight_ih of the ${cell.toUpperCase()}: one more input adds one column of (blocks · H) numbers (yours adds ${perInput} for H = 7)`,
        perInput === wantNumber(`${key}/per-input`), cell === "rnn" ? `the RNN has ${blockNames[cell]}: how many rows has its weight_ih?` : `the ${cell.toUpperCase()} has ${blockNames[cell]}, each with its own H rows of weight_ih`);
      // What does not depend on I: weight_hh and the biases.
      const rest = base - I0 * perInput;
      c.that(`the biases of the ${cell.toUpperCase()}: PyTorch keeps two, bias_ih and bias_hh, for every block (yours counts one)`,
        rest !== wantNumber(`${key}/rest/mistake/one-bias`), "how many bias vectors does a kl.nn layer hold, and how long is each?");
      c.that(`the recurrent weights weight_hh of the ${cell.toUpperCase()}, [blocks · H, H] (yours leaves them out)`, rest !== wantNumber(`${key}/rest/mistake/without-weight-hh`),
        "which weights read the previous state, and what shape are they?");
      c.close(`the recurrent weights and biases of the ${cell.toUpperCase()} (what does not grow with I; probe: H = 7)`, rest, wantNumber(`${key}/rest`), {
        tol: 0, hint: "what shapes have weight_hh, bias_ih and bias_hh, for this cell's number of blocks?",
      });
      c.close(`parameterCount("${cell}", ${I0}, ${H0}), compared with kl.nn's layer`, base, wantNumber(`${key}/I=${I0},H=${H0}`), { tol: 0, hint: "have you counted all four tensors, for every block?" });
      c.close(`parameterCount("${cell}", ${I2}, ${H2}), compared with kl.nn's layer`, count(I2, H2), wantNumber(`${key}/I=${I2},H=${H2}`), { tol: 0, hint: "the same formula for every size" });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch06-seed-verdict

export type Verdict = "first" | "second" | "inconclusive";

/**
 * Exercise ch06-seed-verdict: given one number per seed for two cells (a validation loss, a test
 * error), say which is ahead, with the course's rule: a cell is ahead only when every one of its
 * runs is better than every run of the other (the ranges over seeds do not overlap); otherwise the
 * comparison is inconclusive. `lowerIsBetter` says which direction is better.
 */
export function checkSeedVerdict(verdict: (first: number[], second: number[], lowerIsBetter: boolean) => Verdict): void {
  checkExercise("ch06-seed-verdict", (c) => {
    const call = (a: number[], b: number[], lower: boolean, probe: string) =>
      attempt(c, `seedVerdict on the probe (${probe})`, () => verdict(a.slice(), b.slice(), lower), 'it returns "first", "second" or "inconclusive"');
    const clear = call([2.1, 2.15, 2.12], [2.3, 2.25, 2.4], true, "losses [2.1, 2.15, 2.12] against [2.3, 2.25, 2.4]");
    c.that(`seedVerdict returns "first", "second" or "inconclusive" (yours returned ${JSON.stringify(clear)})`, clear === "first" || clear === "second" || clear === "inconclusive",
      "return one of the three strings");
    c.that("separated ranges, lower is better: the first cell's every run is lower, so it is ahead", clear === "first", "compare the worst run of one cell with the best run of the other");
    // The arguments swapped first: a function that never returns "second" is named here, not
    // mistaken below for one that ignores the direction.
    const swapped = call([2.3, 2.25, 2.4], [2.1, 2.15, 2.12], true, "the two cells swapped");
    c.that(`the order of the arguments: the same runs passed the other way round make the second cell ahead (yours returned ${JSON.stringify(swapped)})`,
      swapped === "second", '"first" names the first argument: when is the answer "second"?');
    const higher = call([2.1, 2.15, 2.12], [2.3, 2.25, 2.4], false, "the same numbers as accuracies, higher is better");
    c.that(higher === "first"
      ? "the direction: with lowerIsBetter = false the same numbers make the second cell ahead (yours ignores lowerIsBetter)"
      : `the direction: with lowerIsBetter = false the same numbers make the second cell ahead (yours returned ${JSON.stringify(higher)} here: it never returns "second" when higher is better)`,
      higher === "second", "when higher is better, which cell's runs are all better?");
    // Means differ, ranges overlap: no verdict.
    c.that("runs whose ranges overlap are inconclusive, even when the means differ (probe: [2.0, 2.3, 2.32] against [2.25, 2.28, 2.35]; comparing the means would call the first ahead)",
      call([2.0, 2.3, 2.32], [2.25, 2.28, 2.35], true, "means 2.21 and 2.29, ranges overlapping") === "inconclusive",
      "a lower mean made of overlapping runs is within the spread over seeds: say inconclusive");
    c.that("each run is compared with every run of the other cell, not only with the run of the same seed (probe: [2.0, 2.1, 2.2] against [2.05, 2.15, 2.25], better seed by seed but overlapping)",
      call([2.0, 2.1, 2.2], [2.05, 2.15, 2.25], true, "better seed by seed, but ranges overlapping") === "inconclusive",
      "seed 0 of one cell has no special link with seed 0 of the other: compare the ranges");
    c.that("touching ranges (the best of one equals the worst of the other) are inconclusive",
      call([1, 2], [2, 3], true, "[1, 2] against [2, 3]") === "inconclusive", "ahead means strictly better");
    c.that("one run per cell is enough when they differ: [0.5] against [0.7], lower is better",
      call([0.5], [0.7], true, "one seed each") === "first", "the same rule with one run each");
    c.that("the rule does not depend on how many runs each cell has: [0.1, 0.2] against [0.3, 0.35, 0.4], higher is better",
      call([0.1, 0.2], [0.3, 0.35, 0.4], false, "two runs against three") === "second", "compare the ranges, whatever their lengths");
    c.that("the runs are compared as numbers (probe: [10, 2, 3] against [5, 6, 7], lower is better: 2..10 and 5..7 overlap, so inconclusive)",
      call([10, 2, 3], [5, 6, 7], true, "[10, 2, 3] against [5, 6, 7]") === "inconclusive",
      "sort() without a comparator sorts as text (\"10\" before \"2\"): give it (a, b) => a - b, or use Math.min and Math.max");
    const [first, second] = [[2.15, 2.1, 2.12], [2.4, 2.3, 2.25]];
    const [firstGiven, secondGiven] = [first.slice(), second.slice()];
    attempt(c, "seedVerdict", () => verdict(firstGiven, secondGiven, true), "");
    const reordered = [["the first runs", firstGiven, first], ["the second runs", secondGiven, second]].filter(([, after, before]) => !sameNumbers(after as number[], before as number[]));
    c.that(`seedVerdict leaves the runs unchanged (probe: [2.15, 2.1, 2.12] against [2.4, 2.3, 2.25]${reordered.length ? `; yours changed ${reordered.map(([n, after]) => `${n} to [${after}]`).join(" and ")}` : ""})`, reordered.length === 0,
      "find the best and worst with Math.min / Math.max (or sort a copy: [...first].sort((a, b) => a - b)); sort() reorders the caller's array, the runs of each seed");
  });
}
