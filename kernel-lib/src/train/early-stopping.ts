// Training that stops when the validation loss stops improving, and keeps the best model: what a
// practitioner runs on real data, where training loss always falls and the question is when the
// model stops getting better at data it has not seen.
//
//   const fit = await kl.train.fitWithEarlyStopping({
//     model, maxEpochs: 40, patience: 5,
//     trainEpoch: () => oneEpoch(),          // trains; returns the epoch's mean training loss
//     validate: () => validationLoss(),      // lower is better; run under noGrad here
//   });
//   fit.bestEpoch, fit.bestValLoss, fit.history   // and the model now holds the best epoch's weights
//
// The best weights are kept as a state dict (PyTorch's names), the same object `model.stateDict()`
// gives and `kl.io.saveJSON` writes, so "save the best model and load it back" is one more line.
import { noGrad } from "../autograd/tape";
import type { StateDict } from "../io/state-dict";
import type { Module } from "../nn/module";

export interface EpochRecord {
  /** 1 for the first epoch. */
  epoch: number;
  trainLoss: number;
  valLoss: number;
  /** Whether this epoch's validation loss is the best so far (its weights are now the kept ones). */
  improved: boolean;
}

export interface EarlyStoppingOptions {
  model: Module;
  /** One epoch (or one block of steps) of training; returns its mean training loss. */
  trainEpoch: (epoch: number) => number | Promise<number>;
  /** The validation loss (lower is better). Synchronous, so that it runs whole under noGrad. */
  validate: () => number;
  /** At most this many epochs. */
  maxEpochs: number;
  /** Stop after this many epochs in a row without improvement. */
  patience: number;
  /** An improvement must be larger than this to count (default 0). */
  minDelta?: number;
  /** Put the best epoch's weights back into the model at the end (default true). */
  restoreBest?: boolean;
  /** Called after each epoch (a live view, a log line); may be async. */
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
}

export interface EarlyStoppingResult {
  bestEpoch: number;
  bestValLoss: number;
  /** The best epoch's weights. */
  bestState: StateDict;
  epochsRun: number;
  /** True when patience ran out before maxEpochs. */
  stoppedEarly: boolean;
  history: EpochRecord[];
}

function checkOptions(o: EarlyStoppingOptions): void {
  const whole = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`fitWithEarlyStopping: ${name} must be a whole number >= ${min}, got ${v}`);
  };
  whole("maxEpochs", o.maxEpochs, 1);
  whole("patience", o.patience, 1);
  if (o.minDelta !== undefined && !(o.minDelta >= 0)) throw new RangeError(`fitWithEarlyStopping: minDelta must be >= 0, got ${o.minDelta}`);
}

function finite(what: string, epoch: number, v: number): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new RangeError(`fitWithEarlyStopping: epoch ${epoch}: ${what} returned ${v}, not a finite number (a diverged model, or a function that returns nothing)`);
  }
  return v;
}

export async function fitWithEarlyStopping(options: EarlyStoppingOptions): Promise<EarlyStoppingResult> {
  checkOptions(options);
  const { model, trainEpoch, validate, maxEpochs, patience, onEpoch } = options;
  const minDelta = options.minDelta ?? 0;
  const history: EpochRecord[] = [];
  let bestEpoch = 0;
  let bestValLoss = Infinity;
  let bestState: StateDict = model.stateDict();
  let sinceBest = 0;
  let epoch = 0;
  while (epoch < maxEpochs && sinceBest < patience) {
    epoch++;
    model.train();
    const trainLoss = finite("trainEpoch", epoch, await trainEpoch(epoch));
    model.eval();
    const valLoss = finite("validate", epoch, noGrad(() => validate()));
    const improved = valLoss < bestValLoss - minDelta;
    if (improved) {
      bestEpoch = epoch;
      bestValLoss = valLoss;
      bestState = model.stateDict();
      sinceBest = 0;
    } else sinceBest++;
    const record = { epoch, trainLoss, valLoss, improved };
    history.push(record);
    await onEpoch?.(record);
  }
  model.train();
  if (options.restoreBest ?? true) model.loadStateDict(bestState);
  return { bestEpoch, bestValLoss, bestState, epochsRun: epoch, stoppedEarly: sinceBest >= patience, history };
}
