// The adding problem, in the form of Le et al. 2015 and Arjovsky et al. 2016. (Hochreiter &
// Schmidhuber 1997, exp. 4, introduced the task in another form: values uniform on [-1, 1], the
// target 0.5 + (X1 + X2)/4, whose range is 1 where this one's is 2, and markers placed
// differently.) Each step carries two inputs: a value drawn uniformly from [0, 1], and a marker
// that is 1 at exactly two steps (one in the first half, one in the second) and 0 elsewhere. The
// target is the sum of the two marked values. The network must remember the first marked value
// across up to T steps of distractors: a test of long-range memory.
//
// The baseline. A model that ignores its input does best by predicting the mean of the target,
// E[v1 + v2] = 1/2 + 1/2 = 1. Its mean squared error is then the target's variance:
//   Var(v1 + v2) = Var(v1) + Var(v2)        (independent)
//   Var(v) for v ~ U[0, 1] = ∫₀¹ (v - 1/2)² dv = 1/12
//   so the baseline MSE = 2/12 = 1/6 ≈ 0.1667.
// A network has learned something only once its MSE is clearly below 0.1667.
import { Tensor, allocate } from "../../tensor";
import { describeLines, namedShape, type Described } from "../describe";
import { checkInt } from "../errors";
import { toRng, type SeedLike } from "../seed";

export const ADDING_BASELINE_MSE = 1 / 6;

export interface TaskOptions {
  /** T: sequence length (time steps). */
  T: number;
  /** B: sequences in the batch. */
  batchSize: number;
  /** A seed (same data every run) or an Rng to continue. */
  seed: SeedLike;
}

export interface AddingBatch extends Described {
  /** [T, B, 2]: channel 0 the value, channel 1 the marker. */
  readonly x: Tensor;
  /** [B, 1]: the sum of the two marked values. */
  readonly y: Tensor;
  /** marked[2b], marked[2b+1]: the two marked steps of sequence b. */
  readonly marked: Int32Array;
}

/** `addingProblem({ T: 100, batchSize: 32, seed: 0 })`: x [100, 32, 2], y [32, 1]. */
export function addingProblem(options: TaskOptions): AddingBatch {
  const T = checkInt("addingProblem", "T", options.T, 2);
  const B = checkInt("addingProblem", "batchSize", options.batchSize, 1);
  const rng = toRng(options.seed);
  const half = Math.floor(T / 2);
  const x = allocate("addingProblem", [T, B, 2]);
  const y = allocate("addingProblem", [B, 1]);
  const marked = new Int32Array(2 * B);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) x[(t * B + b) * 2] = rng.next();
    const first = rng.int(half);
    const second = half + rng.int(T - half);
    marked[2 * b] = first;
    marked[2 * b + 1] = second;
    x[(first * B + b) * 2 + 1] = 1;
    x[(second * B + b) * 2 + 1] = 1;
    y[b] = x[(first * B + b) * 2] + x[(second * B + b) * 2];
  }
  return {
    x: new Tensor(x, [T, B, 2]),
    y: new Tensor(y, [B, 1]),
    marked,
    describe: () =>
      describeLines(`Adding problem, T=${T}`, [
        ["x", `${namedShape([T, B, 2], ["T", "B", "I"])}: value ~ U[0,1], marker (two 1s: one in steps 0..${half - 1}, one in ${half}..${T - 1})`],
        ["y", `${namedShape([B, 1], ["B", ""])}: the sum of the two marked values`],
        ["baseline", "predicting 1 always gives MSE 1/6 ≈ 0.1667"],
      ]),
  };
}
