// Hidden tests of notebook 11, "Project: anomalies in the order of log events" (see types.ts for how
// observers are used). Batches of every size (T, B, V drawn; V from 2 up), random masks with at
// least one real step per request (case 0 padded at the end, as the notebook's batches; the
// others with padding anywhere), padded steps made far more surprising than the real ones, a
// request whose largest surprise occurs at two steps, and logits of three scales: small, and
// shifted by hundreds (down in case 1, up in case 2), where exp overflows or underflows unless
// each row's largest logit is subtracted first. No real step's probability goes below about
// e^−400, so a stable softmax followed by −ln of the target's probability is exact enough too.
import type { Observers } from "./types";

export const observers: Observers = {
  "ch11-request-scores": (s, kl, rng, { case: k }) => {
    const T = 1 + rng.int(9), B = 1 + rng.int(7), V = 2 + rng.int(20);
    const scale = [rng.uniform(0.5, 3), rng.uniform(3, 10), rng.uniform(10, 20)][k % 3];
    const shift = [0, -rng.uniform(720, 900), rng.uniform(720, 900)][k % 3];
    const logits = kl.randn([T, B, V], rng).mul(scale);
    const x: Float64Array = logits.data;
    const targets = Array.from({ length: T * B }, () => rng.int(V));
    const mask = new Array<number>(T * B).fill(0);
    for (let b = 0; b < B; b++) {
      if (k === 0) {
        const length = 1 + rng.int(T);
        for (let t = 0; t < length; t++) mask[t * B + b] = 1;
      } else {
        for (let t = 0; t < T; t++) mask[t * B + b] = rng.next() < 0.6 ? 1 : 0;
        mask[rng.int(T) * B + b] = 1;
      }
    }
    if (k !== 0 && T >= 2) {
      // One request padded at its first step, before a real one: padding is not only at the end.
      const g = rng.int(B);
      mask[g] = 0;
      mask[(1 + rng.int(T - 1)) * B + g] = 1;
    }
    const lowest = (r: number) => Math.min(...Array.from(x.subarray(r * V, r * V + V)));
    // Padding: the target's logit far below its row's, so that counting a padded step changes the answer.
    for (let r = 0; r < T * B; r++) if (mask[r] === 0) x[r * V + targets[r]] = lowest(r) - (10 + 8 * scale) * rng.uniform(1, 1.5);
    // A tie: in one request with two real steps or more, its most surprising step copied to a later real step.
    const b = rng.int(B);
    const real = Array.from({ length: T }, (_, t) => t).filter((t) => mask[t * B + b] === 1);
    if (real.length >= 2) {
      const i = rng.int(real.length - 1);
      const [t1, t2] = [real[i], real[i + 1 + rng.int(real.length - 1 - i)]];
      const [r1, r2] = [t1 * B + b, t2 * B + b];
      x[r1 * V + targets[r1]] = lowest(r1) - (5 + 7 * scale);
      for (let v = 0; v < V; v++) x[r2 * V + v] = x[r1 * V + v];
      targets[r2] = targets[r1];
    }
    const got = s.requestScores(logits.add(shift), kl.fromFlat(targets, [T, B]), kl.fromFlat(mask, [T, B]));
    // What was asked for: one { score, step } per request.
    return Array.from(got as ArrayLike<{ score: unknown; step: unknown }>, (r) => ({ score: r?.score, step: r?.step }));
  },
};
