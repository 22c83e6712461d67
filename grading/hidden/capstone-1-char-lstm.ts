// Hidden tests of capstone 1, "A character LSTM from ops" (see types.ts for how observers are used).
//
// Function exercises: each observer calls the student's function on random inputs whose sizes vary
// by case, and returns what came out (with gradients where training needs them); the grader
// compares it with the teacher's solution on the same seeds. As in the chapters, an exercise whose
// function calls another of the student's (the forward pass calls lstmStep, the training step
// calls clipGradients, sampling calls the forward pass) runs with the student's own version of it,
// as it does in their notebook; the grader's output then says which one to fix first.
//
// cap1-train is judged on hidden data (capstone-1-char-lstm.judges.mjs): the notebook's given cells
// have trained `model` with the student's functions and settings; each query is the character
// just read from a held-out name ({ char, newName }); the observer feeds it to `model` through the
// student's `charLstmForward`, carrying the state between queries, and answers with the next
// character's distribution. The true next character is never sent: the judge scores the answers
// outside the sandbox.
import type { Observers } from "./types";

/** Random sizes: V characters, H units, T steps, B sequences. */
const sizes = (rng: any, c: number) => ({ V: 3 + c + rng.int(5), H: 2 + c + rng.int(4), T: 2 + rng.int(5), B: 1 + rng.int(3) });

/** Random parameters in the notebook's layout, as leaves that require grad. */
function params(kl: any, rng: any, V: number, H: number) {
  const leaf = (shape: number[], scale: number) => kl.fromFlat(kl.randn(shape, rng).mul(scale).data, shape, { requiresGrad: true });
  return {
    weight_ih: leaf([4 * H, V], 0.7),
    weight_hh: leaf([4 * H, H], 0.7),
    bias_ih: leaf([4 * H], 0.5),
    bias_hh: leaf([4 * H], 0.5),
    head_weight: leaf([V, H], 1.2),
    head_bias: leaf([V], 0.5),
  };
}
const NAMES = ["weight_ih", "weight_hh", "bias_ih", "bias_hh", "head_weight", "head_bias"];
const ids = (kl: any, rng: any, T: number, B: number, V: number) => kl.fromFlat(Array.from({ length: T * B }, () => rng.int(V)), [T, B]);
const grads = (p: any) => Object.fromEntries(NAMES.map((k) => [k, p[k].grad]));

/** The recurrent state while the held-out text is read, one query at a time (undefined: a zero state). */
let heldOutState: any;

