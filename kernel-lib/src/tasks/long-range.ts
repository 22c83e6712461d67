// The long-range memory tasks as experiments: each of kl.data's generators with the read-out it
// needs, its loss, how a trained model is scored, and when a run counts as solved. 04's latch,
// 05's and 06's comparisons and 07's lab all train through these, so that "solved" means one
// stated thing everywhere.
import { crossEntropy, logSoftmax, mse, mul, reshape, sum } from "../ops";
import { Tensor, fromFlat } from "../tensor";
import type { SeedLike } from "../data/seed";
import { ADDING_BASELINE_MSE, addingProblem } from "../data/tasks/adding";
import { copyTask } from "../data/tasks/copy";
import { twoSequenceLatch } from "../data/tasks/latch";
import { embeddedReber } from "../data/tasks/reber";
import { temporalOrder } from "../data/tasks/temporal-order";

export type TaskName = "adding" | "temporal-order" | "copy" | "reber" | "latch";
export const TASK_NAMES: readonly TaskName[] = ["adding", "temporal-order", "copy", "reber", "latch"];

/** One batch of a task: the input, and whatever the loss and the score read. */
export interface TaskBatch {
  /** [steps, B, inputSize]. Steps is T, except the copy task's T + 20. */
  x: Tensor;
  /** The batch as kl.data made it (targets, masks, ...). */
  raw: unknown;
}

/** How a model did on a test batch. */
export interface TaskScore {
  /** The task's metric (see `metric`). */
  value: number;
  /** Whether it meets the task's success criterion. */
  solved: boolean;
}

export interface LongRangeTask {
  name: TaskName;
  /** What the model must do, in one line. */
  title: string;
  /** Where the task comes from. */
  source: string;
  inputSize: number;
  outputSize: number;
  /** The model reads out its last state ("last") or every step ("every"). */
  readout: "last" | "every";
  /** The score's name and its direction. */
  metric: string;
  higherIsBetter: boolean;
  /** The success criterion, in words (what `score(...).solved` tests). */
  criterion: string;
  /** The metric of the best model that has no memory of the relevant steps, at length T. */
  baseline(T: number): number;
  /** The smallest length the generator accepts. */
  minLength: number;
  batch(T: number, batchSize: number, seed: SeedLike): TaskBatch;
  /** The training loss of the model's read-out on a batch (a scalar on the tape). */
  loss(out: Tensor, batch: TaskBatch): Tensor;
  score(out: Tensor, batch: TaskBatch): TaskScore;
}

/** Fraction of the N = targets.length rows of C scores (row n at values[n·C ...]) whose largest entry is at the target. */
function accuracy(values: ArrayLike<number>, C: number, targets: ArrayLike<number>): number {
  const N = targets.length;
  let right = 0;
  for (let n = 0; n < N; n++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (values[n * C + c] > values[n * C + best]) best = c;
    if (best === targets[n]) right++;
  }
  return right / N;
}

const classification = (name: TaskName, title: string, source: string, inputSize: number, classes: number, minLength: number,
  make: (T: number, B: number, seed: SeedLike) => { x: Tensor; y: Tensor }): LongRangeTask => ({
  name, title, source, inputSize, outputSize: classes, readout: "last", minLength,
  metric: "test accuracy", higherIsBetter: true,
  criterion: "test accuracy ≥ 95%",
  baseline: () => 1 / classes,
  batch: (T, B, seed) => { const raw = make(T, B, seed); return { x: raw.x, raw }; },
  loss: (out, b) => crossEntropy(out, (b.raw as { y: Tensor }).y),
  score: (out, b) => { const value = accuracy(out.data, classes, (b.raw as { y: Tensor }).y.data); return { value, solved: value >= 0.95 }; },
});

const adding: LongRangeTask = {
  name: "adding", title: "add the two marked numbers of T", source: "Hochreiter & Schmidhuber 1997 (exp. 4), in the form of Le, Jaitly & Hinton 2015 and Arjovsky, Shah & Bengio 2016",
  inputSize: 2, outputSize: 1, readout: "last", minLength: 2,
  metric: "test MSE", higherIsBetter: false,
  criterion: "test MSE < 0.01 (predicting 1 always gives 1/6 ≈ 0.167)",
  baseline: () => ADDING_BASELINE_MSE,
  batch: (T, B, seed) => { const raw = addingProblem({ T, batchSize: B, seed }); return { x: raw.x, raw }; },
  loss: (out, b) => mse(out, (b.raw as { y: Tensor }).y),
  score: (out, b) => { const value = mse(out, (b.raw as { y: Tensor }).y).item(); return { value, solved: value < 0.01 }; },
};

