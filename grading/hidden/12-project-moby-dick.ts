// Hidden tests of notebook 12, "Project: a character model of Moby-Dick" (see types.ts for how
// observers are used). The inputs are drawn at random: vocabulary sizes from 2 to 30, lengths, α
// from 0.01 to 2, training ids that leave out part of the vocabulary (so the validation ids hold
// pairs, and characters, never seen in training), and a training text whose last id occurs
// nowhere else in it (a character never followed by anything).
import type { Rng } from "kernel-lib";
import type { Observers } from "./types";

/** n ids of a vocabulary of V, drawn from its first `top` ids (a skewed draw: some ids much more frequent). */
const ids = (rng: Rng, n: number, V: number, top = V): number[] =>
  Array.from({ length: n }, () => Math.min(V - 1, Math.floor(Math.min(top, V) * rng.next() ** 1.5)));

export const observers: Observers = {
  "ch12-bigram-bits": (s, kl, rng, { case: k }) => {
    const V = 2 + rng.int(29);
    // Training ids from part of the vocabulary (at least 2 ids), validation ids from all of it.
    const seenTop = Math.max(2, V - rng.int(Math.max(1, Math.floor(V / 2))));
    const train = ids(rng, 2 + rng.int(200), V, seenTop);
    if (k === 1 && V >= 3) {
      // The last training id is one that occurs nowhere else in the training ids, and it is a
      // context in the validation ids.
      const loner = V - 1;
      for (let t = 0; t < train.length; t++) if (train[t] === loner) train[t] = rng.int(V - 1);
      train.push(loner);
    }
    const valid = ids(rng, 2 + rng.int(100), V);
    if (k === 1 && V >= 3) valid.splice(rng.int(valid.length), 0, V - 1, rng.int(V));
    if (k === 2) valid.splice(0, valid.length, valid[0], valid[1]); // a single target
    const alphas = [rng.uniform(0.01, 2), Math.exp(rng.uniform(Math.log(0.01), Math.log(2))), 1];
    return alphas.map((alpha) => s.bigramBitsPerChar(train.slice(), valid.slice(), V, alpha));
  },
};
