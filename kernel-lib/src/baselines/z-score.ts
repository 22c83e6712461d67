// The z-score threshold: the detector every learned one must beat on readings. Fit, per feature,
// the mean μ_f and the standard deviation σ_f of the TRAINING steps; a reading's z-score in
// feature f is
//
//   z_t,f = (x_t,f − μ_f) / σ_f
//
// and the reading is flagged at threshold k when any feature is k or more standard deviations
// from its training mean: score_t = max_f |z_t,f| >= k. It ignores order completely: a reading is
// judged by its value alone, against the training steps' spread. So it sees a level that is
// unusual, and misses a change that stays inside the usual range; and when the normal level
// drifts away from the training steps' (a sensor outdoors as the day warms up), it flags normal
// readings too.
//
//   const z = kl.baselines.ZScore.fit(mote.features, { start: 0, end: 2000 });   // [N, F], training steps
//   const scores = z.score(mote.features);                                         // [N]: max_f |z_t,f|
//
// It is the standardised error of a "forecast" that always predicts the training mean
// (kl.metrics.standardizedError with x̂ = μ and scale σ), which is how the projects compare it
// with a model whose forecast reads the past.
import { Tensor } from "../tensor";
import { shapeStr } from "../errors";
import { standardizedError } from "../metrics/anomaly-scores";

/** Steps start (inclusive) to end (exclusive), as kl.data.timeSplit gives them. */
export interface StepRange {
  readonly start: number;
  readonly end: number;
}

function asRows(who: string, x: Tensor): { N: number; F: number } {
  if (!(x instanceof Tensor) || (x.rank !== 1 && x.rank !== 2)) {
    throw new RangeError(`${who}: readings must be a Tensor [N, F] (N steps of F features) or [N], got ${x instanceof Tensor ? shapeStr(x.shape) : typeof x}`);
  }
  return { N: x.shape[0], F: x.rank === 2 ? x.shape[1] : 1 };
}

export class ZScore {
  private constructor(
    /** μ_f: each feature's mean over the fitting steps. */
    readonly mean: Float64Array,
    /** σ_f: each feature's standard deviation over the fitting steps (dividing by their number). */
    readonly std: Float64Array,
  ) {}

  /**
   * Fits μ and σ per feature on the steps in `range` (default: all of x; pass the training steps).
   * A feature that is constant on those steps is an error: every other value would be infinitely
   * many σ away.
   */
  static fit(x: Tensor, range?: StepRange): ZScore {
    const { N, F } = asRows("ZScore.fit", x);
    const { start, end } = range ?? { start: 0, end: N };
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > N || end <= start) {
      throw new RangeError(`ZScore.fit: the range ${start}..${end} must be a non-empty range of whole steps inside the ${N} steps of the readings`);
    }
    const n = end - start;
    const mean = new Float64Array(F);
    const std = new Float64Array(F);
    for (let t = start; t < end; t++) for (let f = 0; f < F; f++) mean[f] += x.data[t * F + f];
    for (let f = 0; f < F; f++) mean[f] /= n;
    for (let t = start; t < end; t++) for (let f = 0; f < F; f++) std[f] += (x.data[t * F + f] - mean[f]) ** 2;
    for (let f = 0; f < F; f++) {
      std[f] = Math.sqrt(std[f] / n);
      if (!(std[f] > 0) || !Number.isFinite(std[f])) {
        throw new RangeError(`ZScore.fit: feature ${f} has a standard deviation of ${std[f]} on steps ${start}..${end - 1}: a constant feature (or a non-finite value) leaves no spread to measure other values by`);
      }
    }
    return new ZScore(mean, std);
  }

  get features(): number {
    return this.mean.length;
  }

  private check(who: string, x: Tensor): { N: number; F: number } {
    const r = asRows(who, x);
    if (r.F !== this.features) throw new RangeError(`${who}: readings ${shapeStr(x.shape)} have ${r.F} features but the z-score was fitted on ${this.features}`);
    return r;
  }

  /** z_t,f = (x_t,f − μ_f) / σ_f for every step and feature: [N, F]. */
  zScores(x: Tensor): Tensor {
    const { N, F } = this.check("ZScore.zScores", x);
    const out = new Float64Array(N * F);
    for (let i = 0; i < N * F; i++) out[i] = (x.data[i] - this.mean[i % F]) / this.std[i % F];
    return new Tensor(out, [N, F]);
  }

  /** Each step's anomaly score, max_f |z_t,f|: [N]. Flag the steps with score >= k. */
  score(x: Tensor): Float64Array {
    const { N, F } = this.check("ZScore.score", x);
    const predicted = new Tensor(new Float64Array(N * F).map((_, i) => this.mean[i % F]), [N, F]);
    return standardizedError(predicted, x.rank === 2 ? x : new Tensor(x.data, [N, 1]), this.std);
  }
}
