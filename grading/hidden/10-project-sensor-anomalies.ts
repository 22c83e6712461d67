// Hidden tests of notebook 10, "Project: anomalies in sensor readings" (see types.ts for how
// observers are used). The inputs are drawn at random: the number of steps, of features (1 to 6)
// and of training steps (2 to N, once all of them), errors with an offset and a size of their own
// per feature and later steps with larger ones of either sign; scores with ties, thresholds equal
// to a score, between scores, below every score, and once above every score (nothing flagged).
import type { Observers } from "./types";

export const observers: Observers = {
  "ch10-anomaly-score": (s, kl, rng, { case: k }) => {
    const N = 3 + rng.int(40);
    const F = k === 1 ? 1 + rng.int(6) : 2 + rng.int(5); // one case may have a single feature
    const trainSteps = k === 2 ? N : 2 + rng.int(N - 2); // 2 … N − 1, and once every step
    const level = Array.from({ length: F }, () => rng.uniform(-50, 50));
    const spread = Array.from({ length: F }, () => rng.uniform(0.1, 10));
    const offset = Array.from({ length: F }, () => rng.uniform(-1, 1)); // errors whose mean is not 0
    const size = Array.from({ length: F }, () => rng.uniform(0.05, 5));
    const x = new Float64Array(N * F), xHat = new Float64Array(N * F);
    for (let t = 0; t < N; t++) for (let f = 0; f < F; f++) {
      const jump = t >= trainSteps && rng.next() < 0.3 ? (rng.next() < 0.5 ? -1 : 1) * rng.uniform(3, 10) : 0; // anomalies, up or down
      x[t * F + f] = level[f] + spread[f] * rng.normal();
      xHat[t * F + f] = x[t * F + f] - size[f] * (offset[f] + rng.normal() + jump);
    }
    const predicted = kl.fromFlat(xHat, [N, F]), actual = kl.fromFlat(x, [N, F]);
    const scores = s.anomalyScores(predicted, actual, trainSteps);
    const unchanged = predicted.data.every((v: number, i: number) => Object.is(v, xHat[i])) && actual.data.every((v: number, i: number) => Object.is(v, x[i]));
    return { scores: ArrayBuffer.isView(scores) ? Array.from(scores as unknown as ArrayLike<number>) : scores, unchanged };
  },

  "ch10-precision-recall": (s, kl, rng) => {
    const n = 5 + rng.int(60);
    const levels = 3 + rng.int(12); // few distinct scores: ties
    const scores = Array.from({ length: n }, () => rng.int(levels) / 2);
    const labels = Array.from({ length: n }, () => rng.next() < 0.3);
    labels[rng.int(n)] = true; // at least one anomaly
    const max = Math.max(...scores), min = Math.min(...scores);
    const thresholds = [
      scores[rng.int(n)], scores[rng.int(n)], scores[rng.int(n)], // equal to a score (ties)
      rng.uniform(min, max), // between scores
      min, min - 1, // everything flagged
      max + 0.5, // nothing flagged
    ];
    return thresholds.map((t) => {
      const r = s.precisionRecallAt(scores.slice(), labels.slice(), t);
      return { precision: r?.precision, recall: r?.recall };
    });
  },
};
