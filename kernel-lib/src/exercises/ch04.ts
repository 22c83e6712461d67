// Checks for the exercises of notebook 04, "Backpropagation through time and vanishing gradients".
//
// The notebook's RNN is h_t = tanh(x_t W_xᵀ + h_{t−1} W_hᵀ + b) with the examples of a batch as
// rows. Going back one step, dL/dh_{t−1} = (dL/dh_t ⊙ (1 − h_t²)) W_h for those rows; the
// Jacobian ∂h_T/∂h_t is the product of the per-step factors diag(1 − h_k²) W_h, latest on the
// left; Pascanu et al.'s bound needs the largest singular value of W_h; clipping rescales all
// gradients by one factor; truncated BPTT detaches the state it carries from chunk to chunk.
// Each check probes one term at a time, recognises the usual mistakes by the exact wrong answer
// they produce, and names the term; it never prints the answer. The right answers to the probes,
// and the wrong answers of the usual mistakes, are stored, not computed here (see answers.ts):
// the teacher's reference solutions compute them from the probes below (ch04Probes), which both
// share. Where a probe needs RNN states, the library's own cell (nn/rnn-cell.ts) makes them.
import { checkExercise } from "../testing/exercise";
import { attempt, copyOf, near, nearNumber } from "./probes";
import { answerNumber, answerTensor } from "./answers";
import { answers } from "./answers/ch04";
import { mul, slice, sum, tanh } from "../ops";
import { rnnStep } from "../nn/rnn-cell";
import { Rng } from "../random";
import { Tensor, fromFlat, randn, zeros } from "../tensor";

// ---------------------------------------------------------------------------------------------
// Probes (inputs are not secret) and helpers for these checks (the ones all chapters share are in probes.ts)

