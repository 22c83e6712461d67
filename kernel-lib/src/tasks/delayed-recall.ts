// Delayed recall: at every step, name the symbol seen exactly k steps earlier (chapter 08's
// "memory over distance"). The answer always sits k steps back, so k is the distance the memory
// must span, and every step asks for it again.
//
// What each model must do differs. A recurrent network reads the sequence once, in order, and at
// step t needs x_{t−k}: its state must hold the last k symbols at every step (a queue of k·log2(A)
// bits, shifted by one each step), so the task gets harder as k grows. An attention layer can read
// position t − k directly: with sinusoidal positions, "k positions back" is the same linear map
// from every position (Vaswani et al. 2017, section 3.5), so one head can learn it for any k.
//
//   const b = kl.tasks.delayedRecall({ T: 32, lag: 4, batchSize: 16, seed: 0 });
//   b.x [32, 16, 8] one-hot symbols; b.y [(32 − 4)·16]: the symbol 4 steps back, for steps 4..31
//
// recallRun trains one model of any kind (kl.tasks.sequenceModel) on it with a seed and scores it
// on a fixed test batch; the memoryless baseline is a guess, 1/A.
import { noGrad } from "../autograd/tape";
import { crossEntropy, reshape, slice } from "../ops";
import { Rng } from "../random";
import { Tensor, allocate } from "../tensor";
import { checkInt } from "../data/errors";
import { toRng, type SeedLike } from "../data/seed";
import { gradientByPosition } from "../metrics/gradient-by-position";
import { Adam } from "../optim/adam";
import { clipGradNorm } from "../optim/clip";
import { SEQUENCE_MODEL_KINDS, SequenceModel, SequenceModelKind, sequenceModel, type AttentionModelOptions } from "./sequence-models";

export interface DelayedRecallOptions {
  /** Steps per sequence. */
  T: number;
  /** k: how many steps back the asked-for symbol is (1..T−1). */
  lag: number;
  /** A: the alphabet (default 8). */
  symbols?: number;
  batchSize: number;
  seed: SeedLike;
}

export interface DelayedRecallBatch {
  /** [T, B, A]: one-hot symbols. */
  x: Tensor;
  /** [T, B]: the symbols' ids. */
  ids: Tensor;
  /** [(T − lag)·B]: for steps lag..T−1 in order (B per step), the id of the symbol lag steps back. */
  y: Tensor;
}

/** A batch of delayed recall (see the top of this file). */
export function delayedRecall(options: DelayedRecallOptions): DelayedRecallBatch {
  const T = checkInt("delayedRecall", "T", options.T, 2);
  const k = checkInt("delayedRecall", "lag", options.lag, 1);
  if (k >= T) throw new RangeError(`delayedRecall: lag ${k} leaves no step to answer at in T = ${T} steps (lag must be below T)`);
  const A = checkInt("delayedRecall", "symbols", options.symbols ?? 8, 2);
  const B = checkInt("delayedRecall", "batchSize", options.batchSize, 1);
  const rng = toRng(options.seed);
  const ids = allocate("delayedRecall", [T, B]);
  const x = allocate("delayedRecall", [T, B, A]);
  for (let i = 0; i < T * B; i++) {
    const s = rng.int(A);
    ids[i] = s;
    x[i * A + s] = 1;
  }
  // Step t's answer is step t − k's symbol: the ids of steps 0..T−k−1, in order.
  const y = ids.slice(0, (T - k) * B);
  return { x: new Tensor(x, [T, B, A]), ids: new Tensor(ids, [T, B]), y: new Tensor(y, [(T - k) * B]) };
}

/** What a recall run shares with every other run of a grid (the budget). */
export interface RecallSettings {
  T: number;             // default 32
  symbols: number;       // default 8
  /** Training steps at most (default 600). */
  steps: number;
  batchSize: number;     // default 32
  lr: number;            // Adam, default 0.01
  clip: number;          // gradient-norm clipping, default 1
  /** Hidden size (recurrent) or embedDim (transformer), per kind. */
  sizes: Record<SequenceModelKind, number>;
  /** The transformer's other settings. */
  transformer: Omit<AttentionModelOptions, "embedDim" | "rng">;
  /** The LSTM's initial forget-gate bias (null: PyTorch's draw). */
  lstmForgetBias: number | null;
  /** Sequences in the fixed test batch (default 200). */
  testSize: number;
  /** Score every this many steps and stop once solved (0: never). */
  stopWhenSolvedEvery: number;
  /** Solved: test accuracy at least this (default 0.99). */
  solvedAt: number;
  /** Sequences in the fixed batch the gradient is read on (default 8). */
  probeSize: number;
}

/**
 * The defaults: parameter counts matched to within 3% (6,983 tanh RNN with 75 units, 6,896 GRU with
 * 42, 6,920 LSTM with 36, 7,080 for a one-block transformer of width 32 with 4 heads).
 */
export const RECALL_DEFAULTS: RecallSettings = {
  T: 32, symbols: 8, steps: 600, batchSize: 32, lr: 0.01, clip: 1,
  sizes: { rnn: 75, gru: 42, lstm: 36, transformer: 32 },
  transformer: { numHeads: 4, numLayers: 1, ffDim: 32, maxLen: 64, positions: "sinusoidal" },
  lstmForgetBias: 1, testSize: 200, stopWhenSolvedEvery: 100, solvedAt: 0.99, probeSize: 8,
};

/** The settings with the defaults filled in. */
export function recallSettings(settings: Partial<RecallSettings> = {}): RecallSettings {
  return {
    ...RECALL_DEFAULTS, ...settings,
    sizes: { ...RECALL_DEFAULTS.sizes, ...(settings.sizes ?? {}) },
    transformer: { ...RECALL_DEFAULTS.transformer, ...(settings.transformer ?? {}) },
  };
}

