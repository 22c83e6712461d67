// Checks for the exercises of notebook 12, "Project: a character model of Moby-Dick".
//
// The notebook derives the honest baseline a character model must beat, the bigram with add-α
// smoothing, p(b | a) = (n(a b) + α) / (n(a ·) + α V), counted on the training ids, and its cost
// on other ids in bits per character: the mean of −log₂ p(v_t | v_{t−1}) over t = 1 … m−1
// (v_0 is context only, as for the recurrent model). The check probes one term at a time (one
// pair seen in training, one never seen, a context never followed by anything, then the mean over
// many targets), recognises the usual mistakes by the exact wrong answer they give, and names the
// term; it never prints the answer, and its hints are questions that lead back to the term.
//
// The right answers are not computed here. They are stored (./answers/ch12.ts, read through
// ./answers.ts), computed on the probes below by the teacher's reference solution
// (grading/references/ch12.ts, kl.baselines.bigramModel), which a student's copy of the course
// does not contain. So are the wrong answers of the mistakes (keys ending in /mistake/...): their
// code would read as the solution.
import { checkExercise } from "../testing/exercise";
import type { ExerciseChecker } from "../testing/exercise";
import { attempt, nearNumber, sameNumbers } from "./probes";
import { answerNumber } from "./answers";
import { answers } from "./answers/ch12";
import { Rng } from "../random";

/** A stored right answer (or a stored wrong answer, under a /mistake/ key) on this chapter's probes. */
const wantNumber = (key: string): number => answerNumber(answers, key);

/** One call of bigramBitsPerChar: the training ids, the ids scored, the vocabulary size and α. */
export interface BigramProbe {
  train: number[];
  valid: number[];
  V: number;
  alpha: number;
}

/** `n` ids below `V` (below `top` when given: the ids from `top` to V − 1 never occur). */
function randomIds(rng: Rng, n: number, V: number, top = V): number[] {
  return Array.from({ length: n }, () => rng.int(Math.min(top, V)));
}

// ---------------------------------------------------------------------------------------------
// The probes (inputs are not secret): the check below and the reference solution that computed
// the stored answers both build them here, so they are the same numbers. Small enough to count by
// hand.

