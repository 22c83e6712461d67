// The copy task (Arjovsky, Shah & Bengio 2016). The input shows K = 10 symbols from an alphabet
// of 8, then T - 1 blanks, then a delimiter, then K more blanks; the target is blank for the
// first T + K steps and then the K symbols, in order. The network must hold K symbols for T steps.
//
// The memoryless baseline: a model that cannot remember still knows where it is in the sequence.
// It predicts blank with certainty for T + K steps (cross-entropy 0 there), then a uniform guess
// over the 8 symbols for the last K steps (ln 8 each). Averaged over all T + 2K steps:
//   baseline cross-entropy = K · ln 8 / (T + 2K)
// which is what "learning nothing" looks like on this task; anything better used memory.
import { Tensor, allocate } from "../../tensor";
import { describeLines, namedShape, type Described } from "../describe";
import { checkInt } from "../errors";
import { toRng } from "../seed";
import type { TaskOptions } from "./adding";

export interface CopyOptions extends TaskOptions {
  /** K: symbols to copy (default 10, as in the paper). */
  copyLength?: number;
  /** Alphabet size (default 8). */
  alphabet?: number;
}

export interface CopyBatch extends Described {
  /** [L, B] input ids, L = T + 2K: 0 blank, 1..A symbols, A+1 delimiter. */
  readonly ids: Tensor;
  /** [L, B, A + 2]: the same, one-hot. */
  readonly x: Tensor;
  /** [L, B] target ids. */
  readonly y: Tensor;
  /** K · ln A / (T + 2K): the mean cross-entropy of the best memoryless predictor. */
  readonly baselineLoss: number;
}

/** The memoryless baseline cross-entropy, in nats per step. */
export function copyBaselineLoss(T: number, copyLength = 10, alphabet = 8): number {
  return (copyLength * Math.log(alphabet)) / (T + 2 * copyLength);
}

/** `copyTask({ T: 100, batchSize: 16, seed: 0 })`: ids, y [120, 16]; x [120, 16, 10]. */
export function copyTask(options: CopyOptions): CopyBatch {
  const T = checkInt("copyTask", "T", options.T, 1);
  const B = checkInt("copyTask", "batchSize", options.batchSize, 1);
  const K = checkInt("copyTask", "copyLength", options.copyLength ?? 10, 1);
  const A = checkInt("copyTask", "alphabet", options.alphabet ?? 8, 2);
  const rng = toRng(options.seed);
  const L = T + 2 * K;
  const V = A + 2;
  const delimiter = A + 1;
  const ids = allocate("copyTask", [L, B]);
  const y = allocate("copyTask", [L, B]);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      const s = 1 + rng.int(A);
      ids[k * B + b] = s;
      y[(T + K + k) * B + b] = s;
    }
    ids[(K + T - 1) * B + b] = delimiter;
  }
  const x = allocate("copyTask", [L, B, V]);
  for (let i = 0; i < L * B; i++) x[i * V + ids[i]] = 1;
  const baselineLoss = copyBaselineLoss(T, K, A);
  return {
    ids: new Tensor(ids, [L, B]),
    x: new Tensor(x, [L, B, V]),
    y: new Tensor(y, [L, B]),
    baselineLoss,
    describe: () =>
      describeLines(`Copy task, T=${T} (sequence length ${L} = T + 2·${K})`, [
        ["ids, y", `${namedShape([L, B], ["L", "B"])}: 0 blank, 1..${A} symbols, ${delimiter} delimiter`],
        ["x", `${namedShape([L, B, V], ["L", "B", "V"])} one-hot`],
        ["baseline", `memoryless cross-entropy ${K}·ln ${A} / ${L} = ${baselineLoss.toFixed(4)} nats per step`],
      ]),
  };
}
