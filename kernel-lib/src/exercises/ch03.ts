// Checks for the exercises of notebook 03, "The vanilla RNN".
//
// The notebook writes the Elman RNN with tensors, batched (rows are the examples of a batch):
//   h_t = tanh(x_t W_xᵀ + h_{t−1} W_hᵀ + b),   x_t [B, I], h_t [B, H], W_x [H, I], W_h [H, H], b [H]
// then trains a character model on first names with a masked cross-entropy, reads its perplexity
// and samples from it with a temperature. Each check calls the learner's function on probes that
// isolate one term (h_{t−1} = 0 leaves only the input term, and so on), recognises the usual
// mistakes by the exact wrong answer they give, and names the term; it never prints the answer.
// The right answers to the probes, and the wrong answers of the usual mistakes, are stored, not
// computed here (see answers.ts): the teacher's reference solutions compute them from the probes
// below (ch03Probes), which both share.
import { checkExercise } from "../testing/exercise";
import { NO_GRADIENT, attempt, checkOnTape, copyOf, leafOf, near, nearNumber } from "./probes";
import { answerNumber, answerTensor } from "./answers";
import { answers } from "./answers/ch03";
import { sum } from "../ops";
import { Rng } from "../random";
import { Tensor, fromFlat, randn, zeros } from "../tensor";

/** The parameters of one RNN layer as the notebook writes them (a single bias). */
export interface RnnWeights {
  /** [H, I]: row i holds the weights from the input into hidden unit i. */
  Wx: Tensor;
  /** [H, H]: row i holds the weights from the previous state into hidden unit i. */
  Wh: Tensor;
  /** [H] */
  b: Tensor;
}

// ---------------------------------------------------------------------------------------------
// Probes (inputs are not secret) and helpers for these checks (the ones all chapters share are in probes.ts)

const weightsCopy = (p: RnnWeights): RnnWeights => ({ Wx: copyOf(p.Wx), Wh: copyOf(p.Wh), b: copyOf(p.b) });

/** Probe weights with I = 3 inputs and H = 4 units (I ≠ H, and W_h far from symmetric). */
function probeWeights(seed: number): RnnWeights {
  const rng = new Rng(seed);
  return { Wx: randn([4, 3], rng).mul(0.6), Wh: randn([4, 4], rng).mul(0.6), b: randn([4], rng).mul(0.4) };
}

/** The probes of these checks; the teacher's reference solutions compute the stored answers from them. */
export const ch03Probes = {
  rnnStep: () => {
    const p = probeWeights(3);
    const rng = new Rng(4);
    const x = randn([2, 3], rng);
    const h = randn([2, 4], rng).mul(0.8);
    return { p, x, h };
  },
  rnnForward: () => {
    const p = probeWeights(5);
    const rng = new Rng(6);
    const xs = randn([5, 2, 3], rng);
    const h0 = randn([2, 4], rng).mul(0.7);
    return { p, xs, h0 };
  },
  maskedCrossEntropy: () => {
    const V = 5;
    const rng = new Rng(9);
    return {
      V,
      // Uniform logits: every −log p is ln V, whatever the targets.
      uniform: { logits: zeros([4, V]), targets: [0, 3, 1, 4], mask: [1, 1, 1, 1] },
      logits: randn([6, V], rng).mul(2),
      targets: [2, 0, 4, 1, 3, 2],
      all: [1, 1, 1, 1, 1, 1],
      mask: [1, 1, 0, 1, 0, 0],
    };
  },
  perplexity: { totalNats: 2150, tokens: 1000 },
  temperature: () => ({
    logits: fromFlat([2.0, -1.0, 0.5, 3.0, 0.0], [5]),
    batch: randn([3, 5], new Rng(2)).mul(2),
  }),
};

const stored = (key: string): Tensor => answerTensor(answers, key);

// ---------------------------------------------------------------------------------------------
// ch03-rnn-step

