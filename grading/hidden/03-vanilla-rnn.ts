// Hidden tests of notebook 03, "The vanilla RNN" (see types.ts for how observers are used).
// Sizes vary with the case, so a function that only works for the notebook's shapes fails.
import type { Observers } from "./types";

/** Random weights of one RNN layer with I inputs and H units. */
const weights = (kl: any, rng: any, I: number, H: number) => ({
  Wx: kl.randn([H, I], rng).mul(0.7),
  Wh: kl.randn([H, H], rng).mul(0.7),
  b: kl.randn([H], rng).mul(0.5),
});
const sizes = (rng: any) => ({ B: 1 + rng.int(4), I: 1 + rng.int(5), H: 2 + rng.int(6), T: 2 + rng.int(6), V: 3 + rng.int(8) });

export const observers: Observers = {
  "ch03-rnn-step": (s, kl, rng) => {
    const { B, I, H } = sizes(rng);
    const p = weights(kl, rng, I, H);
    return s.rnnStep(kl.randn([B, I], rng), kl.randn([B, H], rng), p);
  },
  "ch03-rnn-forward": (s, kl, rng) => {
    const { B, I, H, T } = sizes(rng);
    const p = weights(kl, rng, I, H);
    return s.rnnForward(kl.randn([T, B, I], rng), kl.randn([B, H], rng).mul(0.5), p);
  },
  "ch03-masked-cross-entropy": (s, kl, rng) => {
    const N = 3 + rng.int(8);
    const { V } = sizes(rng);
    const logits = kl.randn([N, V], rng).mul(2);
    const targets = kl.tensor(Array.from({ length: N }, () => rng.int(V)));
    const maskValues = Array.from({ length: N }, () => (rng.uniform(0, 1) < 0.7 ? 1 : 0));
    maskValues[rng.int(N)] = 1; // at least one real token
    return s.maskedCrossEntropy(logits, targets, kl.tensor(maskValues));
  },
  "ch03-perplexity": (s, kl, rng) => {
    const tokens = 1 + rng.int(5000);
    return s.perplexity(tokens * rng.uniform(0.1, 4), tokens);
  },
  "ch03-temperature": (s, kl, rng) => {
    const { B, V } = sizes(rng);
    return [0.3, 1, 2.5].map((tau) => s.softmaxWithTemperature(kl.randn([B, V], rng).mul(3), tau * rng.uniform(0.5, 1.5)));
  },
};
