// The teacher's reference solution to notebook 12's exercise ("Project: a character model of
// Moby-Dick"), and what it gives on the public check's probes (kernel-lib/src/exercises/ch12.ts
// builds the probes; this module builds the same ones from there). Not in a student's copy of the
// course: `npm run exercises:answers` calls answers() and stores the results in
// kernel-lib/src/exercises/answers/ch12.ts, which is all the public check reads. Keys ending in
// /mistake/... are the wrong answers of the usual mistakes, stored so that the check can
// recognise them without holding the solution's code.
import { ch12Probes } from "../../kernel-lib/src/exercises/ch12";
import type { BigramProbe } from "../../kernel-lib/src/exercises/ch12";
import { bigramModel } from "../../kernel-lib/src/baselines/ngram";

/** ch12-bigram-bits: kl.baselines.bigramModel(trainIds, V, { alpha }).bitsPerCharacter(validIds), the library's own. */
export const bigramBitsPerChar = (trainIds: number[], validIds: number[], vocabSize: number, alpha: number): number =>
  bigramModel(trainIds, vocabSize, { alpha }).bitsPerCharacter(validIds);

/** The counts of the training ids, for the wrong variants below. */
function counts({ train, V }: BigramProbe) {
  const pair = (a: number, b: number) => { let n = 0; for (let t = 1; t < train.length; t++) if (train[t - 1] === a && train[t] === b) n++; return n; };
  const followed = (a: number) => { let n = 0; for (let t = 0; t < train.length - 1; t++) if (train[t] === a) n++; return n; };
  const every = (a: number) => train.filter((x) => x === a).length;
  return { pair, followed, every, N: train.length, V };
}

type Prob = (a: number, b: number) => number;

/** Σ over t = 1 … m − 1 of −log(prob(v_{t−1}, v_t)), in the given logarithm. */
function total(valid: number[], prob: Prob, log: (x: number) => number = Math.log2): number {
  let bits = 0;
  for (let t = 1; t < valid.length; t++) bits -= log(prob(valid[t - 1], valid[t]));
  return bits;
}

/** Each usual mistake's answer on a probe: the solution with one piece changed. */
function mistakes(probe: BigramProbe): Record<string, number> {
  const { pair, followed, every, N, V } = counts(probe);
  const { valid, alpha } = probe;
  const right: Prob = (a, b) => (pair(a, b) + alpha) / (followed(a) + alpha * V);
  const unigram = (b: number) => (every(b) + alpha) / (N + alpha * V);
  const m = valid.length;
  // The validation ids counted too (a leak: the model has then seen the text it is scored on).
  const leaked = counts({ ...probe, train: [...probe.train, ...valid] });
  return {
    "counts-validation": total(valid, (a, b) => (leaked.pair(a, b) + alpha) / (leaked.followed(a) + alpha * V)) / (m - 1),
    nats: total(valid, right, Math.log) / (m - 1),
    unsmoothed: total(valid, (a, b) => pair(a, b) / followed(a)) / (m - 1),
    "alpha-numerator-only": total(valid, (a, b) => (pair(a, b) + alpha) / followed(a)) / (m - 1),
    joint: total(valid, (a, b) => (pair(a, b) + alpha) / (N - 1 + alpha * V * V)) / (m - 1),
    swapped: total(valid, (a, b) => right(b, a)) / (m - 1),
    unigram: total(valid, (_a, b) => unigram(b)) / (m - 1),
    sum: total(valid, right),
    "divide-by-m": total(valid, right) / m,
    "first-uniform": (total(valid, right) + Math.log2(V)) / m,
    "first-unigram": (total(valid, right) - Math.log2(unigram(valid[0]))) / m,
    "count-every-occurrence": total(valid, (a, b) => (pair(a, b) + alpha) / (every(a) + alpha * V)) / (m - 1),
  };
}

export function answers(): Record<string, number> {
  const out: Record<string, number> = {};
  const P = ch12Probes;
  const key = (name: string) => `bigram-bits/${name}`;
  const right = (p: BigramProbe) => bigramBitsPerChar(p.train, p.valid, p.V, p.alpha);
  /** Stores a probe's right answer and the wrong answers the check looks for on it, each far from the right one. */
  const store = (name: string, p: BigramProbe, wrong: string[] = []) => {
    const want = right(p);
    out[key(name)] = want;
    const all = mistakes(p);
    for (const w of wrong) {
      if (!Number.isFinite(all[w])) throw new Error(`ch12 reference: the mistake ${w} has no finite answer on the probe ${name}`);
      if (Math.abs(all[w] - want) < 1e-3 * Math.max(1, want)) throw new Error(`ch12 reference: the mistake ${w} gives nearly the right answer on the probe ${name}`);
      out[`${key(name)}/mistake/${w}`] = all[w];
    }
  };
  store("seen", P.seen, ["counts-validation", "nats", "unsmoothed", "alpha-numerator-only", "joint", "swapped", "unigram", "sum", "divide-by-m", "first-uniform", "first-unigram"]);
  store("seen-alpha", P.seenAlpha);
  store("unseen", P.unseen);
  store("one-seen", P.oneSeen);
  store("one-unseen", P.oneUnseen);
  store("one-last", P.oneLast, ["count-every-occurrence"]);
  store("last-only", P.lastOnly);
  P.more().forEach((p, k) => store(`more/${k}`, p));

  // The check tells the mistakes on the first probe apart by their answers: no two may coincide.
  const seenMistakes = Object.entries(out).filter(([k]) => k.startsWith(`${key("seen")}/mistake/`));
  for (const [k1, v1] of seenMistakes) for (const [k2, v2] of seenMistakes) {
    if (k1 < k2 && Math.abs(v1 - v2) < 1e-3 * Math.max(1, v1)) throw new Error(`ch12 reference: ${k1} and ${k2} give the same answer`);
  }
  // The probes show what they are written to show.
  const { pair: pairUnseen } = counts(P.unseen);
  const unseenPairs = P.unseen.valid.slice(1).filter((b, t) => pairUnseen(P.unseen.valid[t], b) === 0).length;
  const { pair: pairSeen } = counts(P.seen);
  if (unseenPairs === 0 || P.seen.valid.slice(1).some((b, t) => pairSeen(P.seen.valid[t], b) === 0)) throw new Error("ch12 reference: the probes' seen and unseen pairs are not as described");
  const last = P.lastOnly.train[P.lastOnly.train.length - 1];
  if (P.lastOnly.train.indexOf(last) !== P.lastOnly.train.length - 1 || !P.lastOnly.valid.slice(0, -1).includes(last)) {
    throw new Error("ch12 reference: the last-id probe's last training id must occur nowhere else and be a context in validIds");
  }
  return out;
}
