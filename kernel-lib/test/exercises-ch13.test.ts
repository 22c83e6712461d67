// The check of notebook 13 accepts a right answer and names the wrong term of typical wrong ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as kl from "../src";
import type { Tensor } from "../src";
import { answers as stored } from "../src/exercises/answers/ch13";
import { passes, rejectionMessage as feedbackOf, rejects } from "./exercise-harness";

const ch13 = kl.exercises.ch13;
type SegmentMeans = (features: Tensor, segments: number) => Tensor;

interface Variant {
  /** The segments [from, to) of T steps. */
  bounds?: (T: number, K: number) => [number, number][];
  /** What a segment's sum of n steps is divided by. */
  divide?: (n: number, T: number, K: number, F: number) => number;
  /** The index in the result's data of sequence b, segment k, feature f. */
  put?: (b: number, k: number, f: number, B: number, K: number, F: number) => number;
  /** The index in the frames' data of step t, sequence b, feature f. */
  read?: (t: number, b: number, f: number, T: number, B: number, F: number) => number;
}

const floorBounds = (T: number, K: number) => Array.from({ length: K }, (_, k): [number, number] => [Math.floor((k * T) / K), Math.floor(((k + 1) * T) / K)]);
/** Segments of `L(T, K)` steps each, clipped to T (the remainder dropped, or the last one short). */
const fixedLength = (L: (T: number, K: number) => number) => (T: number, K: number) =>
  Array.from({ length: K }, (_, k): [number, number] => [Math.min(k * L(T, K), T), Math.min((k + 1) * L(T, K), T)]);

/** The means written with loops, right by default; each option changes one piece into a usual mistake. */
function means(v: Variant = {}): SegmentMeans {
  return (features, K) => {
    const [T, B, F] = features.shape;
    const out = new Float64Array(B * K * F);
    const read = v.read ?? ((t, b, f) => (t * B + b) * F + f);
    const put = v.put ?? ((b, k, f) => (b * K + k) * F + f);
    (v.bounds ?? floorBounds)(T, K).forEach(([from, to], k) => {
      for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) {
        let s = 0;
        for (let t = from; t < to; t++) s += features.data[read(t, b, f, T, B, F)];
        out[put(b, k, f, B, K, F)] = s / (v.divide ?? ((n) => n))(to - from, T, K, F);
      }
    });
    return kl.fromFlat(out, [B, K * F]);
  };
}

const check = (fn: SegmentMeans) => () => ch13.checkSegmentMeans(fn);

test("segment-means: the loops, kl.baselines.segmentMeans and tensor ops (slice, mean over axis 0, concat) pass", () => {
  const n = passes(check(means()));
  assert.ok(n >= 40, `the check runs its probes one by one (${n} checks)`);
  passes(check((x, K) => kl.baselines.segmentMeans(x, K)));
  passes(check((x, K) => {
    const T = x.shape[0];
    return kl.concat(Array.from({ length: K }, (_, k) => kl.mean(kl.slice(x, 0, Math.floor((k * T) / K), Math.floor(((k + 1) * T) / K)), 0)), 1);
  }));
  // Each step added to the segment it falls in, counting the steps of each segment as it goes, is as right.
  passes(check((x, K) => {
    const [T, B, F] = x.shape;
    const out = kl.zeros([B, K * F]);
    const counts = new Array<number>(K).fill(0);
    for (let t = 0, k = 0; t < T; t++) {
      while (Math.floor(((k + 1) * T) / K) <= t) k++; // the k with ⌊kT/K⌋ <= t < ⌊(k+1)T/K⌋
      counts[k]++;
      for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) out.data[(b * K + k) * F + f] += x.data[(t * B + b) * F + f];
    }
    for (let b = 0; b < B; b++) for (let k = 0; k < K; k++) for (let f = 0; f < F; f++) out.data[(b * K + k) * F + f] /= counts[k];
    return out;
  }));
});

