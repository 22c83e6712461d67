// Checks for the exercises of notebook 08, "Attention and the Transformer".
//
// The notebook derives scaled dot-product attention for one head (its section 1: queries q [L, d],
// keys k [S, d], values v [S, dv]; the weights softmax(q kᵀ/√d) row by row; the output the weights
// times v), the additive causal mask (0 where a key is not in the query's future, -Infinity where it
// is), multi-head self-attention from ops with PyTorch's parameters (the heads batched by a reshape
// and a transpose, each scaled by its own width; the weights averaged over the heads), the
// sinusoidal positional encoding of Vaswani et al. (2017), and the multiply-adds of one forward
// pass of an LSTM layer and of a self-attention layer. Each check probes one term at a time
// (one query and two keys read off the scale; values that are all the same row, or the identity,
// read off the averaging and the weights; a layer's weights averaged over the heads read off its
// scale, its heads and its q, k, v blocks; position 1 reads off the frequencies), recognises the
// usual mistakes by the exact wrong answer they produce, and names the term; it never prints the
// answer, and its hints are questions that lead back to the term.
//
// The right answers are not computed here. They are stored (./answers/ch08.ts, read through
// ./answers.ts), computed on the probes below by the teacher's reference solutions, which a
// student's copy of the course does not contain. So are the wrong answers of the mistakes that
// are the solution with one piece changed (keys ending in /mistake/...): their code would read
// as the solution. What stays here is the probes, the learner's results, and wrong answers that
// owe nothing to the solution (a probe's own row, a pattern of 0s and 1s).
import { checkExercise } from "../testing/exercise";
import type { ExerciseChecker } from "../testing/exercise";
import { ExerciseError } from "../testing/exercise";
import { NO_GRADIENT, attempt, copyOf, near, unchangedTensor } from "./probes";
import { answerNumber, answerTensor } from "./answers";
import { answers } from "./answers/ch08";
import { add, mul, reshape, scaledDotProductAttention, sum } from "../ops";
import { Rng } from "../random";
import { Tensor, fromFlat, randn, uniform } from "../tensor";
import { shapeStr } from "../errors";

/** A stored right answer (or a stored wrong answer, under a /mistake/ key) on this chapter's probes. */
const want = (key: string): Tensor => answerTensor(answers, key);
const wantNumber = (key: string): number => answerNumber(answers, key);

// ---------------------------------------------------------------------------------------------
// Helpers for these checks (the ones all chapters share are in probes.ts)

/** An additive causal mask [T, T] built from the probe's own rule (0 on and below the diagonal, -Infinity above). */
function causalOf(T: number): Tensor {
  const data = new Float64Array(T * T);
  for (let t = 0; t < T; t++) for (let s = t + 1; s < T; s++) data[t * T + s] = -Infinity;
  return fromFlat(data, [T, T]);
}

/** The same numbers, requiring gradients (a leaf of the tape). */
const leaf = (t: Tensor): Tensor => fromFlat(t.data, t.shape, { requiresGrad: true });

/** Which entries of a mask are masked: 1 where the entry is not 0, 0 where it is (as a [T, T] tensor). */
export function maskedPattern(m: Tensor): Tensor {
  return fromFlat(Array.from(m.data, (v) => (v === 0 ? 0 : 1)), m.shape);
}

/** Row sums (axis = 1) or column sums (axis = 0) of a 2-D tensor's numbers. */
function sums(t: Tensor, axis: 0 | 1): number[] {
  const [R, C] = t.shape;
  const out = new Array<number>(axis === 1 ? R : C).fill(0);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[axis === 1 ? r : c] += t.data[r * C + c];
  return out;
}
const allNear = (xs: number[], x: number, tol = 1e-9) => xs.every((v) => Math.abs(v - x) <= tol);
const isShape = (t: unknown, shape: number[]): t is Tensor => t instanceof Tensor && t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);

// ---------------------------------------------------------------------------------------------
// The probes (inputs are not secret): the checks below and the reference solutions that computed
// the stored answers both build them here, so they are the same numbers.

