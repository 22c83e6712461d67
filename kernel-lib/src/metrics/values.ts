// What the metrics accept as a list of numbers: a plain array (or typed array), or a Tensor read
// as its flat values.
import { Tensor } from "../tensor";

export type Numbers = ArrayLike<number> | Tensor;

export function valuesOf(v: Numbers): ArrayLike<number> {
  return v instanceof Tensor ? v.data : v;
}

/** Ground truth for an anomaly score: 1 (or true) for an anomaly, 0 (or false) for a normal item. */
export type Labels = ArrayLike<boolean | number>;

/**
 * The labels as booleans, each checked: only 0, 1, false and true. Labels coded −1/1 (a common
 * convention) would otherwise all count as anomalies, and recall and average precision come out
 * wrong in silence.
 */
export function anomalyLabels(op: string, labels: Labels): boolean[] {
  return Array.from(labels, (l, i) => {
    if (l === true || l === 1) return true;
    if (l === false || l === 0) return false;
    const coded = l === -1 ? " (labels coded −1/1? map them first: labels.map((l) => (l === 1 ? 1 : 0)))" : "";
    throw new RangeError(`${op}: a label is 1 (or true) for an anomaly and 0 (or false) for a normal item; label ${i} is ${String(l)}${coded}`);
  });
}

/** Scores and their labels, checked alike by every metric that judges a score: one label per score, no NaN score, labels 0/1. */
export function scoresAndLabels(op: string, scores: Numbers, labels: Labels): { s: ArrayLike<number>; y: boolean[] } {
  const s = valuesOf(scores);
  if (s.length !== labels.length) throw new RangeError(`${op}: ${s.length} scores and ${labels.length} labels; there must be one label per score`);
  for (let i = 0; i < s.length; i++) {
    if (Number.isNaN(s[i])) throw new RangeError(`${op}: the score at position ${i} is NaN`);
  }
  return { s, y: anomalyLabels(op, labels) };
}