// ---- where the segments are
test("segment-means: the remainder dropped (segments of ⌊T/K⌋ steps) is named", () =>
  rejects(check(means({ bounds: fixedLength((T, K) => Math.floor(T / K)) })), /exactly one segment \(yours leaves out the last step/));
test("segment-means: segments of round(T/K) steps are named (the remainder dropped on the probe)", () =>
  rejects(check(means({ bounds: fixedLength((T, K) => Math.round(T / K)) })), /exactly one segment \(yours leaves out the last step/));
test("segment-means: segments of ⌈T/K⌉ steps are named", () =>
  rejects(check(means({ bounds: fixedLength((T, K) => Math.ceil(T / K)) })), /cuts ⌈T\/K⌉ steps per segment/));
test("segment-means: boundaries rounded to the nearest step are named", () =>
  rejects(check(means({ bounds: (T, K) => Array.from({ length: K }, (_, k): [number, number] => [Math.round((k * T) / K), Math.round(((k + 1) * T) / K)]) })), /rounds it to the nearest step/));
test("segment-means: the longer segments first (numpy's array_split) are named", () =>
  rejects(check(means({
    bounds: (T, K) => {
      const L = Math.floor(T / K), r = T % K;
      return Array.from({ length: K }, (_, k): [number, number] => [k * L + Math.min(k, r), (k + 1) * L + Math.min(k + 1, r)]);
    },
  })), /yours puts them first, as numpy's array_split does/));
test("segment-means: the whole remainder given to the last segment is named on the T = 8 probe", () =>
  rejects(check(means({ bounds: (T, K) => Array.from({ length: K }, (_, k): [number, number] => [k * Math.floor(T / K), k === K - 1 ? T : (k + 1) * Math.floor(T / K)]) })),
    /whole remainder of T \/ K to the last segment: 2, 2 and 4 steps/));
test("segment-means: segments of K steps (K read as a length) are named", () =>
  rejects(check((x, K) => {
    const T = x.shape[0];
    const n = Math.ceil(T / K);
    return means({ bounds: () => Array.from({ length: n }, (_, k): [number, number] => [k * K, Math.min((k + 1) * K, T)]) })(x, n);
  }), /cuts ⌈T\/K⌉ steps per segment|number of segments, not their length/));
test("segment-means: segments of K steps are named by their shape when K = 1", () =>
  rejects(check((x, K) => (x.shape[0] === 7 ? means()(x, K) : means()(x, Math.ceil(x.shape[0] / K)))), /number of segments, not their length \(yours has shape \[3, 10\], a segment per step, on the one-segment probe/));
test("segment-means: K ignored (always the average frame) is named", () =>
  rejects(check((x) => kl.baselines.frameMeans(x)), /segments is an argument.*shape \[2, 4\], F per sequence/));

// ---- what a segment's mean divides by
test("segment-means: the sum instead of the mean is named", () => rejects(check(means({ divide: () => 1 })), /averaged \(yours is their sum\)/));
test("segment-means: dividing by T is named", () => rejects(check(means({ divide: (_n, T) => T })), /yours divides by T, every step/));
test("segment-means: dividing by T / K is named", () => rejects(check(means({ divide: (_n, T, K) => T / K })), /yours divides by T \/ K, a fraction/));
test("segment-means: dividing by ⌊T/K⌋ is named", () => rejects(check(means({ divide: (_n, T, K) => Math.floor(T / K) })), /divides every segment by ⌊T\/K⌋/));
test("segment-means: dividing by F is named", () => rejects(check(means({ divide: (_n, _T, _K, F) => F })), /yours divides the sum by F/));

// ---- axes and layout
test("segment-means: frames read as batch-major [B, T, F] (the shape too) are named by the result's shape", () =>
  rejects(check((x, K) => {
    const [B, T, F] = x.shape; // wrong: the frames are [T, B, F]
    return means({ read: (t, b, f) => (b * T + t) * F + f })(kl.reshape(x, [T, B, F]), K);
  }), /time-major, \[T, B, F\] \(yours has shape \[7, 12\], 7 rows, one per step/));
test("segment-means: the data read batch-major with the right sizes is named", () =>
  rejects(check(means({ read: (t, b, f, T, _B, F) => (b * T + t) * F + f })), /yours reads data\[\(b·T \+ t\)·F \+ f\], as if they were batch-major/));
test("segment-means: the feature-major layout (column f·K + k) is named", () =>
  rejects(check(means({ put: (b, k, f, _B, K, F) => b * K * F + f * K + k })), /yours is feature-major, column f·K \+ k/));
test("segment-means: [K, B, F] means reshaped to [B, K·F] (rows mixing sequences) are named", () =>
  rejects(check((x, K) => {
    const [, B, F] = x.shape;
    return kl.reshape(kl.stack(Array.from({ length: K }, (_, k) => kl.slice(kl.reshape(means()(x, K), [B, K, F]), 1, k, k + 1).reshape([B, F])), 0), [B, K * F]);
  }), /lays the means out segment by segment, as \[K, B, F\]/));
test("segment-means: the result [K, B, F] is named", () =>
  rejects(check((x, K) => {
    const [, B, F] = x.shape;
    return kl.transpose(kl.reshape(means()(x, K), [B, K, F]), 0, 1);
  }), /one row per sequence, \[B, K·F\] \(yours has shape \[3, 2, 4\].*stacked as \[K, B, F\]/));
test("segment-means: the result [B, K, F] is named", () =>
  rejects(check((x, K) => kl.reshape(means()(x, K), [x.shape[1], K, x.shape[2]])), /side by side in one row \(yours has shape \[2, 3, 4\]/));
test("segment-means: the mean over the features (one number per segment) is named", () =>
  rejects(check((x, K) => kl.mean(kl.reshape(means()(x, K), [x.shape[1], K, x.shape[2]]), 2)), /one mean per feature \(yours has shape \[2, 3\].*features averaged away/));
test("segment-means: the mean over the features instead of over time ([T, B]) is named", () =>
  rejects(check((x) => kl.mean(x, 2)), /one mean per feature \(yours has shape \[7, 2\] on the first probe: the features averaged away/));

// ---- the rest
test("segment-means: frames changed in place are named", () =>
  rejects(check((x, K) => {
    const out = means()(x, K);
    x.data.fill(0);
    return out;
  }), /leaves features unchanged/));
// A trial's write of 0 into features.data[0]: the first probe's value there is 0 already, so only
// the later probes (random frames) can see it.
test("segment-means: a write of the value a frame already held on the first probe is named on a later one", () =>
  rejects(check((x, K) => {
    const out = means()(x, K);
    x.data[0] = 0;
    return out;
  }), /leaves features unchanged \(yours changed it on the (one-segment|one-step-segments|T = 8|larger) probe/));
test("segment-means: a Float64Array instead of a tensor is named", () =>
  rejects(check(((x: Tensor, K: number) => means()(x, K).data) as unknown as SegmentMeans), /returns a kl.Tensor \(yours returned a Float64Array/));
test("segment-means: an empty segment (NaN) is named", () =>
  rejects(check(means({ bounds: (T, K) => floorBounds(T, K).map(([a, b], k) => (k === 0 ? [a, a] : [a, b])) })), /a segment with no steps, 0 \/ 0\?/));
test("segment-means: sizes of the first probe written into the code are caught", () =>
  rejects(check((x) => means()(x, 3)), /ch13-segment-means: .*(one-segment|K = 3 ignored|segments is)/));
test("segment-means: an error of the learner's own names the probe; the notebook's stub passes through", () => {
  assert.match(feedbackOf(check(() => { throw new TypeError("x is undefined"); })), /segmentMeans on the first probe \(T = 7, B = 2, F = 4, K = 3\) threw an error: x is undefined/);
  assert.throws(check(() => { throw new Error("not implemented yet"); }), /not implemented yet/);
});

// ---- the feedback names the wrong term and asks a question; it never prints the answers
test("feedback on wrong answers never prints the expected means", () => {
  const random = Object.entries(stored).filter(([k]) => k.startsWith("segment-means/more/")).flatMap(([, v]) => (v as { data: number[] }).data);
  const messages = [
    feedbackOf(check(means({ divide: () => 1 }))),
    feedbackOf(check(means({ bounds: fixedLength((T, K) => Math.floor(T / K)) }))),
    feedbackOf(check((x, K) => (x.shape[0] === 20 ? kl.mul(means()(x, K), 1.01) : means()(x, K)))),
    feedbackOf(check((x, K) => (x.shape[0] === 7 ? kl.add(means()(x, K), 0.5) : means()(x, K)))),
  ];
  for (const m of messages) {
    assert.match(m, /^✘ ch13-segment-means: .*\nHint: .*\?/s);
    for (const a of random) for (const digits of [3, 4]) assert.ok(!m.includes(a.toFixed(digits)), `"${m}" prints ${a.toFixed(digits)}`);
  }
  // The first probe's means are not printed as a list either.
  const main = (stored["segment-means/main"] as { data: number[] }).data;
  for (const m of messages) assert.ok(!m.includes(main.slice(0, 3).join(", ")), m);
});