export const ch08Probes = {
  /**
   * ch08-attention-weights: q [3, 6] and k [5, 6] (L = 3 queries, S = 5 keys, d = 6: L, S, d and
   * √d all differ), g [3, 5] weighting the loss sum(g ⊙ weights) for the gradients (the plain sum
   * of a softmax is constant), and three queries qs [3, 6] over two keys ks [2, 6] for the scale
   * (d, √d, √2 and √3 differ: a scale by the number of keys or of queries shows too).
   */
  attentionWeights() {
    const rng = new Rng(81);
    const q = randn([3, 6], rng), k = randn([5, 6], rng);
    const g = randn([3, 5], rng);
    const qs = randn([3, 6], rng), ks = randn([2, 6], rng);
    return { q, k, g, qs, ks, L: 3, S: 5, d: 6 };
  },
  /** ch08-causal-mask: the lengths probed, the first one first. */
  causalMask: { main: 5, more: [1, 2, 8] },
  /**
   * ch08-attention: an unmasked probe q [3, 6], k [5, 6], v [5, 2] (L = 3, S = 5, d = 6, dv = 2)
   * with g [3, 2] for the loss; the same q and k with v the identity [5, 5] (the output is then the
   * weights) and with every row of v the same (the output is then that row); a causal probe with
   * positive queries and keys (every score positive) and v the identity [4, 4]; a causal probe of
   * random signs, q, k [4, 3], v [4, 2], g [4, 2]; and a mask of another pattern on the first
   * probe's q and k (some keys hidden from each query, not the future), with v the identity.
   */
  attention() {
    const rng = new Rng(83);
    const q = randn([3, 6], rng), k = randn([5, 6], rng), v = randn([5, 2], rng);
    const g = randn([3, 2], rng);
    const identity = (n: number) => fromFlat(Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), [n, n]);
    const row = [0.7, -1.3];
    const vSame = fromFlat(Array.from({ length: 10 }, (_, i) => row[i % 2]), [5, 2]);
    const qPos = uniform([4, 3], 0.2, 1, rng), kPos = uniform([4, 3], 0.2, 1, rng);
    const qm = randn([4, 3], rng), km = randn([4, 3], rng), vm = randn([4, 2], rng);
    const gm = randn([4, 2], rng);
    const hidden = [[0, 1], [0, 3], [1, 0], [1, 4], [2, 2]];
    const otherMask = fromFlat(Array.from({ length: 15 }, (_, i) => (hidden.some(([t, u]) => t * 5 + u === i) ? -Infinity : 0)), [3, 5]);
    return { q, k, v, g, vIdentity: identity(5), vSame, row, qPos, kPos, vIdentity4: identity(4), qm, km, vm, gm, mask: causalOf(4), otherMask };
  },
  /** ch08-sinusoidal: [T, E] probed: the main one, an odd E, one position, and a larger one. */
  sinusoidal: { main: [6, 8] as [number, number], odd: [4, 5] as [number, number], more: [[1, 2], [40, 16]] as [number, number][] },
  /**
   * ch08-cost: the width at which the terms are read off (n = 1 and n = 2 separate the n·d² terms
   * from the n²·d ones), and the (n, d) compared whole.
   */
  multiplyAdds: { d: 16, more: [[10, 4], [64, 32], [1000, 64], [3, 100], [1, 1]] as [number, number][] },
  /**
   * ch08-multihead: x [T, B, E] = [5, 2, 12] with H = 3 heads of dh = 4 (T, B, H, dh and E all
   * differ, so √dh, √E and a split of the wrong axis all show), PyTorch's four parameters, g [T, B, E]
   * and gw [B, T, T] weighting the loss sum(g ⊙ output) + sum(gw ⊙ weights) for the gradients; the
   * same with the causal mask [T, T]; and two more sizes, one head of width 5 over three sequences,
   * and four heads of width 2 over one sequence with the causal mask.
   */
  multihead() {
    const rng = new Rng(87);
    const make = (T: number, B: number, H: number, dh: number, masked: boolean): MultiheadProbe => {
      const E = H * dh;
      const w: Record<string, Tensor> = {
        in_proj_weight: mul(randn([3 * E, E], rng), 0.4),
        in_proj_bias: mul(randn([3 * E], rng), 0.2),
        "out_proj.weight": mul(randn([E, E], rng), 0.3),
        "out_proj.bias": mul(randn([E], rng), 0.2),
      };
      const x = randn([T, B, E], rng);
      return { T, B, H, dh, E, x, w, mask: masked ? causalOf(T) : undefined, g: randn([T, B, E], rng), gw: randn([B, T, T], rng) };
    };
    const main = make(5, 2, 3, 4, false);
    const masked = make(5, 2, 3, 4, true);
    return { main, masked, more: [make(2, 3, 1, 5, false), make(3, 1, 4, 2, true)] };
  },
};

/** One probe of ch08-multihead: the sizes, the input x [T, B, E], the parameters, the mask (or none), and the loss's weightings. */
export interface MultiheadProbe {
  T: number; B: number; H: number; dh: number; E: number;
  x: Tensor; w: Record<string, Tensor>; mask: Tensor | undefined; g: Tensor; gw: Tensor;
}

/** PyTorch's parameter names, in the order the gradients are stored. */
export const multiheadParameters = ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"] as const;

/** The key of a ch08-multihead probe's stored answers. */
export const multiheadKey = (p: MultiheadProbe): string => `multihead/T=${p.T},B=${p.B},H=${p.H},dh=${p.dh}${p.mask ? ",causal" : ""}`;

/** The key of a stored [T, E] encoding. */
export const sinusoidalKey = ([T, E]: [number, number]): string => `sinusoidal/T=${T},E=${E}`;

// ---------------------------------------------------------------------------------------------
// ch08-attention-weights

/** Exercise ch08-attention-weights: the attention weights [L, S] of queries q [L, d] over keys k [S, d]. */
export function checkAttentionWeights(attentionWeights: (q: Tensor, k: Tensor) => Tensor): void {
  checkExercise("ch08-attention-weights", (c) => {
    const { q, k, g, qs, ks, L, S, d } = ch08Probes.attentionWeights();
    const call = (qq: Tensor, kk: Tensor, probe: string) =>
      attempt(c, `attentionWeights on the probe (${probe})`, () => attentionWeights(copyOf(qq), copyOf(kk)),
        "q is [L, d] and k is [S, d]; kl.matmul multiplies [n, k] by [k, m], and kl.transpose(k) is [d, S]");

    const w = call(q, k, `L = ${L} queries, S = ${S} keys, d = ${d}`);
    c.that(`the scores have one row per query and one column per key (yours is [${S}, ${L}], [S, L]: the keys times the queries?)`, !isShape(w, [S, L]),
      "which of q and k gives the rows of the result, and which must be transposed?");
    c.shape(`the weights, one row per query and one column per key (probe: L = ${L}, S = ${S})`, w, [L, S]);
    c.that("the weights are finite and not negative", Array.from(w.data).every((x) => Number.isFinite(x) && x >= 0), "what does a softmax give: can a weight be negative or infinite?");
    const rowSums = sums(w, 1);
    c.that(`the softmax runs along each row, over the keys (yours normalises each column, over the queries: its columns sum to 1)`,
      allNear(rowSums, 1, 1e-9) || !allNear(sums(w, 0), 1, 1e-9), "each query shares its attention among the keys: along which axis do its weights sum to 1?");
    c.that("each row of weights sums to 1 (each query's weights are a distribution over the keys)", allNear(rowSums, 1, 1e-9),
      "which axis does the softmax run along, and did you apply it to the scores?");

    // Two keys: the log-ratio of a query's two weights is the difference of its two scores,
    // divided by whatever the learner divides by. It isolates the scale from everything else.
    const two = call(qs, ks, `three queries, two keys, d = ${d}`);
    c.shape(`the weights of three queries over two keys (probe: d = ${d})`, two, [3, 2]);
    const logRatio = fromFlat([0, 1, 2].map((r) => Math.log(two.data[2 * r] / two.data[2 * r + 1])), [3]);
    const scaleKey = "attention-weights/scale/log-ratio";
    const isMistake = (name: string) => near(logRatio, want(`${scaleKey}/mistake/${name}`), 1e-9);
    c.that(`the scores are scaled before the softmax (yours are not: with d = ${d} their spread grows with d, and the softmax saturates)`, !isMistake("unscaled"),
      "the derivation measured the variance of a dot product of d unit-variance terms: what does that suggest dividing the scores by?");
    c.that("the scale of the scores: a standard deviation, not a variance (yours divides the scores by d)", !isMistake("by-d"),
      "the variance of a score is d: by what must you divide a number to divide its variance by d?");
    c.that(`the scale of the scores depends on the size d of a query and a key, not on the number of keys S (yours divides by the square root of S)`,
      !isMistake("by-sqrt-S"), "which size does each dot product sum over: the keys, or the entries of one query and one key?");
    c.that(`the scale of the scores depends on the size d of a query and a key, not on the number of queries L (yours divides by the square root of L)`,
      !isMistake("by-sqrt-L"), "which size does each dot product sum over: the queries, or the entries of one query and one key?");
    c.close("the scale of the scores (probe: three queries, two keys; the log-ratio of a query's two weights is the difference of its two scaled scores)", logRatio, want(scaleKey), {
      tol: 1e-9, hint: "what are the two scores, and by which number does the derivation divide them?",
    });

    c.close(`the weights (probe: L = ${L}, S = ${S}, d = ${d})`, w, want("attention-weights/main"), {
      hint: "the scores of each query with each key, scaled, then a softmax along each row: which step differs from the derivation?",
    });

    const q2 = copyOf(q), k2 = copyOf(k);
    attempt(c, "attentionWeights", () => attentionWeights(q2, k2), "");
    c.that("attentionWeights leaves q and k unchanged", unchangedTensor(q2, q) && unchangedTensor(k2, k), "do you write into q or k, where new tensors from kl ops would do?");

    // The tape: the learner's weights are built from kl ops on q and k.
    const qLeaf = leaf(q), kLeaf = leaf(k);
    const onTape = attempt(c, "attentionWeights on the probe (q and k requiring gradients)", () => attentionWeights(qLeaf, kLeaf), "");
    c.that("the tape can differentiate your weights (yours returns a tensor the tape does not reach: kl.noGrad, .data or plain numbers?)",
      onTape instanceof Tensor && onTape.requiresGrad, "are the weights built from kl ops on q and k alone, outside kl.noGrad and without .data?");
    attempt(c, "backward through your weights (the loss sum(g ⊙ weights) for a fixed random g)", () => sum(mul(onTape, g)).backward(), "are the weights built from kl ops on q and k alone?");
    c.close("the gradient reaching q through your weights", qLeaf.grad ?? undefined, want("attention-weights/grad/q"), {
      missing: NO_GRADIENT, hint: "does every use of q go through kl ops (no .data, no copies)?",
    });
    c.close("the gradient reaching k through your weights", kLeaf.grad ?? undefined, want("attention-weights/grad/k"), {
      missing: NO_GRADIENT, hint: "does every use of k go through kl ops (no .data, no copies)?",
    });

  });
}