export const ch12Probes = {
  /** ch12-bigram-bits: V = 3, add-one; every pair of the validation ids occurs in the training ids. */
  seen: { train: [0, 1, 0, 2, 0, 1, 2, 1, 0, 0], valid: [0, 1, 2, 0, 0, 1], V: 3, alpha: 1 } as BigramProbe,
  /** The same ids with α = 0.1: α is an argument, not always 1. */
  seenAlpha: { train: [0, 1, 0, 2, 0, 1, 2, 1, 0, 0], valid: [0, 1, 2, 0, 0, 1], V: 3, alpha: 0.1 } as BigramProbe,
  /** V = 4, α = 0.5: the validation ids hold pairs never seen in training (1 1, 3 3, 0 2, 2 2), after contexts that were. */
  unseen: { train: [0, 1, 2, 3, 0, 1, 2, 0, 3, 1], valid: [1, 1, 2, 3, 3, 0, 2, 2], V: 4, alpha: 0.5 } as BigramProbe,
  /** One target each, on the unseen probe's training ids: the pair 0 1 (seen twice) and the pair 0 2 (never seen). */
  oneSeen: { train: [0, 1, 2, 3, 0, 1, 2, 0, 3, 1], valid: [0, 1], V: 4, alpha: 0.5 } as BigramProbe,
  oneUnseen: { train: [0, 1, 2, 3, 0, 1, 2, 0, 3, 1], valid: [0, 2], V: 4, alpha: 0.5 } as BigramProbe,
  /** V = 5: the training ids end with 4, which occurs nowhere else in them, so 4 is never followed by anything in training. */
  lastOnly: { train: [0, 1, 2, 0, 1, 3, 2, 0, 4], valid: [2, 4, 1, 0, 4, 4], V: 5, alpha: 1 } as BigramProbe,
  /** One target after that context: the pair 4 1. */
  oneLast: { train: [0, 1, 2, 0, 1, 3, 2, 0, 4], valid: [4, 1], V: 5, alpha: 1 } as BigramProbe,
  /** Larger probes, drawn once: a vocabulary of 2, ids that never occur in training or anywhere, small and large α. */
  more(): BigramProbe[] {
    const rng = new Rng(12);
    return [
      { train: randomIds(rng, 60, 6), valid: randomIds(rng, 30, 6), V: 6, alpha: 0.3 },
      { train: randomIds(rng, 12, 2), valid: randomIds(rng, 9, 2), V: 2, alpha: 2 },
      // Ids 5 (scored, never in training) and 6 (in neither): the vocabulary is larger than the ids show.
      { train: randomIds(rng, 40, 7, 5), valid: randomIds(rng, 25, 7, 6), V: 7, alpha: 0.05 },
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// ch12-bigram-bits

type BigramBits = (trainIds: number[], validIds: number[], vocabSize: number, alpha: number) => number;

/** The probe as the feedback names it. */
const describe = (p: BigramProbe) => `trainIds = [${p.train.join(", ")}], validIds = [${p.valid.join(", ")}], vocabSize = ${p.V}, alpha = ${p.alpha}`;

/**
 * Exercise ch12-bigram-bits: the bits per character of a bigram model with add-α smoothing,
 * counted on trainIds, on validIds (the notebook's section 2; kl.baselines.bigramModel's
 * bitsPerCharacter).
 */
export function checkBigramBits(bigramBitsPerChar: BigramBits): void {
  checkExercise("ch12-bigram-bits", (c: ExerciseChecker) => {
    const P = ch12Probes;
    const call = (p: BigramProbe, name: string) => {
      const train = p.train.slice(), valid = p.valid.slice();
      const got = attempt(c, `bigramBitsPerChar on the ${name} probe (${describe(p)})`, () => bigramBitsPerChar(train, valid, p.V, p.alpha),
        "trainIds and validIds are plain arrays of ids in 0 … vocabSize − 1; return one number");
      // The notebook passes the book's ids, which later cells read again: a reverse() or sort() in place would change them.
      const changed = [sameNumbers(train, p.train) ? "" : "trainIds", sameNumbers(valid, p.valid) ? "" : "validIds"].filter(Boolean);
      c.that(`bigramBitsPerChar leaves trainIds and validIds unchanged (yours changed ${changed.join(" and ")} on the ${name} probe)`, changed.length === 0,
        "does your function sort, reverse or write into an array it is given? Count from it as it is; copy it first (ids.slice()) if you need it in another order");
      return got;
    };
    const key = (name: string) => `bigram-bits/${name}`;
    const isMistake = (got: number, name: string, mistake: string) => nearNumber(got, wantNumber(`${key(name)}/mistake/${mistake}`), 1e-9);

    // 1. A number at all.
    const seen = call(P.seen, "first");
    c.that(`bigramBitsPerChar returns a number (yours returned ${typeof seen === "number" ? seen : typeof seen} on the first probe, ${describe(P.seen)})`,
      typeof seen === "number" && !Number.isNaN(seen),
      "is every index you read inside its array? What is validIds[t − 1] when t = 0, and which t does the sum start at?");
    c.that(`a text whose every pair occurs in training costs finitely many bits (yours is ${seen} on the first probe)`, Number.isFinite(seen),
      "can any probability you take the logarithm of be 0, or any denominator be 0?");

    // 2. The usual mistakes, by the exact answer they give on the first probe.
    c.that(`bits are a cost, −log₂ p, never negative (yours is ${seen} on the first probe: the minus sign is missing?)`, !(seen < 0),
      "a probability is at most 1, so its logarithm is at most 0: what makes the cost of a character positive?");
    c.that("the counts come from trainIds only (yours counts the pairs of validIds too: the model has then seen the text it is scored on)",
      !isMistake(seen, "seen", "counts-validation"), "which ids may the model learn from, if the validation chapters are to stay unseen?");
    c.that("bits per character use log₂ (yours is in nats: the natural logarithm)", !isMistake(seen, "seen", "nats"),
      "Math.log is the natural logarithm: which function gives the logarithm in base 2?");
    c.that("the counts are smoothed with α (yours has no α: probabilities are bare relative frequencies)", !isMistake(seen, "seen", "unsmoothed"),
      "where does α enter p(b | a), in the numerator, the denominator, or both?");
    c.that("α is added to the denominator too, once per character of the vocabulary (yours adds α to the numerator only)", !isMistake(seen, "seen", "alpha-numerator-only"),
      "after adding α to the count of every one of the vocabSize possible next characters, what must the denominator be for the probabilities to sum to 1?");
    c.that("the probability is conditional, p(b | a) (yours is the joint probability of the pair, p(a b))", !isMistake(seen, "seen", "joint"),
      "the model predicts the next character GIVEN the last one: which count divides n(a b)?");
    c.that("the context is the character before, the target the one at t (yours swaps them: p(a | b))", !isMistake(seen, "seen", "swapped"),
      "in n(a b), which of the two is validIds[t − 1] and which validIds[t]? Which one is the context the denominator counts?");
    c.that("the next character depends on the one before it (yours ignores the context: a unigram)", !isMistake(seen, "seen", "unigram"),
      "which character's count is the denominator, and does validIds[t − 1] appear in your probability?");
    c.that("the result is a mean per character (yours is the total over the text)", !isMistake(seen, "seen", "sum"),
      "is bits per character a total over the text or a mean? Over how many characters?");
    c.that("the mean runs over the m − 1 characters that have one before them (yours divides by m)", !isMistake(seen, "seen", "divide-by-m"),
      "validIds[0] is context only: how many characters are predicted in a text of m ids?");
    c.that("validIds[0] is context only, not a target (yours also scores it, as a uniform guess, and divides by m)", !isMistake(seen, "seen", "first-uniform"),
      "which character has no character before it, and is it predicted at all (as for the LSTM's streams)?");
    c.that("validIds[0] is context only, not a target (yours also scores it by its frequency, and divides by m)", !isMistake(seen, "seen", "first-unigram"),
      "which character has no character before it, and is it predicted at all (as for the LSTM's streams)?");

    // A logarithm in another base scales every cost by one factor: the same ratio on two probes.
    const wantSeen = wantNumber(key("seen"));
    const oneSeen = call(P.oneSeen, "one-pair");
    const ratio = seen / wantSeen;
    c.that(`all your costs are ${ratio.toPrecision(3)} times the right ones (the first probe and the one-pair probe alike): a logarithm in another base`,
      !(Math.abs(ratio - 1) > 1e-6 && nearNumber(oneSeen / wantNumber(key("one-seen")), ratio, 1e-9)),
      "bits are a logarithm in base 2: which base does your logarithm use (Math.log10? Math.log?)");

    // 3. The smoothing: a pair never seen in training.
    const unseen = call(P.unseen, "second");
    c.that(`a pair never seen in training still has a probability above 0 (yours is ${unseen} bits on the second probe, ${describe(P.unseen)}: a probability of 0 somewhere)`,
      typeof unseen === "number" && Number.isFinite(unseen),
      "which pairs of these validation ids never occur in the training ids, and what does α add to their count?");
    c.that("bits are never negative (yours are, on the second probe: some probability above 1)", !(unseen < 0),
      "does the distribution after a context sum to 1 over the vocabSize characters? Add α to each of them: what must the denominator gain?");
    const seenAlpha = call(P.seenAlpha, "α = 0.1");
    c.that("α is the argument alpha (yours gives the same answer for α = 1 and α = 0.1: always add-one?)", !nearNumber(seenAlpha, seen, 1e-9),
      "where does your function read its argument alpha?");

    // 4. One target at a time: each term of p(b | a) on its own.
    c.that(`a text of 2 ids has one target, validIds[1] (yours costs 0 bits on the one-pair probe, ${describe(P.oneSeen)}: no target was scored)`, oneSeen !== 0,
      "does your loop over the targets reach t = m − 1, the last id of validIds?");
    c.close(`the cost of one pair seen in training, −log₂ p(1 | 0) (probe: ${describe(P.oneSeen)}, one target)`, oneSeen, wantNumber(key("one-seen")), {
      tol: 1e-9, hint: "how often does 1 follow 0 in these training ids, how often is 0 followed by anything, and where do α and vocabSize enter?",
    });
    const oneUnseen = call(P.oneUnseen, "one-pair");
    c.close(`the cost of one pair never seen in training, −log₂ p(2 | 0) (probe: ${describe(P.oneUnseen)}, one target)`, oneUnseen, wantNumber(key("one-unseen")), {
      tol: 1e-9, hint: "n(0 2) is 0 here: what is left of the numerator, and is the denominator the same as for the pair 0 1?",
    });
    const oneLast = call(P.oneLast, "last-id");
    c.that("a context is counted only where a character follows it: the last training id is no context (yours counts every occurrence, n(a), probe: the last training id 4 occurs nowhere else)",
      !isMistake(oneLast, "one-last", "count-every-occurrence"),
      "the training ids end with 4: how many times is 4 FOLLOWED by a character there? Would your probabilities after 4 sum to 1?");
    c.close(`the cost after a context never followed by anything in training, −log₂ p(1 | 4) (probe: ${describe(P.oneLast)}, one target)`, oneLast, wantNumber(key("one-last")), {
      tol: 1e-9, hint: "with no count after 4, what is left of p(b | 4), and what distribution over the vocabSize characters is that?",
    });

    // 5. Many targets: the mean.
    c.close(`the mean over the targets validIds[1 … m − 1] (probe: ${describe(P.seen)})`, seen, wantNumber(key("seen")), {
      tol: 1e-9, hint: "each target's cost is checked above: how many targets are there, and do you average their costs?",
    });
    c.close(`bits per character with pairs never seen in training (probe: ${describe(P.unseen)})`, unseen, wantNumber(key("unseen")), {
      tol: 1e-9, hint: "is every count taken from trainIds only, and every pair of validIds scored with its own context?",
    });
    c.close(`bits per character with α = 0.1 (probe: ${describe(P.seenAlpha)})`, seenAlpha, wantNumber(key("seen-alpha")), {
      tol: 1e-9, hint: "does α enter the numerator once and the denominator once per character of the vocabulary?",
    });
    const lastOnly = call(P.lastOnly, "last-id");
    c.close(`bits per character when the last training id is a context in validIds (probe: ${describe(P.lastOnly)})`, lastOnly, wantNumber(key("last-only")), {
      tol: 1e-9, hint: "how many times is 4 followed by a character in the training ids?",
    });
    P.more().forEach((p, k) => {
      c.close(`bits per character on a larger probe (vocabSize = ${p.V}, alpha = ${p.alpha}, ${p.train.length} training ids, ${p.valid.length} scored)`,
        call(p, `larger (vocabSize = ${p.V})`), wantNumber(key(`more/${k}`)), {
          tol: 1e-9, hint: "does your function hold for any vocabSize, any α and ids that never occur in training?",
        });
    });
  });
}
