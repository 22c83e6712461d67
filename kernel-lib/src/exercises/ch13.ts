// Checks for the exercise of notebook 13, "Project: "dog bites man" or "man bites dog"? Word order
// in speech".
//
// The notebook's coarse-order baseline summarises a sentence by the mean frame of each of K
// stretches of time (its section 4): for time-major frames [T, B, F], segment k covers the steps
// ⌊kT/K⌋ … ⌊(k+1)T/K⌋ − 1 (every step in exactly one segment; lengths differ by at most one when K
// does not divide T), each sequence's frames are averaged over each segment, and the result is
// [B, K·F] with segment 0's F values first (column k·F + f). The check's probes are frames whose
// values say where they came from (step t, sequence b, feature f holds 100·b + 10·f + t), with a T
// that K does not divide, K = 1 and K = T; it recognises the usual mistakes by the exact wrong
// answer (or shape) they give and names the term; it never prints the answer, and its hints are
// questions that lead back to the term.
//
// The right answers are not computed here. They are stored (./answers/ch13.ts, read through
// ./answers.ts), computed on the probes below by the teacher's reference solution
// (grading/references/ch13.ts, kl.baselines.segmentMeans), which a student's copy of the course
// does not contain. So are the wrong answers of the mistakes (keys ending in /mistake/...): their
// code would read as the solution.
import { checkExercise } from "../testing/exercise";
import type { ExerciseChecker } from "../testing/exercise";
import { attempt, copyOf, near, unchangedTensor } from "./probes";
import { answerTensor } from "./answers";
import { answers } from "./answers/ch13";
import { Rng } from "../random";
import { Tensor, fromFlat } from "../tensor";

/** The learner's function, as the notebook declares it. */
export type SegmentMeans = (features: Tensor, segments: number) => Tensor;

/** One call of segmentMeans: frames [T, B, F] and the number of segments K. */
export interface SegmentProbe {
  frames: Tensor;
  segments: number;
}

/** Frames [T, B, F] whose value at step t, sequence b, feature f is 100·b + 10·f + t. */
function coded(T: number, B: number, F: number): Tensor {
  const data = new Float64Array(T * B * F);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) data[(t * B + b) * F + f] = 100 * b + 10 * f + t;
  return fromFlat(data, [T, B, F]);
}

/** Frames [T, B, F] drawn at random (each feature with a level of its own). */
function drawn(rng: Rng, T: number, B: number, F: number): Tensor {
  const level = Array.from({ length: F }, () => 5 * rng.normal());
  const data = new Float64Array(T * B * F);
  for (let i = 0; i < data.length; i++) data[i] = level[i % F] + rng.normal();
  return fromFlat(data, [T, B, F]);
}

// ---------------------------------------------------------------------------------------------
// The probes (inputs are not secret): the check below and the reference solution that computed
// the stored answers both build them here, so they are the same numbers.

