// The held-out loss of capstone 1 (runs in the grader only; see scripts/grade/assignments.mjs).
//
// The held-out names are those whose kl.data.stableHash is a multiple of 10 (the notebook's
// context cell's splitNames, which this file repeats: a test checks that the two agree). The
// notebook never trains or measures on them, and when grading it cannot: the students' runtime
// holds the names without them (scripts/grade/withheld.mjs), which leaves the rest of the split as
// it is, since each name's side is decided by the name alone. The grader reads each one to the student's trained model one
// character per query: first "." with newName (the model starts from a zero state), then the
// name's letters. Each answer is the model's distribution of the next character; the true next
// characters (the letters, then the closing ".") stay here, and the judge scores them: the mean
// cross-entropy in nats per character over every predicted character of every held-out name. It
// passes below HELD_OUT_THRESHOLD (kernel-lib's kl.exercises.capstone1, the number the notebook
// states); the leaderboard gets the same loss in bits per character.
import { createRequire } from "node:module";
import { join } from "node:path";
import { isHeldOutName } from "../../scripts/grade/withheld.mjs"; // stableHash a multiple of 10

const require = createRequire(import.meta.url);
const library = (root) => require(join(root, "kernel-lib", "dist", "index.js"));


/** The notebook's split (its context cell): the held-out names, then the rest shuffled with seed 2024 (800 validate). */
export function splitNames(kl, names) {
  const heldOut = names.filter((n) => isHeldOutName(kl, n));
  const shuffled = new kl.Rng(2024).shuffle(names.filter((n) => !isHeldOutName(kl, n)));
  return { validation: shuffled.slice(0, 800), train: shuffled.slice(800), heldOut };
}

/** The held-out text as the grader reads it: per name, the characters sent and the ones to predict. */
export function heldOutText(root) {
  const kl = library(root);
  const data = kl.data.loadNames();
  const sent = [];
  const targets = [];
  for (const name of splitNames(kl, data.names).heldOut) {
    const chars = Array.from(name);
    ["."].concat(chars).forEach((char, k) => sent.push({ char, newName: k === 0 }));
    chars.concat(["."]).forEach((char) => targets.push(data.vocab.id(char)));
  }
  return { sent, targets, tokens: data.vocab.tokens, names: sent.filter((q) => q.newName).length, threshold: kl.exercises.capstone1.HELD_OUT_THRESHOLD };
}

let cached = null;
const text = (root) => (cached?.root === root ? cached.value : (cached = { root, value: heldOutText(root) }).value);

/** Mean −ln p(true next character) over the answers, or a sentence saying why the answers cannot be scored. */
export function heldOutLoss(answers, root) {
  const { targets, tokens } = text(root);
  if (!Array.isArray(answers) || answers.length !== targets.length) return { error: `expected ${targets.length} answers, got ${Array.isArray(answers) ? answers.length : typeof answers}` };
  let total = 0;
  for (let k = 0; k < answers.length; k++) {
    const p = answers[k];
    if (!Array.isArray(p) || p.length !== tokens.length) return { error: `answer ${k + 1} is not a distribution over the ${tokens.length} characters` };
    let sum = 0;
    for (const v of p) {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) return { error: `answer ${k + 1} holds ${typeof v === "number" ? v : JSON.stringify(v)}, not a probability (is the model's output NaN?)` };
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-6) return { error: `answer ${k + 1} sums to ${sum}, not 1` };
    total -= Math.log(Math.max(p[targets[k]], 1e-300));
  }
  return { nats: total / answers.length };
}

export const judges = {
  "cap1-train": {
    queries: (root) => text(root).sent,
    judge(answers, root) {
      const { targets, names, threshold } = text(root);
      const r = heldOutLoss(answers, root);
      if (r.error) return { passed: false, output: `Your model's answers on the held-out names could not be scored: ${r.error}.` };
      const bits = r.nats / Math.LN2;
      const passed = r.nats < threshold;
      const measured = `Held-out loss of your trained model: ${r.nats.toFixed(3)} nats per character (${bits.toFixed(3)} bits, perplexity ${Math.exp(r.nats).toFixed(2)}), over ${targets.length} characters of ${names} names it never trained on.`;
      const verdict = passed
        ? `Below the threshold of ${threshold} nats per character: passed.`
        : `The threshold is ${threshold} nats per character: not passed. (The bigram table reaches about 2.43, the unigram about 2.85; train longer or larger, and check that your public checks pass.)`;
      return { passed, output: `${measured}\n${verdict}`, leaderboard: [{ name: "Held-out bits per character", value: Number(bits.toFixed(4)), order: "asc" }] };
    },
  },
};
