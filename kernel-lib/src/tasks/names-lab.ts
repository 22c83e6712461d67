// The same task, the same budget: notebook 03's character model on first names, trained as a tanh
// RNN, a GRU, an LSTM and a tiny Transformer through one data pipeline (makemore's harness idea,
// Karpathy 2022): the same split, the same batches in the same order, the same optimizer and
// number of steps; only the model changes. Chapter 08 draws validation loss against training time
// and prints samples from each.
//
//   const run = kl.tasks.namesRun("transformer", 0);   // run.curve: [{ step, valLoss, seconds }], run.samples
//
// The recurrent models are notebook 06's (kl.nn.RecurrentModel on one-hot characters, the hidden
// sizes that match the LSTM's parameter count); the Transformer is kl.nn.TransformerLM with one
// block, whose count (8,860) equals the LSTM's. Validation loss is the mean cross-entropy per real
// character (nats) on 800 held-out names. Times are measured (training steps only, not the
// evaluations) and depend on the machine: show them, never assert on them.
import { noGrad } from "../autograd/tape";
import { logSoftmax, mul, neg, oneHot, reshape, sum } from "../ops";
import { Rng } from "../random";
import { Tensor, fromFlat } from "../tensor";
import { loadNames, type NamesData } from "../data/text/corpora";
import { Module } from "../nn/module";
import { RecurrentModel } from "../nn/recurrent-model";
import { TransformerLM } from "../nn/transformer";
import { Adam } from "../optim/adam";
import { clipGradNorm } from "../optim/clip";
import { countMultiplyAdds } from "../kernels/count";
import { SEQUENCE_MODEL_KINDS, type SequenceModelKind } from "./sequence-models";

/** What every names run shares. */
export interface NamesSettings {
  /** Training steps (default 600). */
  steps: number;
  batchSize: number;      // names per step, default 32
  lr: number;             // Adam, default 0.01
  clip: number;           // gradient-norm clipping, default 5
  /** Held-out names (default 800, the first of the shuffled list). */
  valSize: number;
  /** Evaluate the validation loss every this many steps (default 50), and at step 0. */
  evalEvery: number;
  /** Hidden size (recurrent) or embedDim (transformer), per kind. */
  sizes: Record<SequenceModelKind, number>;
  /** The Transformer's other settings. */
  transformer: { numHeads: number; numLayers: number; ffDim: number; maxLen: number; positions: "learned" | "sinusoidal" };
  /** Names sampled from each trained model (default 12), at temperature 1. */
  samples: number;
}

export const NAMES_DEFAULTS: NamesSettings = {
  steps: 600, batchSize: 32, lr: 0.01, clip: 5, valSize: 800, evalEvery: 50,
  sizes: { rnn: 69, gru: 38, lstm: 32, transformer: 32 },
  transformer: { numHeads: 4, numLayers: 1, ffDim: 32, maxLen: 16, positions: "learned" },
  samples: 12,
};

export function namesSettings(settings: Partial<NamesSettings> = {}): NamesSettings {
  return {
    ...NAMES_DEFAULTS, ...settings,
    sizes: { ...NAMES_DEFAULTS.sizes, ...(settings.sizes ?? {}) },
    transformer: { ...NAMES_DEFAULTS.transformer, ...(settings.transformer ?? {}) },
  };
}

/** The data every run shares: the names, the split (shuffled with a fixed seed), the vocabulary. */
export interface NamesSplit {
  data: NamesData;
  train: readonly string[];
  val: readonly string[];
  vocabSize: number;
}

let cachedSplit: { valSize: number; split: NamesSplit } | null = null;

/** The names, shuffled with Rng(1): the first valSize held out (notebook 06's split). */
export function namesSplit(valSize = NAMES_DEFAULTS.valSize): NamesSplit {
  if (cachedSplit?.valSize === valSize) return cachedSplit.split;
  const data = loadNames();
  const shuffled = new Rng(1).shuffle(data.names.slice());
  const split = { data, val: shuffled.slice(0, valSize), train: shuffled.slice(valSize), vocabSize: data.vocab.size };
  cachedSplit = { valSize, split };
  return split;
}

/** A character model of any kind, seen one way: token ids [T, B] → next-character logits [T, B, V]. */
export interface CharModel {
  kind: SequenceModelKind;
  module: RecurrentModel | TransformerLM;
  logits(ids: Tensor): Tensor;
  parameters(): Tensor[];
  numParameters(): number;
}

/** The model of `kind` for the names, initialised from `seed`. */
export function namesModel(kind: SequenceModelKind, seed: number, settings: Partial<NamesSettings> = {}): CharModel {
  if (!SEQUENCE_MODEL_KINDS.includes(kind)) throw new Error(`namesModel: kind must be one of ${SEQUENCE_MODEL_KINDS.join(", ")}, got ${JSON.stringify(kind)}`);
  const s = namesSettings(settings);
  const V = namesSplit(s.valSize).vocabSize;
  const rng = new Rng(seed);
  const wrap = (module: RecurrentModel | TransformerLM, logits: (ids: Tensor) => Tensor): CharModel => ({
    kind, module, logits, parameters: () => (module as Module).parameters(), numParameters: () => (module as Module).numParameters(),
  });
  if (kind === "transformer") {
    const lm = new TransformerLM(V, { embedDim: s.sizes.transformer, ...s.transformer, rng });
    return wrap(lm, (ids) => lm.forward(ids));
  }
  const rm = new RecurrentModel(kind, V, s.sizes[kind], V, { rng, readout: "every" });
  return wrap(rm, (ids) => rm.forward(oneHot(ids, V)).out);
}

