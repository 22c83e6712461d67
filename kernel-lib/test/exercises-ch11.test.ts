// The check of notebook 11 accepts a right answer (written with loops, or with the library's ops and
// metrics) and names each usual mistake of scoring requests by their largest surprise.
import assert from "node:assert/strict";
import { test } from "node:test";
import { exercises, logSoftmax, metrics, reshape } from "../src";
import type { Tensor } from "../src";
import { passes, rejectionMessage, rejects } from "./exercise-harness";

const ch11 = exercises.ch11;
type Scores = { score: number; step: number }[];

interface Slip {
  /** "all-but-last": the row's max taken over its first V − 1 logits (a trial's loop bound); "whole-tensor": the largest logit of every row. */
  max?: "all" | "all-but-last" | "whole-tensor";
  /** Forgetting to add the max back outside the ln. */
  lseWithoutMax?: boolean;
  mask?: "use" | "ignore" | "prefix";
  reduce?: "max" | "mean" | "sum";
  surprise?: "nats" | "log-p" | "log2" | "most-likely" | "naive-exp" | "softmax-then-log";
  layout?: "time-major" | "batch-major" | "batch-major-shape" | "logits-batch-major" | "mask-batch-major";
  step?: "first" | "last" | "one-based" | "real-index";
}

/** A learner's requestScores written with loops, with one slip (or none). */
const written = (slip: Slip = {}) => (logits: Tensor, targets: Tensor, mask: Tensor): Scores => {
  let [T, B, V] = logits.shape;
  if (slip.layout === "batch-major-shape") [B, T] = [T, B];
  const x = logits.data, y = targets.data, m = mask.data;
  const at = (t: number, b: number) => (slip.layout === "batch-major" || slip.layout === "batch-major-shape" ? b * T + t : t * B + b);
  const atLogits = (t: number, b: number) => (slip.layout === "logits-batch-major" ? b * T + t : at(t, b));
  const atMask = (t: number, b: number) => (slip.layout === "mask-batch-major" ? b * T + t : at(t, b));
  const tensorMax = Math.max(...x);
  const out: Scores = [];
  for (let b = 0; b < B; b++) {
    let real = 0;
    for (let t = 0; t < T; t++) real += m[atMask(t, b)];
    let best = -Infinity, step = -1, total = 0, count = 0, seen = 0;
    for (let t = 0; t < T; t++) {
      const r = at(t, b);
      if (slip.mask === "prefix" ? t >= real : slip.mask !== "ignore" && m[atMask(t, b)] === 0) continue;
      const o = atLogits(t, b);
      const row = Array.from(x.subarray(o * V, o * V + V));
      const max = slip.max === "whole-tensor" ? tensorMax : Math.max(...(slip.max === "all-but-last" ? row.slice(0, V - 1) : row));
      let s: number;
      if (slip.surprise === "naive-exp") s = Math.log(row.reduce((a, o) => a + Math.exp(o), 0)) - row[y[r]];
      else if (slip.surprise === "softmax-then-log") s = -Math.log(Math.exp(row[y[r]] - max) / row.reduce((a, o) => a + Math.exp(o - max), 0));
      else {
        const lse = (slip.lseWithoutMax ? 0 : max) + Math.log(row.reduce((a, o) => a + Math.exp(o - max), 0));
        s = lse - (slip.surprise === "most-likely" ? max : row[y[r]]);
        if (slip.surprise === "log-p") s = -s;
        if (slip.surprise === "log2") s /= Math.LN2;
      }
      total += s;
      count++;
      if (s > best || (slip.step === "last" && s >= best)) [best, step] = [s, slip.step === "one-based" ? t + 1 : slip.step === "real-index" ? seen : t];
      seen++;
    }
    out.push({ score: slip.reduce === "mean" ? total / count : slip.reduce === "sum" ? total : best, step });
  }
  return out;
};

/** The library's way: kl.metrics' surprise and scores, the step found in the per-step surprises. */
const withLibrary = (logits: Tensor, targets: Tensor, mask: Tensor): Scores => {
  const s = metrics.tokenSurprise(logits, targets, mask);
  const scores = metrics.sequenceScores(s, mask, "max");
  const [T, B] = mask.shape;
  return Array.from(scores, (score, b) => {
    let step = 0;
    while (!(mask.data[step * B + b] === 1 && s.data[step * B + b] === score) && step < T) step++;
    return { score, step };
  });
};

/** With kl.logSoftmax over [T·B, V], then a loop over the steps. */
const withLogSoftmax = (logits: Tensor, targets: Tensor, mask: Tensor): Scores => {
  const [T, B, V] = logits.shape;
  const logp = logSoftmax(reshape(logits, [T * B, V]), -1).data;
  return Array.from({ length: B }, (_, b) => {
    let score = -Infinity, step = -1;
    for (let t = 0; t < T; t++) {
      const r = t * B + b;
      if (mask.data[r] === 1 && -logp[r * V + targets.data[r]] > score) [score, step] = [-logp[r * V + targets.data[r]], t];
    }
    return { score, step };
  });
};

