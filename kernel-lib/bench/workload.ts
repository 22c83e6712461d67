// The reference workload every implementation in the bench trains, and the pieces they share:
// a seeded data batch, one set of initial weights in PyTorch's layout, and the Trainer interface.
//
// One training step = a character language model step: vocab 64, one-hot input, batch 32,
// 64 time steps, cross-entropy at every step (mean over all B*T predictions), full BPTT,
// clip the global gradient norm at 5, then Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8).
// Every implementation starts from the same weights and data, so their first-step losses and
// gradient norms must agree: main.ts prints them as a check that all of them do the same math.

export type CellKind = "rnn" | "lstm" | "gru";

export const CELLS: CellKind[] = ["rnn", "lstm", "gru"];
export const VOCAB = 64;
export const BATCH = 32;
export const STEPS = 64;
export const CLIP_NORM = 5;
export const LR = 1e-3;
export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const EPS = 1e-8;

/** Sizes of one configuration; the default is the issue's, the memory check uses a small one. */
export interface Shape {
  vocab: number;
  batch: number;
  steps: number;
  hidden: number;
}

export function referenceShape(hidden: number): Shape {
  return { vocab: VOCAB, batch: BATCH, steps: STEPS, hidden };
}

/** Tokens one training step consumes: the unit of the bench's tokens/s. */
export function tokensPerStep(s: Shape): number {
  return s.batch * s.steps;
}

/** Number of gate blocks stacked in weight_ih / weight_hh (PyTorch order: LSTM i,f,g,o; GRU r,z,n). */
export function gateCount(cell: CellKind): number {
  return cell === "lstm" ? 4 : cell === "gru" ? 3 : 1;
}

/** mulberry32: a tiny seeded generator, so every run and every implementation sees the same numbers. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One batch of data, time-major: inputs[t*batch + b] is the token fed at step t to sequence b,
 * targets[t*batch + b] the token it must predict (the next one in the same random stream).
 * Random tokens are fine: the bench measures speed, not learning.
 */
export interface Batch {
  inputs: Int32Array;
  targets: Int32Array;
}

export function makeBatch(s: Shape, seed = 1): Batch {
  const rand = seededRandom(seed);
  const stream = new Int32Array((s.steps + 1) * s.batch);
  for (let i = 0; i < stream.length; i++) stream[i] = Math.floor(rand() * s.vocab);
  return {
    inputs: stream.subarray(0, s.steps * s.batch),
    targets: stream.subarray(s.batch, (s.steps + 1) * s.batch),
  };
}

/** Initial weights, row-major, named and shaped as PyTorch's nn.RNN/LSTM/GRU + nn.Linear head. */
export interface InitialWeights {
  weightIh: Float64Array; // [gates*hidden, vocab]
  weightHh: Float64Array; // [gates*hidden, hidden]
  biasIh: Float64Array; // [gates*hidden]
  biasHh: Float64Array; // [gates*hidden]
  headWeight: Float64Array; // [vocab, hidden]
  headBias: Float64Array; // [vocab]
}

/** PyTorch's default: every recurrent and head parameter uniform in ±1/sqrt(hidden). */
export function makeWeights(cell: CellKind, s: Shape, seed = 2): InitialWeights {
  const rand = seededRandom(seed);
  const bound = 1 / Math.sqrt(s.hidden);
  const uniform = (n: number) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = (2 * rand() - 1) * bound;
    return a;
  };
  const gh = gateCount(cell) * s.hidden;
  return {
    weightIh: uniform(gh * s.vocab),
    weightHh: uniform(gh * s.hidden),
    biasIh: uniform(gh),
    biasHh: uniform(gh),
    headWeight: uniform(s.vocab * s.hidden),
    headBias: uniform(s.vocab),
  };
}

/** What one step reports: the loss before the update and the global gradient norm before clipping. */
export interface StepResult {
  loss: number;
  gradNorm: number;
}

/** One implementation of the workload, built for one cell and shape, ready to take steps. */
export interface Trainer {
  step(): StepResult;
  /** Frees what the implementation holds outside the JS heap (TF.js tensors); may do nothing. */
  dispose(): void;
}

export type TrainerFactory = (cell: CellKind, shape: Shape, batch: Batch, weights: InitialWeights) => Trainer;
