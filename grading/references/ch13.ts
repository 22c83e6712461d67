// The teacher's reference solution to notebook 13's exercise ("Project: "dog bites man" or "man
// bites dog"? Word order in speech"), and what it gives on the public check's probes
// (kernel-lib/src/exercises/ch13.ts builds the probes; this module builds the same ones from
// there). Not in a student's copy of the course: `npm run exercises:answers` calls answers() and
// stores the results in kernel-lib/src/exercises/answers/ch13.ts, which is all the public check
// reads. Keys ending in /mistake/... are the wrong answers of the usual mistakes, stored so that
// the check can recognise them without holding the solution's code.
import type { Tensor } from "../../kernel-lib/src";
import { fromFlat } from "../../kernel-lib/src/tensor";
import { segmentMeans as librarySegmentMeans } from "../../kernel-lib/src/baselines/frame-mean";
import { ch13Probes } from "../../kernel-lib/src/exercises/ch13";
import type { SegmentProbe } from "../../kernel-lib/src/exercises/ch13";

/** ch13-segment-means: kl.baselines.segmentMeans(features, segments), the library's own. */
export const segmentMeans = (features: Tensor, segments: number): Tensor => librarySegmentMeans(features, segments);

/** How the means are computed: the solution, or the solution with one piece changed. */
interface Variant {
  /** Where the segments start and end. */
  bounds?: "floor" | "drop" | "ceil" | "round" | "longer-first" | "to-last";
  /** What a segment's sum is divided by. */
  divide?: "length" | "none" | "T" | "T/K" | "floor" | "F";
  /** Where feature f of segment k of sequence b goes in the result's data. */
  layout?: "segment-major" | "feature-major" | "segment-rows";
  /** Where step t, sequence b, feature f is read from in the frames' data. */
  read?: "time-major" | "batch-major";
}

/** The K segments [from, to) of T steps. */
function bounds(T: number, K: number, how: NonNullable<Variant["bounds"]>): [number, number][] {
  const L = Math.floor(T / K), C = Math.ceil(T / K), r = T % K;
  return Array.from({ length: K }, (_, k): [number, number] => {
    switch (how) {
      case "floor": return [Math.floor((k * T) / K), Math.floor(((k + 1) * T) / K)];
      case "drop": return [k * L, (k + 1) * L];
      case "ceil": return [Math.min(k * C, T), Math.min((k + 1) * C, T)];
      case "round": return [Math.round((k * T) / K), Math.round(((k + 1) * T) / K)];
      case "longer-first": return [k * L + Math.min(k, r), (k + 1) * L + Math.min(k + 1, r)];
      case "to-last": return [k * L, k === K - 1 ? T : (k + 1) * L];
    }
  });
}

function meansWith(features: Tensor, K: number, v: Variant = {}): Tensor {
  const [T, B, F] = features.shape;
  const x = features.data;
  const out = new Float64Array(B * K * F);
  const at = (t: number, b: number, f: number) => (v.read === "batch-major" ? (b * T + t) * F + f : (t * B + b) * F + f);
  const to = (b: number, k: number, f: number) =>
    v.layout === "feature-major" ? b * K * F + f * K + k : v.layout === "segment-rows" ? (k * B + b) * F + f : (b * K + k) * F + f;
  bounds(T, K, v.bounds ?? "floor").forEach(([from, end], k) => {
    const n = end - from;
    const divisor = { length: n, none: 1, T: T, "T/K": T / K, floor: Math.floor(T / K), F: F }[v.divide ?? "length"];
    for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) {
      let s = 0;
      for (let t = from; t < end; t++) s += x[at(t, b, f)];
      out[to(b, k, f)] = s / divisor;
    }
  });
  return fromFlat(out, [B, K * F]);
}

const MAIN_MISTAKES: Record<string, Variant> = {
  "batch-major-data": { read: "batch-major" },
  drop: { bounds: "drop" },
  ceil: { bounds: "ceil" },
  round: { bounds: "round" },
  "longer-first": { bounds: "longer-first" },
  sum: { divide: "none" },
  "divide-by-T": { divide: "T" },
  "divide-by-T-over-K": { divide: "T/K" },
  "divide-by-floor": { divide: "floor" },
  "divide-by-F": { divide: "F" },
  "feature-major": { layout: "feature-major" },
  "segment-rows": { layout: "segment-rows" },
};

const differs = (a: Tensor, b: Tensor, tol: number) => a.data.some((v, i) => Math.abs(v - b.data[i]) > tol * Math.max(1, Math.abs(b.data[i])));

export function answers(): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  const P = ch13Probes;
  const key = (name: string) => `segment-means/${name}`;
  const right = (p: SegmentProbe) => {
    const want = segmentMeans(p.frames, p.segments);
    // The variants below are the solution with one piece changed: unchanged, they must be it.
    if (differs(meansWith(p.frames, p.segments), want, 1e-12)) throw new Error("ch13 reference: the variants' right answer is not the library's");
    return want;
  };
  const main = P.main();
  out[key("main")] = right(main);
  const seen: Tensor[] = [out[key("main")]];
  for (const [name, v] of Object.entries(MAIN_MISTAKES)) {
    const wrong = meansWith(main.frames, main.segments, v);
    // Each mistake must give its own answer on the probe, else the check could not name it.
    if (!wrong.data.every(Number.isFinite)) throw new Error(`ch13 reference: the mistake ${name} has no finite answer on the main probe`);
    if (seen.some((s) => !differs(wrong, s, 1e-6))) throw new Error(`ch13 reference: the mistake ${name} gives the same means as the answer or another mistake on the main probe`);
    seen.push(wrong);
    out[`${key("main")}/mistake/${name}`] = wrong;
  }
  out[key("one")] = right(P.one());
  out[key("every")] = right(P.every());
  const eight = P.eight();
  out[key("eight")] = right(eight);
  const toLast = meansWith(eight.frames, eight.segments, { bounds: "to-last" });
  if (!differs(toLast, out[key("eight")], 1e-6)) throw new Error("ch13 reference: the T = 8 probe must tell the remainder given to the last segment apart");
  out[`${key("eight")}/mistake/to-last`] = toLast;
  P.more().forEach((p, k) => { out[key(`more/${k}`)] = right(p); });

  // The probes are what they are written to be: 3 does not divide 7; K = 1; K = T.
  const [T] = main.frames.shape;
  if (T % main.segments === 0 || P.one().segments !== 1 || P.every().segments !== P.every().frames.shape[0]) throw new Error("ch13 reference: the probes are not as described");
  return out;
}