// ---------------------------------------------------------------------------------------------
// ch08-causal-mask

/** Exercise ch08-causal-mask: the additive mask [T, T] that keeps a query from the keys of its future. */
export function checkCausalMask(causalMask: (T: number) => Tensor): void {
  checkExercise("ch08-causal-mask", (c) => {
    const { main: T, more } = ch08Probes.causalMask;
    const call = (n: number) => attempt(c, `causalMask(${n})`, () => causalMask(n), "it takes the length T and returns a Tensor [T, T]");
    const m = call(T);
    c.that(`causalMask returns a Tensor (yours returned ${m === undefined ? "undefined" : typeof m})`, m instanceof Tensor, "is what you return a kl Tensor (from kl.fromFlat or kl.full, say)?");
    c.that(`one row and one column per step: [T, T] (yours is ${shapeStr(m.shape)} for T = ${T}: one too many or too few?)`,
      !(isShape(m, [T + 1, T + 1]) || isShape(m, [T - 1, T - 1])), "how many query steps and key steps does a sequence of T steps have?");
    c.shape(`the mask, one row per query step t and one column per key step s (probe: T = ${T})`, m, [T, T]);
    const values = Array.from(m.data);
    c.that("the entries are numbers (yours has NaN)", values.every((x) => !Number.isNaN(x)), "which two values may an entry of an additive mask take?");
    c.that("the mask is ADDED to the scores, so its entries are 0 and -Infinity (yours holds 0 and 1: a pattern of which entries to keep?)",
      !(values.every((x) => x === 0 || x === 1) && values.some((x) => x === 1)),
      "what does adding 1 to a score do to its weight after the softmax, and which number added to a score makes its weight exactly 0?");
    c.that("an entry either keeps a score (0) or removes it (a negative number): yours has positive entries", values.every((x) => x <= 0),
      "does adding a positive number to a score make its weight larger or smaller?");

    const got = maskedPattern(m);
    const key = `causal-mask/T=${T}/masked`;
    c.that("a step may attend to itself: the diagonal s = t is kept (yours masks it too)", !near(got, want(`${key}/mistake/diagonal`), 0),
      "at step t, is the input at step t itself already known?");
    c.that("the masked entries are the future (yours masks the past, below the diagonal, and lets each step see the later ones: the transpose)",
      !near(got, want(`${key}/mistake/transpose`), 0), "row t is the query at step t and column s the key at step s: which keys lie in t's future?");
    c.that("every later step is masked (yours lets step t see step t + 1)", !near(got, want(`${key}/mistake/off-by-one`), 0),
      "at step t, which is the first step that is not known yet?");
    c.close(`which entries are masked (probe: T = ${T}; 1 where your entry is not 0)`, got, want(key), {
      tol: 0, hint: "row t is the query at step t and column s the key at step s: which keys may step t see?",
    });
    const finite = values.find((x) => x !== 0 && Number.isFinite(x));
    c.that(`the masked entries are -Infinity (yours are ${finite}, a finite number: exp(-Infinity) is exactly 0 whatever the score it is added to; exp(score ${finite}) is 0 only while the score stays far below ${finite === undefined ? "it" : -finite})`,
      finite === undefined, "what does Math.exp(-Infinity) give, and does it depend on the score the mask is added to?");

    for (const n of more) {
      const mn = call(n);
      c.shape(`the mask for T = ${n}`, mn, [n, n]);
      c.close(`which entries are masked for T = ${n}`, maskedPattern(mn), want(`causal-mask/T=${n}/masked`), {
        tol: 0, hint: "does your function build the mask from its argument T, for every T?",
      });
      c.that(`the masked entries are -Infinity for T = ${n}`, Array.from(mn.data).every((x) => x === 0 || x === -Infinity), "does your function use the same two values for every T?");
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch08-attention

/**
 * Calls the learner's attention. A matrix product that fails with v on the left of the weights is
 * the mistake "the weights and v in the wrong order", named as such.
 */
function callAttention(
  c: ExerciseChecker, attention: (q: Tensor, k: Tensor, v: Tensor, mask?: Tensor) => Tensor,
  q: Tensor, k: Tensor, v: Tensor, mask: Tensor | undefined, probe: string,
): Tensor {
  try {
    return mask === undefined ? attention(copyOf(q), copyOf(k), copyOf(v)) : attention(copyOf(q), copyOf(k), copyOf(v), copyOf(mask));
  } catch (e) {
    if (e instanceof ExerciseError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (/not implemented yet/.test(message)) throw e;
    const vFirst = new RegExp(`matmul: \\${shapeStr(v.shape).replace("]", "\\]")} x \\[${q.shape[0]},`);
    if (vFirst.test(message) || message.includes(`matmul: ${shapeStr(v.shape)} x ${shapeStr([q.shape[0], k.shape[0]])}`)) {
      c.that(`the weights multiply v, not v the weights (yours puts v [S, dv] on the left of the weights [L, S]; probe: ${probe})`, false,
        "the output has one row per query: which factor of the product has one row per query?");
    }
    throw new ExerciseError(`✘ ${c.exercise}: attention on the probe (${probe}) threw an error: ${message.split("\n")[0]}\nHint: q is [L, d], k is [S, d], v is [S, dv]; the weights are [L, S], and the output [L, dv]`);
  }
}

/** Exercise ch08-attention: softmax(q kᵀ/√d + mask) v, with the additive mask optional. */
export function checkAttention(attention: (q: Tensor, k: Tensor, v: Tensor, mask?: Tensor) => Tensor): void {
  checkExercise("ch08-attention", (c) => {
    const p = ch08Probes.attention();
    const mainProbe = "L = 3 queries, S = 5 keys, d = 6, dv = 2, no mask";
    const out = callAttention(c, attention, p.q, p.k, p.v, undefined, mainProbe);
    c.that("the output has one row per query and dv columns (yours is [dv, L], the transpose: vᵀ times the weights' transpose?)", !isShape(out, [2, 3]),
      "the output has one row per query: which factor of the product has one row per query?");
    c.shape(`the output, one row per query and one column per entry of a value (probe: ${mainProbe})`, out, [3, 2]);

    // Every row of v the same: whatever the weights, a weighted AVERAGE of v's rows is that row.
    const same = callAttention(c, attention, p.q, p.k, p.vSame, undefined, "every row of v the same");
    c.shape("the output when every row of v is the same", same, [3, 2]);
    c.close("each output row is a weighted average of the rows of v (probe: every row of v the same, so every output row must be that row)",
      same, fromFlat([...p.row, ...p.row, ...p.row], [3, 2]), {
        tol: 1e-9, hint: "do each query's weights sum to 1 over the keys, and does the softmax run along the right axis?",
      });

    // v the identity: the output is the weights themselves.
    const weights = callAttention(c, attention, p.q, p.k, p.vIdentity, undefined, "v the identity [5, 5], so the output is the weights");
    c.shape("the output when v is the identity [S, S] (the weights themselves)", weights, [3, 5]);
    c.that("the scores are scaled before the softmax (yours are not)", !near(weights, want("attention/identity/mistake/unscaled")),
      "how did the derivation keep the scores' spread from growing with d?");
    c.close("the weights (probe: v the identity, so the output is the weights)", weights, want("attention/identity"), {
      hint: "the scores of each query with each key, scaled, then a softmax along each row: which step differs?",
    });

    // The causal mask, every score positive, v the identity: the output is the masked weights.
    const maskedProbe = "causal mask, L = S = 4, every score positive, v the identity";
    const mw = callAttention(c, attention, p.qPos, p.kPos, p.vIdentity4, p.mask, maskedProbe);
    c.shape(`the output (probe: ${maskedProbe})`, mw, [4, 4]);
    const maskedAt = Array.from(p.mask.data, (x) => x === -Infinity);
    c.that("the mask goes into the scores, before the softmax (your output is -Infinity where the mask is: the mask was applied after the softmax?)",
      !maskedAt.some((isMasked, i) => isMasked && mw.data[i] === -Infinity),
      "after the softmax, can anything added still change which keys a query attends to without breaking the weights' sum?");
    c.that("the mask is ADDED to the scores (yours multiplies them by it: every kept score becomes 0, so each query weighs its past equally)",
      !near(mw, want("attention/masked-identity/mistake/multiplied")), "what is a score times 0, and what should the mask do to the scores it keeps?");
    c.that("the mask is used when it is given (your weights with the causal mask are the weights without it)", !near(mw, want("attention/masked-identity/mistake/unmasked")),
      "where does the optional argument mask enter your computation?");
    c.that("the output is finite (probe: causal mask; yours has NaN or an infinity)", Array.from(mw.data).every(Number.isFinite),
      "what is 0 × -Infinity, and -Infinity minus -Infinity? Which operation should combine the mask with the scores?");
    c.that("the scores are scaled before the mask and the softmax (yours are not)", !near(mw, want("attention/masked-identity/mistake/unscaled")),
      "is the scaling of the scores the same with a mask as without one?");
    c.close(`the masked weights (probe: ${maskedProbe})`, mw, want("attention/masked-identity"), {
      hint: "the scaled scores plus the mask, then the softmax along each row: which step differs?",
    });

    const otherProbe = "L = 3, S = 5, a mask that hides keys 1 and 3 from query 0, keys 0 and 4 from query 1, key 2 from query 2; v the identity";
    const ow = callAttention(c, attention, p.q, p.k, p.vIdentity, p.otherMask, otherProbe);
    c.shape(`the output (probe: ${otherProbe})`, ow, [3, 5]);
    c.close(`the weights with the mask you are given, whatever its pattern (probe: ${otherProbe})`, ow, want("attention/other-mask-identity"), {
      hint: "does your function add the mask it is given, or build a causal mask of its own?",
    });

    c.close(`the output (probe: ${mainProbe})`, out, want("attention/main"), { hint: "the weights of each query times the values: which factor differs?" });
    const maskedRandom = "causal mask, L = S = 4, d = 3, dv = 2, scores of both signs";
    const om = callAttention(c, attention, p.qm, p.km, p.vm, p.mask, maskedRandom);
    c.shape(`the output (probe: ${maskedRandom})`, om, [4, 2]);
    c.that("the output is finite with a causal mask and scores of both signs (yours has NaN or an infinity)", Array.from(om.data).every(Number.isFinite),
      "what is a negative score times -Infinity, and what does a softmax make of +Infinity? Which operation should combine the mask with the scores?");
    c.close(`the output (probe: ${maskedRandom})`, om, want("attention/masked"), { hint: "the scaled scores plus the mask, the softmax along each row, times the values: which step differs?" });

    // A mask need not be 0 or −∞: a finite one (here a bias that favours near keys) tells adding it
    // to the scaled scores from adding it before the scaling, which a 0/−∞ mask cannot (a learner's
    // trial passed every probe above with (q·kᵀ + mask)/√d). The reference is the library's.
    const [L, d] = p.qm.shape, S = p.km.shape[0], dv = p.vm.shape[1];
    const soft = fromFlat(Array.from({ length: L * S }, (_, i) => -0.5 * Math.abs(Math.floor(i / S) - (i % S))), [L, S]);
    const library = (m: Tensor) =>
      reshape(scaledDotProductAttention(reshape(p.qm, [1, L, d]), reshape(p.km, [1, S, d]), reshape(p.vm, [1, S, dv]), { mask: m }).output, [L, dv]);
    const softProbe = `a finite mask, −0.5 per step between query and key, L = S = ${L}`;
    const sm = callAttention(c, attention, p.qm, p.km, p.vm, soft, softProbe);
    c.that("the mask is added to the SCALED scores, q·kᵀ/√d + mask (yours adds it before dividing by √d: (q·kᵀ + mask)/√d)",
      !near(sm, library(soft.mul(1 / Math.sqrt(d)))), "divide q·kᵀ by √d first, then add the mask as it is");
    c.close(`the output (probe: ${softProbe})`, sm, library(soft), { hint: "the scaled scores plus the mask, the softmax along each row, times the values: which step differs?" });

    const [q2, k2, v2, m2] = [copyOf(p.qm), copyOf(p.km), copyOf(p.vm), copyOf(p.mask)];
    attempt(c, "attention", () => attention(q2, k2, v2, m2), "");
    c.that("attention leaves q, k, v and the mask unchanged", unchangedTensor(q2, p.qm) && unchangedTensor(k2, p.km) && unchangedTensor(v2, p.vm) && unchangedTensor(m2, p.mask),
      "do you write into one of the arguments, where new tensors from kl ops would do?");

    // The tape, without and with the mask: gradients of sum(g ⊙ output) reach q, k and v.
    const grads = (q: Tensor, k: Tensor, v: Tensor, g: Tensor, mask: Tensor | undefined, probe: string, key: string) => {
      const [ql, kl, vl] = [leaf(q), leaf(k), leaf(v)];
      const o = attempt(c, `attention on the probe (${probe}; q, k and v requiring gradients)`, () => (mask ? attention(ql, kl, vl, copyOf(mask)) : attention(ql, kl, vl)), "");
      c.that(`the tape can differentiate your output (probe: ${probe}; yours returns a tensor the tape does not reach: kl.noGrad, .data or plain numbers?)`,
        o instanceof Tensor && o.requiresGrad, "is the output built from kl ops on q, k and v alone, outside kl.noGrad and without .data?");
      attempt(c, `backward through your output (probe: ${probe}; the loss sum(g ⊙ output) for a fixed random g)`, () => sum(mul(o, g)).backward(), "is the output built from kl ops on q, k and v alone?");
      for (const [name, t] of [["q", ql], ["k", kl], ["v", vl]] as const) {
        c.close(`the gradient reaching ${name} through your output (probe: ${probe})`, t.grad ?? undefined, want(`${key}/grad/${name}`), {
          missing: NO_GRADIENT, hint: `does every use of ${name} go through kl ops (no .data, no copies), and is the mask a constant added to the scores?`,
        });
      }
    };
    grads(p.q, p.k, p.v, p.g, undefined, mainProbe, "attention/main");
    grads(p.qm, p.km, p.vm, p.gm, p.mask, maskedRandom, "attention/masked");

  });
}

// ---------------------------------------------------------------------------------------------
// ch08-multihead

/** What the learner's multiheadFromOps returns: the output [T, B, E] and the weights averaged over the heads [B, T, T]. */
export interface MultiheadResult {
  output: Tensor;
  weights: Tensor;
}
export type MultiheadFromOps = (x: Tensor, w: Record<string, Tensor>, numHeads: number, mask?: Tensor) => MultiheadResult;

const multiheadProbeName = (p: MultiheadProbe): string =>
  `T = ${p.T}, B = ${p.B}, H = ${p.H} heads of dh = ${p.dh}, E = ${p.E}, ${p.mask ? "the causal mask" : "no mask"}`;
const copiesOf = (w: Record<string, Tensor>): Record<string, Tensor> => Object.fromEntries(Object.entries(w).map(([n, t]) => [n, copyOf(t)]));

/** The wrong orders of the q, k, v row blocks of in_proj_weight the check recognises (the stored mistakes' names). */
export const multiheadWrongOrders = ["q,v,k", "k,q,v", "k,v,q", "v,q,k", "v,k,q"] as const;

/** Exercise ch08-multihead: multi-head self-attention from ops, with PyTorch's parameters, x [T, B, E] sequence-first. */
export function checkMultihead(multiheadFromOps: MultiheadFromOps): void {
  checkExercise("ch08-multihead", (c) => {
    const { main, masked, more } = ch08Probes.multihead();
    const call = (p: MultiheadProbe, x = copyOf(p.x), w = copiesOf(p.w), mask = p.mask && copyOf(p.mask)): MultiheadResult => {
      const name = multiheadProbeName(p);
      const r = attempt(c, `multiheadFromOps on the probe (${name})`, () => (mask === undefined ? multiheadFromOps(x, w, p.H) : multiheadFromOps(x, w, p.H, mask)),
        "x is [T, B, E], in_proj_weight [3E, E] and out_proj.weight [E, E]: which shape must the queries, keys and values of all the heads take for kl.bmm, and which axes does each kl.transpose swap?");
      c.that(`multiheadFromOps returns { output, weights }, two Tensors (probe: ${name})`,
        r !== null && typeof r === "object" && r.output instanceof Tensor && r.weights instanceof Tensor,
        "does your function return an object with the output and the weights, each a kl Tensor?");
      return r;
    };

    // The main probe: shapes first, then the weights (every head's scores, softmax, average), then the output.
    const { T, B, H, E } = main;
    const mainName = multiheadProbeName(main);
    const r = call(main);
    c.that(`the output is sequence-first like x, [T, B, E] (yours is [B, T, E] = ${shapeStr(r.output.shape)})`, !isShape(r.output, [B, T, E]),
      "which axis of x counts the steps, and which the sequences, and does your output keep them in that order?");
    c.shape(`the output, one row per step and sequence as in x (probe: ${mainName})`, r.output, [T, B, E]);
    c.that(`the weights are averaged over the heads: one [T, T] matrix per sequence (yours holds one per head and sequence, ${shapeStr(r.weights.shape)})`,
      !(isShape(r.weights, [B * H, T, T]) || isShape(r.weights, [B, H, T, T]) || isShape(r.weights, [H, B, T, T])),
      "PyTorch returns one matrix of weights per sequence: how does it combine the H heads' matrices into one?");
    c.shape(`the weights, one [T, T] matrix per sequence (probe: ${mainName})`, r.weights, [B, T, T]);
    c.that("the weights are finite and not negative", Array.from(r.weights.data).every((x) => Number.isFinite(x) && x >= 0), "what does a softmax give, and what does an average of softmaxes give: can a weight be negative or infinite?");
    const rows = fromFlat(r.weights.data, [B * T, T]);
    const rowSums = sums(rows, 1);
    const colSums = Array.from({ length: B }, (_, b) => sums(fromFlat(r.weights.data.slice(b * T * T, (b + 1) * T * T), [T, T]), 0)).flat();
    c.that(`the heads' weights are averaged, not added up (each row of yours sums to ${H}, the number of heads)`, !allNear(rowSums, H, 1e-9),
      "what do H distributions over the keys add up to, and what makes one distribution of them?");
    c.that("the softmax runs along the keys, the last axis of the scores (yours normalises over the queries: the columns of your weights sum to 1)",
      allNear(rowSums, 1, 1e-9) || !(allNear(colSums, 1, 1e-9) || allNear(colSums, H, 1e-9)),
      "each query shares its attention among the keys: which axis of the heads' [B·H, T, T] scores runs over the keys?");
    c.that("each row of weights sums to 1 (each query's weights, averaged over the heads, are a distribution over the keys)", allNear(rowSums, 1, 1e-9),
      "is the softmax applied to every head's scores, along the keys, before the heads are averaged?");

    const key = multiheadKey(main);
    const weightsAre = (name: string) => near(r.weights, want(`${key}/weights/mistake/${name}`), 1e-9);
    c.that(`the scale of each head's scores (yours divides them by the square root of E = ${E}, the width of all ${H} heads together)`, !weightsAre("scale-sqrt-E"),
      "each head's dot products sum over how many features: all E of them, or that head's own?");
    c.that("each head's scores are scaled before the softmax (yours are not)", !weightsAre("unscaled"),
      "how did section 1 keep the scores' spread from growing with the number of features in a dot product?");
    c.that("the row blocks of in_proj_weight are the queries', the keys' and the values', in PyTorch's order (yours takes them in another order)",
      !multiheadWrongOrders.some((o) => weightsAre(`order-${o}`)),
      "which block of E rows of in_proj_weight (and of in_proj_bias) does PyTorch's layout give the queries, which the keys, which the values?");
    c.that(`the heads: head i reads ${main.dh} neighbouring features of the projections (yours gives head i every ${H}-th feature: interleaved columns)`, !weightsAre("interleaved"),
      "which columns of the queries does head i read: a block of neighbours, or one column in every H?");
    c.that("the heads: steps and sequences stay apart when the heads are split (yours reshapes [T, B, E] straight to [B·H, T, dh]: a reshape keeps the numbers in their order, so each of your 'heads' mixes steps of different sequences)",
      !weightsAre("no-transpose"), "after reshaping to [T, B·H, dh], which axis is first, and which must be first for kl.bmm to treat each head of each sequence as one problem?");
    c.that("the weights returned are the average over all the heads (yours are head 0's only)", !weightsAre("head-0"),
      "which heads' weights does PyTorch average into the matrix it returns?");
    c.close(`the weights averaged over the heads (probe: ${mainName})`, r.weights, want(`${key}/weights`), {
      hint: "every head's scores, scaled, a softmax along the keys, then the average over the heads: which step differs?",
    });

    c.that("the heads' outputs, joined side by side, go through the output projection (yours stops before it)", !near(r.output, want(`${key}/output/mistake/no-output-projection`), 1e-9),
      "after the heads are joined, which of PyTorch's four parameters has your function not used?");
    c.close(`the output (probe: ${mainName})`, r.output, want(`${key}/output`), {
      hint: "each head's weights times its values, the heads joined side by side in their order, then the output projection: which step differs?",
    });

    // The causal mask: every head of every sequence must give exactly 0 to the keys it hides.
    const maskedName = multiheadProbeName(masked);
    const rm = call(masked);
    c.shape(`the output (probe: ${maskedName})`, rm.output, [T, B, E]);
    c.shape(`the weights (probe: ${maskedName})`, rm.weights, [B, T, T]);
    const hidden = Array.from(masked.mask!.data, (x) => x === -Infinity);
    c.that("the mask is added to the scores of every head and every sequence (your weights put weight on keys the mask hides: the mask ignored, added after the softmax, or given to some heads only?)",
      Array.from(rm.weights.data).every((w, i) => !hidden[i % (T * T)] || w === 0),
      "where does the optional argument mask enter your computation, and does it reach every head's [T, T] scores before the softmax?");
    c.that("the output and the weights are finite with the causal mask (yours has NaN or an infinity)",
      [...Array.from(rm.output.data), ...Array.from(rm.weights.data)].every(Number.isFinite),
      "which operation should combine the mask with the scores, and what do -Infinity minus -Infinity and 0 × -Infinity give?");
    const maskedKey = multiheadKey(masked);
    c.close(`the weights averaged over the heads (probe: ${maskedName})`, rm.weights, want(`${maskedKey}/weights`), {
      hint: "every head's scaled scores plus the mask, the softmax along the keys, then the average over the heads: which step differs?",
    });
    c.close(`the output (probe: ${maskedName})`, rm.output, want(`${maskedKey}/output`), { hint: "is the masked computation the same as the unmasked one apart from the mask?" });

    for (const p of more) {
      const name = multiheadProbeName(p);
      const rp = call(p);
      c.shape(`the output (probe: ${name})`, rp.output, [p.T, p.B, p.E]);
      c.shape(`the weights (probe: ${name})`, rp.weights, [p.B, p.T, p.T]);
      const hint = "does your function take T, B and E from x and the number of heads from numHeads, for every size?";
      c.close(`the weights averaged over the heads (probe: ${name})`, rp.weights, want(`${multiheadKey(p)}/weights`), { hint });
      c.close(`the output (probe: ${name})`, rp.output, want(`${multiheadKey(p)}/output`), { hint });
    }

    const [x2, w2, m2] = [copyOf(masked.x), copiesOf(masked.w), copyOf(masked.mask!)];
    call(masked, x2, w2, m2);
    c.that("multiheadFromOps leaves x, the parameters and the mask unchanged",
      unchangedTensor(x2, masked.x) && multiheadParameters.every((n) => unchangedTensor(w2[n], masked.w[n])) && unchangedTensor(m2, masked.mask!),
      "do you write into one of the arguments, where new tensors from kl ops would do?");

    // The tape: the gradients of sum(g ⊙ output) + sum(gw ⊙ weights) reach x and every parameter.
    for (const p of [main, masked]) {
      const name = multiheadProbeName(p);
      const x = leaf(p.x);
      const w: Record<string, Tensor> = Object.fromEntries(multiheadParameters.map((n) => [n, leaf(p.w[n])]));
      const o = call(p, x, w, p.mask && copyOf(p.mask));
      c.that(`the tape can differentiate your output and weights (probe: ${name}; yours returns tensors the tape does not reach: kl.noGrad, .data or plain numbers?)`,
        o.output.requiresGrad && o.weights.requiresGrad, "are the output and the weights built from kl ops on x and the parameters alone, outside kl.noGrad and without .data?");
      attempt(c, `backward through your output and weights (probe: ${name}; the loss sum(g ⊙ output) + sum(gw ⊙ weights) for fixed random g and gw)`,
        () => add(sum(mul(o.output, p.g)), sum(mul(o.weights, p.gw))).backward(), "are the output and the weights built from kl ops on x and the parameters alone?");
      const key = multiheadKey(p);
      c.close(`the gradient reaching x through your output and weights (probe: ${name})`, x.grad ?? undefined, want(`${key}/grad/x`), {
        missing: NO_GRADIENT, hint: "does every use of x go through kl ops (no .data, no copies), and is the mask a constant added to the scores?",
      });
      for (const n of multiheadParameters) {
        c.close(`the gradient reaching ${n} through your output and weights (probe: ${name})`, w[n].grad ?? undefined, want(`${key}/grad/${n}`), {
          missing: NO_GRADIENT, hint: `does every use of ${n} go through kl ops (no .data, no copies)?`,
        });
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch08-sinusoidal

/** Exercise ch08-sinusoidal: Vaswani et al.'s sinusoidal positional encoding [T, E]. */
export function checkSinusoidalEncoding(sinusoidalEncoding: (T: number, E: number) => Tensor): void {
  checkExercise("ch08-sinusoidal", (c) => {
    const { main, odd, more } = ch08Probes.sinusoidal;
    const call = ([T, E]: [number, number]) => attempt(c, `sinusoidalEncoding(${T}, ${E})`, () => sinusoidalEncoding(T, E), "it takes the number of positions T and the width E, and returns a Tensor [T, E]");
    const [T, E] = main;
    const pe = call(main);
    c.that(`sinusoidalEncoding returns a Tensor (yours returned ${pe === undefined ? "undefined" : typeof pe})`, pe instanceof Tensor, "is what you return a kl Tensor (from kl.fromFlat, say)?");
    c.that(`one row per position and one column per feature (yours is [E, T] = ${shapeStr(pe.shape)})`, !isShape(pe, [E, T]), "which argument counts the rows?");
    c.shape(`the encoding, one row per position (probe: T = ${T}, E = ${E})`, pe, [T, E]);
    const key = sinusoidalKey(main);
    c.that("every entry is a sine or a cosine, between -1 and 1", Array.from(pe.data).every((x) => Number.isFinite(x) && Math.abs(x) <= 1 + 1e-12),
      "are the angles passed through Math.sin and Math.cos?");
    c.that("positions count from 0: the first row is position p = 0 (yours starts at p = 1)", !near(pe, want(`${key}/mistake/positions-from-1`)),
      "which position does the first row of the encoding stand for?");
    c.that("which columns hold the sines and which the cosines (yours has them swapped)", !near(pe, want(`${key}/mistake/sin-cos-swapped`)),
      "which function does the column 2i use, and which the column 2i + 1?");
    c.close("the row of position 0 (every angle is 0 there)", fromFlat(pe.data.slice(0, E), [E]), fromFlat(want(key).data.slice(0, E), [E]), {
      tol: 1e-12, hint: "at position 0 every angle is 0: what are the sine and the cosine of 0, and which columns hold which?",
    });
    c.that("the exponent of the pair i (yours uses i/E: your frequencies fall half as fast across the columns)", !near(pe, want(`${key}/mistake/exponent-i-over-E`)),
      "the pair i covers the columns 2i and 2i + 1: which of the two numbers goes over E in the exponent?");
    c.that("columns 2i and 2i + 1 share one frequency (yours gives the cosine column its own exponent, from its column index 2i + 1)", !near(pe, want(`${key}/mistake/exponent-column-index`)),
      "do the sine and the cosine of one pair turn at the same rate?");
    c.that("the base of the frequencies (yours uses 1000)", !near(pe, want(`${key}/mistake/base-1000`)),
      "which number does Vaswani et al.'s encoding raise to the power 2i/E?");
    // Position 1: every angle is the frequency itself (at most 1 radian, so asin and acos read it back).
    const angles = (col0: number) => fromFlat(Array.from({ length: Math.ceil((E - col0) / 2) }, (_, i) => (col0 === 0 ? Math.asin : Math.acos)(pe.data[E + col0 + 2 * i])), [Math.ceil((E - col0) / 2)]);
    const freqs = want(`${key}/frequencies`);
    c.close("the frequency of each pair, read from the sine columns (probe: position 1, where each angle is its frequency)", angles(0), freqs, {
      tol: 1e-9, hint: "how does the angle of the column 2i depend on i, E and the base?",
    });
    c.close("the frequency of each pair, read from the cosine columns (probe: position 1)", angles(1), fromFlat(freqs.data.slice(0, E / 2), [E / 2]), {
      tol: 1e-9, hint: "does the cosine of a pair use the same angle as its sine?",
    });
    c.close(`the encoding (probe: T = ${T}, E = ${E})`, pe, want(key), { tol: 1e-9, hint: "which term differs: the position, the frequency, or the function of the column?" });

    const [To, Eo] = odd;
    const po = call(odd);
    c.shape(`the encoding for an odd width (probe: T = ${To}, E = ${Eo})`, po, [To, Eo]);
    const last = Array.from({ length: To }, (_, p) => po.data[p * Eo + Eo - 1]);
    c.that(`for an odd E the last column ${Eo - 1} is the sine of a pair of its own (yours leaves it 0)`, !(To > 1 && last.every((x) => x === 0)),
      "when E is odd, the last column is an even column 2i: what does it hold?");
    c.close(`the encoding for an odd width (probe: T = ${To}, E = ${Eo})`, po, want(sinusoidalKey(odd)), {
      tol: 1e-9, hint: "for E odd, the last column is the sine of the pair i = (E − 1)/2: is its exponent the same formula?",
    });
    for (const size of more) {
      const got = call(size);
      c.shape(`the encoding (probe: T = ${size[0]}, E = ${size[1]})`, got, size);
      c.close(`the encoding (probe: T = ${size[0]}, E = ${size[1]})`, got, want(sinusoidalKey(size)), { tol: 1e-9, hint: "does your function use its arguments T and E, for every size?" });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// ch08-cost

/** What the learner's multiplyAdds returns. */
export interface MultiplyAdds {
  lstm: number;
  attention: number;
}

/**
 * Exercise ch08-cost: the multiply-adds of one forward pass of one layer over n steps of width d,
 * counting matrix products only, for an LSTM layer and a self-attention layer.
 */
export function checkMultiplyAdds(multiplyAdds: (n: number, d: number) => MultiplyAdds): void {
  checkExercise("ch08-cost", (c) => {
    const { d, more } = ch08Probes.multiplyAdds;
    const call = (n: number, dd: number) => {
      const r = attempt(c, `multiplyAdds(${n}, ${dd})`, () => multiplyAdds(n, dd), "it takes the length n and the width d, and returns { lstm, attention }");
      c.that(`multiplyAdds(${n}, ${dd}) returns { lstm, attention }, two numbers`, r !== null && typeof r === "object" && typeof r.lstm === "number" && typeof r.attention === "number",
        "does your function return an object with the two counts as numbers?");
      return r;
    };
    const one = call(1, d), two = call(2, d), seven = call(7, d), wide = call(1, 2 * d);

    // The LSTM: one step after another, each the same products.
    const lstmKey = `multiply-adds/lstm/n=1,d=${d}`;
    c.that(`the LSTM's products per step (yours counts ${one.lstm} for one step at d = ${d}, one d × d product per gate: the input or the recurrent weights left out?)`,
      one.lstm !== wantNumber(`${lstmKey}/mistake/four-products`), "each of the four gates reads two vectors: which two, and what does each product cost?");
    c.close(`the LSTM's multiply-adds for one step (probe: n = 1, d = ${d})`, one.lstm, wantNumber(lstmKey), {
      tol: 0, hint: "how many gates, how many matrix products per gate, and what does one product of a d × d matrix with a d-vector cost?",
    });
    c.close("the LSTM's count grows in proportion to n, one step after another (probe: n = 7 against n = 1)", seven.lstm / one.lstm, 7, {
      tol: 1e-12, hint: "does each of the n steps cost the same?",
    });
    c.close("the LSTM's count grows as d² (probe: 2d against d)", wide.lstm / one.lstm, 4, { tol: 1e-12, hint: "how does a d × d product's cost change when d doubles?" });

    // Attention: a(n) = (terms in n·d²) + (terms in n²·d); n = 1 and n = 2 separate them.
    const quadratic = two.attention / 2 - one.attention; // the n²·d terms at n = 1
    const linear = one.attention - quadratic; // the n·d² terms at n = 1
    const quadKey = `multiply-adds/attention/n2-terms/n=1,d=${d}`;
    const linKey = `multiply-adds/attention/n-terms/n=1,d=${d}`;
    c.that("attention's products that grow with n² (yours counts only one of them: the scores or the weighted sum of the values left out?)",
      quadratic !== wantNumber(`${quadKey}/mistake/one-term`), "which two products of attention compare or combine every pair of positions?");
    const perHead = quadratic / wantNumber(quadKey);
    c.that(`the heads split d, so the n² terms do not grow with the number of heads (yours counts them ${perHead} times: once per head, each with all of d?)`,
      !(Number.isInteger(perHead) && perHead >= 2), "with H heads, how wide is each head's query and key, and what do the H heads' products add up to?");
    c.close(`attention's terms that grow with n² (probe: read off from n = 1 and n = 2, d = ${d})`, quadratic, wantNumber(quadKey), {
      tol: 0, hint: "which products compare or combine every pair of positions, and what does each cost?",
    });
    c.that("attention projects its output too (yours counts the query, key and value projections only)", linear !== wantNumber(`${linKey}/mistake/no-output-projection`),
      "after the weighted sum of the values, which product remains in an attention layer?");
    c.close(`attention's terms that grow with n, the projections (probe: read off from n = 1 and n = 2, d = ${d})`, linear, wantNumber(linKey), {
      tol: 0, hint: "how many d × d projections does one layer apply to each position?",
    });

    for (const [n, dd] of more) {
      const r = call(n, dd);
      c.close(`the LSTM's multiply-adds for n = ${n}, d = ${dd}`, r.lstm, wantNumber(`multiply-adds/lstm/n=${n},d=${dd}`), { tol: 0, hint: "is your count the same formula for every n and d?" });
      c.close(`attention's multiply-adds for n = ${n}, d = ${dd}`, r.attention, wantNumber(`multiply-adds/attention/n=${n},d=${dd}`), { tol: 0, hint: "is your count the same formula for every n and d?" });
    }
  });
}
