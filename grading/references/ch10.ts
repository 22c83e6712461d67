// The teacher's reference solutions to notebook 10's exercises ("Project: anomalies in sensor
// readings"), and what they give on the public checks' probes (kernel-lib/src/exercises/ch10.ts
// builds the probes; this module builds the same ones from there). Not in a student's copy of the
// course: `npm run exercises:answers` calls answers() and stores the results in
// kernel-lib/src/exercises/answers/ch10.ts, which is all the public checks read. Keys ending in
// /mistake/... are the wrong answers of the usual mistakes that are the solution with one piece
// changed, stored so that the checks can recognise them without holding the solution's code.
import type { Tensor } from "../../kernel-lib/src";
import { ch10Probes } from "../../kernel-lib/src/exercises/ch10";
import type { ScoreProbe, ThresholdProbe } from "../../kernel-lib/src/exercises/ch10";

/** How a score is computed: the solution, or the solution with one piece changed. */
interface ScoreVariant {
  /** Which steps the scale is measured on. */
  scaleSteps?: "training" | "all";
  /** What the scale is: the root mean square of the errors (dividing by n or n − 1), their standard deviation around their mean, the readings' standard deviation. */
  scale?: "rms" | "rms-n-1" | "error-std" | "error-std-n-1" | "readings-std" | "pooled" | "step-axis" | "none";
  /** The size of the error, or its sign kept (x − x̂, or x̂ − x). */
  size?: "abs" | "signed" | "flipped";
  /** How a step's features become one score. */
  reduce?: "max" | "mean" | "sum";
}

/** Readings x and predictions x̂ as rows. */
function rowsOf(predicted: Tensor, actual: Tensor) {
  const [N, F] = actual.shape;
  const at = (t: Tensor, i: number, f: number) => t.data[i * F + f];
  return { N, F, x: (i: number, f: number) => at(actual, i, f), xHat: (i: number, f: number) => at(predicted, i, f) };
}

function scoresWith(predicted: Tensor, actual: Tensor, trainSteps: number, v: ScoreVariant = {}): number[] {
  const { N, F, x, xHat } = rowsOf(predicted, actual);
  const n = v.scaleSteps === "all" ? N : trainSteps;
  const steps = Array.from({ length: n }, (_, t) => t);
  const r = (t: number, f: number) => x(t, f) - xHat(t, f);
  const mean = (vs: number[]) => vs.reduce((s, a) => s + a, 0) / vs.length;
  const spread = (vs: number[], ddof: number) => {
    const m = mean(vs);
    return Math.sqrt(vs.reduce((s, a) => s + (a - m) ** 2, 0) / (vs.length - ddof));
  };
  const scale = Array.from({ length: F }, (_, f) => {
    const errors = steps.map((t) => r(t, f));
    switch (v.scale ?? "rms") {
      case "rms": return Math.sqrt(mean(errors.map((e) => e * e)));
      case "rms-n-1": return Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / (n - 1));
      case "error-std": return spread(errors, 0);
      case "error-std-n-1": return spread(errors, 1);
      case "readings-std": return spread(steps.map((t) => x(t, f)), 0);
      case "pooled": return Math.sqrt(mean(steps.flatMap((t) => Array.from({ length: F }, (_, g) => r(t, g) ** 2))));
      case "step-axis": return Math.sqrt(mean(Array.from({ length: F }, (_, g) => r(f, g) ** 2))); // the per-step scale of step f, read as feature f's
      case "none": return 1;
    }
  });
  return Array.from({ length: N }, (_, t) => {
    const z = Array.from({ length: F }, (_, f) => {
      const e = r(t, f) / scale[f];
      return v.size === "signed" ? e : v.size === "flipped" ? -e : Math.abs(e);
    });
    const reduce = v.reduce ?? "max";
    return reduce === "max" ? Math.max(...z) : reduce === "sum" ? z.reduce((s, a) => s + a, 0) : mean(z);
  });
}

/** ch10-anomaly-score: σ_f = √(mean over the first trainSteps steps of (x − x̂)²), then max_f |x − x̂| / σ_f at every step. */
export const anomalyScores = (predicted: Tensor, actual: Tensor, trainSteps: number): number[] => scoresWith(predicted, actual, trainSteps);