/** Copy: cross-entropy at every step (as Arjovsky et al.), scored on the 10 recalled symbols. */
const copy: LongRangeTask = {
  name: "copy", title: "recall 10 symbols after T blanks", source: "Hochreiter & Schmidhuber 1997; Arjovsky, Shah & Bengio 2016",
  inputSize: 10, outputSize: 10, readout: "every", minLength: 1,
  metric: "recall accuracy (the 10 copied symbols)", higherIsBetter: true,
  criterion: "≥ 95% of the recalled symbols right (a memoryless guess gets 1/8)",
  baseline: () => 1 / 8,
  batch: (T, B, seed) => { const raw = copyTask({ T, batchSize: B, seed }); return { x: raw.x, raw }; },
  loss: (out, b) => {
    const [L, B, V] = out.shape;
    return crossEntropy(reshape(out, [L * B, V]), (b.raw as { y: Tensor }).y);
  },
  score: (out, b) => {
    // The last K = 10 steps are the recall: rows (L − K)·B onwards of the [L·B, V] scores.
    const [L, B, V] = out.shape;
    const from = (L - 10) * B;
    const value = accuracy(out.data.subarray(from * V), V, (b.raw as { y: Tensor }).y.data.subarray(from));
    return { value, solved: value >= 0.95 };
  },
};

/**
 * Embedded Reber: predict the next symbol. The loss is the cross-entropy of the symbol that does
 * follow, at the steps where one is due; a string counts as right when, at each of those steps,
 * the k most probable symbols are exactly the k the grammar allows.
 */
const reber: LongRangeTask = {
  name: "reber", title: "predict the next symbol of an embedded Reber string", source: "Reber 1967; Cleeremans et al. 1989; Hochreiter & Schmidhuber 1997 (exp. 1)",
  inputSize: 7, outputSize: 7, readout: "every", minLength: 9,
  metric: "strings predicted right", higherIsBetter: true,
  criterion: "≥ 95% of test strings with every prediction right (the k likeliest symbols are the k legal ones)",
  baseline: () => 0,
  batch: (T, B, seed) => { const raw = embeddedReber({ T, batchSize: B, seed }); return { x: raw.x, raw }; },
  loss: (out, b) => {
    const raw = b.raw as { nextIds: Tensor; mask: Tensor };
    const [T, B, V] = out.shape;
    const target = new Float64Array(T * B * V);
    let due = 0;
    for (let i = 0; i < T * B; i++) {
      if (raw.mask.data[i] === 1) { target[i * V + raw.nextIds.data[i]] = 1; due++; }
    }
    return mul(sum(mul(logSoftmax(out), fromFlat(target, [T, B, V]))), -1 / Math.max(1, due));
  },
  score: (out, b) => {
    const raw = b.raw as { legalNext: Tensor; mask: Tensor };
    const [T, B, V] = out.shape;
    let right = 0;
    for (let s = 0; s < B; s++) {
      let ok = true;
      for (let t = 0; t < T && ok; t++) {
        const i = t * B + s;
        if (raw.mask.data[i] !== 1) continue;
        const legal: number[] = [], order: number[] = [];
        for (let c = 0; c < V; c++) { order.push(c); if (raw.legalNext.data[i * V + c] === 1) legal.push(c); }
        order.sort((p, q) => out.data[i * V + q] - out.data[i * V + p]);
        const top = new Set(order.slice(0, legal.length));
        ok = legal.every((c) => top.has(c));
      }
      if (ok) right++;
    }
    const value = right / B;
    return { value, solved: value >= 0.95 };
  },
};

export const LONG_RANGE_TASKS: Readonly<Record<TaskName, LongRangeTask>> = {
  adding,
  "temporal-order": classification("temporal-order", "tell the order of two symbols (XX, XY, YX, YY) among T", "Hochreiter & Schmidhuber 1997 (exp. 6a)", 8, 4, 10,
    (T, B, seed) => temporalOrder({ T, batchSize: B, seed })),
  copy,
  reber,
  latch: classification("latch", "keep one bit through T − 1 steps of noise", "Bengio, Simard & Frasconi 1994", 1, 2, 1,
    (T, B, seed) => twoSequenceLatch({ T, batchSize: B, seed })),
};

/** The task called `name`, with an error that lists the names when there is none. */
export function longRangeTask(name: TaskName | LongRangeTask): LongRangeTask {
  if (typeof name === "object" && name !== null) return name;
  const task = LONG_RANGE_TASKS[name as TaskName];
  if (!task) throw new Error(`tasks: no task named ${JSON.stringify(name)}; the tasks are ${TASK_NAMES.map((n) => `"${n}"`).join(", ")}`);
  return task;
}
