// One training run of one cell on one long-range task, scored on fresh sequences: the unit every
// success rate in chapters 05-07 counts.
//
//   const run = kl.tasks.trainOnTask({ task: "adding", cell: "lstm", T: 50, seed: 0 });
//   run.solved, run.score, run.losses
import { noGrad } from "../autograd/tape";
import { Rng } from "../random";
import { Adam } from "../optim/adam";
import { SGD } from "../optim/sgd";
import { clipGradNorm } from "../optim/clip";
import { CellKind, RecurrentModel } from "../nn/recurrent-model";
import { LongRangeTask, TaskName, TaskScore, longRangeTask } from "./long-range";

export interface TrainOnTaskOptions {
  task: TaskName | LongRangeTask;
  cell: CellKind;
  /** Sequence length. */
  T: number;
  /** Seed of the model's initial weights and of its training batches (default 0). */
  seed?: number;
  hiddenSize?: number;        // default 32
  steps?: number;             // training steps (default 500)
  batchSize?: number;         // default 32
  optimizer?: "adam" | "sgd"; // default "adam"
  lr?: number;                // default 0.01 (Adam), 0.1 (SGD)
  /** Clip the gradient's global norm at this value (default 1; null: no clipping). */
  clip?: number | null;
  /** LSTM only: the forget gate's initial bias (default: PyTorch's draw). */
  forgetBias?: number;
  /** Sequences in the test batch (default 500). The test batch's seed is fixed: every run sees the same one. */
  testSize?: number;
  /** Score every this many steps and stop once solved (default 0: never stop early). */
  stopWhenSolvedEvery?: number;
  /** Called after every step with the step (from 1), its loss and the gradient norm before clipping. */
  onStep?: (step: number, loss: number, gradNorm: number) => void;
}

export interface TaskRun extends TaskScore {
  task: TaskName;
  cell: CellKind;
  T: number;
  seed: number;
  /** The task's metric on the test batch, as `value` (kept under this name for tables). */
  score: number;
  /** Training loss at every step. */
  losses: number[];
  /** Gradient norm before clipping at every step. */
  gradNorms: number[];
  /** Steps taken (fewer than `steps` when the run stopped early: solved, or diverged). */
  stepsTaken: number;
  /** The loss or the gradient became NaN or infinite: the run stopped there, unsolved. */
  diverged: boolean;
  model: RecurrentModel;
}

const TEST_SEED = 987654;

/** The learning rate a run uses when none is given: 0.01 for Adam, 0.1 for SGD. */
export function defaultLr(optimizer: "adam" | "sgd"): number {
  return optimizer === "adam" ? 0.01 : 0.1;
}

/** The model's score on the task's test batch (fixed seed, `testSize` sequences). */
export function scoreOnTask(model: RecurrentModel, task: TaskName | LongRangeTask, T: number, testSize = 500): TaskScore {
  const t = longRangeTask(task);
  const test = t.batch(T, testSize, TEST_SEED);
  const out = noGrad(() => model.forward(test.x).out);
  return t.score(out, test);
}

export function trainOnTask(options: TrainOnTaskOptions): TaskRun {
  const task = longRangeTask(options.task);
  const { cell, T, seed = 0, hiddenSize = 32, steps = 500, batchSize = 32, optimizer = "adam", clip = 1, testSize = 500 } = options;
  if (!Number.isInteger(T) || T < task.minLength) throw new RangeError(`trainOnTask: T must be an integer ≥ ${task.minLength} for the ${task.name} task, got ${T}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`trainOnTask: steps must be a positive integer, got ${steps}`);
  const model = new RecurrentModel(cell, task.inputSize, hiddenSize, task.outputSize, {
    rng: new Rng(seed), readout: task.readout, ...(options.forgetBias !== undefined ? { forgetBias: options.forgetBias } : {}),
  });
  const params = model.parameters();
  const lr = options.lr ?? defaultLr(optimizer);
  const opt = optimizer === "adam" ? new Adam(params, { lr }) : new SGD(params, { lr });
  const data = new Rng(1000 + seed);
  const losses: number[] = [], gradNorms: number[] = [];
  const every = options.stopWhenSolvedEvery ?? 0;
  let stepsTaken = 0;
  let diverged = false;
  for (let step = 1; step <= steps; step++) {
    const batch = task.batch(T, batchSize, data);
    opt.zeroGrad();
    const loss = task.loss(model.forward(batch.x).out, batch);
    loss.backward();
    // The norm before clipping (with clip null nothing is scaled). A run whose loss or gradient
    // became NaN or infinite stops and says so (diverged): an unclipped run may, and that is a result.
    const norm = clipGradNorm(params, clip ?? Infinity, { errorIfNonfinite: false });
    losses.push(loss.item());
    gradNorms.push(norm);
    stepsTaken = step;
    if (!Number.isFinite(norm) || !Number.isFinite(loss.item())) { diverged = true; break; }
    opt.step();
    options.onStep?.(step, loss.item(), norm);
    if (every > 0 && step % every === 0 && step < steps && scoreOnTask(model, task, T, testSize).solved) break;
  }
  const s: TaskScore = diverged ? { value: NaN, solved: false } : scoreOnTask(model, task, T, testSize);
  return { task: task.name, cell, T, seed, value: s.value, solved: s.solved, score: s.value, losses, gradNorms, stepsTaken, diverged, model };
}