/** Precision and recall of the items `flag` flags (precision 1 when it flags none). */
function precisionRecallOf(labels: readonly boolean[], flag: (i: number) => boolean): { precision: number; recall: number } {
  let flagged = 0, hits = 0, anomalies = 0;
  labels.forEach((anomaly, i) => {
    if (anomaly) anomalies++;
    if (flag(i)) {
      flagged++;
      if (anomaly) hits++;
    }
  });
  return { precision: flagged === 0 ? 1 : hits / flagged, recall: hits / anomalies };
}

/** ch10-precision-recall: flagged when score >= threshold; precision 1 when nothing is flagged. */
export const precisionRecallAt = (scores: readonly number[], labels: readonly boolean[], threshold: number) =>
  precisionRecallOf(labels, (i) => scores[i] >= threshold);

const pair = (r: { precision: number; recall: number }) => [r.precision, r.recall];

export function answers(): Record<string, number[]> {
  const out: Record<string, number[]> = {};

  // ch10-anomaly-score
  {
    const { main, oneFeature, fiveFeatures } = ch10Probes.anomalyScore;
    const score = (p: ScoreProbe, v?: ScoreVariant) => scoresWith(p.predicted, p.actual, p.trainSteps, v);
    const right = score(main());
    out["anomaly-score/main"] = right;
    const mistakes: Record<string, ScoreVariant> = {
      leak: { scaleSteps: "all" },
      "readings-std": { scale: "readings-std" },
      "error-std": { scale: "error-std" },
      "error-std-n-1": { scale: "error-std-n-1" },
      "rms-n-1": { scale: "rms-n-1" },
      "pooled-scale": { scale: "pooled" },
      "step-axis": { scale: "step-axis" },
      "raw-error": { scale: "none" },
      "no-abs": { size: "signed" },
      "no-abs-flipped": { size: "flipped" },
      "mean-over-features": { reduce: "mean" },
      "sum-over-features": { reduce: "sum" },
    };
    const seen: number[][] = [right];
    for (const [key, v] of Object.entries(mistakes)) {
      const wrong = score(main(), v);
      // Each mistake must give its own answer on the probe, else the check could not name it.
      if (seen.some((s) => s.every((a, i) => Math.abs(a - wrong[i]) <= 1e-6 * Math.max(1, Math.abs(a))))) {
        throw new Error(`ch10 reference: the mistake ${key} gives the same scores as the answer or another mistake on the main probe`);
      }
      seen.push(wrong);
      out[`anomaly-score/main/mistake/${key}`] = wrong;
    }
    out["anomaly-score/one-feature"] = score(oneFeature());
    out["anomaly-score/five-features"] = score(fiveFeatures());
  }

  // ch10-precision-recall
  {
    const probes = ch10Probes.precisionRecall;
    const at = (p: ThresholdProbe) => pair(precisionRecallAt(p.scores, p.labels, p.threshold));
    for (const name of ["main", "nothing", "everything", "between", "other"] as const) out[`precision-recall/${name}`] = at(probes[name]());
    const { scores, labels, threshold } = probes.main();
    const n = scores.length;
    const flagged = scores.map((s) => s >= threshold);
    const hits = flagged.filter((f, i) => f && labels[i]).length;
    const correct = flagged.filter((f, i) => f === labels[i]).length;
    const anomalies = labels.filter(Boolean).length;
    out["precision-recall/main/mistake/strict"] = pair(precisionRecallOf(labels, (i) => scores[i] > threshold));
    out["precision-recall/main/mistake/flags-low"] = pair(precisionRecallOf(labels, (i) => scores[i] <= threshold));
    out["precision-recall/main/mistake/labels-denominator"] = [hits / anomalies, hits / anomalies];
    out["precision-recall/main/mistake/labels-flagged"] = pair(precisionRecallOf(labels, (i) => scores[i] >= threshold || labels[i]));
    out["precision-recall/main/mistake/all-items"] = [hits / n];
    out["precision-recall/main/mistake/accuracy"] = [correct / n];
    // The check names each mistake by its answer: none may be the right one.
    const want = out["precision-recall/main"];
    for (const key of ["strict", "flags-low", "labels-denominator", "labels-flagged"]) {
      const w = out[`precision-recall/main/mistake/${key}`];
      if (w[0] === want[0] && w[1] === want[1]) throw new Error(`ch10 reference: the mistake ${key} gives the right answer on the main probe`);
    }
    if (want[0] === want[1]) throw new Error("ch10 reference: the main probe's precision and recall must differ, or swapping them could not be seen");
    if (out["precision-recall/nothing"][0] !== 1) throw new Error("ch10 reference: the nothing probe must flag nothing");
  }
  return out;
}