/** Exercise ch03-rnn-step: one step h_t = tanh(x_t W_xᵀ + h_{t−1} W_hᵀ + b) for a batch of rows. */
export function checkRnnStep(rnnStep: (x: Tensor, hPrev: Tensor, p: RnnWeights) => Tensor): void {
  checkExercise("ch03-rnn-step", (c) => {
    const { p, x, h } = ch03Probes.rnnStep();
    const zeroB = zeros([4]);
    const call = (xx: Tensor, hh: Tensor, pp: RnnWeights, probe: string) =>
      attempt(c, `rnnStep on the probe (${probe})`, () => rnnStep(copyOf(xx), copyOf(hh), weightsCopy(pp)),
        "x_t is [B, I] and W_x is [H, I]; h_{t−1} is [B, H] and W_h is [H, H]: kl.linear(x, W) computes x Wᵀ");

    const full = call(x, h, p, "x_t [2,3], h_{t−1} [2,4], all terms");
    c.shape("h_t, one row per example and one column per hidden unit (probe: B = 2, H = 4)", full, [2, 4]);
    c.that("tanh is applied to the pre-activation (your h_t equals the pre-activation itself)", !near(full, stored("rnn-step/mistake/no-tanh")),
      "h_t = tanh(...): squash the sum of the three terms");

    // Only the input term: h_{t−1} = 0, b = 0.
    const inputOnly = call(x, zeros([2, 4]), { ...p, b: zeroB }, "h_{t−1} = 0, b = 0");
    c.close("the input term W_x x_t (probe: h_{t−1} = 0, b = 0)", inputOnly, stored("rnn-step/input-term"), {
      hint: "multiply x_t by W_x (transposed, since the examples are rows), not by W_h",
    });

    // Only the recurrent term: x_t = 0, b = 0.
    const recurrentOnly = call(zeros([2, 3]), h, { ...p, b: zeroB }, "x_t = 0, b = 0");
    c.that("the recurrent term uses W_hᵀ on the rows of h_{t−1} (your result is tanh(h_{t−1} W_h), without the transpose)",
      !near(recurrentOnly, stored("rnn-step/mistake/untransposed-Wh")),
      "row i of W_h holds the weights INTO unit i, so a row vector h is multiplied by W_hᵀ (kl.linear(h, W_h))");
    c.close("the recurrent term W_h h_{t−1} (probe: x_t = 0, b = 0)", recurrentOnly, stored("rnn-step/recurrent-term"), {
      hint: "multiply the previous state h_{t−1} (the argument hPrev) by W_h",
    });

    // Only the bias: x_t = 0, h_{t−1} = 0.
    const biasOnly = call(zeros([2, 3]), zeros([2, 4]), p, "x_t = 0, h_{t−1} = 0");
    c.close("the bias b (probe: x_t = 0, h_{t−1} = 0)", biasOnly, stored("rnn-step/bias"), {
      hint: "add b once, to every row of the batch",
    });

    c.close("h_t with all three terms together", full, stored("rnn-step/full"), { hint: "add the three terms, then apply tanh" });

    // The arguments are left as they were.
    const x2 = copyOf(x);
    const h2 = copyOf(h);
    const p2 = weightsCopy(p);
    attempt(c, "rnnStep", () => rnnStep(x2, h2, p2), "");
    c.that("rnnStep leaves its arguments unchanged", near(x2, x, 0) && near(h2, h, 0) && near(p2.Wx, p.Wx, 0) && near(p2.Wh, p.Wh, 0) && near(p2.b, p.b, 0),
      "compute a new tensor with kl ops; do not write into x, hPrev or the weights");

    // The tape: training needs the gradient to reach h_{t−1} and every weight through the step.
    const leaves = { "h_{t−1}": leafOf(h), W_x: leafOf(p.Wx), W_h: leafOf(p.Wh), b: leafOf(p.b) };
    checkOnTape(c, "rnnStep", "h_t", leaves, () => rnnStep(copyOf(x), leaves["h_{t−1}"], { Wx: leaves.W_x, Wh: leaves.W_h, b: leaves.b }));
  });
}

