// Order-blind (and nearly order-blind) summaries of a sequence of frames, for the baseline a
// sequence classifier must beat: a plain classifier fed these instead of the frames in order.
//
//   frameMeans(x)         the average frame, m_f = (1/T) Σ_t x[t, b, f]: blind to order by
//                         construction (a sum does not depend on the order of its terms), so two
//                         sequences with the same frames in another order get the same summary;
//   segmentMeans(x, K)    the average frame of each of K equal stretches of time, concatenated:
//                         K = 1 is frameMeans; K = 2, 3, ... keep where in the sequence (first
//                         third, last third) a frame was, and nothing finer. An honest middle
//                         ground: if a model that only knows "early / middle / late" solves a task,
//                         the task needs order, but not necessarily a recurrent network.
//
// Stretches: segment k of K covers steps floor(kT/K) .. floor((k+1)T/K) − 1 (every step is in
// exactly one segment; when K does not divide T, segments differ in length by at most one step).
import { Tensor } from "../tensor";
import { shapeStr } from "../errors";

/** [T, B, F] → [B, F]: each sequence's frames averaged over time. */
export function frameMeans(features: Tensor): Tensor {
  return segmentMeans(features, 1);
}

/** [T, B, F] → [B, K·F]: the mean frame of each of K equal stretches of time, segment 0's F values first. */
export function segmentMeans(features: Tensor, segments: number): Tensor {
  if (!(features instanceof Tensor) || features.rank !== 3) {
    throw new RangeError(`segmentMeans: features must be [T, B, F] (time-major frames), got ${features instanceof Tensor ? shapeStr(features.shape) : typeof features}`);
  }
  const [T, B, F] = features.shape;
  if (!Number.isInteger(segments) || segments < 1) throw new RangeError(`segmentMeans: segments must be a whole number >= 1, got ${segments}`);
  if (segments > T) throw new RangeError(`segmentMeans: ${segments} segments but the sequences have only ${T} steps (each segment needs at least one)`);
  const x = features.data;
  const out = new Float64Array(B * segments * F);
  for (let k = 0; k < segments; k++) {
    const from = Math.floor((k * T) / segments);
    const to = Math.floor(((k + 1) * T) / segments);
    for (let b = 0; b < B; b++) {
      const o = (b * segments + k) * F;
      for (let t = from; t < to; t++) {
        const i = (t * B + b) * F;
        for (let f = 0; f < F; f++) out[o + f] += x[i + f];
      }
      for (let f = 0; f < F; f++) out[o + f] /= to - from;
    }
  }
  return new Tensor(out, [B, segments * F]);
}
