// The two-sequence problem (Bengio, Simard & Frasconi 1994; in the form of Hochreiter &
// Schmidhuber 1997, experiment 3). Only the first N values of a sequence say which class it
// is: +1 for class 1, -1 for class 0. Every later value is Gaussian noise (mean 0, variance 0.2)
// that does not depend on the class. To classify at the last step, a network must "latch" the
// information from step 0 and keep it through T - N steps of noise without letting the noise
// erase it: where vanishing gradients make a plain RNN fail as T grows.
import { Tensor, allocate } from "../../tensor";
import { describeLines, namedShape, type Described } from "../describe";
import { DataError, checkInt } from "../errors";
import { balancedLabels, toRng } from "../seed";
import type { TaskOptions } from "./adding";

export interface LatchOptions extends TaskOptions {
  /** N: informative steps at the start (default 1; the paper also uses 3). */
  relevant?: number;
  /** Variance of the noise (default 0.2, as in the paper). */
  noiseVariance?: number;
  /** Add the same noise to the N informative values too (the paper's harder variant; default false). */
  noisyRelevant?: boolean;
}

export interface LatchBatch extends Described {
  /** [T, B, 1] */
  readonly x: Tensor;
  /** [B]: class 0 or 1, balanced. */
  readonly y: Tensor;
}

export function twoSequenceLatch(options: LatchOptions): LatchBatch {
  const T = checkInt("twoSequenceLatch", "T", options.T, 2);
  const B = checkInt("twoSequenceLatch", "batchSize", options.batchSize, 1);
  const N = checkInt("twoSequenceLatch", "relevant", options.relevant ?? 1, 1);
  if (N >= T) throw new DataError(`twoSequenceLatch: relevant = ${N} must be below T = ${T} (some steps must be noise)`);
  const variance = options.noiseVariance ?? 0.2;
  if (!(variance >= 0)) throw new DataError(`twoSequenceLatch: noiseVariance must be >= 0, got ${variance}`);
  const std = Math.sqrt(variance);
  const rng = toRng(options.seed);
  const labels = balancedLabels(B, 2, rng);
  const x = allocate("twoSequenceLatch", [T, B, 1]);
  for (let b = 0; b < B; b++) {
    const signal = labels[b] === 1 ? 1 : -1;
    for (let t = 0; t < T; t++) {
      const noise = std * rng.normal();
      x[t * B + b] = t < N ? signal + (options.noisyRelevant ? noise : 0) : noise;
    }
  }
  return {
    x: new Tensor(x, [T, B, 1]),
    y: new Tensor(Float64Array.from(labels), [B]),
    describe: () =>
      describeLines(`Two-sequence latch, T=${T}`, [
        ["x", `${namedShape([T, B, 1], ["T", "B", "I"])}: ${N === 1 ? "step 0 is" : `steps 0..${N - 1} are`} +1 (class 1) or -1 (class 0)${options.noisyRelevant ? " plus noise" : ""}; the rest N(0, ${variance})`],
        ["y", `[B=${B}] class 0 or 1, balanced`],
      ]),
  };
}