/** One training run, as a grid stores it. */
export interface RecallRow {
  kind: SequenceModelKind;
  lag: number;
  seed: number;
  parameters: number;
  /** Test accuracy: the fraction of the test batch's answers (every step from lag on) right. */
  accuracy: number;
  solved: boolean;
  stepsTaken: number;
  /** Mean training loss of the last 20 steps taken. */
  finalLoss: number;
  /**
   * ‖∂L/∂x_s‖ on the fixed probe batch for a loss on the last output (kl.metrics.gradientByPosition,
   * seed 0), indexed by distance T − 1 − s: as initialised, and after training.
   */
  gradient: { init: number[]; trained: number[] };
}

const TEST_SEED = 424242;
const PROBE_SEED = 5;

/** A model for the task: symbols in, symbols out, `kind` with the settings' size. */
export function recallModel(kind: SequenceModelKind, seed: number, settings: Partial<RecallSettings> = {}): SequenceModel {
  const s = recallSettings(settings);
  return sequenceModel(kind, s.symbols, s.symbols, {
    size: s.sizes[kind], rng: new Rng(seed), transformer: s.transformer,
    ...(kind === "lstm" && s.lstmForgetBias !== null ? { forgetBias: s.lstmForgetBias } : {}),
  });
}

/** The answers' logits, [(T − lag)·B, A]: the model's output at steps lag..T−1. */
function answerLogits(model: SequenceModel, x: Tensor, lag: number): Tensor {
  const [T, B] = x.shape;
  const out = model.forward(x);
  return reshape(slice(out, 0, lag, T), [(T - lag) * B, out.shape[2]]);
}

/** The fraction of answers right on the fixed test batch. */
export function recallAccuracy(model: SequenceModel, lag: number, settings: Partial<RecallSettings> = {}): number {
  const s = recallSettings(settings);
  const test = delayedRecall({ T: s.T, lag, symbols: s.symbols, batchSize: s.testSize, seed: TEST_SEED });
  const logits = noGrad(() => answerLogits(model, test.x, lag));
  const A = s.symbols, N = test.y.size;
  let right = 0;
  for (let i = 0; i < N; i++) {
    let best = 0;
    for (let c = 1; c < A; c++) if (logits.data[i * A + c] > logits.data[i * A + best]) best = c;
    if (best === test.y.data[i]) right++;
  }
  return right / N;
}

/** The gradient reaching each input position of the fixed probe batch from the last output, by distance. */
export function recallGradient(model: SequenceModel, settings: Partial<RecallSettings> = {}): number[] {
  const s = recallSettings(settings);
  const probe = delayedRecall({ T: s.T, lag: 1, symbols: s.symbols, batchSize: s.probeSize, seed: PROBE_SEED });
  return gradientByPosition((x) => model.forward(x), probe.x, { seed: 0, parameters: model.parameters() }).x.reverse();
}

/** Trains one model of `kind` on delayed recall at `lag` (seeded: the same row every time). */
export function recallRun(kind: SequenceModelKind, lag: number, seed: number, settings: Partial<RecallSettings> = {}): RecallRow & { model: SequenceModel } {
  if (!SEQUENCE_MODEL_KINDS.includes(kind)) throw new Error(`recallRun: kind must be one of ${SEQUENCE_MODEL_KINDS.join(", ")}, got ${JSON.stringify(kind)}`);
  const s = recallSettings(settings);
  const model = recallModel(kind, seed, s);
  const init = recallGradient(model, s);
  const params = model.parameters();
  const opt = new Adam(params, { lr: s.lr });
  const data = new Rng(2000 + seed);
  const losses: number[] = [];
  let stepsTaken = 0;
  let accuracy = NaN;
  for (let step = 1; step <= s.steps; step++) {
    const b = delayedRecall({ T: s.T, lag, symbols: s.symbols, batchSize: s.batchSize, seed: data });
    opt.zeroGrad();
    const loss = crossEntropy(answerLogits(model, b.x, lag), b.y);
    loss.backward();
    clipGradNorm(params, s.clip);
    opt.step();
    losses.push(loss.item());
    stepsTaken = step;
    if (s.stopWhenSolvedEvery > 0 && step % s.stopWhenSolvedEvery === 0 && step < s.steps) {
      accuracy = recallAccuracy(model, lag, s);
      if (accuracy >= s.solvedAt) break;
      accuracy = NaN;
    }
  }
  if (Number.isNaN(accuracy)) accuracy = recallAccuracy(model, lag, s);
  const tail = losses.slice(-20);
  return {
    kind, lag, seed, parameters: model.numParameters(), accuracy, solved: accuracy >= s.solvedAt, stepsTaken,
    finalLoss: tail.reduce((a, b) => a + b, 0) / tail.length,
    gradient: { init, trained: recallGradient(model, s) },
    model,
  };
}

/** The runs of a grid, in order: kind, then lag, then seed. */
export function recallRuns(spec: { kinds: readonly SequenceModelKind[]; lags: readonly number[]; seeds: readonly number[] }): { kind: SequenceModelKind; lag: number; seed: number }[] {
  return spec.kinds.flatMap((kind) => spec.lags.flatMap((lag) => spec.seeds.map((seed) => ({ kind, lag, seed }))));
}

/** A row without its model (what a results file stores). */
export function recallRow(run: RecallRow & { model?: SequenceModel }): RecallRow {
  const { model: _model, ...row } = run;
  return row;
}