export const observers: Observers = {
  "cap1-init": (s, kl, rng, { case: c }) => {
    const V = 2 + c * 3 + rng.int(6), H = 1 + c * 2 + rng.int(5);
    const seed = rng.int(1_000_000);
    const gen = new kl.Rng(seed);
    const p = s.initParams(V, H, gen);
    return {
      values: Object.fromEntries(NAMES.map((k) => [k, p[k]])),
      leaves: NAMES.map((k) => p[k].requiresGrad === true && p[k]._node === null),
      nextDraw: gen.uniform(0, 1),
    };
  },
  "cap1-lstm-step": (s, kl, rng, { case: c }) => {
    const { V, H, B } = sizes(rng, c);
    const p = params(kl, rng, V, H);
    const x = kl.randn([B, V], rng);
    const state = { h: kl.randn([B, H], rng).mul(0.7), c: kl.randn([B, H], rng).mul(1.5) };
    const args = [x, state.h, state.c, ...NAMES.map((k) => p[k as keyof typeof p])];
    const before = args.map((t: any) => Array.from(t.data));
    const r = s.lstmStep(x, state, p);
    const argumentsUnchanged = args.every((t: any, k: number) => before[k].every((v, i) => Object.is(t.data[i], v)));
    kl.sum(kl.add(r.h.mul(1.3), r.c)).backward();
    return { h: r.h, c: r.c, grads: grads(p), argumentsUnchanged };
  },
  "cap1-forward": (s, kl, rng, { case: c }) => {
    const { V, H, T, B } = sizes(rng, c);
    const p = params(kl, rng, V, H);
    const x = ids(kl, rng, T, B, V);
    const state = { h: kl.randn([B, H], rng).mul(0.6), c: kl.randn([B, H], rng) };
    const weights = kl.randn([T, B, V], rng);
    const fromZero = s.charLstmForward(p, x);
    kl.sum(kl.mul(fromZero.logits, weights)).backward();
    const given = kl.noGrad(() => s.charLstmForward(p, x, state));
    return {
      logits: fromZero.logits, state: { h: fromZero.state.h, c: fromZero.state.c }, grads: grads(p),
      fromState: given.logits, stateAfter: { h: given.state.h, c: given.state.c },
    };
  },
  "cap1-loss": (s, kl, rng, { case: c }) => {
    const { V, T, B } = sizes(rng, c);
    const logits = kl.fromFlat(kl.randn([T, B, V], rng).mul(2).data, [T, B, V], { requiresGrad: true });
    const targets = ids(kl, rng, T, B, V);
    const maskValues = Array.from({ length: T * B }, () => (rng.uniform(0, 1) < 0.7 ? 1 : 0));
    maskValues[rng.int(T * B)] = 1; // at least one real step
    const loss = s.nextCharLoss(logits, targets, kl.fromFlat(maskValues, [T, B]));
    loss.backward();
    return { loss, grad: logits.grad };
  },
  "cap1-clip": (s, kl, rng, { case: c }) => {
    // Norms far from maxNorm either way (10 to 1000 times it, or below it), so that PyTorch's
    // maxNorm / (‖g‖ + 1e-6) and the notebook's maxNorm / ‖g‖ agree to the grader's tolerance.
    const maxNorm = 0.5 + rng.uniform(0, 2);
    const scale = c === 1 ? 0.01 : 20 + rng.uniform(0, 200);
    const ps = [[2 + rng.int(4), 1 + rng.int(4)], [1 + rng.int(6)], [3]].map((shape) => {
      const p = kl.fromFlat(kl.randn(shape, rng).data, shape, { requiresGrad: true });
      p.grad = kl.randn(shape, rng).mul(scale * maxNorm);
      return p;
    });
    if (c === 2) ps[1].grad = null;
    const norm = s.clipGradients(ps, maxNorm);
    return { norm, grads: ps.map((p: any) => p.grad) };
  },
  "cap1-train-step": (s, kl, rng, { case: c }) => {
    // A small softmax regression, trained three steps with SGD through the student's trainStep;
    // case 0 without clipping, cases 1 and 2 with a maxNorm the gradients exceed.
    const I = 2 + rng.int(4), K = 2 + rng.int(3), N = 3 + rng.int(5);
    const W = kl.fromFlat(kl.randn([K, I], rng).mul(0.5).data, [K, I], { requiresGrad: true });
    const b = kl.fromFlat(kl.randn([K], rng).mul(0.5).data, [K], { requiresGrad: true });
    const X = kl.randn([N, I], rng);
    const y = Array.from({ length: N }, () => rng.int(K));
    const scale = c === 0 ? 1 : 10 + rng.uniform(0, 10);
    const maxNorm = c === 0 ? 1e6 : 0.2 + rng.uniform(0, 0.5);
    const opt = new kl.optim.SGD([W, b], { lr: 0.05 + rng.uniform(0, 0.2) });
    let calls = 0;
    const computeLoss = () => {
      calls++;
      return kl.crossEntropy(kl.linear(X, W, b), y).mul(scale);
    };
    const losses = [0, 1, 2].map(() => s.trainStep([W, b], opt, computeLoss, maxNorm));
    return { losses, W, b, calls, gradW: W.grad, gradB: b.grad };
  },
  "cap1-sample": (s, kl, rng, { case: c }) => {
    const V = s.vocab.size;
    const H = 3 + c + rng.int(4);
    const p = params(kl, rng, V, H);
    const seed = rng.int(1_000_000);
    const maxLength = 3 + rng.int(15);
    const taus = [0.5 + rng.uniform(0, 0.4), 1, 1.3 + rng.uniform(0, 1)];
    const gen = new kl.Rng(seed);
    const names = taus.flatMap((tau) => Array.from({ length: 4 }, () => s.sampleName(p, gen, tau, maxLength)));
    return { names, nextDraw: gen.uniform(0, 1) };
  },
  "cap1-train": (s, kl, _rng, { input }) => {
    const q = input as { char: string; newName: boolean };
    // A training cut short (by an error or by the time limit) leaves a model that fails anyway: say
    // so, and where to look. The observer cannot tell the two causes apart; the cell's output can.
    const done = s.loop?.stepsDone, wanted = s.settings?.steps;
    if (done !== wanted) throw new Error(`your model was trained for ${done ?? "no"} of ${wanted ?? "?"} steps: the training stopped early (an error in the notebook's training cell, or its time limit: its output says which)`);
    if (q.newName) heldOutState = undefined;
    return kl.noGrad(() => {
      const out = s.charLstmForward(s.model, kl.fromFlat([s.vocab.id(q.char)], [1, 1]), heldOutState);
      heldOutState = out.state;
      return Array.from(kl.softmax(kl.reshape(out.logits, [s.vocab.size]), -1).data);
    });
  },
};