/** Mean cross-entropy per real character (nats) of the model's next-character predictions on `names`. */
export function namesLoss(model: CharModel, names: readonly string[], split: NamesSplit = namesSplit()): Tensor {
  const { x, y, mask } = split.data.batch(names);
  const [T, B] = x.shape;
  const V = split.vocabSize;
  const logits = reshape(model.logits(x), [T * B, V]);
  const logp = sum(mul(logSoftmax(logits, -1), oneHot(reshape(y, [T * B]), V)), 1);
  const m = reshape(mask, [T * B]);
  return mul(neg(sum(mul(logp, m))), 1 / m.sum().item());
}

/**
 * `count` names sampled from the model at `temperature`: start from ".", draw each next character
 * from the softmax of the last logits, stop at "." (or at maxLen characters). The whole prefix is
 * read again at every step, the same for every kind (generation's cost is chapter 08's section on
 * the key-value cache).
 */
export function sampleNames(model: CharModel, count: number, rng: Rng, options: { temperature?: number; maxLen?: number; split?: NamesSplit } = {}): string[] {
  const split = options.split ?? namesSplit();
  const temperature = options.temperature ?? 1;
  const maxLen = options.maxLen ?? 15;
  const vocab = split.data.vocab;
  const end = vocab.id(".");
  const V = split.vocabSize;
  return noGrad(() => Array.from({ length: count }, () => {
    const ids = [end];
    while (ids.length <= maxLen) {
      const logits = model.logits(fromFlat(ids, [ids.length, 1]));
      const last = logits.data.subarray((ids.length - 1) * V, ids.length * V);
      let top = -Infinity;
      for (let c = 0; c < V; c++) top = Math.max(top, last[c] / temperature);
      const p = Array.from(last, (v) => Math.exp(v / temperature - top));
      const total = p.reduce((a, b) => a + b, 0);
      let u = rng.next() * total, c = 0;
      while (c < V - 1 && u >= p[c]) { u -= p[c]; c++; }
      if (c === end) break;
      ids.push(c);
    }
    return vocab.decode(ids.slice(1));
  }));
}

/** One point of a run's validation curve. */
export interface NamesCheckpoint {
  step: number;
  valLoss: number;
  /** Training time up to this step, in seconds (measured: machine-dependent, never asserted). */
  seconds: number;
}

/** One run, as a results file stores it. */
export interface NamesRow {
  kind: SequenceModelKind;
  seed: number;
  parameters: number;
  /** The validation loss at step 0, every evalEvery steps, and at the last step. */
  curve: NamesCheckpoint[];
  /** The validation loss after the last step. */
  valLoss: number;
  /** Multiply-adds of one training step (forward and backward) on a fixed batch (the first 32 training names). */
  multiplyAddsPerStep: number;
  /** Names sampled from the trained model (Rng(7 + seed), temperature 1). */
  samples: string[];
}

/**
 * Trains the model of `kind` from `seed` (batches from Rng(100 + seed), as notebook 06). `stopAfter`
 * ends the run early (a prefix of the full run: the same checkpoints up to there), without samples.
 */
export function namesRun(kind: SequenceModelKind, seed: number, settings: Partial<NamesSettings> = {}, options: { stopAfter?: number } = {}): NamesRow & { model: CharModel } {
  const s = namesSettings(settings);
  const split = namesSplit(s.valSize);
  const model = namesModel(kind, seed, s);
  const params = model.parameters();
  const opt = new Adam(params, { lr: s.lr });
  const batches = new Rng(100 + seed);
  const last = Math.min(s.steps, options.stopAfter ?? s.steps);
  const evaluate = () => noGrad(() => namesLoss(model, split.val, split).item());
  // The cost of a step, counted on a fixed batch (a throwaway step: its gradients are zeroed below).
  const multiplyAddsPerStep = countMultiplyAdds(() => namesLoss(model, split.train.slice(0, 32), split).backward()).multiplyAdds;
  const curve: NamesCheckpoint[] = [{ step: 0, valLoss: evaluate(), seconds: 0 }];
  let seconds = 0;
  for (let step = 1; step <= last; step++) {
    const t0 = performance.now();
    const batch = Array.from({ length: s.batchSize }, () => split.train[batches.int(split.train.length)]);
    opt.zeroGrad();
    namesLoss(model, batch, split).backward();
    clipGradNorm(params, s.clip);
    opt.step();
    seconds += (performance.now() - t0) / 1000;
    if (step % s.evalEvery === 0 || step === last) curve.push({ step, valLoss: evaluate(), seconds });
  }
  const samples = last === s.steps ? sampleNames(model, s.samples, new Rng(7 + seed), { split, maxLen: Math.min(15, kind === "transformer" ? s.transformer.maxLen - 1 : 15) }) : [];
  return { kind, seed, parameters: model.numParameters(), curve, valLoss: curve[curve.length - 1].valLoss, multiplyAddsPerStep, samples, model };
}

/** A row without its model (what a results file stores). */
export function namesRow(run: NamesRow & { model?: CharModel }): NamesRow {
  const { model: _model, ...row } = run;
  return row;
}