test("request-scores: loops with the max subtracted pass", () => assert.ok(passes(() => ch11.checkRequestScores(written())) > 20));
test("request-scores: kl.metrics.tokenSurprise and sequenceScores, with the step found after, pass", () => void passes(() => ch11.checkRequestScores(withLibrary)));
test("request-scores: kl.logSoftmax then a loop passes", () => void passes(() => ch11.checkRequestScores(withLogSoftmax)));
test("request-scores: a stable softmax, then −ln of the target's probability, passes (no probability of a real step underflows)", () =>
  void passes(() => ch11.checkRequestScores(written({ surprise: "softmax-then-log" }))));

test("request-scores: the mask ignored is named", () => rejects(() => ch11.checkRequestScores(written({ mask: "ignore" })), /padded steps are left out/));
test("request-scores: the mean is named", () => rejects(() => ch11.checkRequestScores(written({ reduce: "mean" })), /not the mean over the real steps/));
test("request-scores: the sum is named", () => rejects(() => ch11.checkRequestScores(written({ reduce: "sum" })), /LARGEST surprise, not the total/));
test("request-scores: ln p without the minus is named", () => rejects(() => ch11.checkRequestScores(written({ surprise: "log-p" })), /the minus sign is missing/));
test("request-scores: log₂ is named", () => rejects(() => ch11.checkRequestScores(written({ surprise: "log2" })), /in nats.*bits, log₂/));
test("request-scores: the most likely event's probability is named", () => rejects(() => ch11.checkRequestScores(written({ surprise: "most-likely" })), /TARGET event/));
test("request-scores: no max subtracted is named (NaN/Infinity on logits in the hundreds)", () =>
  rejects(() => ch11.checkRequestScores(written({ surprise: "naive-exp" })), /stays finite for logits in the hundreds/));
test("request-scores: a max that misses the row's last logit is named (the largest logit last)", () =>
  rejects(() => ch11.checkRequestScores(written({ max: "all-but-last" })), /stays finite when a row's largest logit is its last \(yours is NaN or Infinity: is the last logit in your max\?\)/));
test("request-scores: batch-major indexing is named", () => rejects(() => ch11.checkRequestScores(written({ layout: "batch-major" })), /time-major.*batch-major/));
test("request-scores: only the logits read batch-major is named (a trial: it was told only 'off by 730%')", () =>
  rejects(() => ch11.checkRequestScores(written({ layout: "logits-batch-major" })), /yours reads the logits at row b \* T \+ t/));
test("request-scores: only the mask read batch-major is named", () => rejects(() => ch11.checkRequestScores(written({ layout: "mask-batch-major" })), /the mask is read time-major/));
test("request-scores: the max not added back after the ln is named", () => rejects(() => ch11.checkRequestScores(written({ lseWithoutMax: true })), /comes back outside the ln \(yours leaves it out\)/));
test("request-scores: the largest logit of the whole tensor instead of each row's is named (it passed every probe before)", () =>
  rejects(() => ch11.checkRequestScores(written({ max: "whole-tensor" })), /each row subtracts its OWN largest logit/));
test("request-scores: the shape read as [B, T, V] is named", () => rejects(() => ch11.checkRequestScores(written({ layout: "batch-major-shape" })), /as many as the T = 3 steps/));
test("request-scores: the last step on ties is named", () => rejects(() => ch11.checkRequestScores(written({ step: "last" })), /FIRST step.*yours took the last/));
test("request-scores: a 1-based step is named", () => rejects(() => ch11.checkRequestScores(written({ step: "one-based" })), /steps count from 0/));
test("request-scores: padding taken to come only at the end is named", () => rejects(() => ch11.checkRequestScores(written({ mask: "prefix" })), /wherever it is/));
test("request-scores: the step counted among the real steps only is named", () =>
  rejects(() => ch11.checkRequestScores(written({ step: "real-index" })), /padded rows counted/));
test("request-scores: a result that is not an array, or has the wrong fields, is named", () => {
  rejects(() => ch11.checkRequestScores(() => new Float64Array(2) as unknown as Scores), /returns an array/);
  rejects(() => ch11.checkRequestScores((l, t, m) => written()(l, t, m).map((r) => ({ score: r.score, index: r.step })) as unknown as Scores), /object \{ score, step \}/);
});
test("request-scores: an error of the learner's code names the probe; the notebook's stub passes through", () => {
  rejects(() => ch11.checkRequestScores(() => { throw new Error("boom"); }), /requestScores on the probe \(every logit 0.*threw an error: boom/);
  assert.throws(() => ch11.checkRequestScores(() => { throw new Error("not implemented yet"); }), /^Error: not implemented yet$/);
});

test("feedback on wrong answers never prints the expected scores", () => {
  const messages = [
    rejectionMessage(() => ch11.checkRequestScores(written({ mask: "ignore" }))),
    rejectionMessage(() => ch11.checkRequestScores(written({ reduce: "mean" }))),
    rejectionMessage(() => ch11.checkRequestScores((l, t, m) => written()(l, t, m).map((r) => ({ ...r, score: r.score * 1.01 })))),
  ];
  for (const m of messages) {
    assert.ok(!/1\.386|21\.58|4\.25|3\.69/.test(m), `feedback prints an expected value: ${m}`);
    assert.match(m, /\nHint: .*\?/, `the hint is a question: ${m}`);
  }
});