// ---------------------------------------------------------------------------------------------
// ch03-rnn-forward

/** Exercise ch03-rnn-forward: the states h_1..h_T over xs [T, B, I], starting from h0 [B, H]. */
export function checkRnnForward(rnnForward: (xs: Tensor, h0: Tensor, p: RnnWeights) => Tensor[]): void {
  checkExercise("ch03-rnn-forward", (c) => {
    const { p, xs, h0 } = ch03Probes.rnnForward();
    const T = xs.shape[0];
    const hs = attempt(c, "rnnForward on the probe xs [5,2,3], h0 [2,4]", () => rnnForward(copyOf(xs), copyOf(h0), weightsCopy(p)),
      "take step t's input with kl.index(xs, 0, t), which is [B, I]");
    c.that("rnnForward returns an array of tensors", Array.isArray(hs) && hs.every((h) => h instanceof Tensor), "collect the states in an array and return it");
    // The right states h_1..h_T (stored).
    const want = Array.from({ length: T }, (_, t) => stored(`rnn-forward/h_${t + 1}`));
    c.that(`one state per input step: ${T} states for T = ${T} (yours has ${hs.length})` + (hs.length === T + 1 ? "; h_0 is not one of the outputs" : ""),
      hs.length === T, hs.length === T + 1 ? "return h_1..h_T, the states after reading each input (leave the initial state h_0 out)" : "one step per row xs[t]");
    hs.forEach((ht, t) => c.shape(`h_${t + 1}`, ht, [2, 4]));
    c.that("the first step starts from the given h_0 (your h_1 is what h_0 = 0 would give)",
      !near(hs[0], stored("rnn-forward/mistake/h_1-from-zeros")), "pass h0 to the first step instead of zeros");
    c.close("h_1 = step(x_1, h_0)", hs[0], want[0], { hint: "the first state comes from the first input row xs[0] and h0" });
    c.that("the state is carried forward (your h_2 was computed from h_0, not from h_1)", !near(hs[1], stored("rnn-forward/mistake/h_2-from-h_0")),
      "after each step, the new state becomes the previous state of the next step");
    for (let t = 1; t < T; t++) {
      c.close(`h_${t + 1} = step(x_${t + 1}, h_${t})`, hs[t], want[t], { hint: "step t reads xs[t] (time is axis 0) and the state of step t − 1" });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch03-masked-cross-entropy

/**
 * Exercise ch03-masked-cross-entropy: the mean over the real (unpadded) steps of −log p(target),
 * from logits [N, V], targets [N] and a mask [N] (1 real, 0 padding), as a scalar tensor that
 * backward() can differentiate.
 */
export function checkMaskedCrossEntropy(maskedCrossEntropy: (logits: Tensor, targets: Tensor, mask: Tensor) => Tensor): void {
  checkExercise("ch03-masked-cross-entropy", (c) => {
    const probe = ch03Probes.maskedCrossEntropy();
    const call = (logits: Tensor, targets: number[], mask: number[], what: string) =>
      attempt(c, `maskedCrossEntropy on the probe (${what})`,
        () => maskedCrossEntropy(copyOf(logits), fromFlat(targets, [targets.length]), fromFlat(mask, [mask.length])),
        "logits are [N, V]; targets and mask are tensors with N entries (kl.oneHot(targets, V) makes [N, V])");
    const value = (t: unknown): number | undefined => (t instanceof Tensor && t.size === 1 ? t.data[0] : undefined);
    const number = (key: string): number => answerNumber(answers, `masked-cross-entropy/${key}`);

    // Uniform logits: every −log p is ln V, whatever the targets.
    const u = probe.uniform;
    const uniform = call(u.logits, u.targets, u.mask, "uniform logits, N = 4, no padding");
    c.shape("the loss, a scalar tensor (shape [])", uniform, [], "reduce with kl.sum, which returns shape []");
    c.that("the loss is the mean over steps, not the sum (your value is N·ln V for 4 uniform steps)", !nearNumber(value(uniform), 4 * number("uniform")),
      "divide the sum by the number of real steps");
    c.close("−log p for uniform logits, ln V (probe: 4 steps, V = 5)", value(uniform), number("uniform"), { hint: "−log(1/V) per step, averaged over the steps" });

    // Peaked logits: which entry is picked.
    const { logits, targets, all, mask } = probe;
    const got = call(logits, targets, all, "random logits, 6 steps, no padding");
    c.that("the loss reads the probability of the TARGET character (yours used the most likely one)", !nearNumber(value(got), number("mistake/most-likely")),
      "pick column targets[n] of row n (multiply by kl.oneHot(targets, V) and sum each row)");
    c.that("the loss takes the log of the probability (yours averages −p, not −log p)", !nearNumber(value(got), number("mistake/minus-p")),
      "use kl.logSoftmax, or kl.log of the softmax");
    c.close("−log p(target) averaged over the steps (probe: random logits, no padding)", value(got), number("no-padding"), {
      hint: "log-softmax each row over the V characters, pick the target's entry, negate, average",
    });

    // Padding: masked steps are left out, and the mean is over the real steps.
    const masked = call(logits, targets, mask, "3 real steps, 3 padded");
    const wantMasked = number("padded");
    c.that("the mean is over the real steps only (yours divides the masked sum by all N steps)", !nearNumber(value(masked), (wantMasked * 3) / 6),
      "divide by the number of 1s in the mask, not by N");
    c.close("the loss with padded steps left out (probe: mask 1,1,0,1,0,0)", value(masked), wantMasked, {
      hint: "multiply each step's −log p by its mask entry before summing",
    });

    // Large logits: a naive exp overflows.
    const big = call(logits.add(1000), targets, mask, "the same logits + 1000");
    c.close("the loss for large logits (probe: every logit + 1000, which must not change it)", value(big), wantMasked, {
      tol: 1e-6,
      hint: "e^1000 overflows: use kl.logSoftmax, which subtracts each row's maximum first",
    });

    // The gradient, through the tape.
    const leaf = fromFlat(logits.data, logits.shape, { requiresGrad: true });
    const loss = attempt(c, "maskedCrossEntropy with logits that require grad",
      () => maskedCrossEntropy(leaf, fromFlat(targets, [6]), fromFlat(mask, [6])), "build the loss from kl ops only");
    attempt(c, "loss.backward()", () => loss.backward(),
      "build the loss from kl ops on the logits (no .data, no plain numbers), so that backward() can reach them");
    c.close("the gradient of the loss with respect to the logits (backward through your loss)", leaf.grad ?? undefined, stored("masked-cross-entropy/gradient"), {
      missing: NO_GRADIENT, hint: "every step of the computation must be a kl op on the logits; a padded step gets no gradient",
    });
  });
}

// ---------------------------------------------------------------------------------------------
// ch03-perplexity

/** Exercise ch03-perplexity: exp(total loss in nats / number of predicted tokens). */
export function checkPerplexity(perplexity: (totalNats: number, tokens: number) => number): void {
  checkExercise("ch03-perplexity", (c) => {
    const call = (total: number, tokens: number) =>
      attempt(c, `perplexity(${total.toFixed(3)}, ${tokens})`, () => perplexity(total, tokens), "it takes two numbers and returns one");
    // Guessing uniformly among 28 characters costs ln 28 nats per token; the wrong values below
    // are what the usual mistakes make of that.
    const uniform = call(10 * Math.log(28), 10);
    c.that("the loss is in nats, so the base is e (your value is 2^(loss per token))", !nearNumber(uniform, 2 ** Math.log(28)),
      "the cross-entropy was computed with the natural log: undo it with Math.exp");
    c.that("the loss is averaged per token before exponentiating (your value is e^(total loss))", !nearNumber(uniform, 28 ** 10),
      "divide the total by the number of tokens first");
    c.that("the division by the number of tokens comes inside the exponential (your value is e^(total loss) / tokens)", !nearNumber(uniform, 28 ** 10 / 10),
      "what is averaged over the tokens: the loss, or the exponential of it?");
    c.that("perplexity exponentiates the loss per token (your value is the loss per token itself)", !nearNumber(uniform, Math.log(28)),
      "perplexity = e^(loss per token)");
    c.close("guessing uniformly among 28 characters gives perplexity 28", uniform, 28, { hint: "each token costs ln 28 nats here: what turns that back into 28?" });
    c.close("a perfect model (loss 0) has perplexity 1", call(0, 10), 1, { hint: "e^0 = 1" });
    const { totalNats, tokens } = ch03Probes.perplexity;
    c.close("perplexity of 1,000 tokens with a total loss of 2,150 nats", call(totalNats, tokens), answerNumber(answers, "perplexity/2150-nats-1000-tokens"), {
      hint: "the loss per token first, then the exponential that undoes the natural log",
    });
  });
}

// ---------------------------------------------------------------------------------------------
// ch03-temperature

/** Exercise ch03-temperature: softmax(logits / T) along the last axis ([V] or [B, V]). */
export function checkSoftmaxWithTemperature(softmaxWithTemperature: (logits: Tensor, temperature: number) => Tensor): void {
  checkExercise("ch03-temperature", (c) => {
    const { logits, batch } = ch03Probes.temperature();
    const call = (l: Tensor, T: number, probe: string) =>
      attempt(c, `softmaxWithTemperature on the probe (${probe})`, () => softmaxWithTemperature(copyOf(l), T), "divide the logits by T, then kl.softmax");
    const one = call(logits, 1, "T = 1");
    c.shape("the probabilities, one per character (probe: 5 logits)", one, [5]);
    c.close("T = 1 leaves the softmax unchanged", one, stored("temperature/T=1"), { hint: "with T = 1 the result is exactly kl.softmax(logits)" });
    const two = call(logits, 2, "T = 2");
    c.close("the probabilities sum to 1 (probe: T = 2)", two instanceof Tensor ? sum(two).item() : undefined, 1, { hint: "normalise after dividing by T" });
    c.that("the logits are DIVIDED by T (yours multiplies: T = 2 made the distribution sharper, not flatter)", !near(two, stored("temperature/mistake/multiplied-by-T=2")),
      "a high temperature flattens the distribution: softmax(logits / T)");
    c.that("the temperature divides the logits inside the softmax (yours raises the probabilities to 1/T without normalising)",
      !near(two, stored("temperature/mistake/powered-by-1/T=2")), "divide the logits by T before the softmax");
    c.close("softmax(logits / T) at T = 2", two, stored("temperature/T=2"), { hint: "divide every logit by T, then normalise with softmax" });
    c.close("softmax(logits / T) at T = 0.5", call(logits, 0.5, "T = 0.5"), stored("temperature/T=0.5"), { hint: "divide every logit by T, then normalise" });
    c.close("a cold temperature (probe: T = 0.001, so logits / T reach 3000)", call(logits, 0.001, "T = 0.001"), stored("temperature/T=0.001"), {
      hint: "e^3000 overflows to Infinity: let kl.softmax normalise, since it subtracts each row's maximum first",
    });
    const rows = call(batch, 1.5, "a batch [3, 5] at T = 1.5");
    c.shape("the probabilities for a batch of logits [3, 5]", rows, [3, 5]);
    c.close("each row of a batch normalised on its own (probe: [3, 5], T = 1.5)", rows, stored("temperature/batch-T=1.5"), {
      hint: "the softmax runs along the last axis (the characters), not over the whole batch",
    });
  });
}
