// The temporal order problem (Hochreiter & Schmidhuber 1997, task 6a). A sequence starts with B,
// ends with E, and is otherwise filled with random distractors a, b, c, d, except at two steps:
// one in the first 10-20% of the sequence, one in 50-60%, each holding X or Y. The class is the
// order of those two symbols: XX, XY, YX or YY.
//
// What needs order, and what does not: the bag of symbols (counts, ignoring positions) tells XX
// from YY from "one of each", but XY and YX have exactly the same bag. A model that ignores order
// is stuck at 75% accuracy; the last 25% need it to remember which came first.
import { Tensor, allocate } from "../../tensor";
import { describeLines, namedShape, type Described } from "../describe";
import { DataError, checkInt } from "../errors";
import { balancedLabels, toRng } from "../seed";
import type { TaskOptions } from "./adding";

/** Symbol ids: 0-3 distractors a-d, 4 X, 5 Y, 6 B (begin), 7 E (end). */
export const TEMPORAL_ORDER_SYMBOLS = ["a", "b", "c", "d", "X", "Y", "B", "E"] as const;
export const TEMPORAL_ORDER_CLASSES = ["XX", "XY", "YX", "YY"] as const;

export interface TemporalOrderBatch extends Described {
  /** [T, B, 8]: one-hot symbols. */
  readonly x: Tensor;
  /** [T, B]: symbol ids (for an Embedding). */
  readonly ids: Tensor;
  /** [B]: class 0..3 (XX, XY, YX, YY); balanced. */
  readonly y: Tensor;
  /** The two relevant steps of sequence b: positions[2b], positions[2b+1]. */
  readonly positions: Int32Array;
}

export function temporalOrder(options: TaskOptions): TemporalOrderBatch {
  const T = checkInt("temporalOrder", "T", options.T, 10);
  const B = checkInt("temporalOrder", "batchSize", options.batchSize, 1);
  const rng = toRng(options.seed);
  // The paper's ranges for T = 100 are steps 10..20 and 50..60; scaled to any T.
  const r1 = [Math.max(1, Math.round(0.1 * T)), Math.round(0.2 * T)];
  const r2 = [Math.round(0.5 * T), Math.min(T - 2, Math.round(0.6 * T))];
  if (r1[1] >= r2[0]) throw new DataError(`temporalOrder: T=${T} leaves no room between the two relevant ranges`);
  const labels = balancedLabels(B, 4, rng);
  const ids = allocate("temporalOrder", [T, B]);
  const positions = new Int32Array(2 * B);
  for (let b = 0; b < B; b++) {
    for (let t = 1; t < T - 1; t++) ids[t * B + b] = rng.int(4);
    ids[b] = 6;
    ids[(T - 1) * B + b] = 7;
    const p1 = r1[0] + rng.int(r1[1] - r1[0] + 1);
    const p2 = r2[0] + rng.int(r2[1] - r2[0] + 1);
    positions[2 * b] = p1;
    positions[2 * b + 1] = p2;
    const c = labels[b];
    ids[p1 * B + b] = c < 2 ? 4 : 5; // first symbol: X for XX, XY; Y for YX, YY
    ids[p2 * B + b] = c % 2 === 0 ? 4 : 5; // second: X for XX, YX
  }
  const x = allocate("temporalOrder", [T, B, 8]);
  for (let i = 0; i < T * B; i++) x[i * 8 + ids[i]] = 1;
  return {
    x: new Tensor(x, [T, B, 8]),
    ids: new Tensor(ids, [T, B]),
    y: new Tensor(Float64Array.from(labels), [B]),
    positions,
    describe: () =>
      describeLines(`Temporal order, T=${T}`, [
        ["x", `${namedShape([T, B, 8], ["T", "B", "I"])} one-hot over ${TEMPORAL_ORDER_SYMBOLS.join(" ")} (ids [T, B] too)`],
        ["y", `[B=${B}] class 0..3 = ${TEMPORAL_ORDER_CLASSES.join(", ")}, balanced`],
        ["relevant steps", `one in ${r1[0]}..${r1[1]}, one in ${r2[0]}..${r2[1]}`],
        ["order-free", "the bag of symbols separates XX / YY / one-of-each: 75% at best"],
      ]),
  };
}
