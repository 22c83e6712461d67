// The teacher's reference solution to notebook 11's exercise ("Project: anomalies in the order of
// log events"), and what it gives on the public check's probes (kernel-lib/src/exercises/ch11.ts
// builds the probes; this module builds the same ones from there). Not in a student's copy of the
// course: `npm run exercises:answers` calls answers() and stores the results in
// kernel-lib/src/exercises/answers/ch11.ts, which is all the public check reads. Keys ending in
// /mistake/... are the wrong answers of the usual mistakes that are the solution with one piece
// changed, stored so that the check can recognise them without holding the solution's code.
import { ch11Probes } from "../../kernel-lib/src/exercises/ch11";
import type { RequestScore, RequestScoresProbe } from "../../kernel-lib/src/exercises/ch11";
import { sequenceScores, tokenSurprise } from "../../kernel-lib/src/metrics/anomaly-scores";
import type { Tensor } from "../../kernel-lib/src/tensor";

/** One piece of the solution changed: the usual mistakes, each a variant of the reference. */
interface Variant {
  /** "ignore": every step counts; "prefix": the first Σ mask steps count, as if padding only came at the end. */
  mask?: "use" | "ignore" | "prefix";
  reduce?: "max" | "mean" | "sum";
  /** "log-p": ln p without the minus; "log2": −log₂ p; "most-likely": −ln of the largest probability, not the target's. */
  surprise?: "nats" | "log-p" | "log2" | "most-likely";
  /** "batch-major": logits read as [B, T, V], targets and mask as [B, T]; "logits-batch-major" and "mask-batch-major": that one alone. */
  layout?: "time-major" | "batch-major" | "logits-batch-major" | "mask-batch-major";
  /** "max-not-added-back": ln Σ e^(o − m) − o_e, the m subtracted inside the exp not added back. */
  logSumExp?: "right" | "max-not-added-back";
  /** "last": the last step on ties; "one-based": t + 1; "real-index": the step counted among the real steps only. */
  step?: "first" | "last" | "one-based" | "real-index";
}

/** Each request's reduced surprise over its counted steps, and the step of the largest. */
function scoresWith(logits: Tensor, targets: Tensor, mask: Tensor, v: Variant = {}): RequestScore[] {
  const [T, B, V] = logits.shape;
  const x = logits.data, y = targets.data, m = mask.data;
  const timeMajor = (t: number, b: number) => t * B + b, batchMajor = (t: number, b: number) => b * T + t;
  const atLogits = v.layout === "batch-major" || v.layout === "logits-batch-major" ? batchMajor : timeMajor;
  const at = v.layout === "batch-major" ? batchMajor : timeMajor; // targets
  const atMask = v.layout === "batch-major" || v.layout === "mask-batch-major" ? batchMajor : timeMajor;
  const out: RequestScore[] = [];
  for (let b = 0; b < B; b++) {
    let real = 0;
    for (let t = 0; t < T; t++) real += m[atMask(t, b)];
    let best = -Infinity, step = -1, total = 0, count = 0, seen = 0;
    for (let t = 0; t < T; t++) {
      const r = at(t, b), o = atLogits(t, b) * V;
      const counted = v.mask === "ignore" ? true : v.mask === "prefix" ? t < real : m[atMask(t, b)] !== 0;
      if (!counted) continue;
      let max = -Infinity;
      for (let c = 0; c < V; c++) max = Math.max(max, x[o + c]);
      let sum = 0;
      for (let c = 0; c < V; c++) sum += Math.exp(x[o + c] - max);
      const target = v.surprise === "most-likely" ? max : x[o + y[r]];
      let s = (v.logSumExp === "max-not-added-back" ? 0 : max) + Math.log(sum) - target; // −ln softmax(o_t)[e_t]
      if (v.surprise === "log-p") s = -s;
      if (v.surprise === "log2") s /= Math.LN2;
      total += s;
      count++;
      if (s > best || (v.step === "last" && s === best)) {
        best = s;
        step = v.step === "one-based" ? t + 1 : v.step === "real-index" ? seen : t;
      }
      seen++;
    }
    if (count === 0) throw new Error(`ch11 reference: request ${b} of a probe has no counted step`);
    out.push({ score: v.reduce === "mean" ? total / count : v.reduce === "sum" ? total : best, step });
  }
  return out;
}