export const ch13Probes = {
  /** T = 7 steps in K = 3 segments (3 does not divide 7), B = 2 sequences of F = 4 features. */
  main: (): SegmentProbe => ({ frames: coded(7, 2, 4), segments: 3 }),
  /** K = 1: the average frame. T = 5, B = 3, F = 2. */
  one: (): SegmentProbe => ({ frames: coded(5, 3, 2), segments: 1 }),
  /** K = T: every segment one step. T = 4, B = 2, F = 3. */
  every: (): SegmentProbe => ({ frames: coded(4, 2, 3), segments: 4 }),
  /** T = 8 in K = 3 segments: the remainder of 2 steps is shared out, one step to each of the last two. B = 2, F = 2. */
  eight: (): SegmentProbe => ({ frames: coded(8, 2, 2), segments: 3 }),
  /** Larger probes, drawn once: random values, one sequence, one feature, one step. */
  more(): SegmentProbe[] {
    const rng = new Rng(1313);
    return [
      { frames: drawn(rng, 20, 5, 5), segments: 6 },
      { frames: drawn(rng, 13, 1, 5), segments: 5 },
      { frames: drawn(rng, 17, 6, 1), segments: 4 },
      { frames: drawn(rng, 11, 3, 2), segments: 11 },
      { frames: drawn(rng, 1, 4, 3), segments: 1 },
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// ch13-segment-means

const stored = (key: string): Tensor => answerTensor(answers, key);

/** The probe as the feedback names it. */
const describe = (p: SegmentProbe) => {
  const [T, B, F] = p.frames.shape;
  return `T = ${T}, B = ${B}, F = ${F}, K = ${p.segments}`;
};

/** The columns from … to − 1 of a [rows, cols] tensor, as a tensor [rows, to − from] (so that feedback names a row and a column). */
function columns(t: Tensor, from: number, to: number): Tensor {
  const [rows, cols] = t.shape;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = from; c < to; c++) out.push(t.data[r * cols + c]);
  return fromFlat(out, [rows, to - from]);
}


const sameShape = (got: Tensor, ...shape: number[]) => got.shape.length === shape.length && got.shape.every((d, i) => d === shape[i]);

/** What came back, in a few words. */
function kindOf(v: unknown): string {
  if (v === undefined) return "undefined (did you forget to return it?)";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v;
}

/** The mistakes the check names on the first probe, in the order it looks for them: stored key, what is wrong, hint. */
const MAIN_MISTAKES: [string, string, string][] = [
  ["batch-major-data", "the frames are time-major, [T, B, F]: feature f of sequence b at step t is data[(t·B + b)·F + f] (yours reads data[(b·T + t)·F + f], as if they were batch-major [B, T, F])",
    "in a [T, B, F] tensor, how many numbers lie between step t and step t + 1 of the same sequence?"],
  ["drop", "every step is in exactly one segment (yours leaves out the last step: segments of ⌊T/K⌋ steps, or round(T/K), the remainder of T / K dropped)",
    "T = 7 steps in 3 segments: which segment holds step 6, the end of the sequence (where the last word of a sentence is)?"],
  ["ceil", "segments differ in length by at most one step (yours cuts ⌈T/K⌉ steps per segment, and the last one gets what is left: 3, 3 and 1 steps)",
    "with T = 7 and K = 3, where do the boundaries ⌊kT/K⌋ fall for k = 0, 1, 2, 3?"],
  ["round", "segment k starts at step ⌊kT/K⌋, kT/K rounded down (yours rounds it to the nearest step)",
    "for T = 7, K = 3 and k = 2, kT/K = 14/3 ≈ 4.67: at which step does segment 2 start?"],
  ["longer-first", "segment k covers steps ⌊kT/K⌋ … ⌊(k+1)T/K⌋ − 1, so when K does not divide T the longer segments come last (yours puts them first, as numpy's array_split does)",
    "with T = 7 and K = 3, where do the boundaries ⌊kT/K⌋ fall for k = 0, 1, 2, 3, and how long is each segment?"],
  ["sum", "each segment's frames are averaged (yours is their sum)",
    "a mean is a sum divided by what?"],
  ["divide-by-T", "the mean divides by the number of steps in its own segment (yours divides by T, every step of the sequence)",
    "how many frames does segment k add up?"],
  ["divide-by-T-over-K", "the mean divides by the number of steps in its own segment (yours divides by T / K, a fraction of a step when K does not divide T)",
    "T = 7, K = 3: how many frames does each of your segments add up, and is any of them 7/3?"],
  ["divide-by-floor", "the mean divides by the number of steps in its own segment (yours divides every segment by ⌊T/K⌋, the length of the shorter ones)",
    "T = 7, K = 3: how many frames does the last segment add up?"],
  ["divide-by-F", "the mean runs over the segment's steps, feature by feature (yours divides the sum by F, the number of features)",
    "over which axis of [T, B, F] does a segment's mean run, and how many terms does it add up?"],
  ["feature-major", "the columns are segment-major, column k·F + f: segment 0's F values first (yours is feature-major, column f·K + k: feature 0 of every segment first)",
    "in the result [B, K·F], which column holds feature f of segment k?"],
  ["segment-rows", "row b of the result holds sequence b (yours lays the means out segment by segment, as [K, B, F], and gives them the shape [B, K·F]: its rows mix sequences)",
    "reshaping does not move numbers: in which order must they lie for row b to be sequence b's K·F means?"],
];

/** Names the shapes of the usual mistakes on a probe (none of them the right shape); the last check fixes the shape itself. */
function checkShape(c: ExerciseChecker, got: Tensor, p: SegmentProbe, where: string): void {
  const [T, B, F] = p.frames.shape;
  const K = p.segments;
  const shape = `[${got.shape.join(", ")}]`;
  const right = sameShape(got, B, K * F);
  /** A named mistake: its shape is `wrong`, and it is not the right shape. */
  const not = (wrong: boolean) => right || !wrong;
  c.that(`segments is an argument: K segments give K·F numbers per sequence (yours has shape ${shape}, F per sequence, on the ${where}: K = ${K} ignored?)`,
    not(sameShape(got, B, F)), "where does your function read its argument segments?");
  c.that(`segments is the number of segments, not their length (yours has shape ${shape}, a segment per step, on the ${where})`,
    not(sameShape(got, B, T * F)), "with K = 1 the result is the average frame: how many segments is that, and how many numbers does each sequence get?");
  c.that(`the result is one row per sequence, [B, K·F] (yours has shape ${shape} on the ${where}: the segments' means stacked as [K, B, F], not joined side by side)`,
    not(K !== B && sameShape(got, K, B, F)), "which axis of the result holds the sequences, and how do a sequence's K segments of F values become one row of K·F numbers?");
  c.that(`the result is [B, K·F], each sequence's K segments of F values side by side in one row (yours has shape ${shape} on the ${where})`,
    not(sameShape(got, B, K, F)), "how many numbers does each row of a [B, K·F] tensor hold? Does kl.reshape move any of them?");
  c.that(`the mean runs over the steps of a segment, one mean per feature (yours has shape ${shape} on the ${where}: the features averaged away)`,
    not(sameShape(got, B, K) || sameShape(got, T, B) || sameShape(got, B, T)),
    "over which axis of [T, B, F] does a segment's mean run, and how many numbers does each segment keep?");
  c.that(`the frames are time-major, [T, B, F] (yours has shape ${shape}, ${T} rows, one per step, on the ${where}: read as [B, T, F], batch-major?)`,
    not(T !== B && got.shape[0] === T), "which axis of features holds the steps, and which the sequences?");
  c.shape(`the result of segmentMeans on the ${where} (${describe(p)})`, got, [B, K * F], "how many rows (one per sequence) and columns (K segments of F means each) does the result have?");
}

/**
 * Calls segmentMeans on a copy of the probe; features must come back unchanged (on every probe:
 * a write of a value the frame already held, 0 at step 0 of the first probe, shows only on the
 * random ones) and the result must be a tensor.
 */
function call(c: ExerciseChecker, segmentMeans: SegmentMeans, p: SegmentProbe, where: string): { got: Tensor; frames: Tensor } {
  const frames = copyOf(p.frames);
  const got = attempt(c, `segmentMeans on the ${where} (${describe(p)})`, () => segmentMeans(frames, p.segments),
    "features is a tensor [T, B, F] (step t, sequence b, feature f at .data[(t·B + b)·F + f]) and segments a whole number from 1 to T; return a tensor [B, K·F]");
  c.that(`segmentMeans leaves features unchanged (yours changed it on the ${where}, ${describe(p)})`, unchangedTensor(frames, p.frames),
    "does your function write into features.data? The notebook calls it again on the same frames: where else can the sums go?");
  c.that(`segmentMeans returns a kl.Tensor (yours returned ${kindOf(got)} on the ${where})`, got instanceof Tensor,
    "kl.fromFlat(numbers, [B, K·F]) makes a tensor of your numbers: is that what your function returns?");
  return { got, frames };
}

/**
 * Exercise ch13-segment-means: for time-major frames [T, B, F], the mean frame of each of K
 * segments, segment k covering steps ⌊kT/K⌋ … ⌊(k+1)T/K⌋ − 1, as [B, K·F] with segment 0's F
 * values first (the notebook's section 4; kl.baselines.segmentMeans).
 */
export function checkSegmentMeans(segmentMeans: SegmentMeans): void {
  checkExercise("ch13-segment-means", (c: ExerciseChecker) => {
    const P = ch13Probes;
    const coding = "the probe's frame at step t of sequence b holds 100·b + 10·f + t in feature f";

    // 1. The first probe: T = 7 in K = 3 segments.
    const main = P.main();
    const { got } = call(c, segmentMeans, main, "first probe");
    checkShape(c, got, main, "first probe");
    c.that(`every mean is a number (yours has NaN or Infinity on the first probe, ${describe(main)}: a segment with no steps, 0 / 0?)`, Array.from(got.data).every(Number.isFinite),
      "does every segment hold at least one step, and is every index you read inside the data?");
    for (const [key, wrong, hint] of MAIN_MISTAKES) c.that(wrong, !near(got, stored(`segment-means/main/mistake/${key}`), 1e-9), hint);
    const want = stored("segment-means/main");
    const F = main.frames.shape[2];
    const K = main.segments;
    c.close(`segment 0 of each sequence, columns 0 … ${F - 1} (as [B, F]; probe: ${describe(main)}; ${coding})`, columns(got, 0, F), columns(want, 0, F), {
      tol: 1e-9, hint: "which steps does segment 0 cover when T = 7 and K = 3, and which numbers of the data are their frames for sequence b?",
    });
    c.close(`the last segment of each sequence, columns ${(K - 1) * F} … ${K * F - 1} (as [B, F]; probe: ${describe(main)}; ${coding})`, columns(got, (K - 1) * F, K * F), columns(want, (K - 1) * F, K * F), {
      tol: 1e-9, hint: "which steps does segment K − 1 cover, how many are they, and what is their mean?",
    });
    c.close(`every mean of every sequence (probe: ${describe(main)}; ${coding})`, got, want, {
      tol: 1e-9, hint: "row b, column k·F + f: feature f of sequence b, averaged over the steps of segment k. Is each of them there?",
    });

    // 2. K = 1: the average frame.
    const one = P.one();
    const r1 = call(c, segmentMeans, one, "one-segment probe").got;
    checkShape(c, r1, one, "one-segment probe");
    c.close(`K = 1, the average frame of each sequence (probe: ${describe(one)}; ${coding})`, r1, stored("segment-means/one"), {
      tol: 1e-9, hint: "with one segment, which steps does it cover, and what does each sequence's mean frame add up and divide by?",
    });

    // 3. K = T: every segment one step.
    const every = P.every();
    const rT = call(c, segmentMeans, every, "one-step-segments probe").got;
    checkShape(c, rT, every, "one-step-segments probe");
    c.close(`K = T, every segment one step: each sequence's frames side by side, step 0's first (probe: ${describe(every)}; ${coding})`, rT, stored("segment-means/every"), {
      tol: 1e-9, hint: "with K = T, which step is segment k, and where in row b do its F values go?",
    });

    // 4. T = 8 in K = 3: the remainder shared out.
    const eight = P.eight();
    const r8 = call(c, segmentMeans, eight, "T = 8 probe").got;
    checkShape(c, r8, eight, "T = 8 probe");
    c.that(`segments differ in length by at most one step (yours gives the whole remainder of T / K to the last segment: 2, 2 and 4 steps on the probe ${describe(eight)})`,
      !near(r8, stored("segment-means/eight/mistake/to-last"), 1e-9),
      "T = 8, K = 3: what are ⌊kT/K⌋ for k = 0, 1, 2, 3, and how long is each segment then?");
    c.close(`the means with T = 8 in K = 3 segments (probe: ${describe(eight)}; ${coding})`, r8, stored("segment-means/eight"), {
      tol: 1e-9, hint: "where do the boundaries ⌊kT/K⌋ fall for k = 0, 1, 2, 3?",
    });

    // 5. Larger probes with random frames.
    P.more().forEach((p, k) => {
      const r = call(c, segmentMeans, p, "larger probe").got;
      checkShape(c, r, p, "larger probe");
      c.close(`the means on a larger probe with random frames (${describe(p)})`, r, stored(`segment-means/more/${k}`), {
        tol: 1e-9, hint: "are T, B, F and K read from the arguments everywhere, for one sequence, one feature and one step too?",
      });
    });
  });
}