function identityMatrix(n: number): Tensor {
  const m = zeros([n, n]);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** The library's RNN cell with W_x, W_h and no bias: the probes' states, and truncatedBptt's chunks. */
function cellStep(x: Tensor, h: Tensor, Wx: Tensor, Wh: Tensor): Tensor {
  const H = Wh.shape[0];
  return rnnStep(x, h, { weight_ih: Wx, weight_hh: Wh, bias_ih: zeros([H]), bias_hh: zeros([H]) });
}

/** Parameters of shapes [3, 2], [3], [2, 2] holding seeded random gradients. */
function gradientProbe(seed: number, scale: number): Tensor[] {
  const rng = new Rng(seed);
  const shapes = [[3, 2], [3], [2, 2]];
  return shapes.map((s) => {
    const p = zeros(s, { requiresGrad: true });
    p.grad = randn(s, rng).mul(scale);
    return p;
  });
}

/** The probes of these checks; the teacher's reference solutions compute the stored answers from them. */
export const ch04Probes = {
  bpttStep: () => {
    const rng = new Rng(11);
    const H = 4;
    const Wh = randn([H, H], rng).mul(0.7);
    const g = randn([2, H], rng);
    const h = tanh(randn([2, H], rng));
    return { H, Wh, g, h, identity: identityMatrix(H) };
  },
  /** One sequence's states hs[k] = h_k [H] for k = 0..T, from h_0 = 0. */
  jacobianProduct: () => {
    const rng = new Rng(21);
    const H = 3;
    const T = 4;
    const Wh = randn([H, H], rng).mul(0.8);
    const Wx = randn([H, 2], rng);
    const hs: Tensor[] = [zeros([H])];
    for (let k = 1; k <= T; k++) hs.push(cellStep(randn([1, 2], rng), hs[k - 1].reshape([1, H]), Wx, Wh).reshape([H]));
    return { H, T, Wh, hs };
  },
  vanishingPrediction: () => ({
    // A diagonal matrix: the singular values are |d_i|; the largest entry in size is negative.
    diagonal: fromFlat([0.5, 0, 0, 0, -2.5, 0, 0, 0, 1.2], [3, 3]),
    // A non-normal matrix: the spectral radius (0.5) is far below σ_max (≈ 2.1).
    shear: fromFlat([0.5, 2, 0, 0.3], [2, 2]),
    // A matrix that sends all ones to 0: its top right singular vector is ∝ (1, −1), orthogonal to
    // the all-ones start, and every WᵀW v keeps a start's zero component along it.
    blind: fromFlat([2, -2, 0, 0], [2, 2]),
    random: randn([6, 6], new Rng(31)).mul(0.4),
  }),
  clipGlobalNorm: {
    /** Large gradients: clipping happens (maxNorm 1). */
    large: () => gradientProbe(41, 3),
    /** Small gradients: nothing changes (maxNorm 5). */
    small: () => gradientProbe(42, 0.1),
    /** The second parameter has no gradient (maxNorm 2). */
    mixed: () => {
      const ps = gradientProbe(43, 3);
      ps[1].grad = null;
      return ps;
    },
  },
  truncatedBptt: () => {
    const rng = new Rng(51);
    const T = 10;
    const B = 2;
    const I = 3;
    const H = 4;
    const Wx = randn([H, I], rng).mul(0.5);
    const Wh = fromFlat(randn([H, H], rng).mul(0.5).data, [H, H], { requiresGrad: true });
    const x = randn([T, B, I], rng);
    const h0 = randn([B, H], rng).mul(0.5);
    return { T, B, I, H, Wx, Wh, x, h0, k: 4, step: (xt: Tensor, h: Tensor) => cellStep(xt, h, Wx, Wh) };
  },
};

const stored = (key: string): Tensor => answerTensor(answers, key);

// ---------------------------------------------------------------------------------------------
// ch04-bptt-step

/**
 * Exercise ch04-bptt-step: dL/dh_{t−1} from dL/dh_t [B, H], h_t [B, H] and W_h [H, H], through
 * h_t = tanh(x_t W_xᵀ + h_{t−1} W_hᵀ + b): (dL/dh_t ⊙ (1 − h_t²)) W_h.
 */
export function checkBpttStep(bpttStep: (gradH: Tensor, h: Tensor, Wh: Tensor) => Tensor): void {
  checkExercise("ch04-bptt-step", (c) => {
    const { H, Wh, g, h, identity } = ch04Probes.bpttStep();
    const call = (gg: Tensor, hh: Tensor, W: Tensor, probe: string) =>
      attempt(c, `bpttStep on the probe (${probe})`, () => bpttStep(copyOf(gg), copyOf(hh), copyOf(W)),
        "dL/dh_t and h_t are [B, H], W_h is [H, H]; the result is [B, H]");

    const full = call(g, h, Wh, "B = 2, H = 4");
    c.shape("dL/dh_{t−1}, one row per example (probe: B = 2, H = 4)", full, [2, H]);

    // W_h = I isolates the tanh derivative.
    const local = call(g, h, identity, "W_h = I");
    c.that("the tanh derivative is included (with W_h = I your result is dL/dh_t unchanged)", !near(local, g),
      "h_t = tanh(a_t), so the gradient passes through tanh′(a_t) = 1 − h_t² on its way to a_t");
    c.that("the derivative 1 − h_t² uses h_t itself (yours applies tanh to h_t again: 1 − tanh(h_t)²)", !near(local, stored("bptt-step/mistake/tanh-twice")),
      "h_t is already tanh(a_t): tanh′(a_t) = 1 − h_t², no second tanh");
    c.close("the tanh derivative 1 − h_t², elementwise (probe: W_h = I)", local, stored("bptt-step/tanh-derivative"), {
      hint: "multiply dL/dh_t elementwise by (1 − h_t²)",
    });

    // h_t = 0 makes the tanh derivative 1 and isolates the W_h term.
    const linearPart = call(g, zeros([2, H]), Wh, "h_t = 0, so 1 − h_t² = 1");
    c.that("the W_h term multiplies by W_h itself for batch rows (yours uses W_hᵀ)", !near(linearPart, stored("bptt-step/mistake/Wh-transposed")),
      "the forward pass multiplied the rows h_{t−1} by W_hᵀ; going back, the rows δ_t are multiplied by W_h (kl.matmul(delta, Wh))");
    c.close("the W_h term (probe: h_t = 0, so 1 − h_t² = 1)", linearPart, stored("bptt-step/Wh-term"), {
      hint: "δ_t = dL/dh_t ⊙ (1 − h_t²), then dL/dh_{t−1} = δ_t W_h",
    });

    c.that("the tanh derivative is applied before W_h (yours multiplies by W_h first, then by 1 − h_t²)", !near(full, stored("bptt-step/mistake/derivative-after-Wh")),
      "1 − h_t² belongs to step t's units: apply it to dL/dh_t, then go through W_h to step t − 1");
    c.close("dL/dh_{t−1} with both factors (probe: B = 2, H = 4)", full, stored("bptt-step/full"), {
      hint: "(dL/dh_t ⊙ (1 − h_t²)) W_h",
    });
  });
}

// ---------------------------------------------------------------------------------------------
// ch04-jacobian-product

/**
 * Exercise ch04-jacobian-product: ∂h_T/∂h_t = diag(1 − h_T²) W_h · … · diag(1 − h_{t+1}²) W_h for
 * one sequence, with hs[k] = h_k [H] for k = 0..T.
 */
export function checkJacobianProduct(jacobianProduct: (hs: Tensor[], Wh: Tensor, t: number) => Tensor): void {
  checkExercise("ch04-jacobian-product", (c) => {
    const { H, T, Wh, hs } = ch04Probes.jacobianProduct();
    const call = (t: number) =>
      attempt(c, `jacobianProduct(hs, Wh, ${t}) (probe: T = ${T}, H = ${H})`, () => jacobianProduct(hs.map(copyOf), copyOf(Wh), t),
        "hs[k] is h_k, a vector [H], for k = 0..T; reshape it to [H, 1] to scale the rows of W_h");

    const empty = call(T);
    c.shape("∂h_T/∂h_t, an [H, H] matrix (probe: t = T)", empty, [H, H]);
    c.close("the empty product for t = T: ∂h_T/∂h_T is the identity", empty, identityMatrix(H), {
      hint: "start from the identity matrix and multiply in one factor per step k = t+1..T",
    });

    const one = call(T - 1);
    c.that("one step's factor is diag(1 − h_k²) W_h, rows scaled (yours scales the columns: W_h diag(1 − h_k²))",
      !near(one, stored("jacobian-product/mistake/columns-scaled/t=3")),
      "unit i of h_k is tanh of row i of the pre-activation: 1 − h_k,i² scales row i of W_h");
    c.that("step k's factor uses h_k, the state it produced (yours uses h_{k−1})", !near(one, stored("jacobian-product/mistake/previous-state/t=3")),
      "∂h_k/∂h_{k−1} = diag(1 − h_k²) W_h: the derivative of tanh is read off its output h_k");
    c.close("one step, ∂h_T/∂h_{T−1} = diag(1 − h_T²) W_h (probe: t = T − 1)", one, stored("jacobian-product/t=3"), {
      hint: "scale row i of W_h by 1 − h_T,i²",
    });

    const many = call(0);
    c.that("the factors are multiplied with the latest step on the LEFT (yours has the earliest on the left)",
      !near(many, stored("jacobian-product/mistake/earliest-left/t=0")),
      "∂h_T/∂h_t = (∂h_T/∂h_{T−1}) · … · (∂h_{t+1}/∂h_t): each new factor multiplies the product from the left");
    c.that("step k's factor uses h_k, the state it produced (yours uses h_{k−1})", !near(many, stored("jacobian-product/mistake/previous-state/t=0")),
      "∂h_k/∂h_{k−1} = diag(1 − h_k²) W_h");
    c.close(`the product of ${T} factors, ∂h_T/∂h_0 (probe: t = 0)`, many, stored("jacobian-product/t=0"), {
      hint: "one factor diag(1 − h_k²) W_h for each k = t+1..T, latest on the left",
    });
    c.close("a middle start, ∂h_T/∂h_2 (probe: t = 2)", call(2), stored("jacobian-product/t=2"), { hint: "only the factors k = t+1..T" });
  });
}

// ---------------------------------------------------------------------------------------------
// ch04-vanishing-prediction

/** What the learner's prediction returns. */
export interface VanishingPrediction {
  /** The largest singular value of W_h. */
  sigmaMax: number;
  /** Whether Pascanu et al.'s sufficient condition γ·σ_max < 1 holds, so gradients must vanish. */
  vanishes: boolean;
}

/**
 * Exercise ch04-vanishing-prediction: σ_max(W_h) by power iteration on W_hᵀ W_h, and the
 * prediction γ·σ_max < 1.
 */
export function checkVanishingPrediction(predict: (Wh: Tensor, gamma: number) => VanishingPrediction): void {
  checkExercise("ch04-vanishing-prediction", (c) => {
    const { diagonal: diag, shear, blind, random: M } = ch04Probes.vanishingPrediction();
    const sigmaMax = (name: string): number => answerNumber(answers, `vanishing-prediction/sigma-max/${name}`);
    const call = (W: Tensor, gamma: number, probe: string) => {
      const r = attempt(c, `predictVanishing on the probe (${probe})`, () => predict(copyOf(W), gamma), "it returns { sigmaMax, vanishes }");
      c.that(`predictVanishing returns { sigmaMax: number, vanishes: boolean } (probe: ${probe})`,
        r !== null && typeof r === "object" && typeof r.sigmaMax === "number" && typeof r.vanishes === "boolean",
        "return an object with a number sigmaMax and a boolean vanishes");
      return r;
    };
    const d = call(diag, 1, "W = diag(0.5, −2.5, 1.2), γ = 1");
    c.that("σ_max is a size, so it is positive (yours is negative for diag(0.5, −2.5, 1.2))", !(d.sigmaMax < 0),
      "iterate with WᵀW (whose eigenvalues are σ²) and take the square root, or take the norm of W v");
    c.that(`σ_max is the largest singular value, not its square (yours is ${typeof d.sigmaMax === "number" ? d.sigmaMax.toFixed(4) : d.sigmaMax}, σ_max² for diag(0.5, −2.5, 1.2): the eigenvalue of WᵀW)`,
      !nearNumber(d.sigmaMax, sigmaMax("diagonal") ** 2, 1e-4), "power iteration on WᵀW converges to its largest eigenvalue, σ_max²: take σ_max = ‖W v‖ for the unit vector v (or the square root)");
    c.close("σ_max of a diagonal matrix, the largest |entry| (probe: diag(0.5, −2.5, 1.2))", d.sigmaMax, sigmaMax("diagonal"), {
      tol: 1e-4,
      hint: "power iteration: v ← WᵀW v / ‖WᵀW v‖, repeated; then σ_max = ‖W v‖. Start from a random vector (kl.randn): it is almost surely not orthogonal to the answer",
    });
    const s = call(shear, 1, "W = [[0.5, 2], [0, 0.3]], γ = 1");
    c.that("σ_max is the largest singular value, not the largest |eigenvalue| (yours is 0.5 for [[0.5, 2], [0, 0.3]], whose eigenvalues are 0.5 and 0.3)",
      !nearNumber(s.sigmaMax, 0.5, 0.02), "iterate with WᵀW, not with W: for a non-symmetric W the two differ");
    c.close("σ_max of [[0.5, 2], [0, 0.3]]", s.sigmaMax, sigmaMax("shear"), { tol: 1e-4, hint: "power iteration on WᵀW, then σ_max = ‖W v‖ for the unit vector v" });
    const b = call(blind, 1, "W = [[2, −2], [0, 0]], γ = 1");
    c.that(`σ_max of [[2, −2], [0, 0]] is above 0, since W is not the zero matrix (yours is ${String(b.sigmaMax)}: did your iteration start from a vector that W sends to 0, such as all ones?)`,
      Number.isFinite(b.sigmaMax) && b.sigmaMax > 1e-6,
      "W (1, 1)ᵀ = 0, because (1, 1) is orthogonal to W's top singular vector; a start orthogonal to it stays orthogonal " +
        "(WᵀW v keeps that component at 0), so the iteration never finds it. Start from a random vector, e.g. kl.randn([n, 1], new kl.Rng(0)): " +
        "it is orthogonal to the top singular vector with probability 0");
    c.close("σ_max of [[2, −2], [0, 0]]", b.sigmaMax, sigmaMax("blind"), { tol: 1e-4, hint: "power iteration on WᵀW from a random start, then σ_max = ‖W v‖" });
    c.that("with γ = 1 and σ_max ≈ 2.1 the bound says nothing: vanishes must be false", s.vanishes === false,
      "the sufficient condition is γ·σ_max < 1; here γ·σ_max > 1");
    const small = call(diag.mul(0.3), 1, "W = 0.3·diag(0.5, −2.5, 1.2), γ = 1");
    c.that("with γ = 1 and σ_max = 0.75, gradients must vanish: vanishes must be true", small.vanishes === true, "vanishes = γ·σ_max < 1");
    const sig = call(diag, 0.25, "W = diag(0.5, −2.5, 1.2), γ = 1/4 (a sigmoid)");
    c.that("γ scales the bound: with γ = 1/4 and σ_max = 2.5, γ·σ_max = 0.625 < 1, so vanishes must be true", sig.vanishes === true,
      "γ bounds the nonlinearity's derivative (1 for tanh, 1/4 for the sigmoid): compare γ·σ_max with 1");
    c.close("σ_max of a random 6 × 6 matrix", call(M, 1, "a random 6 × 6 matrix").sigmaMax, sigmaMax("random"), { tol: 1e-4, hint: "iterate until v stops changing (a few hundred steps is plenty)" });
  });
}

// ---------------------------------------------------------------------------------------------
// ch04-clip-global-norm

function gradsOf(ps: Tensor[]): Tensor {
  const all: number[] = [];
  for (const p of ps) if (p.grad !== null) all.push(...p.grad.data);
  return fromFlat(all, [all.length]);
}

/**
 * Exercise ch04-clip-global-norm: rescale every gradient by min(1, maxNorm / ‖g‖) with ‖g‖ the norm
 * of all gradients together; return ‖g‖ from before the clipping.
 */
export function checkClipGlobalNorm(clipGlobalNorm: (params: Tensor[], maxNorm: number) => number): void {
  checkExercise("ch04-clip-global-norm", (c) => {
    const probes = ch04Probes.clipGlobalNorm;
    const number = (key: string): number => answerNumber(answers, `clip-global-norm/${key}`);
    const call = (ps: Tensor[], maxNorm: number, probe: string, hint = "read p.grad.data of every parameter and scale it in place") =>
      attempt(c, `clipGlobalNorm on the probe (${probe})`, () => clipGlobalNorm(ps, maxNorm), hint);

    // Large gradients: clipping happens.
    const big = probes.large();
    const normBefore = number("large/norm-before");
    const gradTensors = big.map((p) => p.grad);
    const got = call(big, 1, "3 parameters, total gradient norm ≈ " + normBefore.toFixed(1) + ", maxNorm 1");
    c.that("the gradients are scaled in place, in p.grad.data (yours put new tensors in p.grad)", big.every((p, k) => p.grad === gradTensors[k]),
      "multiply the entries of p.grad.data where they are, as PyTorch's clip_grad_norm_ does, instead of assigning p.grad a new tensor");
    c.that("clipGlobalNorm returns a number (the norm before clipping)", typeof got === "number", "return the total norm you computed");
    c.that(`the returned norm is the one BEFORE clipping (yours returned ${typeof got === "number" ? got.toFixed(3) : got}, the norm after)`,
      !nearNumber(got, 1, 1e-4) || nearNumber(normBefore, 1, 1e-4), "compute the norm first, keep it, then scale, and return the kept value");
    c.that("all gradients are scaled by ONE factor from the global norm (yours clips each parameter by its own norm)",
      !near(gradsOf(big), stored("clip-global-norm/mistake/large/per-parameter"), 1e-6),
      "sum the squares of every gradient of every parameter, then take one square root: one norm, one factor");
    c.that("the gradients are rescaled, keeping their direction (yours clamps each entry to [−maxNorm, maxNorm])",
      !near(gradsOf(big), stored("clip-global-norm/mistake/large/clamped"), 1e-6), "multiply every entry by the same factor maxNorm / ‖g‖");
    c.close("the total norm before clipping, √(Σ over all parameters of Σ g²)", got, normBefore, { tol: 1e-6, hint: "one square root of the sum of the squares of all entries of all gradients" });
    c.close("the clipped gradients (probe: maxNorm 1)", gradsOf(big), stored("clip-global-norm/large/clipped"), { tol: 1e-5, hint: "scale every gradient by maxNorm / ‖g‖ (PyTorch adds 1e-6 to ‖g‖)" });
    // A property of the learner's own result: its norm is now maxNorm.
    c.close("the total norm after clipping, which is maxNorm", Math.sqrt(sum(mul(gradsOf(big), gradsOf(big))).item()), 1, { tol: 1e-5, hint: "after scaling, ‖g‖ = maxNorm" });

    // Small gradients: nothing changes.
    const smallPs = probes.small();
    const before = gradsOf(smallPs);
    const smallNorm = call(smallPs, 5, "total norm below maxNorm = 5");
    c.close("the returned norm when no clipping is needed", smallNorm, number("small/norm"), { tol: 1e-6, hint: "return the norm in every case" });
    c.that("gradients below the threshold are left unchanged (yours rescaled them, although ‖g‖ < maxNorm)", near(gradsOf(smallPs), before, 1e-9),
      "clipping only shrinks: scale only when ‖g‖ > maxNorm");

    // A parameter without a gradient is skipped.
    const mixed = probes.mixed();
    const mixedGot = call(mixed, 2, "the second parameter has no gradient (grad === null)", "a parameter the loss does not reach has grad === null: skip it (if (p.grad === null) continue)");
    c.close("the norm when one parameter has no gradient (it is skipped)", mixedGot, number("mixed/norm"), { tol: 1e-6, hint: "skip parameters whose grad is null" });
    c.that("a parameter without a gradient keeps grad === null", mixed[1].grad === null, "do not create a gradient for a parameter that has none");
  });
}

// ---------------------------------------------------------------------------------------------
// ch04-truncated-bptt

/** What one chunk's training step returns: its loss and its last hidden state (still attached). */
export interface ChunkResult {
  loss: number;
  hLast: Tensor;
}

/**
 * Exercise ch04-truncated-bptt: cut x [T, B, I] into chunks of k steps, call trainChunk on each
 * (with the chunk's first time step) and the state from the previous chunk, DETACHED, and return
 * the chunks' losses.
 */
export function checkTruncatedBptt(
  truncatedBptt: (x: Tensor, k: number, h0: Tensor, trainChunk: (xChunk: Tensor, h: Tensor, start: number) => ChunkResult) => number[],
): void {
  checkExercise("ch04-truncated-bptt", (c) => {
    const { T, B, I, H, Wh, x, h0, k, step } = ch04Probes.truncatedBptt();

    interface Seen { steps: number; start: unknown; firstRow: Float64Array; state: Tensor; attached: boolean }
    const seen: Seen[] = [];
    // The trainChunk the learner's code calls: it runs the library's RNN cell over the chunk and
    // trains on it, recording what it was given.
    const trainChunk = (xc: Tensor, hIn: Tensor, start: number): ChunkResult => {
      seen.push({ steps: xc.shape[0], start, firstRow: xc.data.slice(0, B * I), state: copyOf(hIn), attached: !hIn.isLeaf || hIn.requiresGrad });
      let s = hIn;
      for (let t = 0; t < xc.shape[0]; t++) s = step(slice(xc, 0, t, t + 1).reshape([B, I]), s);
      const loss = sum(mul(s, s));
      if (!hIn.isLeaf || hIn.requiresGrad) {
        // This chunk's graph reaches into the previous chunk's, which its backward() freed: report
        // that as feedback instead of the library's error.
        return { loss: loss.item(), hLast: s };
      }
      loss.backward();
      Wh.zeroGrad();
      return { loss: loss.item(), hLast: s };
    };

    const losses = attempt(c, `truncatedBptt(x, ${k}, h0, trainChunk) on the probe (T = ${T}, B = ${B}, k = ${k})`,
      () => truncatedBptt(copyOf(x), k, copyOf(h0), trainChunk), "cut x along axis 0 (time) with kl.slice(x, 0, start, end); when T is not a multiple of k the last chunk is shorter: end = Math.min(start + k, T)");
    c.that(`trainChunk is called once per chunk: ${Math.ceil(T / k)} chunks of at most ${k} steps for T = ${T} (yours called it ${seen.length} times)`,
      seen.length === Math.ceil(T / k), "step the start by k until it reaches T; the last chunk may be shorter");
    c.that(`the chunks have ${k}, ${k} and ${T - 2 * k} steps (yours: ${seen.map((s) => s.steps).join(", ")})`,
      seen.map((s) => s.steps).join(",") === `${k},${k},${T - 2 * k}`, "slice [start, min(start + k, T)) along the time axis 0");
    seen.forEach((s, j) => {
      c.close(`chunk ${j + 1} starts at time step ${j * k}`, s.firstRow, x.data.subarray(j * k * B * I, (j * k + 1) * B * I), {
        tol: 0, hint: "chunk j covers steps j·k .. j·k + k − 1, in order",
      });
      c.that(`trainChunk is told where chunk ${j + 1} starts: start = ${j * k} (yours passed ${String(s.start)})`, s.start === j * k,
        "pass the chunk's first time step as the third argument");
    });
    c.close("the first chunk starts from the given h0", seen[0].state, h0, { tol: 0, hint: "pass h0 to the first chunk" });
    for (let j = 1; j < seen.length; j++) {
      c.that(`the state carried into chunk ${j + 1} is the previous chunk's last state (yours starts chunk ${j + 1} from h0 or zeros)`,
        !near(seen[j].state, h0, 1e-12) && !near(seen[j].state, zeros([B, H]), 1e-12),
        "keep the hLast that trainChunk returns and pass it to the next chunk: truncation cuts the gradient, not the forward pass");
      // The states of the whole sequence read in one go (stored): h_{j·k}.
      c.close(`the state carried into chunk ${j + 1} has the values of h_${j * k}`, seen[j].state, stored(`truncated-bptt/h_${j * k}`), {
        tol: 1e-9, hint: "the forward pass must be exactly the same as reading the whole sequence in one go",
      });
      c.that(`the state carried into chunk ${j + 1} is detached from chunk ${j}'s graph`, !seen[j].attached,
        "call .detach() on the carried state: chunk j's backward() has freed chunk j − 1's graph, and the gradient must stop at the chunk boundary");
    }
    c.that("truncatedBptt returns one loss per chunk, in order", Array.isArray(losses) && losses.length === seen.length && losses.every((l) => typeof l === "number"),
      "push each chunk's loss into an array and return it");
  });
}