/** ch11-request-scores: each request's largest surprise −ln softmax(o_t)[e_t] over its real steps, and its first step. */
export const requestScores = (logits: Tensor, targets: Tensor, mask: Tensor): RequestScore[] => scoresWith(logits, targets, mask);

export function answers(): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const probes = ch11Probes.requestScores();
  const scores = (p: RequestScoresProbe, v: Variant = {}) => scoresWith(p.logits, p.targets, p.mask, v).map((r) => r.score);
  const steps = (p: RequestScoresProbe, v: Variant = {}) => scoresWith(p.logits, p.targets, p.mask, v).map((r) => r.step);
  const differ = (a: number[], b: number[]) => a.some((x, i) => Math.abs(x - b[i]) > 1e-3 * Math.max(1, Math.abs(b[i])));
  const key = (k: string) => `request-scores/${k}`;

  for (const name of ["uniform", "main", "gaps", "large", "peakLast", "farRows"] as const) {
    const p = probes[name];
    out[key(`${name}/scores`)] = scores(p);
    out[key(`${name}/steps`)] = steps(p);
    // The reference agrees with the library's functions (what the notebook shows after the exercise).
    const library = sequenceScores(tokenSurprise(p.logits, p.targets, p.mask), p.mask, "max");
    if (Array.from(library).some((x, i) => Math.abs(x - scores(p)[i]) > 1e-9 * Math.max(1, Math.abs(x)))) throw new Error(`ch11 reference: the ${name} probe's scores differ from kl.metrics'`);
  }
  const { uniform, main, gaps } = probes;
  out[key("uniform/mistake/sum")] = scores(uniform, { reduce: "sum" });
  out[key("uniform/mistake/log2")] = scores(uniform, { surprise: "log2" });
  out[key("uniform/mistake/last-step")] = steps(uniform, { step: "last" });
  out[key("uniform/mistake/one-based")] = steps(uniform, { step: "one-based" });
  const mainMistakes: Record<string, Variant> = {
    "mask-ignored": { mask: "ignore" }, mean: { reduce: "mean" }, sum: { reduce: "sum" }, "log-p": { surprise: "log-p" },
    log2: { surprise: "log2" }, "most-likely": { surprise: "most-likely" }, "batch-major": { layout: "batch-major" },
    "logits-batch-major": { layout: "logits-batch-major" }, "mask-batch-major": { layout: "mask-batch-major" },
    "max-not-added-back": { logSumExp: "max-not-added-back" },
  };
  for (const [name, v] of Object.entries(mainMistakes)) {
    const wrong = scores(main, v);
    // Each probe must tell its mistake apart from the right answer, or the check could not name it.
    if (!differ(wrong, scores(main))) throw new Error(`ch11 reference: the main probe does not tell "${name}" from the right answer`);
    out[key(`main/mistake/${name}`)] = wrong;
  }
  out[key("main/mistake/one-based")] = steps(main, { step: "one-based" });
  out[key("main/mistake/last-step")] = steps(main, { step: "last" });
  out[key("gaps/mistake/prefix")] = scores(gaps, { mask: "prefix" });
  out[key("gaps/mistake/real-index")] = steps(gaps, { step: "real-index" });
  if (!differ(out[key("gaps/mistake/prefix")], scores(gaps))) throw new Error("ch11 reference: the gaps probe does not tell a prefix mask from the right answer");

  // What the probes' comments promise: uniform logits tie at every step; request 0 of the main
  // probe has its largest surprise at steps 1 and 3, and no other real step reaches it; the
  // padding is more surprising than every real step.
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(steps(uniform), [0, 0]) || !same(steps(uniform, { step: "last" }), [2, 2])) throw new Error("ch11 reference: the uniform probe does not tie at every step");
  if (steps(main)[0] !== 1 || steps(main, { step: "last" })[0] !== 3) throw new Error("ch11 reference: request 0 of the main probe does not tie at steps 1 and 3");
  for (const p of [main, gaps]) {
    const withPadding = scores(p, { mask: "ignore" }), realOnly = scores(p);
    if (!withPadding.every((s, b) => s > realOnly[b] || p.mask.data.every((mm, i) => i % p.mask.shape[1] !== b || mm === 1))) {
      throw new Error("ch11 reference: a padded step of a probe is not more surprising than the real ones");
    }
  }
  return out;
}
